"""Local development: `make run`. Never use these settings on a public server."""

from .base import *  # noqa: F403

DEBUG = True
# A development-only key; production.py refuses to start without a real one.
SECRET_KEY = "dev-only-not-secret"  # noqa: S105

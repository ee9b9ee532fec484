"""Local development: `make run`. Never use these settings on a public server."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR
from .local_key import local_secret_key

DEBUG = True
# A random key made on first run and kept in an ignored file (.secret_key, mode 0600): a key
# published in the repository would let anyone forge this installation's passes and tickets.
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key(
    Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
)

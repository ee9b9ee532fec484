#!/usr/bin/env python
"""Django's command-line utility for the Inclusive Recovery City platform."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

# The project package is called `site`, which is also a stdlib module that the
# interpreter imports at start-up. Giving that already-imported module a
# __path__ turns it into a package whose submodules live in ./site/, so
# `site.settings`, `site.urls` and `site.wsgi` resolve for manage.py, pytest
# (`-p manage` in pyproject.toml) and gunicorn (gunicorn.conf.py imports us).
import site as _site  # noqa: E402

_site.__path__ = [str(BASE_DIR / "site")]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))


def main():
    # Set here, not at import: pytest imports this module (`-p manage`) and
    # must keep the test settings named in pyproject.toml.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

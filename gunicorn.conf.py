"""gunicorn settings: `gunicorn site.wsgi` from the project folder."""

import os

import manage  # noqa: F401  (makes the `site` package importable; see manage.py)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.production")
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# Keep client addresses and paths out of the logs: this platform records health
# and criminal-justice data, promises not to keep IP addresses, and its pass and
# story links carry private tokens in the path.
access_log_format = "%(m)s %(s)s %(b)s %(M)sms"

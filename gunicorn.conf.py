"""gunicorn settings: `gunicorn site.wsgi` from the project folder."""

import os

from gunicorn import glogging

import manage  # noqa: F401  (makes the `site` package importable; see manage.py)
from home.log_redaction import add_redaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.production")
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers, gunicorn's rule of thumb of two per core and one more: a worker waits on
# PostgreSQL for part of each request, and each new connection goes to whichever worker is
# free, which keeps the door scanner's latency even (bench/bench_checkin.py: on 2 cores, 3 to
# 5 sync workers did the same; threaded workers kept connections to one worker and did worse).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
accesslog = "-"
# Keep client addresses and paths out of the logs: this platform records health
# and criminal-justice data, promises not to keep IP addresses, and its pass and
# story links carry private tokens in the path.
access_log_format = "%(m)s %(s)s %(b)s %(M)sms"
# Should the format ever name the path, or gunicorn's error log quote a request line
# ("Error handling request GET /pass/p/<token>/"), private links are still taken out.


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with home.log_redaction's filter on its access and error logs."""

    def setup(self, cfg):
        super().setup(cfg)
        add_redaction(self.error_log)
        add_redaction(self.access_log)


logger_class = RedactingLogger

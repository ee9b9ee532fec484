"""Log records without private links: a pass, story or check-in link is a credential.

Django's request logger writes the path of every 404 and 400 ("Not Found: /pass/p/<token>/"),
runserver and gunicorn write request lines, and a traceback can quote a URL. A filter on
every handler (site/settings/base.py) and on gunicorn's own loggers (gunicorn.conf.py) puts
"<private>" in place of each token, of every query string and of gunicorn's client addresses
before anything is written.

No Django import here: gunicorn.conf.py loads this module before Django is set up.
"""

import logging
import re
from urllib.parse import unquote

# Every route whose next segment is a credential (grep the URLconfs for "token" and "uidb64";
# tests/home/test_logging.py fails when a new such route is not covered here):
#   /pass/p/<token>/ and /pass/p/<token>/qr.png     a participant's door pass
#   /checkin/e/<token>/                              a poster's self check-in
#   /stories/mine/<token>/                           a teller's private withdrawal link
#   /admin/password_reset/confirm/<uidb64>/<token>/  a staff member's password reset
PRIVATE_PATH = re.compile(
    r"(/(?:pass/p|checkin/e|stories/mine|password_reset/confirm)/)[^\s\"'<>]+",
    re.IGNORECASE,
)
# A query string after a path (a nickname search, a story's key, a return address...).
QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+")
# gunicorn's "Invalid request from ip=<address>: ..." (we promise to keep no IP address).
CLIENT_ADDRESS = re.compile(r"\bip=[0-9A-Fa-f.:\[\]]+?(?=:\s|\s|$)")
REDACTED = "<private>"


def redact(text: str) -> str:
    """Give `text` with private path segments, query strings and client addresses replaced."""
    # A token can arrive percent-encoded in a raw request line (%2F, %70...): read it decoded.
    decoded = unquote(text)
    if decoded != text and PRIVATE_PATH.search(decoded):
        text = decoded
    text = PRIVATE_PATH.sub(rf"\g<1>{REDACTED}", text)
    text = QUERY.sub(rf"\g<1>?{REDACTED}", text)
    return CLIENT_ADDRESS.sub(f"ip={REDACTED}", text)


class RedactPrivatePaths(logging.Filter):
    """Rewrites a record's message (and its traceback) without private links; drops none."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            # The arguments are folded into the message, so no handler can format them again.
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def add_redaction(logger: logging.Logger) -> None:
    """Give `logger` the filter once (gunicorn may set its loggers up again on reload)."""
    if not any(isinstance(f, RedactPrivatePaths) for f in logger.filters):
        logger.addFilter(RedactPrivatePaths())

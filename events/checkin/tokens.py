"""Signed pass and poster tokens, and reading whatever a scanner hands us. No ORM here.

A pass token is ``<random pass id>:<signature>``: the id is 16 random bytes and the
signature (HMAC-SHA256 under SECRET_KEY with a salt of its own) means nobody can make one
up. Revoking is a flag on the Pass row, so a revoked token still verifies here and is
refused by the service. A poster token signs an event's id with a different salt, so a
poster can never pass for a pass, nor a pass for a poster.
"""

import enum
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

PASS_SALT = "irc.checkin.pass"  # noqa: S105  (salts, not secrets)
POSTER_SALT = "irc.checkin.poster"
CLAIM_SALT = "irc.checkin.claim"
# Base64url characters and the signer's separator; anything else is not one of ours.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}:[A-Za-z0-9_\-]{20,64}$")
MAX_SCAN_LENGTH = 500


class TokenError(enum.Enum):
    MALFORMED = "malformed"  # not shaped like any token of ours
    FORGED = "forged"  # shaped right, but the signature does not match (or it was cut short)


class Kind(enum.Enum):
    PASS = "pass"  # noqa: S105
    POSTER = "poster"


@dataclass(frozen=True)
class Scanned:
    """What a scanned text turned out to be."""

    kind: Kind | None
    value: str | None = None  # pass id, or the poster's event id as text
    error: TokenError | None = None


def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt, algorithm="sha256")


def sign_pass(pass_id: str) -> str:
    return _signer(PASS_SALT).sign(pass_id)


def sign_poster(event_id: int) -> str:
    return _signer(POSTER_SALT).sign(str(event_id))


def claim_code(pass_id: str, generation: int = 0) -> str:
    """Give the short code printed under a pass (never inside its QR code).

    Whoever scans a pass learns its URL; only whoever holds the card or phone can read this
    code, which is what opening the participant's own record asks for. Each `generation`
    of a pass has a code of its own, so moving a pass on a generation retires its old code.
    """
    signature = _signer(CLAIM_SALT).signature(
        pass_id if not generation else f"{pass_id}.{generation}"
    )
    letters = re.sub(r"[^A-Za-z0-9]", "", signature).upper()
    return letters[:8]


def _unsign(token: str, salt: str) -> tuple[str | None, TokenError | None]:
    if not TOKEN_RE.match(token):
        return None, TokenError.MALFORMED
    try:
        return _signer(salt).unsign(token), None
    except signing.BadSignature:
        return None, TokenError.FORGED


def unsign_pass(token: str) -> tuple[str | None, TokenError | None]:
    """Give (pass id, None) for a genuine pass token, else (None, why not)."""
    return _unsign(token, PASS_SALT)


def read_scanned(
    text: str,
    *,
    pass_prefix: str = "/pass/p/",  # noqa: S107
    poster_prefix: str = "/checkin/e/",
):
    """Make sense of what a camera, a USB scanner or a paste gave: a pass URL, a poster URL,
    or a bare token. Give a `Scanned`.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_SCAN_LENGTH:
        return Scanned(kind=None, error=TokenError.MALFORMED)
    path = unquote(urlsplit(text).path) if "/" in text else ""
    if path.startswith(poster_prefix):
        token = path[len(poster_prefix) :].strip("/")
        value, error = _unsign(token, POSTER_SALT)
        return Scanned(kind=Kind.POSTER, value=value, error=error)
    if path:
        if not path.startswith(pass_prefix):
            return Scanned(kind=None, error=TokenError.MALFORMED)
        text = path[len(pass_prefix) :].strip("/")
    value, error = unsign_pass(text)
    if error is TokenError.FORGED:
        # A poster token pasted bare is still a poster, not a forged pass.
        poster_value, poster_error = _unsign(text, POSTER_SALT)
        if poster_error is None:
            return Scanned(kind=Kind.POSTER, value=poster_value)
    return Scanned(kind=Kind.PASS, value=value, error=error)


def unsign_poster(token: str) -> int | None:
    value, error = _unsign(token, POSTER_SALT)
    if error or not value.isdigit():
        return None
    return int(value)


SCANNER_SALT = "irc.checkin.scanner-ticket"
SESSION_SALT = "irc.checkin.scanner-session"


@dataclass(frozen=True)
class ScannerTicket:
    """What a genuine scanner ticket says: who, and which generation of their tickets."""

    user_id: int
    generation: int


def session_fingerprint(session_key: str | None) -> str:
    """Give a keyed hash of a session key: a ticket names its session without holding it."""
    if not session_key:
        return ""
    return salted_hmac(SESSION_SALT, session_key, algorithm="sha256").hexdigest()[:24]


def sign_scanner_ticket(user_id: int, occurrence_id: int, generation: int, session_key) -> str:
    """Give a signed, timestamped ticket: this user may scan for this occurrence, from this
    session, until their tickets move on a generation.
    """
    fingerprint = session_fingerprint(session_key)
    return signing.TimestampSigner(salt=SCANNER_SALT, algorithm="sha256").sign(
        f"{user_id}.{occurrence_id}.{generation}.{fingerprint}"
    )


def read_scanner_ticket(
    ticket: str, occurrence_id: int, max_age: int, session_key
) -> ScannerTicket | None:
    """Give what a genuine, unexpired ticket for this occurrence and session says, else None."""
    if not ticket or len(ticket) > 200 or not session_key:
        return None
    try:
        value = signing.TimestampSigner(salt=SCANNER_SALT, algorithm="sha256").unsign(
            ticket, max_age=max_age
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    user_id, for_occurrence, generation, fingerprint = (value.split(".") + ["", "", ""])[:4]
    if (
        for_occurrence != str(occurrence_id)
        or not user_id.isdigit()
        or not generation.isdigit()
        or not constant_time_compare(fingerprint, session_fingerprint(session_key))
    ):
        return None
    return ScannerTicket(user_id=int(user_id), generation=int(generation))

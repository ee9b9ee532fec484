"""Private withdrawal links: an unguessable token for the teller, only its hash for us."""

import hashlib
import secrets


def new_token() -> str:
    """Give a fresh URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Give the SHA-256 hex digest we store in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()

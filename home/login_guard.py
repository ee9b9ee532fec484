"""Protection against guessing passwords at every log-in form (the admin's and Wagtail's).

Failed log-ins are counted in the shared cache, per username and per client, so the limit
holds across workers and machines. Neither the username nor the client address is kept:
both are keyed hashes that expire with their window. While a limit is reached, log-in is
refused with a friendly 429 page, even with the right password (that is what stops a guess
from ever being confirmed).
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from home.ratelimit import client_fingerprint, parse_rate

# Failed attempts allowed in the window: for one username (from anywhere), and from one
# client (over any usernames).
PER_USERNAME = "5/15m"
PER_CLIENT = "20/15m"
LOGIN_URL_NAMES = ("wagtailadmin_login", "wagtailcore_login", "wagtailadmin_password_reset")


def _hash(value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:24]


def _key(scope: str, ident: str, rate: str) -> tuple[str, int]:
    _limit, window = parse_rate(rate)
    return f"login:{scope}:{ident}:{int(time.time() // window)}", window


def _failures(scope: str, ident: str, rate: str) -> int:
    return cache.get(_key(scope, ident, rate)[0], 0)


def _count_failure(scope: str, ident: str, rate: str) -> None:
    key, window = _key(scope, ident, rate)
    cache.add(key, 0, timeout=window + 5)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)


def login_blocked(*, username: str, client: str) -> bool:
    """Give True when this username or this client has failed to log in too often lately."""
    return (
        _failures("user", _hash(username), PER_USERNAME) >= parse_rate(PER_USERNAME)[0]
        or _failures("client", client, PER_CLIENT) >= parse_rate(PER_CLIENT)[0]
    )


def login_failed(*, username: str, client: str) -> None:
    """Count one failed log-in for this username and this client."""
    if username:
        _count_failure("user", _hash(username), PER_USERNAME)
    _count_failure("client", client, PER_CLIENT)


class LoginGuardMiddleware:
    """Counts failed POSTs to the log-in forms and refuses them past the limits."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def guarded_paths(self) -> set[str]:
        if self._paths is None:
            self._paths = {reverse(name) for name in LOGIN_URL_NAMES}
        return self._paths

    def __call__(self, request):
        if request.method != "POST" or request.path not in self.guarded_paths():
            return self.get_response(request)
        username = str(request.POST.get("username") or request.POST.get("email") or "")[:150]
        client = client_fingerprint(request)
        if login_blocked(username=username, client=client):
            response = render(
                request,
                "429.html",
                {
                    "message": _(
                        "There have been too many attempts to log in to this account, or from "
                        "here, in a short time. Please wait 15 minutes and try again, or ask "
                        "the council to reset your password."
                    )
                },
                status=429,
            )
            response["Retry-After"] = str(parse_rate(PER_CLIENT)[1])
            return response
        response = self.get_response(request)
        # A successful log-in (or a reset email sent) redirects; the form shown again failed.
        if response.status_code != 302 or "password_reset" in request.path:
            login_failed(username=username, client=client)
        return response

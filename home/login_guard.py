"""Protection against guessing passwords at every log-in form (the admin's and Wagtail's).

`LoginGuardBackend` comes first in AUTHENTICATION_BACKENDS, so it sees every real attempt
to authenticate (a POST without a valid CSRF token, or an empty form, never gets that far)
and counts it before any password is checked, atomically, in the shared counter store
(home/ratelimit.py). Concurrent guesses therefore cannot slip past the limit, and past the
limit even the right password is refused, so a guess is never confirmed. A log-in that
succeeds gives its counts back: only failed authentications use up a limit.

Three limits, each a window that lasts its full length from its first attempt:
- one username from one client (5 in 15 minutes): the lock a guesser meets first;
- one client over any usernames (20 in 15 minutes);
- one username from anywhere (30 an hour): gentler, so that someone elsewhere cannot lock
  staff out with a few failed log-ins, yet guessing from many places is still slow.
A client is its address group behind the trusted proxies (TRUSTED_PROXY_COUNT). Neither the
username nor the address is kept: only keyed hashes, which go when their window ends.

The password-reset form sends email rather than authenticating: it has limits of its own,
counted after the CSRF check (in `process_view`), per email address and per client.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import ngettext

from home.ratelimit import (
    client_fingerprint,
    keyed_hash,
    parse_rate,
    rate_limit_hit,
    rate_limit_refund,
    too_many_requests,
)

PER_USERNAME_AND_CLIENT = "5/15m"
PER_CLIENT = "20/15m"
PER_USERNAME = "30/h"
RESET_PER_EMAIL = "5/15m"
RESET_PER_CLIENT = "20/15m"
RESET_URL_NAME = "wagtailadmin_password_reset"


def _hash(value: str) -> str:
    return keyed_hash(value.strip().lower())


@dataclass
class LoginAttempt:
    """The counts one attempt took (given back if it succeeds), or the rate that refused it."""

    counted: list[tuple[str, str]] = field(default_factory=list)
    refused_by: str = ""


def login_attempt_begin(*, username: str, client: str) -> LoginAttempt:
    """Count one attempt to log in as `username` from `client`; say which limit refused it."""
    user = _hash(username)
    attempt = LoginAttempt()
    # In this order, stopping at the first limit reached: once one client is locked out of a
    # username, its further tries no longer count against that username everywhere.
    for scope, ident, rate in (
        ("login-pair", f"{user}:{client}", PER_USERNAME_AND_CLIENT),
        ("login-client", client, PER_CLIENT),
        ("login-user", user, PER_USERNAME),
    ):
        if rate_limit_hit(scope=scope, ident=ident, rate=rate):
            attempt.refused_by = rate
            return attempt
        attempt.counted.append((scope, ident))
    return attempt


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """Give back the counts of an attempt that logged in: only failures use up a limit."""
    for scope, ident in attempt.counted:
        rate_limit_refund(scope=scope, ident=ident)


class LoginGuardBackend:
    """Counts each authentication before the real backends check the password.

    Only `authenticate`: with no `get_user` or `has_perm` it never holds a session or
    answers for permissions (and the test client's force_login passes it by).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:  # not a web log-in (a management command, a test helper)
            return None
        username = username or kwargs.get(get_user_model().USERNAME_FIELD) or ""
        attempt = login_attempt_begin(
            username=str(username)[:150], client=client_fingerprint(request)
        )
        if attempt.refused_by:
            request.login_refused_by = attempt.refused_by
            raise PermissionDenied  # stops authenticate(): no backend checks the password
        request.login_attempt = attempt
        return None  # let the next backend check the password


def _give_back_on_log_in(sender, request, user, **kwargs):
    attempt = getattr(request, "login_attempt", None)
    if attempt is not None:
        login_attempt_succeeded(attempt=attempt)
        request.login_attempt = None


user_logged_in.connect(_give_back_on_log_in, dispatch_uid="home.login_guard.give_back")


def _refused(request, rate: str):
    window = parse_rate(rate)[1]
    minutes = window // 60
    message = ngettext(
        "There have been too many attempts to log in to this account, or from here, in a "
        "short time. Please wait %(minutes)d minute and try again, or ask the council to "
        "reset your password.",
        "There have been too many attempts to log in to this account, or from here, in a "
        "short time. Please wait %(minutes)d minutes and try again, or ask the council to "
        "reset your password.",
        minutes,
    ) % {"minutes": minutes}
    return too_many_requests(request, message, window)


class LoginGuardMiddleware:
    """Answers a refused log-in with a friendly 429; limits the password-reset form."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._reset_path = None

    def reset_path(self) -> str:
        if self._reset_path is None:
            self._reset_path = reverse(RESET_URL_NAME)
        return self._reset_path

    def __call__(self, request):
        response = self.get_response(request)
        refused_by = getattr(request, "login_refused_by", "")
        return _refused(request, refused_by) if refused_by else response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs after CsrfViewMiddleware.process_view: a forged POST never gets here.
        if request.method != "POST" or request.path != self.reset_path():
            return None
        email = str(request.POST.get("email") or "")[:254]
        client = client_fingerprint(request)
        for scope, ident, rate in (
            ("reset-email", _hash(email), RESET_PER_EMAIL),
            ("reset-client", client, RESET_PER_CLIENT),
        ):
            if rate_limit_hit(scope=scope, ident=ident, rate=rate):
                return _refused(request, rate)
        return None

"""Rate limits held in the shared cache, so they hold across workers and machines.

No IP address is stored: the key is a keyed hash of the client address, which
expires with its window.
"""

import functools
import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def parse_rate(rate: str) -> tuple[int, int]:
    """Give (requests, seconds) for a rate such as "10/m", "5/h" or "100/d"."""
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[-1]]
    multiplier = int(period[:-1]) if len(period) > 1 else 1
    return int(count), seconds * multiplier


def client_fingerprint(request) -> str:
    """Give a short keyed hash of the client address (the address itself is never kept)."""
    address = request.META.get("REMOTE_ADDR", "")
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:24]


def rate_limit_hit(*, scope: str, ident: str, rate: str) -> bool:
    """Count one request for (scope, ident); give True when it is over the rate."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    key = f"rl:{scope}:{ident}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit


def ratelimit(scope: str, rate: str, methods=("POST",)):
    """Refuse a view with a friendly 429 page when one client sends more than `rate`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and rate_limit_hit(
                scope=scope, ident=client_fingerprint(request), rate=rate
            ):
                response = render(
                    request,
                    "429.html",
                    {
                        "message": _(
                            "You have sent a lot of requests in a short time. "
                            "Please wait a few minutes and try again."
                        )
                    },
                    status=429,
                )
                response["Retry-After"] = str(parse_rate(rate)[1])
                return response
            return view(request, *args, **kwargs)

        # Marks the view as rate limited (functools.wraps carries it through outer decorators),
        # so tests can check that every public form has a limit.
        wrapped.ratelimit = (scope, rate)
        return wrapped

    return decorator

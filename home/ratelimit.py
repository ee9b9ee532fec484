"""Rate limits that hold across workers and machines: atomic counters in a shared store.

Each request is counted before it is let through, with one atomic operation, so
concurrent requests can neither lose counts nor slip past a limit, and a window lasts its
full length from its first request (it is never stretched or shortened by later ones).
The store follows the shared cache (CACHE_URL):

- Redis: INCR and, on the window's first request, PEXPIRE, in one Lua script.
- the database: a RateLimitCounter row written by one INSERT ... ON CONFLICT DO UPDATE ...
  RETURNING (PostgreSQL, and SQLite 3.35 or later); rows past their window are deleted on
  every count and by `apply_retention`, and never read as current.
- any other cache (the local-memory cache of the tests): the cache's own counter under a lock.

No IP address is stored: keys hold a keyed hash of the client's address group, which goes
when its window ends.
"""

import contextlib
import functools
import hashlib
import hmac
import threading
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from home.client_address import client_address
from home.models import RateLimitCounter


def parse_rate(rate: str) -> tuple[int, int]:
    """Give (requests, seconds) for a rate such as "10/m", "5/h" or "100/d"."""
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[-1]]
    multiplier = int(period[:-1]) if len(period) > 1 else 1
    return int(count), seconds * multiplier


def keyed_hash(value: str) -> str:
    """Give a short keyed hash (HMAC with the site's secret) of a value that is never kept."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:24]


def client_fingerprint(request) -> str:
    """Give a keyed hash of the client's address group (the address itself is never kept)."""
    header = settings.TRUSTED_PROXY_HEADER
    meta_name = "HTTP_" + header.upper().replace("-", "_")
    address = client_address(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        header_value=request.META.get(meta_name, ""),
        header=header,
        trusted_proxies=settings.TRUSTED_PROXY_COUNT,
    )
    return keyed_hash(address)


# --- The counter stores -------------------------------------------------------------------

_INCR = """
local hits = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits
"""
_DECR = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
"""


class RedisCounters:
    def __init__(self, backend: RedisCache):
        self.backend = backend

    def _run(self, script: str, key: str, *args) -> int:
        key = self.backend.make_and_validate_key(key)
        # Django's RedisCache has no atomic increment-with-expiry; its client does.
        client = self.backend._cache.get_client(key, write=True)
        return int(client.eval(script, 1, key, *args))

    def incr(self, key: str, window: int) -> int:
        return self._run(_INCR, key, window * 1000)

    def decr(self, key: str) -> None:
        self._run(_DECR, key)

    def purge_expired(self) -> int:
        return 0  # Redis drops a key when its window ends


class DatabaseCounters:
    """Counters in RateLimitCounter rows: one atomic statement per count."""

    def _table(self) -> str:
        return connection.ops.quote_name(RateLimitCounter._meta.db_table)

    def _row_key(self, key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def _now(self):
        return connection.ops.adapt_datetimefield_value(timezone.now())

    def incr(self, key: str, window: int) -> int:
        self.purge_expired()
        now = timezone.now()
        table = self._table()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} AS counter ("key", hits, window_end) VALUES (%s, 1, %s)
                ON CONFLICT ("key") DO UPDATE SET
                    hits = CASE WHEN counter.window_end <= %s THEN 1
                           ELSE counter.hits + 1 END,
                    window_end = CASE WHEN counter.window_end <= %s THEN excluded.window_end
                                 ELSE counter.window_end END
                RETURNING hits
                """,  # noqa: S608  (the table name is ours, quoted; values are parameters)
                [
                    self._row_key(key),
                    connection.ops.adapt_datetimefield_value(now + timedelta(seconds=window)),
                    connection.ops.adapt_datetimefield_value(now),
                    connection.ops.adapt_datetimefield_value(now),
                ],
            )
            return cursor.fetchone()[0]

    def decr(self, key: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self._table()} SET hits = hits - 1 "  # noqa: S608
                'WHERE "key" = %s AND hits > 0 AND window_end > %s',
                [self._row_key(key), self._now()],
            )

    def purge_expired(self) -> int:
        table = self._table()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rows another request is counting are skipped, never waited for.
                cursor.execute(
                    f'DELETE FROM {table} WHERE "key" IN (SELECT "key" FROM {table} '  # noqa: S608
                    "WHERE window_end <= %s FOR UPDATE SKIP LOCKED)",
                    [self._now()],
                )
            else:
                cursor.execute(f"DELETE FROM {table} WHERE window_end <= %s", [self._now()])  # noqa: S608
            return cursor.rowcount


class LocalCounters:
    """The cache's own add and incr (which keeps the expiry), made atomic by one lock."""

    lock = threading.Lock()

    def __init__(self, backend):
        self.backend = backend

    def incr(self, key: str, window: int) -> int:
        with self.lock:
            if self.backend.add(key, 1, timeout=window):
                return 1
            try:
                return self.backend.incr(key)
            except ValueError:  # the window ended between add and incr
                self.backend.set(key, 1, timeout=window)
                return 1

    def decr(self, key: str) -> None:
        # A window that has ended has nothing to give back.
        with self.lock, contextlib.suppress(ValueError):
            self.backend.decr(key)

    def purge_expired(self) -> int:
        return 0  # the cache drops a key when its window ends


def counters():
    """Give the counter store that matches the shared cache (read on each call)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return RedisCounters(backend)
    if isinstance(backend, DatabaseCache):
        return DatabaseCounters()
    return LocalCounters(backend)


# --- Rate limits --------------------------------------------------------------------------


def _counter_key(scope: str, ident: str) -> str:
    return f"rl:{scope}:{ident}"


def rate_limit_count(*, scope: str, ident: str, rate: str) -> int:
    """Count one request for (scope, ident) now, atomically; give the window's count so far."""
    _limit, window = parse_rate(rate)
    return counters().incr(_counter_key(scope, ident), window)


def rate_limit_hit(*, scope: str, ident: str, rate: str) -> bool:
    """Count one request for (scope, ident); give True when it is over the rate."""
    return rate_limit_count(scope=scope, ident=ident, rate=rate) > parse_rate(rate)[0]


def rate_limit_refund(*, scope: str, ident: str) -> None:
    """Take back one counted request (one that turned out to be allowed, such as a log-in)."""
    counters().decr(_counter_key(scope, ident))


def rate_limits_purge_expired() -> int:
    """Delete the database's counter rows whose window has ended; give how many.

    Whatever the store now is (Redis and the local cache drop keys themselves), so rows left
    from before a switch to Redis go too.
    """
    return DatabaseCounters().purge_expired()


def too_many_requests(request, message: str, retry_after: int):
    """Give the friendly 429 page with this message and a Retry-After header."""
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope: str, rate: str, methods=("POST",)):
    """Refuse a view with a friendly 429 page when one client sends more than `rate`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and rate_limit_hit(
                scope=scope, ident=client_fingerprint(request), rate=rate
            ):
                return too_many_requests(
                    request,
                    _(
                        "You have sent a lot of requests in a short time. "
                        "Please wait a few minutes and try again."
                    ),
                    parse_rate(rate)[1],
                )
            return view(request, *args, **kwargs)

        # Marks the view as rate limited (functools.wraps carries it through outer decorators),
        # so tests can check that every public form has a limit.
        wrapped.ratelimit = (scope, rate)
        return wrapped

    return decorator

"""The shared cache from a CACHE_URL: the database by default, Redis when the URL names one.

Rate limits and cached figures must hold across gunicorn workers and machines, so a cache
held in one process's memory is never chosen here.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "irc_cache",
}


def cache_from_url(url: str) -> dict:
    """Give a CACHES["default"] entry for a CACHE_URL ("" or db:// means the database)."""
    url = (url or "").strip()
    if not url:
        return dict(DATABASE_CACHE)
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("db", "database"):
        table = urlsplit(url).netloc or urlsplit(url).path.lstrip("/")
        return {**DATABASE_CACHE, "LOCATION": table or DATABASE_CACHE["LOCATION"]}
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL uses the scheme {scheme or '(none)'!r}, which this site does not support. "
        "Leave CACHE_URL unset for the database cache, or give a redis:// or rediss:// URL. "
        "(A per-process memory cache would let rate limits be dodged across workers.)"
    )

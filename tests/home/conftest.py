"""The rate-limit counter stores, one fixture each: local memory, the database, real Redis."""

import os
import uuid

import pytest
from django.core.cache import caches

from home.cache_url import DATABASE_CACHE

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def redis_cache(settings):
    """Make a real Redis server (REDIS_URL) the shared cache, under a prefix of its own.

    Skipped when REDIS_URL is not set, except where REQUIRE_REDIS is set (as .ci/run does):
    there a missing or unreachable Redis fails the test instead of skipping it.
    """
    url = os.environ.get("REDIS_URL", "")
    required = bool(os.environ.get("REQUIRE_REDIS"))
    if not url:
        if required:
            pytest.fail("REQUIRE_REDIS is set but REDIS_URL is not: start redis-server first.")
        pytest.skip("needs Redis: run with REDIS_URL=redis://127.0.0.1:PORT/0 (as .ci/run does)")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": REDIS_BACKEND, "LOCATION": url, "KEY_PREFIX": prefix}}
    backend = caches["default"]
    client = backend._cache.get_client(write=True)
    try:
        client.ping()
    except Exception as error:  # noqa: BLE001  (said in the failure or skip)
        if required:
            pytest.fail(f"Redis at {url} does not answer: {error}")
        pytest.skip(f"Redis at {url} does not answer: {error}")
    yield backend
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def database_cache(settings, db):
    """Make the database the shared cache, as it is by default outside the tests."""
    settings.CACHES = {"default": dict(DATABASE_CACHE)}
    return caches["default"]


@pytest.fixture
def local_cache():
    """The test settings' local-memory cache, emptied."""
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture(params=["local", "database", "redis"])
def store(request):
    """Each counter store in turn; give its name."""
    request.getfixturevalue(f"{request.param}_cache")
    return request.param

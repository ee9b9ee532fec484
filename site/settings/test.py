"""Settings for `make test`: fast hashing, a per-process cache, no DEBUG."""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The feed bodies share the default cache's memory here, so a test clearing the cache
# forgets them too (frozen clocks and reused ids can give two tests the same ETag).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "feeds": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: Django's test server would otherwise hand its request threads the
    # test's own in-memory connection, so two requests at once (the scanner sends several)
    # would share one transaction. Each thread opens its own connection to a file, one per
    # test run (two runs at once in one checkout do not meet).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"irc-test-{os.getpid()}.sqlite3")
    }

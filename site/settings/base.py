"""Settings shared by every environment; each value can come from the environment.

dev.py, test.py and production.py only override what differs.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from home.cache_url import cache_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """Give a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "events",
    "home.stories",
    "events.checkin",
    "events.insights",
    "events.introductions",
    "events.ics_import",
    "events.opendata",
    "home.audit",
    "wagtail_localize",
    "wagtail_localize.locales",  # in place of wagtail.locales: Wagtail's locale admin + sync
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Only for the Swagger UI files it ships (static/ninja/), shown at /api/docs.
    "ninja",
    # Django's own widget templates, for the project renderer below (TemplatesSetting).
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "home.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A door scan with a genuine scanner ticket is answered here, without the layers below.
    "events.checkin.middleware.ScannerTicketMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that /pass/, /checkin/ and /admin/ have no language prefix and keep
    # the language a person chose (its cookie) or their browser's (home/locale.py).
    "home.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "home.login_guard.LoginGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Public form fields render through templates/forms/field.html (home/forms.py).
FORM_RENDERER = "home.forms.FormRenderer"

ROOT_URLCONF = "site.urls"
WSGI_APPLICATION = "site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded SQLite file is the default; PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg prepares a statement (PostgreSQL plans it once per connection) after it has
    # run this many times. Django's own cursors are never prepared; only the door scanner's
    # hot path asks for it (events/checkin/door_sql.py). Set it empty behind a pooler in
    # transaction mode (PgBouncer), where prepared statements do not survive.
    _threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_threshold) if _threshold else None
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database must hold a busy door (many scanners at once) without "database
    # is locked": every transaction takes the write lock as it begins (IMMEDIATE), so none
    # fails half-way when it comes to write; a writer waits up to 20 s for its turn (the
    # busy timeout) rather than giving up at once; and WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every worker and machine (rate limits and cached figures
# must hold across gunicorn workers): the database by default.
# CACHE_URL may name Redis (redis:// or rediss://) instead; see home/cache_url.py.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Built iCal feed bodies, in each process's own memory (events.feeds.BODY_CACHE), keyed by
# their ETag: a worker builds a feed once per change and reads it back for nothing.
CACHES["feeds"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "feed-bodies",
    "OPTIONS": {"MAX_ENTRIES": 32},
}

# Rate limits and the log-in lockout key on the client's address. Behind a TLS proxy
# REMOTE_ADDR is the proxy: set TRUSTED_PROXY_COUNT to the number of proxies in front of
# gunicorn, each of which appends to TRUSTED_PROXY_HEADER (X-Forwarded-For or Forwarded).
# With 0 (the default) the header is ignored, since a client could write anything in it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or "0")
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "X-Forwarded-For")
if TRUSTED_PROXY_HEADER not in ("X-Forwarded-For", "Forwarded") or TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_HEADER must be X-Forwarded-For or Forwarded, and TRUSTED_PROXY_COUNT "
        "0 or more; see README.md, 'Deploying'."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# The log-in guard counts every attempt before the password is checked (home/login_guard.py).
AUTHENTICATION_BACKENDS = [
    "home.login_guard.LoginGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
# Each language's name is written in that language, as a switcher should show it.
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Cymraeg"),
    ("nl", "Nederlands"),
]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# The catalogues: `make messages` extracts them, the install step compiles them (.mo files
# are made, never committed: home/compile_messages.py).
LOCALE_PATHS = [BASE_DIR / "site" / "locale"]
# The language a person chose with the switcher; a preference, never used to follow anyone.
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Addresses with no language prefix (LocaleMiddleware in home/locale.py): they take the
# chosen language from the cookie, or else the browser's.
UNPREFIXED_PATHS = ("/pass/", "/checkin/", "/admin/", "/documents/", "/private-media/")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry, locked in package-lock.json with their
# hashes; `npm ci` (the Makefile's install step) puts them in node_modules/, and each is
# served whole, licence included, under static/vendor/<name>/. Nothing is copied by hand.
FRONTEND_PACKAGES = ["jsqr"]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *((f"vendor/{name}", BASE_DIR / "node_modules" / name) for name in FRONTEND_PACKAGES),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files nobody may fetch directly (story photos awaiting moderation, or withdrawn): never
# inside MEDIA_ROOT, never served by the web server; home.views.private_media checks who asks.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "home.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files served at the site's root by whitenoise: /favicon.ico, which browsers, feed readers
# and bookmarks ask for without reading the pages' <link rel="icon">.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Uploads: refuse big bodies early; images and documents are checked again by Wagtail.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Every image is re-encoded without its metadata and renamed at random (home/images.py).
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# One British style in the admin: date pickers show 24/12/2026, as help texts say
# (displays read "Tuesday 8 December 2026": events/editor/preview.py BRITISH_DATE).
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Everything the site loads comes from itself: no CDN, font, map or analytics,
# and no inline script or style ('unsafe-inline' is never allowed).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Staff-only: the tightest policy Wagtail 8's own admin works with (tests/e2e/test_admin_csp.py).
# Its date and time pickers start from inline <script> elements, and the HTML its choosers
# and dialogs fetch carries inline script and style that jQuery runs: script and style
# *elements* may be inline. Inline event handlers and style attributes may not, and nothing
# comes from any other host. The admin previews pages in a frame of its own ('self').
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-attr": ["'none'"],
    "frame-ancestors": ["'self'"],
}
# Admin screens of ours that need no inline script or style: the strict policy above.
# (The attendance area, /checkin/, is outside /admin/ and has it already.)
STRICT_CSP_ADMIN_PATHS = ["/admin/insights/"]
# The camera is used only by the check-in scanner, on our own pages.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Inclusive Recovery City")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# Pages, stories and snippets in each language (Wagtail's locales, wagtail-localize).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail would otherwise ask a third-party host for release news and avatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_FINDERS = []
WAGTAIL_MODERATION_ENABLED = True
# Importing a group's calendar from an address (events/ics_import/fetch.py) never fetches
# from a private, loopback or link-local address; loopback only when this says so (tests).
ICS_IMPORT_ALLOW_LOOPBACK = False
# No autosave: an autosave POST that started before "Approve and publish" finished wrote
# back the whole page as it had loaded it (live = False), so the story stayed a draft
# (issue 11, finding 19). A moderator's decision must never be lost to a background save.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_WORKFLOW_ENABLED = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hello@recovery-city.example")

# Every handler takes private links (pass, story and check-in tokens), query strings and
# client addresses out of what it writes (home/log_redaction.py). Django's own "django" and
# "django.server" loggers are given these handlers in place of Django's defaults, so
# "Not Found: /pass/p/<token>/" is written as "Not Found: /pass/p/<private>".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_private_paths": {"()": "home.log_redaction.RedactPrivatePaths"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_private_paths"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_private_paths"],
        },
    },
    "loggers": {
        # No handler of its own (Django's would e-mail whole requests to ADMINS): to root.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Recovery stories: how long a withdrawn story's text is kept (so a mistaken withdrawal
# can be talked through) before `manage.py purge_withdrawn_stories` deletes it.
# Door scans an organiser may make in a window ("600/m": ten a second for a minute): far
# more than a busy door with several scanners, far fewer than a runaway script.
CHECKIN_SCAN_RATE = os.environ.get("CHECKIN_SCAN_RATE", "600/m")
# People counted with no name from the poster, from one connection, per date: a browser
# is counted once (a cookie), and this stops a browser without cookies counting itself
# again and again. Beyond it, an organiser counts them at the door (+1).
CHECKIN_SELF_COUNT_RATE = os.environ.get("CHECKIN_SELF_COUNT_RATE", "3/d")

STORIES_WITHDRAWN_GRACE_DAYS = int(os.environ.get("STORIES_WITHDRAWN_GRACE_DAYS", "30"))
STORIES_MEDIA_MAX_BYTES = 50 * 1024 * 1024

# `manage.py load_demo`: each step is a module with `load(**context) -> dict`; what one step
# returns (pages, groups, venues...) is passed on to the next ones. Listed here, where the
# apps are put together, so that `home` names no other app's modules.
DEMO_STEPS = [
    "home.demo.site",
    "events.demo.groups",
    "events.demo.events",  # the calendar page and 40-odd events, with their dates
    "home.stories.demo",
    "events.checkin.demo",  # after the events step: it needs past dates
    "events.introductions.demo",  # after check-in: its participants and past dates
]

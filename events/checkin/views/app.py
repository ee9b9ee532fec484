"""The scanner as an installable app: its service worker and its web app manifest.

Both are public: they hold code and names of our own files, nothing about anyone. The
service worker is served from /checkin/ (not /static/) so that its scope, /checkin/, covers
the scanner pages; its code is the plain file static/js/checkin/sw.js, given here the list
of static files to keep (their URLs as the static storage names them, hashed in production)
and a version made from them, so a deploy that changes any of them installs a new worker.
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SW_SOURCE = "js/checkin/sw.js"
# What the scanner page loads, kept by the service worker so the page opens without signal.
SHELL_FILES = (
    "css/site.css",
    "css/checkin.css",
    "js/checkin/queue.js",
    "js/checkin/offline.js",
    "js/checkin/scanner.js",
    "js/checkin/qr_worker.js",
    "vendor/jsqr/dist/jsQR.js",
    "img/favicon.svg",
)


def _offline_page() -> str:
    """The page a scanner never opened here with signal gets without one."""
    heading = escape(_("No connection"))  # outside the f-string, so makemessages finds it
    return (
        f'<!DOCTYPE html><html lang="{escape(get_language() or "en-gb")}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{heading}</title>"
        f"<h1>{heading}</h1>"
        "<p>"
        + escape(
            _(
                "This scanner has not been opened on this phone with a signal yet. Open it "
                "once where there is a signal; after that it works without one."
            )
        )
        + "</p></html>"
    )


def _read_static(name: str) -> bytes:
    """Give a static file's bytes: from its source (development) or the collected files."""
    path = finders.find(name)
    if path:
        with open(path, "rb") as source:
            return source.read()
    with staticfiles_storage.open(name) as collected:
        return collected.read()


def _sw_body(language: str) -> str:
    code = _read_static(SW_SOURCE).decode("utf-8")
    shell = [static(name) for name in SHELL_FILES] + [reverse("checkin:manifest")]
    offline = _offline_page()
    # The files' contents too: without hashed names (development) an edited script must
    # still make a new worker, which fetches the files afresh.
    version = hashlib.sha256("\n".join([code, offline, *shell]).encode())
    for name in SHELL_FILES:
        version.update(hashlib.sha256(_read_static(name)).digest())
    head = (
        "/* Made by events/checkin/views/app.py from static/js/checkin/sw.js. */\n"
        f"var SHELL = {json.dumps(shell)};\n"
        f"var VERSION = {json.dumps(version.hexdigest()[:12])};\n"
        f"var OFFLINE_PAGE = {json.dumps(offline)};\n"
    )
    return head + code


_sw_body_cached = cache(_sw_body)


@require_GET
def service_worker(request):
    """The scanner's service worker, for the scope /checkin/ (where it is served from, so no
    Service-Worker-Allowed header is needed)."""
    language = get_language()
    body = _sw_body(language) if settings.DEBUG else _sw_body_cached(language)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers look for a new worker on every visit; let them always ask us.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest: the scanner installs as an app that opens at the list of dates."""
    start = reverse("checkin:dashboard")
    data = {
        "name": _("Door scanner · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
        "short_name": _("Door scanner"),
        "description": _("Check people in at the door, with or without signal."),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5c4d",
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    response["Cache-Control"] = "max-age=3600"
    return response

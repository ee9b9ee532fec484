import mimetypes
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from wagtail.models import Page

from .image_files import image_for_file, image_user_may_see_private
from .images import is_private_name
from .locale import language_codes, url_in_language


@require_safe
@never_cache
def healthz(request):
    """Answer 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _same_site_referer(request) -> str:
    """Give the path (and query) of the page the switcher was on, when it was on this site."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc != request.get_host():
        return ""
    return referer.path + (f"?{referer.query}" if referer.query else "")


# No CSRF token: the switcher is on every public page, which then sets no cookie at all
# until someone chooses a language; the worst a forged request can do is change the
# language of someone's screens, which the same switcher changes back.
@csrf_exempt
@require_POST
@never_cache
def set_language(request):
    """Remember the language chosen with the switcher and go to the same page in it.

    The page's translation where there is one, its query string (a calendar's filters)
    kept. The choice is kept in Django's language cookie only, for the addresses that have
    no language prefix (a pass, the door); nothing else is recorded.
    """
    next_url = request.POST.get("next") or _same_site_referer(request) or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    language = request.POST.get("language", "")
    if language not in language_codes():
        return HttpResponseRedirect(next_url)
    response = HttpResponseRedirect(url_in_language(next_url, language, request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


SEARCH_MAX_QUERY = 200
_SEARCH_NOISE = re.compile(r"[^\w\s]")
SEARCH_RESULTS = 20


@require_safe
def search(request):
    """Search the site's live public pages (Wagtail search): stories, groups, events, pages."""
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_QUERY]
    # Quotes, brackets and upper-case AND/OR/NOT are query syntax to the database's
    # full-text engine; people mean them as words, so they go.
    terms = " ".join(_SEARCH_NOISE.sub(" ", query).lower().split())
    results = []
    if terms:
        results = list(Page.objects.live().public().specific().search(terms)[:SEARCH_RESULTS])
    return render(request, "home/search.html", {"query": query, "results": results})


@require_safe
@never_cache
def private_media(request, name):
    """Serve a private file (a story photo in moderation) to those who may see it; else 404."""
    image = image_for_file(name) if is_private_name(name) and len(name) < 256 else None
    if image is None or not image_user_may_see_private(user=request.user, image=image):
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name), content_type=content_type)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

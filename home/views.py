import mimetypes
import re

from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Page

from .image_files import image_for_file, image_user_may_see_private
from .images import is_private_name


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

import re

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Page


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

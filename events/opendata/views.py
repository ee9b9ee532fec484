"""Open data for other apps and directories: /meetings.json, /openreferral/..., /api/openapi.json.

Thin views: parse the request, read records (selectors.py), serialise (meeting_guide.py,
hsds.py, openapi.py). Every answer is public, open to any site (CORS), never cached for
long: an edit shows at once, and a client that sends the ETag back gets a 304.
"""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ..api import ApiPageForm
from . import hsds, meeting_guide, openapi, selectors

JSON = "application/json"


def json_answer(request, data, *, status: int = 200) -> HttpResponse:
    """`data` as JSON with an ETag (a 304 when the client's copy is the same), CORS open."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response = None
    if status == 200:
        response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, status=status, content_type=JSON)
    response["ETag"] = etag
    # Stored copies must be checked each time: a change shows at once.
    patch_cache_control(response, public=True, no_cache=True)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    return response


def feed_url_for(request):
    """A function giving an event's absolute iCal feed address from its UID.

    Reversed once: a reverse() and build_absolute_uri() per event cost more than the rest
    of a page of a thousand.
    """
    placeholder = "00000000-0000-0000-0000-000000000000"
    pattern = request.build_absolute_uri(reverse("feeds:event", args=(placeholder,)))
    before, after = pattern.split(placeholder)

    def feed_url(uid: str) -> str:
        return f"{before}{uid}{after}"

    return feed_url


@require_safe
def meetings_json(request):
    """GET /meetings.json: weekly meetings in the Meeting Guide format."""
    events = selectors.meeting_finder_events()
    entries = meeting_guide.meeting_entries(
        events, city=selectors.city_for(request), today=timezone.localdate()
    )
    return json_answer(request, entries)


# ---- Open Referral (HSDS 3.0) ------------------------------------------------------------

PER_PAGE = 50
MAX_PER_PAGE = 200  # said in PagingForm's message too


class PagingForm(ApiPageForm):
    """The JSON API's `page`, with the HSDS API reference's `per_page` and filters."""

    per_page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PER_PAGE,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            gettext_lazy("Please give “per_page” as a whole number from 1 to 200."),
        ),
    )
    organization_id = forms.UUIDField(
        required=False,
        error_messages={
            "invalid": gettext_lazy("Please give “organization_id” as an organisation’s id.")
        },
    )
    modified_after = forms.DateTimeField(
        required=False,
        error_messages={
            "invalid": gettext_lazy(
                "Please give “modified_after” as a date and time: 2026-03-01T09:00:00Z."
            )
        },
    )
    full = forms.NullBooleanField(required=False)


def _bad(request, form) -> HttpResponse:
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return json_answer(request, {"errors": errors}, status=400)


def _paged(request, query, build, narrow=None):
    """Answer one page of `query` (a queryset), its rows made documents by `build(rows, options)`;
    `narrow(query, options)` applies the filters the request gives (cumulative, as HSDS asks)."""
    form = PagingForm(request.GET)
    if not form.is_valid():
        return _bad(request, form)
    number = form.cleaned_data["page"] or 1
    per_page = form.cleaned_data["per_page"] or PER_PAGE
    if narrow is not None:
        query = narrow(query, form.cleaned_data)
    total = query.count()
    pages = max(1, -(-total // per_page))
    if number > pages:
        message = _("There is no page %(n)s: there are %(pages)s.") % {"n": number, "pages": pages}
        return json_answer(request, {"errors": {"page": [message]}}, status=400)
    rows = query[(number - 1) * per_page : number * per_page]
    contents = build(rows, form.cleaned_data)
    return json_answer(request, hsds.page(contents, total=total, number=number, per_page=per_page))


@require_safe
def openreferral_root(request):
    """GET /openreferral/: which HSDS version this is and where its description is."""
    return json_answer(
        request,
        {
            "version": hsds.VERSION,
            "profile": hsds.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("opendata:openapi")),
        },
    )


@require_safe
def openreferral_services(request):
    """GET /openreferral/services: public events as HSDS services, a page at a time."""
    paths = selectors.restricted_paths()
    city = selectors.city_for(request)
    feed_url = feed_url_for(request)
    labels = hsds.default_labels()
    today = timezone.localdate()

    def build(rows, options):
        records = selectors.event_records(rows, paths=paths, feed_url=feed_url)
        full = bool(options.get("full"))
        return [hsds.service(r, city=city, today=today, labels=labels, full=full) for r in records]

    def narrow(query, options):
        return selectors.narrow_services(
            query,
            organization_id=options.get("organization_id"),
            modified_after=options.get("modified_after"),
            paths=paths,
        )

    return _paged(request, selectors.public_events_query(paths), build, narrow)


@require_safe
def openreferral_service(request, uid):
    """GET /openreferral/services/<id>: one public event as a full HSDS service."""
    paths = selectors.restricted_paths()
    records = selectors.event_records(
        selectors.public_events_query(paths).filter(uid=uid),
        paths=paths,
        feed_url=feed_url_for(request),
    )
    if not records:
        message = _("There is no public service with this id. The list is at %(url)s.") % {
            "url": request.build_absolute_uri(reverse("opendata:services"))
        }
        return json_answer(request, {"errors": {"id": [message]}}, status=404)
    document = hsds.service(
        records[0],
        city=selectors.city_for(request),
        today=timezone.localdate(),
        labels=hsds.default_labels(),
    )
    return json_answer(request, document)


@require_safe
def openreferral_organizations(request):
    """GET /openreferral/organizations: public groups as HSDS organisations."""
    paths = selectors.restricted_paths()

    def build(rows, options):
        groups = selectors.public_groups(paths, ids=list(rows))
        return [hsds.organization(group) for group in groups.values()]

    return _paged(request, selectors.public_groups_query(paths).values_list("pk", flat=True), build)


@require_safe
def openreferral_locations(request):
    """GET /openreferral/locations: the venues public events use, with their access facts."""
    paths = selectors.restricted_paths()
    city = selectors.city_for(request)
    labels = hsds.default_labels()

    def build(rows, options):
        return [
            hsds.venue_location(v, city=city, labels=labels) for v in selectors.venue_records(rows)
        ]

    return _paged(request, selectors.used_venues(paths), build)


# ---- the API, described ------------------------------------------------------------------


@require_safe
def openapi_json(request):
    """GET /api/openapi.json: the OpenAPI 3.1 description of the public JSON."""
    title = _("%(city)s: public data") % {"city": selectors.city_for(request).name}
    document = openapi.openapi_document(
        server_url=request.build_absolute_uri("/")[:-1], title=title
    )
    return json_answer(request, document)


@require_safe
def api_docs(request):
    """GET /api/docs: a browsable reference (Swagger UI, served from our own static files)."""
    return render(
        request,
        "opendata/api_docs.html",
        {"openapi_url": reverse("opendata:openapi")},
    )

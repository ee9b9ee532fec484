"""A read-only JSON API of upcoming occurrences: public data, open to any site (CORS)."""

from zoneinfo import ZoneInfo

from django import forms
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from home.locale import locale_language

from .filters import CalendarFilterForm, FilterError, filters_from_form
from .models import Occurrence
from .schedule import DEFAULT_TZ

PER_PAGE = 50


class ApiPageForm(forms.Form):
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Please give “page” as a whole number, 1 or more."),
            "min_value": _("Please give “page” as a whole number, 1 or more."),
        },
    )


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    return response


def _bad(errors: dict) -> JsonResponse:
    return _cors(JsonResponse({"errors": errors}, status=400))


def occurrence_json(occurrence: Occurrence, request) -> dict:
    """One date as the API gives it (expects Occurrence.with_listing_data())."""
    event = occurrence.event
    where = occurrence.where
    # Times in the event's own zone, with its offset: 19:00+01:00 in summer.
    zone = ZoneInfo(event.time_zone or DEFAULT_TZ)
    base = f"{request.scheme}://{request.get_host()}"
    # get_url(request) keeps the site's root paths on the request: no lookup per row.
    event_url = event.get_url(request=request)
    return {
        "id": occurrence.pk,
        "event": {
            "uid": str(event.uid),
            "title": event.title,
            "summary": event.summary,
            "inLanguage": locale_language(event.locale_id),
            "url": base + event_url if event_url else None,
            "group": (
                {"name": event.group.title, "url": base + event.group.get_url(request=request)}
                if event.group_id
                else None
            ),
            "categories": [c.slug for c in event.categories.all()],
            "free": event.is_free,
            "cost": event.cost,
            "open_to": event.open_to,
            "alcohol_free": event.alcohol_free,
            "family_friendly": event.family_friendly,
            "bsl": event.bsl,
            "welcomer": event.welcomer,
            "online_url": event.online_url or None,
        },
        "start": occurrence.start.astimezone(zone).isoformat(),
        "end": occurrence.end.astimezone(zone).isoformat(),
        "original_start": occurrence.original_start.astimezone(zone).isoformat(),
        "status": occurrence.status,
        "note": occurrence.note,
        "venue": (
            {
                "name": where.name,
                "address": where.address_lines,
                "postcode": where.postcode,
                "access": {name: has for name, _label, has in where.access_facts},
            }
            if where
            else None
        ),
    }


@require_safe
def occurrences(request):
    """GET /api/occurrences/?group=&category=&from=&to=&page= : upcoming dates, 50 a page."""
    query = request.GET
    data = {
        "group": query.get("group", ""),
        "category": query.get("category", ""),
        "start": query.get("from", ""),
        "end": query.get("to", ""),
    }
    form = CalendarFilterForm(data)
    paging = ApiPageForm(query)
    if not form.is_valid() or not paging.is_valid():
        errors = {}
        names = {"start": "from", "end": "to"}
        for field, messages in {**form.errors, **paging.errors}.items():
            errors[names.get(field, field)] = [str(m) for m in messages]
        return _bad(errors)
    try:
        filters = filters_from_form(form)
    except FilterError as error:  # pragma: no cover - the form was valid
        return _bad({"filters": [str(error)]})
    paginator = Paginator(Occurrence.objects.calendar(filters), PER_PAGE)
    number = paging.cleaned_data["page"] or 1
    if number > max(paginator.num_pages, 1):
        return _bad({"page": [_("There is no page %(n)s of results.") % {"n": number}]})
    page = paginator.page(number)

    def link(n):
        params = query.copy()
        params["page"] = n
        return request.build_absolute_uri("?" + params.urlencode())

    return _cors(
        JsonResponse(
            {
                # The language of the words the API adds (statuses, errors): /cy/api/...
                "inLanguage": get_language(),
                "count": paginator.count,
                "page": number,
                "pages": paginator.num_pages,
                "next": link(number + 1) if page.has_next() else None,
                "previous": link(number - 1) if page.has_previous() else None,
                "results": [occurrence_json(o, request) for o in page.object_list],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    )

"""The iCal feeds: plain GET URLs for the city, a group, a category, a filtered view, an event.

Each view picks a scope (events.feeds), answers 304 when the client's copy is current, and
otherwise sends the (cached) body.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from home.models import CitySettings

from . import ical
from .feeds import (
    FeedScope,
    cached_feed_body,
    events_feed_name,
    feed_location,
    feed_validator,
    series_from_event,
)
from .filters import LIST, UPCOMING, CalendarFilters, FilterError, parse_filters
from .models import Category, EventPage, GroupPage, Occurrence
from .models.events import private_pages_q, restricted_paths

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _city_name(request) -> str:
    return CitySettings.for_request(request).city_name


def _answer(request, scope: FeedScope, *, download: bool = False) -> HttpResponse:
    validator = feed_validator(scope)
    etag = quote_etag(validator.etag)
    # Whole seconds, as HTTP dates carry: else a copy from this very second looks stale.
    stamp = validator.last_modified and int(validator.last_modified.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
    if not_modified is not None:
        response = not_modified
    else:
        response = HttpResponse(
            cached_feed_body(scope, validator, request=request), content_type=CONTENT_TYPE
        )
        disposition = "attachment" if download else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{scope.filename}"'
    response["ETag"] = etag
    if stamp:
        response["Last-Modified"] = http_date(stamp)
    # Calendar apps poll: let them (and caches) revalidate cheaply with the ETag.
    patch_cache_control(response, public=True, max_age=15 * 60)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def feed_filters(filters: CalendarFilters) -> CalendarFilters:
    """The filters a subscription follows: the same choices, always what is coming up.

    A subscription keeps going, so the view's From/To dates, month and past/upcoming
    switch do not narrow it.
    """
    return replace(filters, start=None, end=None, when=UPCOMING, view=LIST, month=None)


def filtered_scope(request, filters: CalendarFilters) -> FeedScope:
    """The events of a filtered calendar view; dates the filter leaves out become EXDATEs."""
    filters = feed_filters(filters)
    now = timezone.now()
    filters = replace(filters, now=now)
    paths = restricted_paths()
    matching = filters.apply(Occurrence.objects.visible()).order_by()
    event_ids = matching.values("event_id")

    def drops():
        left_out = (
            Occurrence.objects.visible()
            .filter(event_id__in=event_ids, end__gte=now)
            .exclude(pk__in=matching.values("pk"))
            .values_list("event_id", "original_start")
        )
        found: dict = {}
        for event_id, original_start in left_out:
            found.setdefault(event_id, set()).add(original_start)
        return found

    query = filters.query_string()
    return FeedScope(
        key=f"view:{query}",
        name=lambda: events_feed_name(_city_name(request), _("your chosen events")),
        events=lambda: EventPage.objects.visible(paths).filter(pk__in=event_ids),
        description=_("The events you chose on the calendar, kept up to date."),
        filename="chosen-events.ics",
        drops=drops,
        # The set of upcoming dates moves with time: the day is part of the key.
        extra_key=(timezone.localdate().isoformat(),),
    )


@require_safe
def city_feed(request):
    """Every event in the city, or those of a filtered calendar view (same query as /events/)."""
    try:
        filters = parse_filters(request.GET) if request.GET else CalendarFilters()
    except FilterError as error:
        return HttpResponseBadRequest(
            _("We could not use those filters: %(errors)s") % {"errors": _errors(error)},
            content_type="text/plain; charset=utf-8",
        )
    if feed_filters(filters).is_filtered:
        return _answer(request, filtered_scope(request, filters))
    paths = restricted_paths()
    scope = FeedScope(
        key="city",
        name=lambda: events_feed_name(_city_name(request)),
        events=lambda: EventPage.objects.visible(paths),
        description=_("Every event in the city's calendar, kept up to date."),
        filename="events.ics",
    )
    return _answer(request, scope)


def _errors(error: FilterError) -> str:
    return " ".join(str(message) for messages in error.form.errors.values() for message in messages)


@require_safe
def group_feed(request, slug):
    paths = restricted_paths()
    group = (
        GroupPage.objects.live()
        .filter(slug=slug)
        .exclude(private_pages_q(paths))
        .only("pk", "title", "slug", "path", "last_published_at")
        .first()
    )
    if group is None:
        raise Http404(_("There is no such group."))
    scope = FeedScope(
        key=f"group:{group.pk}",
        name=lambda: events_feed_name(_city_name(request), group.title),
        events=lambda: EventPage.objects.visible(paths).for_group(group),
        description=_("Events %(group)s hosts or co-hosts.") % {"group": group.title},
        filename=f"{group.slug}.ics",
        extra_key=(group.title, group.last_published_at and group.last_published_at.isoformat()),
    )
    return _answer(request, scope)


@require_safe
def category_feed(request, slug):
    category = get_object_or_404(Category, slug=slug)
    paths = restricted_paths()
    scope = FeedScope(
        key=f"category:{category.pk}",
        name=lambda: events_feed_name(_city_name(request), category.name),
        events=lambda: EventPage.objects.visible(paths).for_category(category),
        description=category.description,
        filename=f"{category.slug}.ics",
        # Its name and description head the feed: each worker's kept body follows them.
        extra_key=(category.name, category.description),
    )
    return _answer(request, scope)


@require_safe
def event_feed(request, uid):
    """One event: subscribe to it, or (``?download=1``) add it to a calendar as a file."""
    paths = restricted_paths()
    event = EventPage.objects.visible(paths).filter(uid=uid).only("pk", "title", "slug").first()
    if event is None:
        raise Http404(_("There is no such event."))
    scope = FeedScope(
        key=f"event:{event.pk}",
        name=lambda: event.title,
        events=lambda: EventPage.objects.visible(paths).filter(pk=event.pk),
        filename=f"{event.slug}.ics",
    )
    return _answer(request, scope, download="download" in request.GET)


@require_safe
def event_date_feed(request, uid, occurrence):
    """One date of an event as a file to add to a calendar ("add just this date").

    The series' own entry (events.feeds.series_from_event) narrowed to the one date, under a
    UID of its own so it sits beside a subscription to the series without replacing it.
    """
    paths = restricted_paths()
    event = (
        EventPage.objects.visible(paths).filter(uid=uid).select_related("venue", "group").first()
    )
    if event is None:
        raise Http404(_("There is no such event."))
    date = (
        Occurrence.objects.in_schedule()
        .filter(event=event, pk=occurrence)
        .select_related("venue")
        .first()
    )
    if date is None:
        raise Http404(_("That date is not one of this event's dates."))
    series = series_from_event(event, url=request.build_absolute_uri(event.url or "/"))
    if series is None:
        raise Http404(_("That date is not one of this event's dates."))
    day = timezone.localtime(date.original_start).strftime("%Y%m%d")
    one = replace(
        series,
        uid=series.uid.replace("@", f"-{day}@", 1),
        start=date.start,
        end=date.end,
        rules=(),
        rdates=(),
        exdates=(),
        overrides=(),
        location=feed_location(date.venue) if date.venue else series.location,
        cancelled=date.is_cancelled,
        description="\n\n".join(part for part in (date.note, series.description) if part),
    )
    stamp = series.last_modified or date.updated_at
    body = ical.to_ics([one], stamp=stamp, name=event.title, default_tz=series.tz)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{day}.ics"'
    patch_cache_control(response, public=True, max_age=15 * 60)
    return response


def feed_urls(request, path: str) -> dict[str, str]:
    """The https:// and webcal:// addresses of a feed path."""
    https = request.build_absolute_uri(path)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def city_feed_path(filters: CalendarFilters | None = None) -> str:
    path = reverse("feeds:city")
    if filters is not None:
        query = feed_filters(filters).query_string()
        if query:
            path += "?" + query
    return path

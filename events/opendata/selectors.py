"""Reads for the open-data formats: public groups, venues and events as plain records.

Each function runs a fixed number of queries whatever the number of events, with plain
values rather than page instances (a thousand pages take most of a second to build).
"""

from __future__ import annotations

from django.db import models
from wagtail.models import Site

from home.models import CitySettings

from .. import schedule as sched
from ..models import EventPage, GroupPage, Occurrence, Venue
from ..models.events import page_urls, private_pages_q, restricted_paths
from .records import City, EventRecord, GroupRecord, VenueRecord

VENUE_FIELDS = (
    "pk",
    "name",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "quiet_space",
    "baby_change",
    "alcohol_free",
    "transport_notes",
    "access_notes",
)
GROUP_FIELDS = ("pk", "title", "summary", "url_path", "website", "contact_email")
EVENT_FIELDS = (
    "pk",
    "uid",
    "title",
    "summary",
    "url_path",
    "online_url",
    "open_to",
    "is_free",
    "cost",
    "alcohol_free",
    "family_friendly",
    "bsl",
    "welcomer",
    "in_meeting_finders",
    "last_published_at",
    "time_zone",
    "locale__language_code",
    "group_id",
    "venue_id",
    *sched.SCHEDULE_FIELDS,
)


def city_for(request) -> City:
    """The city's settings for this request's site (one query, cached by Wagtail)."""
    settings = CitySettings.for_request(request)
    site = Site.find_for_request(request)
    return City(
        name=settings.city_name,
        country=settings.country or "GB",
        region=settings.region,
        currency=settings.currency or "GBP",
        root_url=site.root_url + "/" if site else request.build_absolute_uri("/"),
        email=settings.contact_email,
    )


def _venue(values: dict) -> VenueRecord:
    return VenueRecord(**{name: values[name] for name in VENUE_FIELDS})


def public_groups_query(paths: list[str] | None = None):
    """Live groups anyone may see, in title order."""
    return GroupPage.objects.live().exclude(private_pages_q(paths)).order_by("title", "pk")


def public_groups(paths: list[str] | None = None, *, ids=None) -> dict[int, GroupRecord]:
    """Give {pk: GroupRecord} for live groups anyone may see, in title order (one query)."""
    url = page_urls(full=True)
    groups = public_groups_query(paths)
    if ids is not None:
        groups = groups.filter(pk__in=ids)
    found = {}
    for values in groups.values(*GROUP_FIELDS, "last_published_at"):
        found[values["pk"]] = GroupRecord(
            pk=values["pk"],
            title=values["title"],
            summary=values["summary"],
            url=url(values["url_path"]),
            website=values["website"],
            email=values["contact_email"],
            updated=values["last_published_at"],
        )
    return found


def public_events_query(paths: list[str] | None = None):
    """The events anyone may see that have a date still to come, in a stable order.

    A series whose last date has gone (an end date, or its number of dates) is left out,
    as are one-offs that are over: directories and apps list what people can still go to.
    """
    # Correlated, so each event is one probe of the (event, start) index; an IN over every
    # coming date would read tens of thousands of rows.
    coming = (
        Occurrence.objects.upcoming()
        .in_schedule()
        .filter(event_id=models.OuterRef("pk"))
        .order_by()
        .values("pk")[:1]
    )
    return EventPage.objects.visible(paths).filter(models.Exists(coming)).order_by("pk")


def event_records(events, *, paths: list[str] | None = None, feed_url=None) -> list[EventRecord]:
    """Give an EventRecord for each event in the `events` queryset, in its order.

    `feed_url(uid)` gives the absolute address of an event's iCal feed (from the request).

    Five queries: the events, their groups, venues, categories and coming cancelled dates.
    """
    paths = restricted_paths() if paths is None else paths
    rows = list(events.values(*EVENT_FIELDS))
    ids = [row["pk"] for row in rows]
    groups = public_groups(paths, ids={row["group_id"] for row in rows if row["group_id"]})
    venue_ids = {row["venue_id"] for row in rows if row["venue_id"]}
    venues = {
        values["pk"]: _venue(values)
        for values in Venue.objects.filter(pk__in=venue_ids).values(*VENUE_FIELDS)
    }
    categories: dict[int, list] = {}
    tagged = (
        EventPage.categories.through.objects.filter(eventpage_id__in=ids)
        .order_by("category__sort_order", "category__name")
        .values_list("eventpage_id", "category__slug", "category__name")
    )
    for event_id, slug, name in tagged:
        categories.setdefault(event_id, []).append((slug, name))
    cancelled: dict[int, list] = {}
    off = (
        Occurrence.objects.filter(event_id__in=ids, status=Occurrence.Status.CANCELLED)
        .upcoming()
        .order_by()
        .values_list("event_id", "original_start")
    )
    zones = {row["pk"]: sched.ZoneInfo(row["time_zone"] or sched.DEFAULT_TZ) for row in rows}
    for event_id, original_start in off:
        local = original_start.astimezone(zones[event_id])
        cancelled.setdefault(event_id, []).append(local.date())
    url = page_urls(full=True)
    found = []
    for row in rows:
        schedule = sched.Schedule.from_fields(
            **{name: row[name] for name in sched.SCHEDULE_FIELDS},
            time_zone=row["time_zone"],
        )
        found.append(
            EventRecord(
                pk=row["pk"],
                uid=str(row["uid"]),
                title=row["title"],
                summary=row["summary"],
                url=url(row["url_path"]),
                schedule=schedule,
                group=groups.get(row["group_id"]),
                venue=venues.get(row["venue_id"]),
                online_url=row["online_url"],
                open_to=row["open_to"],
                is_free=row["is_free"],
                cost=row["cost"],
                alcohol_free=row["alcohol_free"],
                family_friendly=row["family_friendly"],
                bsl=row["bsl"],
                welcomer=row["welcomer"],
                in_meeting_finders=row["in_meeting_finders"],
                categories=tuple(categories.get(row["pk"], ())),
                language=row["locale__language_code"] or "en",
                updated=row["last_published_at"],
                ical_url=feed_url(str(row["uid"])) if feed_url else "",
                cancelled_dates=tuple(sorted(cancelled.get(row["pk"], ()))),
            )
        )
    return found


def meeting_finder_events(paths: list[str] | None = None, *, feed_url=None) -> list[EventRecord]:
    """The public events /meetings.json may list: weekly, chosen or mutual-aid (six queries)."""
    from .meeting_guide import MUTUAL_AID_CATEGORY

    paths = restricted_paths() if paths is None else paths
    tagged = EventPage.categories.through.objects.filter(category__slug=MUTUAL_AID_CATEGORY)
    events = (
        public_events_query(paths)
        .filter(frequency__in=(sched.WEEKLY, sched.DAILY), interval=1)
        .filter(models.Q(in_meeting_finders=True) | models.Q(pk__in=tagged.values("eventpage_id")))
    )
    return event_records(events, paths=paths, feed_url=feed_url)


def narrow_services(query, *, organization_id=None, modified_after=None, paths=None):
    """The events in `query` that the group with HSDS id `organization_id` hosts, changed on
    or after `modified_after` (each only when given)."""
    from .hsds import entity_id

    if organization_id is not None:
        wanted = str(organization_id)
        pks = public_groups_query(paths).values_list("pk", flat=True)
        query = query.filter(group_id__in=[pk for pk in pks if entity_id("group", pk) == wanted])
    if modified_after is not None:
        query = query.filter(last_published_at__gte=modified_after)
    return query


def used_venues(paths: list[str] | None = None):
    """Venues that public events use (their own, or a moved date's), by name."""
    events = public_events_query(paths)
    moved_to = Occurrence.objects.filter(event__in=events, venue__isnull=False).values("venue_id")
    return Venue.objects.filter(
        models.Q(pk__in=events.filter(venue__isnull=False).values("venue_id"))
        | models.Q(pk__in=moved_to)
    ).order_by("name", "pk")


def venue_records(venues) -> list[VenueRecord]:
    return [_venue(values) for values in venues.values(*VENUE_FIELDS)]


__all__ = [
    "city_for",
    "event_records",
    "meeting_finder_events",
    "public_events_query",
    "narrow_services",
    "public_groups",
    "public_groups_query",
    "restricted_paths",
    "used_venues",
    "venue_records",
]

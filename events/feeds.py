"""iCal feeds of events: which events a feed holds, its validator, and its body.

A feed is one VEVENT per series (events.ical), so it holds *events*, chosen by a scope: the
whole city, one group (hosted or co-hosted), one category, one event, or the events of a
filtered calendar view. Answering a feed costs little: the validator (ETag/Last-Modified) is
one aggregate query over the scope's events, a 304 stops there, and a built body is cached
under its validator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from . import ical
from . import schedule as sched
from .models import EventPage, OccurrenceChange

# Bump when the body's shape changes, so cached bodies and ETags from before are not reused.
FEED_FORMAT = "3"
REFRESH = timedelta(hours=1)
CACHE_SECONDS = 60 * 60 * 24


def without_privacy(queryset: QuerySet) -> QuerySet:
    """The pages of ``queryset`` with no page privacy on or above them, as one subquery.

    Unlike Wagtail's ``public()``, this costs no query of its own, so a feed's 304 stays at
    one or two queries.
    """
    private = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(private))


def visible_events() -> QuerySet[EventPage]:
    """Live events that anyone may see (as the calendar lists them)."""
    return without_privacy(EventPage.objects.live().filter(start_date__isnull=False))


@dataclass
class FeedScope:
    """What one feed holds: its events, its name, and a key that tells feeds apart.

    ``name`` is called only when the body is built, so a 304 never looks it up.
    ``drops`` gives, for a filtered view, the dates of included events that the filter
    leaves out ({event id: {original start}}); they become EXDATEs.
    """

    key: str
    name: Callable[[], str]
    events: Callable[[], QuerySet[EventPage]]
    description: str = ""
    page_url: str = ""
    filename: str = "events.ics"
    extra_key: tuple = field(default_factory=tuple)
    drops: Callable[[], dict[int, set[datetime]]] | None = None


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime | None


def feed_validator(scope: FeedScope) -> Validator:
    """The ETag and Last-Modified of a feed, from one aggregate query over its events.

    Publishing an event moves ``last_published_at`` and its live revision, a new schedule
    moves ``schedule_changed_at``, and an event joining or leaving the feed changes the count
    and the sum of ids.
    """
    figures = (
        scope.events()
        .order_by()
        .aggregate(
            published=Max("last_published_at"),
            changed=Max("schedule_changed_at"),
            count=Count("pk", distinct=True),
            ids=Sum("pk", distinct=True),
            revisions=Sum("live_revision_id", distinct=True),
        )
    )
    stamps = [value for value in (figures["published"], figures["changed"]) if value]
    last_modified = max(stamps) if stamps else None
    text = repr(
        (
            FEED_FORMAT,
            scope.key,
            scope.extra_key,
            last_modified and last_modified.isoformat(),
            figures["count"],
            figures["ids"],
            figures["revisions"],
        )
    )
    return Validator(
        etag=hashlib.sha256(text.encode()).hexdigest()[:32], last_modified=last_modified
    )


# --- From event pages to plain series ------------------------------------------------------


def _location(venue, online_url: str = "") -> str:
    if venue is not None:
        return ", ".join([venue.name, *venue.address_lines])
    return online_url


def _facts_line(event: EventPage) -> str:
    facts = [str(label) for _name, label in event.inclusion_facts]
    if not event.is_free and event.cost:
        facts.insert(0, event.cost)
    return " · ".join(facts)


def series_from_event(
    event: EventPage,
    *,
    url: str = "",
    changes: list[OccurrenceChange] | None = None,
    drop: set[datetime] = frozenset(),
) -> ical.Series | None:
    """The plain series (events.ical) of an event page, or None if its schedule gives no date.

    Expects ``venue``, ``group``, ``categories`` and ``occurrence_changes`` (with
    ``new_venue``) fetched with the page, as ``feed_queryset`` does.
    """
    schedule = event.schedule
    first = sched.first_start(schedule)
    if first is None:
        return None
    # DTSTART stays on the rule's first date even when that date is excluded (an EXDATE
    # removes it, as RFC 5545 counts), so its end comes from the schedule without exclusions.
    unexcluded = replace(schedule, excluded_dates=())
    (first_slot,) = sched.expand(unexcluded, start=first, end=first + timedelta(seconds=1))
    end = first_slot.end
    parts = sched.rrule_parts(schedule)
    rules = ()
    if parts:
        rules = (
            ical.Rule(
                freq=parts["FREQ"],
                interval=parts.get("INTERVAL", 1),
                byday=tuple(parts.get("BYDAY", ())),
                bymonthday=tuple(parts.get("BYMONTHDAY", ())),
                until=parts.get("UNTIL"),
                count=parts.get("COUNT"),
            ),
        )
    zone = schedule.zone
    overrides = []
    changes = list(event.occurrence_changes.all()) if changes is None else changes
    for change in sorted(changes, key=lambda c: c.original_date):
        original = sched.local_start(schedule, change.original_date)
        slots = sched.expand(schedule, start=original, end=original + timedelta(seconds=1))
        if not slots or slots[0].original_start in drop:
            continue  # not a date of the series (or left out): nothing to change
        (planned,) = sched.apply_changes(slots, [change.as_change()], schedule)
        moved = change.status == OccurrenceChange.Status.MOVED
        overrides.append(
            ical.Override(
                original_start=planned.original_start,
                start=planned.start if moved else None,
                end=planned.end if moved else None,
                location=_location(change.new_venue) if moved and change.new_venue else "",
                cancelled=change.status == OccurrenceChange.Status.CANCELLED,
                reason=change.note if change.status == OccurrenceChange.Status.CANCELLED else "",
                note=change.note if change.status != OccurrenceChange.Status.CANCELLED else "",
            )
        )
    group = event.group
    stamps = [s for s in (event.last_published_at, event.schedule_changed_at) if s]
    return ical.Series(
        uid=f"{event.uid}@inclusive-recovery-city",
        title=event.title,
        start=first,
        end=end,
        tz=schedule.tz,
        description="\n\n".join(
            part for part in (event.summary, _facts_line(event), event.online_url) if part
        ),
        url=url,
        location=_location(event.venue, event.online_url),
        rules=rules,
        rdates=tuple(sched.local_start(schedule, d) for d in schedule.extra_dates),
        exdates=tuple(
            sorted(
                {sched.local_start(schedule, d) for d in schedule.excluded_dates}
                | {moment.astimezone(zone) for moment in drop}
            )
        ),
        overrides=tuple(overrides),
        sequence=event.schedule_sequence,
        last_modified=max(stamps) if stamps else None,
        created=event.first_published_at,
        categories=tuple(category.name for category in event.categories.all()),
        organiser_name=group.title if group else "",
        organiser_email=group.contact_email if group else "",
    )


def feed_queryset(events: QuerySet[EventPage]) -> QuerySet[EventPage]:
    """The scope's events with everything a feed needs, in three queries whatever the count."""
    return (
        events.select_related("venue", "group")
        .prefetch_related(
            "categories",
            Prefetch(
                "occurrence_changes",
                queryset=OccurrenceChange.objects.select_related("new_venue"),
            ),
        )
        .order_by("start_date", "pk")
    )


def feed_body(scope: FeedScope, *, stamp: datetime | None, request) -> bytes:
    """The feed's .ics bytes, built from its events."""
    series = []
    drops = scope.drops() if scope.drops else {}
    for event in feed_queryset(scope.events()):
        url = event.get_full_url(request=request) or ""
        item = series_from_event(
            event,
            url=url,
            changes=list(event.occurrence_changes.all()),
            drop=drops.get(event.pk, set()),
        )
        if item is not None:
            series.append(item)
    return ical.to_ics(
        series,
        name=scope.name(),
        description=scope.description,
        url=scope.page_url,
        stamp=stamp or datetime(2000, 1, 1, tzinfo=UTC),
        refresh=REFRESH,
        default_tz=sched.DEFAULT_TZ,
    )


def cached_feed_body(scope: FeedScope, validator: Validator, *, request) -> bytes:
    """The feed's body, from the cache when its validator has not changed."""
    host = hashlib.sha256(request.get_host().encode()).hexdigest()[:12]
    key = f"feed:{validator.etag}:{host}"
    body = cache.get(key)
    if body is None:
        body = feed_body(scope, stamp=validator.last_modified or timezone.now(), request=request)
        cache.set(key, body, CACHE_SECONDS)
    return body


def events_feed_name(city: str, what: str = "") -> str:
    if what:
        return _("%(what)s · %(city)s events") % {"what": what, "city": city}
    return _("%(city)s events") % {"city": city}

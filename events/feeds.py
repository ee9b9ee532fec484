"""iCal feeds of events: which events a feed holds, its validator, and its body.

A feed is one VEVENT per series (events.ical), so it holds *events*, chosen by a scope: the
whole city, one group (hosted or co-hosted), one category, one event, or the events of a
filtered calendar view. Answering a feed costs little: the validator (ETag/Last-Modified) is
one aggregate query over the scope's events, a 304 stops there, and a body is the stored
entries joined (one query, no entry built or re-checked in Python), kept in each process's
memory under its validator.

An entry is made stale when something it was made from changes, not found stale on each
request: publishing, a venue, category, site or host group edit and a move rewrite it
(events.signals). What an edit outside those (a script, a data migration) leaves behind is
caught by the feed query itself, in SQL: an entry written before its event was last published
or rescheduled, or whose ``source`` (format, language, live revision, sequence, URL path)
differs from its event's, is written again there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.core.cache import caches
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import ical
from . import schedule as sched
from .models import EventPage, FeedEntry, OccurrenceChange, Venue
from .models.events import inclusion_facts, page_urls

# Bump when the body's shape changes, so cached bodies and ETags from before are not reused.
FEED_FORMAT = "5"
REFRESH = timedelta(hours=1)
CACHE_SECONDS = 60 * 60 * 24
# Built bodies live in each process's memory (settings.CACHES["feeds"]): reading one is a
# lookup, not a database read and an unpickling of a megabyte. The key is the validator, which
# every change moves, so each gunicorn worker builds a body at most once per change.
BODY_CACHE = "feeds"


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
    moves ``schedule_changed_at``, writing an event's stored entry again (its venue or a
    category was edited) moves ``written_at``, and an event joining or leaving the feed
    changes the count and the sum of ids. Scopes narrow with subqueries and the entry is one
    per event, so no row comes twice: plain sums, no DISTINCT to sort for.
    """
    figures = (
        scope.events()
        .order_by()
        .aggregate(
            published=Max("last_published_at"),
            changed=Max("schedule_changed_at"),
            count=Count("pk"),
            ids=Sum("pk"),
            revisions=Sum("live_revision_id"),
            written=Max("feed_entry__written_at"),
            entries=Count("feed_entry"),
        )
    )
    stamps = [figures[name] for name in ("published", "changed", "written") if figures[name]]
    last_modified = max(stamps) if stamps else None
    text = repr(
        (
            FEED_FORMAT,
            # Each language's feed is its own body (names, notes, cancellation words).
            get_language(),
            scope.key,
            scope.extra_key,
            last_modified and last_modified.isoformat(),
            figures["count"],
            figures["ids"],
            figures["revisions"],
            figures["entries"],
        )
    )
    return Validator(
        etag=hashlib.sha256(text.encode()).hexdigest()[:32], last_modified=last_modified
    )


# --- From event pages to plain series ------------------------------------------------------

# The columns a feed reads: loading only these keeps 1,000 pages cheap to fetch.
FEED_FIELDS = (
    "pk",
    "uid",
    "title",
    "slug",
    "url_path",
    "summary",
    "first_published_at",
    "last_published_at",
    "schedule_sequence",
    "schedule_changed_at",
    *sched.SCHEDULE_FIELDS,
    "time_zone",
    "is_free",
    "cost",
    "alcohol_free",
    "family_friendly",
    "open_to",
    "bsl",
    "welcomer",
    "online_url",
    "venue__name",
    "venue__address_line_1",
    "venue__address_line_2",
    "venue__town",
    "venue__postcode",
    "group__title",
    "group__contact_email",
)


def feed_location(venue, online_url: str = "") -> str:
    if venue is not None:
        return ", ".join([venue.name, *venue.address_lines])
    return online_url


class _Labels(dict):
    """Fact labels by field name, each translated once per feed (gettext is slow 1,000 times
    over, and even hashing a lazy label translates it)."""


def _facts_line(event: EventPage, labels: _Labels) -> str:
    facts = []
    for name, label in inclusion_facts(event):
        key = (name, event.open_to) if name == "open_to" else name
        if key not in labels:
            labels[key] = str(label)
        facts.append(labels[key])
    if not event.is_free and event.cost:
        facts.insert(0, event.cost)
    return " · ".join(facts)


def series_from_event(
    event: EventPage,
    *,
    url: str = "",
    changes: list[OccurrenceChange] | None = None,
    categories: tuple[str, ...] | None = None,
    drop: set[datetime] = frozenset(),
    labels: _Labels | None = None,
) -> ical.Series | None:
    """The plain series (events.ical) of an event page, or None if its schedule gives no date.

    ``changes`` and ``categories`` may be given (fetched for many events at once); otherwise
    they are read from the page. Dates in ``drop`` become EXDATEs.
    """
    schedule = event.schedule
    first = sched.first_start(schedule)
    if first is None:
        return None
    # DTSTART stays on the rule's first date even when that date is excluded (an EXDATE
    # removes it, as RFC 5545 counts).
    end = sched.slot(schedule, first.date()).end
    rule = sched.recurrence_rule(schedule)
    rules = (ical.Rule.from_recurrence(rule),) if rule is not None else ()
    zone = schedule.zone
    overrides = []
    changes = list(event.occurrence_changes.all()) if changes is None else changes
    given = sched.dates_given(schedule, [change.original_date for change in changes])
    for change in sorted(changes, key=lambda c: c.original_date):
        if change.original_date not in given:
            continue  # not a date of the series: nothing to change
        slot = sched.slot(schedule, change.original_date)
        if slot.original_start in drop:
            continue
        (planned,) = sched.apply_changes([slot], [change.as_change()], schedule)
        moved = change.status == OccurrenceChange.Status.MOVED
        cancelled = change.status == OccurrenceChange.Status.CANCELLED
        overrides.append(
            ical.Override(
                original_start=planned.original_start,
                start=planned.start if moved else None,
                end=planned.end if moved else None,
                location=feed_location(change.new_venue) if moved and change.new_venue else "",
                cancelled=cancelled,
                reason=change.note if cancelled else "",
                note="" if cancelled else change.note,
            )
        )
    if categories is None:
        categories = tuple(category.name for category in event.categories.all())
    group = event.group
    stamps = [s for s in (event.last_published_at, event.schedule_changed_at) if s]
    return ical.Series(
        uid=f"{event.uid}@inclusive-recovery-city",
        title=event.title,
        start=first,
        end=end,
        tz=schedule.tz,
        description="\n\n".join(
            part
            for part in (
                event.summary,
                _facts_line(event, labels if labels is not None else _Labels()),
                event.online_url,
            )
            if part
        ),
        url=url,
        location=feed_location(event.venue, event.online_url),
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
        categories=categories,
        organiser_name=group.title if group else "",
        organiser_email=group.contact_email if group else "",
    )


class _FeedVenue(SimpleNamespace):
    address_lines = Venue.address_lines


class _FeedChange(SimpleNamespace):
    as_change = OccurrenceChange.as_change


VENUE_FIELDS = ("name", "address_line_1", "address_line_2", "town", "postcode")


def _feed_event(row: dict) -> SimpleNamespace:
    """An event page's feed columns and its schedule (cheap to make).

    A thousand full page instances take most of a second to build; these take a few ms.
    """
    venue = None
    if row["venue_id"]:
        venue = _FeedVenue(**{name: row[f"venue__{name}"] for name in VENUE_FIELDS})
    group = None
    if row["group_id"]:
        group = SimpleNamespace(
            title=row["group__title"], contact_email=row["group__contact_email"]
        )
    fields = {k: v for k, v in row.items() if "__" not in k}
    schedule_fields = {name: row[name] for name in sched.SCHEDULE_FIELDS}
    schedule_fields["start_date"] = row["start_date"] or timezone.localdate()  # as EventPage
    schedule = sched.Schedule.from_fields(**schedule_fields, time_zone=row["time_zone"])
    return SimpleNamespace(**fields, venue=venue, group=group, schedule=schedule)


def _feed_changes(ids) -> dict[int, list[_FeedChange]]:
    """The one-date changes of the events, by event id."""
    found: dict[int, list[_FeedChange]] = {}
    rows = OccurrenceChange.objects.filter(page_id__in=ids).values(
        "page_id",
        "original_date",
        "status",
        "note",
        "new_date",
        "new_start_time",
        "new_end_time",
        "new_venue_id",
        *(f"new_venue__{name}" for name in VENUE_FIELDS),
    )
    for row in rows:
        venue = None
        if row["new_venue_id"]:
            venue = _FeedVenue(**{name: row[f"new_venue__{name}"] for name in VENUE_FIELDS})
        found.setdefault(row["page_id"], []).append(
            _FeedChange(
                original_date=row["original_date"],
                status=row["status"],
                note=row["note"],
                new_date=row["new_date"],
                new_start_time=row["new_start_time"],
                new_end_time=row["new_end_time"],
                new_venue_id=row["new_venue_id"],
                new_venue=venue,
            )
        )
    return found


def entry_source(
    *, revision: int | None, sequence: int | None, url_path: str, language: str
) -> str:
    """What an entry was made from, besides its timestamps: compared in SQL (``_entry_stale``)."""
    return "|".join(
        (
            FEED_FORMAT,
            language,
            "" if revision is None else str(revision),
            "" if sequence is None else str(sequence),
            url_path,
        )
    )


def _entry_stale(language: str) -> Case:
    """True for an event whose stored entry is missing or no longer matches it: in the query.

    The same text as ``entry_source``, made by the database, and the entry's write time against
    the event's last publish and schedule change: no row is converted or hashed in Python.
    """
    made_from = Concat(
        Value(f"{FEED_FORMAT}|{language}|"),
        Coalesce(Cast("live_revision_id", CharField()), Value("")),
        Value("|"),
        Coalesce(Cast("schedule_sequence", CharField()), Value("")),
        Value("|"),
        "url_path",
        output_field=TextField(),
    )
    return Case(
        When(
            Q(feed_entry__source__isnull=True)
            | ~Q(feed_entry__source=made_from)
            | Q(feed_entry__written_at__lt=F("last_published_at"))
            | Q(feed_entry__written_at__lt=F("schedule_changed_at")),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def build_fragments(
    events: QuerySet[EventPage], drops: dict[int, set[datetime]] | None = None
) -> dict[int, tuple[str, ical.Fragment]]:
    """The VEVENT fragments of the events, by id, each with its source: four queries.

    Dates in ``drops`` ({event id: {original start}}) become EXDATEs.
    """
    drops = drops or {}
    rows = list(
        events.order_by("pk").values(*FEED_FIELDS, "live_revision_id", "venue_id", "group_id")
    )
    # Subqueries rather than a list of 1,000 ids: the ORM is slow to handle long IN lists.
    ids = events.order_by().values("pk")
    categories: dict[int, list[str]] = {}
    through = EventPage.categories.through.objects.filter(eventpage_id__in=ids)
    for event_id, name in through.order_by("category__sort_order", "category__name").values_list(
        "eventpage_id", "category__name"
    ):
        categories.setdefault(event_id, []).append(name)
    changes = _feed_changes(ids)
    page_url = page_urls(full=True)
    language = get_language()
    stamp = timezone.now()
    labels, texts, built = _Labels(), ical.feed_texts(), {}
    for row in rows:
        pk = row["pk"]
        item = series_from_event(
            _feed_event(row),
            url=page_url(row["url_path"]),
            changes=changes.get(pk, []),
            categories=tuple(categories.get(pk, ())),
            drop=drops.get(pk, set()),
            labels=labels,
        )
        fragment = ical.series_fragment(item, stamp, texts) if item else ical.EMPTY
        source = entry_source(
            revision=row["live_revision_id"],
            sequence=row["schedule_sequence"],
            url_path=row["url_path"],
            language=language,
        )
        built[pk] = (source, fragment)
    return built


def feed_entries_write(events: QuerySet[EventPage]) -> dict[int, ical.Fragment]:
    """Build and store the feed entries of the events (one upsert); give their fragments."""
    built = build_fragments(events)
    now = timezone.now()
    FeedEntry.objects.bulk_create(
        [
            FeedEntry(
                event_id=pk,
                source=source,
                tz=fragment.tz,
                years=",".join(map(str, fragment.years)),
                text=fragment.text,
                written_at=now,
            )
            for pk, (source, fragment) in built.items()
        ],
        update_conflicts=True,
        unique_fields=["event"],
        update_fields=["source", "tz", "years", "text", "written_at"],
    )
    return {pk: fragment for pk, (_source, fragment) in built.items()}


def feed_body(scope: FeedScope, *, stamp: datetime | None) -> bytes:
    """The feed's .ics bytes: its events' stored entries, in one query whatever their number.

    An entry that is missing or no longer matches its event (``_entry_stale``, decided by the
    database in the same query) is written again here; the dates
    a filtered view leaves out (``scope.drops``) make those events' VEVENTs particular to
    the view, so they are built for it and not stored.
    """
    stamp = stamp or datetime(2000, 1, 1, tzinfo=UTC)
    drops = scope.drops() if scope.drops else {}
    rows = (
        scope.events()
        .annotate(stale=_entry_stale(get_language()))
        .order_by("pk")
        .values_list("pk", "stale", "feed_entry__tz", "feed_entry__years", "feed_entry__text")
    )
    fragments: dict[int, ical.Fragment] = {}
    stale = []
    reach: dict[str, tuple[int, ...]] = {}  # a few dozen different year lists among 1,000
    for pk, is_stale, tz, years, text in rows:
        if pk in drops:
            continue
        if is_stale:
            stale.append(pk)
            continue
        if years not in reach:
            reach[years] = tuple(int(year) for year in years.split(",") if year)
        fragments[pk] = ical.Fragment(tz=tz, years=reach[years], text=text)
    if stale:
        fragments |= feed_entries_write(EventPage.objects.filter(pk__in=stale))
    if drops:
        own = scope.events().filter(pk__in=list(drops))
        fragments |= {pk: item for pk, (_, item) in build_fragments(own, drops).items()}
    return ical.calendar_text(
        [fragments[pk] for pk in sorted(fragments) if fragments[pk].text],
        name=scope.name(),
        description=scope.description,
        url=scope.page_url,
        stamp=stamp,
        refresh=REFRESH,
        default_tz=sched.DEFAULT_TZ,
    )


def cached_feed_body(scope: FeedScope, validator: Validator, *, request) -> bytes:
    """The feed's body, from the cache when its validator has not changed.

    The host is part of the key: a site's own settings (its city's name) name the feed.
    """
    host = hashlib.sha256(request.get_host().encode()).hexdigest()[:12]
    key = f"feed:{validator.etag}:{host}"
    bodies = caches[BODY_CACHE]
    body = bodies.get(key)
    if body is None:
        body = feed_body(scope, stamp=validator.last_modified or timezone.now())
        bodies.set(key, body, CACHE_SECONDS)
    return body


def events_feed_name(city: str, what: str = "") -> str:
    if what:
        return _("%(what)s · %(city)s events") % {"what": what, "city": city}
    return _("%(city)s events") % {"city": city}

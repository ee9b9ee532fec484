"""iCalendar feeds from plain data: one VEVENT per series, and a VTIMEZONE in the RRULE form.

Pure: no ORM and no request. ``events.feeds`` turns event pages into the dataclasses here.

Why the VTIMEZONE is written by hand (see DESIGN.md, Feeds): icalendar's
``add_missing_timezones()`` writes each zone as long RDATE lists, and ical.js (the parser in
Thunderbird and many web calendars) then puts our events an hour out. The RRULE form written
here, as Outlook and Google write it, is read right; tests/events/test_ical_clients.py proves
both facts with the real ical.js.
"""

from __future__ import annotations

import calendar as pycalendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vText,
)

PRODID = "-//Inclusive Recovery City//Events//EN"
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class Rule:
    """One recurrence rule, in the event's local wall-clock time.

    ``byday`` holds RFC 5545 weekday codes, with an ordinal for monthly rules: "TU", "2TU",
    "-1FR". ``until`` is the last local day (a date, inclusive) or a local wall-clock datetime.
    """

    freq: str
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    until: date | datetime | None = None
    count: int | None = None

    def __post_init__(self):
        if self.freq not in FREQUENCIES:
            raise ValueError(f"Unknown frequency {self.freq!r}.")
        if self.interval < 1:
            raise ValueError("The interval must be 1 or more.")
        for code in self.byday:
            if not _BYDAY.match(code):
                raise ValueError(f"Unknown weekday {code!r}.")
        for day in self.bymonthday:
            if not (1 <= abs(day) <= 31):
                raise ValueError(f"Day of the month {day} is out of range.")
        if self.until is not None and self.count is not None:
            raise ValueError("A rule ends on a date or after a count, not both.")


@dataclass(frozen=True)
class Override:
    """A change to one date of a series, found by the start the schedule first gave it.

    A moved date has a new ``start``/``end`` (and perhaps ``location``); a cancelled one has
    ``cancelled`` and perhaps a ``reason``; any date can carry a ``note``.
    """

    original_start: datetime
    start: datetime | None = None
    end: datetime | None = None
    location: str = ""
    cancelled: bool = False
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class Series:
    """One event: a one-off or a series, as local wall-clock times in the time zone ``tz``.

    Naive datetimes are wall-clock times in ``tz``; aware ones are converted into it.
    """

    uid: str
    title: str
    start: datetime
    end: datetime
    tz: str = "Europe/London"
    description: str = ""
    url: str = ""
    location: str = ""
    rules: tuple[Rule, ...] = ()
    rdates: tuple[datetime, ...] = ()
    exdates: tuple[datetime, ...] = ()
    overrides: tuple[Override, ...] = ()
    sequence: int = 0
    last_modified: datetime | None = None
    created: datetime | None = None
    categories: tuple[str, ...] = ()
    organiser_name: str = ""
    organiser_email: str = ""
    cancelled: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rules or self.rdates)


def local(value: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time ``value`` in ``zone``, carrying the zone (so iCal writes its TZID)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("A stamp needs a time zone.")
    return value.astimezone(UTC)


def rule_as_recur(rule: Rule, zone: ZoneInfo) -> dict:
    """The RRULE value for ``rule``; UNTIL is UTC, as RFC 5545 requires beside a TZID start."""
    parts: dict = {"FREQ": rule.freq}
    if rule.interval != 1:
        parts["INTERVAL"] = rule.interval
    if rule.count is not None:
        parts["COUNT"] = rule.count
    if rule.until is not None:
        until = rule.until
        if not isinstance(until, datetime):
            # "Ends on 30 June" includes the whole of 30 June, local time.
            until = datetime.combine(until, time(23, 59, 59))
        parts["UNTIL"] = local(until, zone).astimezone(UTC)
    if rule.bymonth:
        parts["BYMONTH"] = list(rule.bymonth)
    if rule.bymonthday:
        parts["BYMONTHDAY"] = list(rule.bymonthday)
    if rule.byday:
        parts["BYDAY"] = list(rule.byday)
    return parts


# --- VTIMEZONE in the RRULE form ------------------------------------------------------------


@dataclass(frozen=True)
class _Transition:
    instant: datetime  # UTC
    wall: datetime  # naive local wall-clock time just before the change, as VTIMEZONE wants
    offset_from: timedelta
    offset_to: timedelta
    is_dst: bool
    name: str

    @property
    def day_rule(self) -> tuple:
        """("BYDAY", "-1SU") or ("BYMONTHDAY", 8): the yearly rule this date follows."""
        day = self.wall.day
        month_days = pycalendar.monthrange(self.wall.year, self.wall.month)[1]
        weekday = WEEKDAY_CODES[self.wall.weekday()]
        if day + 7 > month_days:
            return ("BYDAY", f"-1{weekday}")
        return ("BYDAY", f"{(day - 1) // 7 + 1}{weekday}")

    @property
    def key(self) -> tuple:
        return (
            self.is_dst,
            self.wall.month,
            self.day_rule,
            self.wall.time(),
            self.offset_from,
            self.offset_to,
            self.name,
        )


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset()


def _transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[_Transition]:
    """Every change of UTC offset in the zone from 1 January ``first_year`` to ``last_year``."""
    found = []
    day = timedelta(days=1)
    cursor = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    before = _offset(zone, cursor)
    while cursor < end:
        after = _offset(zone, cursor + day)
        if after != before:
            # Narrow down to the minute (zones change on whole minutes since 1970).
            low, high = 0, 24 * 60
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(zone, cursor + timedelta(minutes=mid)) == before:
                    low = mid
                else:
                    high = mid
            instant = cursor + timedelta(minutes=high)
            there = instant.astimezone(zone)
            found.append(
                _Transition(
                    instant=instant,
                    wall=(instant + before).replace(tzinfo=None),
                    offset_from=before,
                    offset_to=after,
                    is_dst=bool(there.dst()),
                    name=there.tzname() or "",
                )
            )
            before = after
        cursor += day
    return found


@lru_cache(maxsize=64)
def _observances(tz_name: str, first_year: int, last_year: int) -> tuple:
    """(is_dst, onset, offset_from, offset_to, name, rrule or None) for each observance."""
    zone = ZoneInfo(tz_name)
    transitions = _transitions(zone, first_year, last_year)
    if not transitions:
        offset = _offset(zone, datetime(first_year, 7, 1, tzinfo=UTC))
        name = datetime(first_year, 7, 1, tzinfo=UTC).astimezone(zone).tzname() or tz_name
        return ((False, datetime(1970, 1, 1), offset, offset, name, None),)

    observances = []
    for is_dst in (False, True):
        kind = [t for t in transitions if t.is_dst == is_dst]
        # Runs of years in which the change happens by the same yearly rule.
        runs: list[list[_Transition]] = []
        for transition in kind:
            last = runs[-1][-1] if runs else None
            if (
                last is not None
                and last.key == transition.key
                and transition.wall.year == last.wall.year + 1
            ):
                runs[-1].append(transition)
            else:
                runs.append([transition])
        for run in runs:
            first, last = run[0], run[-1]
            open_ended = last.wall.year == last_year
            rrule = None
            if open_ended or len(run) > 1:
                by, value = first.day_rule
                rrule = {"FREQ": "YEARLY", "BYMONTH": [first.wall.month], by: [value]}
                if not open_ended:
                    rrule["UNTIL"] = last.instant
            observances.append(
                (is_dst, first.wall, first.offset_from, first.offset_to, first.name, rrule)
            )
    return tuple(sorted(observances, key=lambda o: (o[1], o[0])))


def vtimezone(tz_name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``tz_name`` with STANDARD/DAYLIGHT yearly RRULEs, like Outlook writes.

    It describes the zone from ``first_year`` on; the rule in force in ``last_year`` runs on
    with no end.
    """
    component = Timezone()
    component.add("tzid", tz_name)
    for is_dst, onset, offset_from, offset_to, name, rrule in _observances(
        tz_name, first_year, last_year
    ):
        observance = TimezoneDaylight() if is_dst else TimezoneStandard()
        observance.add("dtstart", onset)
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        if name:
            observance.add("tzname", name)
        if rrule:
            observance.add("rrule", rrule)
        component.add_component(observance)
    return component


# --- Events ---------------------------------------------------------------------------------


def _description(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _common(vevent: Event, series: Series, stamp: datetime) -> None:
    vevent.add("uid", series.uid)
    vevent.add("dtstamp", _utc(series.last_modified or stamp))
    if series.last_modified:
        vevent.add("last-modified", _utc(series.last_modified))
    if series.created:
        vevent.add("created", _utc(series.created))
    vevent.add("sequence", series.sequence)
    if series.url:
        vevent.add("url", series.url)
    if series.categories:
        vevent.add("categories", list(series.categories))
    if series.organiser_email:
        organiser = vCalAddress(f"mailto:{series.organiser_email}")
        if series.organiser_name:
            organiser.params["cn"] = vText(series.organiser_name)
        vevent.add("organizer", organiser)
    vevent.add("transp", "OPAQUE")


def _cancelled_title(title: str) -> str:
    return _("Cancelled: %(title)s") % {"title": title}


def _master(series: Series, zone: ZoneInfo, stamp: datetime) -> Event:
    vevent = Event()
    _common(vevent, series, stamp)
    start, end = series.start, series.end
    location, status, title = series.location, "CONFIRMED", series.title
    description = _description(series.description, series.url)
    if not series.is_recurring:
        # A one-off has no RECURRENCE-ID to hang a change on: change the event itself.
        for override in series.overrides:
            start, end = override.start or start, override.end or end
            location = override.location or location
            if override.cancelled:
                status, title = "CANCELLED", _cancelled_title(series.title)
            description = _description(
                override.reason, override.note, series.description, series.url
            )
    if series.cancelled:
        status, title = "CANCELLED", _cancelled_title(series.title)
    vevent.add("summary", title)
    vevent.add("dtstart", local(start, zone))
    vevent.add("dtend", local(end, zone))
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    vevent.add("status", status)
    for rule in series.rules:
        vevent.add("rrule", rule_as_recur(rule, zone))
    if series.rdates:
        vevent.add("rdate", [local(value, zone) for value in series.rdates])
    if series.exdates:
        vevent.add("exdate", [local(value, zone) for value in series.exdates])
    return vevent


def _override(series: Series, override: Override, zone: ZoneInfo, stamp: datetime) -> Event:
    """A RECURRENCE-ID instance: a moved, cancelled or annotated date of the series."""
    vevent = Event()
    _common(vevent, series, stamp)
    original = local(override.original_start, zone)
    duration = local(series.end, zone) - local(series.start, zone)
    start = local(override.start, zone) if override.start else original
    end = local(override.end, zone) if override.end else start + duration
    vevent.add("recurrence-id", original)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    if override.cancelled:
        # Kept as an instance, not an EXDATE, so calendars can say it is off (and why)
        # rather than the date silently vanishing.
        vevent.add("summary", _cancelled_title(series.title))
        vevent.add("status", "CANCELLED")
        reason = override.reason and _("Why: %(reason)s") % {"reason": override.reason}
        description = _description(reason, override.note, series.description, series.url)
    else:
        vevent.add("summary", series.title)
        vevent.add("status", "CONFIRMED")
        moved = ""
        if override.start and override.start != override.original_start:
            moved = _("This date has moved from %(when)s.") % {
                "when": original.strftime("%A %-d %B %Y, %H:%M")
            }
        description = _description(moved, override.note, series.description, series.url)
    if description:
        vevent.add("description", description)
    location = override.location or series.location
    if location:
        vevent.add("location", location)
    return vevent


def series_components(series: Series, stamp: datetime) -> list[Event]:
    """The VEVENTs of one series: the master, then one per changed date."""
    zone = ZoneInfo(series.tz)
    components = [_master(series, zone, stamp)]
    if series.is_recurring:
        components += [_override(series, o, zone, stamp) for o in series.overrides]
    return components


def _years(series: Series) -> set[int]:
    years = {series.start.year, series.end.year}
    years |= {value.year for value in (*series.rdates, *series.exdates)}
    for override in series.overrides:
        years |= {
            value.year for value in (override.original_start, override.start) if value is not None
        }
    years |= {rule.until.year for rule in series.rules if rule.until is not None}
    return years


def build_calendar(
    series: Iterable[Series],
    *,
    name: str,
    stamp: datetime,
    description: str = "",
    url: str = "",
    refresh: timedelta = timedelta(hours=6),
    default_tz: str = "Europe/London",
) -> Calendar:
    """An iCalendar with every series, named and with a refresh interval, plus its VTIMEZONEs.

    ``stamp`` is the calendar's last change (aware); it stands in for any series without one.
    """
    series = list(series)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    if url:
        cal.add("url", url)
    cal.add("x-wr-timezone", default_tz)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(refresh))
    cal.add("last-modified", _utc(stamp))

    years: dict[str, set[int]] = {}
    for item in series:
        years.setdefault(item.tz, set()).update(_years(item))
    for tz_name in sorted(years):
        # Start a year early so dates in January follow an onset the zone already had.
        first, last = min(years[tz_name]) - 1, max(max(years[tz_name]), stamp.year) + 1
        cal.add_component(vtimezone(tz_name, first, last))
    for item in series:
        for component in series_components(item, stamp):
            cal.add_component(component)
    return cal


def to_ics(series: Iterable[Series], **kwargs) -> bytes:
    """``build_calendar(...)`` as the bytes of a .ics file."""
    return build_calendar(series, **kwargs).to_ical()

"""iCalendar feeds from plain data: one VEVENT per series, and a VTIMEZONE in the RRULE form.

Pure: no ORM and no request. ``events.feeds`` turns event pages into the dataclasses here.

The VEVENTs are written as content lines (fast: see "Events" below); the VTIMEZONE comes
from icalendar components built here.

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

import recurrence
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import (
    Calendar,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
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

    @classmethod
    def from_recurrence(cls, rule: recurrence.Rule) -> Rule:
        """The feed's rule for a ``recurrence.Rule`` whose UNTIL (if any) is local wall-clock.

        A rule with a COUNT ends after it (RFC 5545 allows one ending, not both).
        """
        return cls(
            freq=recurrence.Rule.frequencies[rule.freq],
            interval=rule.interval,
            byday=tuple(repr(recurrence.to_weekday(day)) for day in rule.byday),
            bymonthday=tuple(rule.bymonthday),
            bymonth=tuple(rule.bymonth),
            until=rule.until if rule.count is None else None,
            count=rule.count,
        )


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


# --- Events: written as content lines ------------------------------------------------------
#
# Written by hand rather than through icalendar's component objects, which take about 8 s
# for a city of 1,000 events against 0.2 s here. The output is checked by parsing it with
# icalendar, recurring-ical-events and ical.js (tests/events/test_ical*.py).

# Control characters, C1 ones too (U+0080 to U+009F): dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What Unicode counts as a line break besides "\n": CR, NEL, the line and paragraph
# separators. Left raw, some clients end the line there and read the rest as a new property.
_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")


def _text(value: str) -> str:
    """A TEXT value, escaped as RFC 5545 says (and without control characters)."""
    value = str(value)
    if _BREAKS.search(value):
        value = _BREAKS.sub("\n", value)
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _param(value: str) -> str:
    """A parameter value, quoted when it holds a character that would end it."""
    value = _CONTROL.sub("", _BREAKS.sub(" ", str(value))).replace("\n", " ").replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _fold(line: str) -> str:
    """The line folded at 75 octets, never inside a UTF-8 character."""
    if len(line) <= 75 and line.isascii():
        return line
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(raw) - start > limit:
        cut = start + limit
        while raw[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        parts.append(raw[start:cut])
        start, limit = cut, 74  # continuation lines begin with a space
    parts.append(raw[start:])
    return b"\r\n ".join(parts).decode()


def _local_value(value: datetime) -> str:
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}"
        f"T{value.hour:02d}{value.minute:02d}{value.second:02d}"
    )


def _utc_value(value: datetime) -> str:
    return _local_value(_utc(value)) + "Z"


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time_part = "".join(
        f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n
    )
    if not (days or time_part):
        return "PT0S"
    return "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")


def _recur(parts: dict) -> str:
    order = ("FREQ", "INTERVAL", "UNTIL", "COUNT", "BYMONTH", "BYMONTHDAY", "BYDAY")
    out = []
    for key in order:
        if key not in parts:
            continue
        value = parts[key]
        if isinstance(value, datetime):
            value = _utc_value(value)
        elif isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        out.append(f"{key}={value}")
    return ";".join(out)


def _when(name: str, value: datetime, zone: ZoneInfo) -> str:
    return f"{name};TZID={zone.key}:{_local_value(local(value, zone))}"


def _description(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _common(series: Series, stamp: datetime) -> list[str]:
    lines = [
        f"UID:{_text(series.uid)}",
        f"DTSTAMP:{_utc_value(series.last_modified or stamp)}",
        f"SEQUENCE:{int(series.sequence)}",
    ]
    if series.last_modified:
        lines.append(f"LAST-MODIFIED:{_utc_value(series.last_modified)}")
    if series.created:
        lines.append(f"CREATED:{_utc_value(series.created)}")
    if series.url:
        lines.append(f"URL:{series.url}")
    if series.categories:
        lines.append("CATEGORIES:" + ",".join(_text(c) for c in series.categories))
    if series.organiser_email:
        cn = f";CN={_param(series.organiser_name)}" if series.organiser_name else ""
        lines.append(f"ORGANIZER{cn}:mailto:{series.organiser_email}")
    lines.append("TRANSP:OPAQUE")
    return lines


def feed_texts() -> dict[str, str]:
    """The words the feed adds, translated once per feed (gettext is slow 1,000 times over)."""
    return {
        "cancelled": _("Cancelled: %(title)s"),
        "why": _("Why: %(reason)s"),
        "moved": _("This date has moved from %(when)s."),
        # Django's date format, with its translated weekday and month names: "Tuesday 24
        # March 2026, 19:00", "dinsdag 24 maart 2026, 19:00".
        "moved_when": pgettext("date and time a date moved from", "l j F Y, H:i"),
    }


def _master(series: Series, zone: ZoneInfo, stamp: datetime, texts: dict) -> list[str]:
    start, end = series.start, series.end
    location, status, title = series.location, "CONFIRMED", series.title
    description = _description(series.description, series.url)
    if not series.is_recurring:
        # A one-off has no RECURRENCE-ID to hang a change on: change the event itself.
        for override in series.overrides:
            start, end = override.start or start, override.end or end
            location = override.location or location
            if override.cancelled:
                status, title = "CANCELLED", texts["cancelled"] % {"title": series.title}
            description = _description(
                override.reason, override.note, series.description, series.url
            )
    if series.cancelled:
        status, title = "CANCELLED", texts["cancelled"] % {"title": series.title}
    lines = ["BEGIN:VEVENT", *texts["common"], f"SUMMARY:{_text(title)}"]
    lines += [_when("DTSTART", start, zone), _when("DTEND", end, zone)]
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines.append(f"STATUS:{status}")
    for rule in series.rules:
        lines.append("RRULE:" + _recur(rule_as_recur(rule, zone)))
    for name, values in (("RDATE", series.rdates), ("EXDATE", series.exdates)):
        if values:
            joined = ",".join(_local_value(local(value, zone)) for value in values)
            lines.append(f"{name};TZID={zone.key}:{joined}")
    lines.append("END:VEVENT")
    return lines


def _override(
    series: Series, override: Override, zone: ZoneInfo, stamp: datetime, texts: dict
) -> list[str]:
    """A RECURRENCE-ID instance: a moved, cancelled or annotated date of the series."""
    original = local(override.original_start, zone)
    duration = local(series.end, zone) - local(series.start, zone)
    start = local(override.start, zone) if override.start else original
    end = local(override.end, zone) if override.end else start + duration
    lines = ["BEGIN:VEVENT", *texts["common"], _when("RECURRENCE-ID", original, zone)]
    lines += [_when("DTSTART", start, zone), _when("DTEND", end, zone)]
    if override.cancelled:
        # Kept as an instance, not an EXDATE, so calendars can say it is off (and why)
        # rather than the date silently vanishing.
        title = texts["cancelled"] % {"title": series.title}
        lines += [f"SUMMARY:{_text(title)}", "STATUS:CANCELLED"]
        reason = override.reason and texts["why"] % {"reason": override.reason}
        description = _description(reason, override.note, series.description, series.url)
    else:
        lines += [f"SUMMARY:{_text(series.title)}", "STATUS:CONFIRMED"]
        moved = ""
        if override.start and override.start != override.original_start:
            when = formats.date_format(original, texts["moved_when"])
            moved = texts["moved"] % {"when": when}
        description = _description(moved, override.note, series.description, series.url)
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    location = override.location or series.location
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines.append("END:VEVENT")
    return lines


def series_lines(series: Series, stamp: datetime, texts: dict | None = None) -> list[str]:
    """The unfolded content lines of one series' VEVENTs: the master, then each changed date."""
    zone = ZoneInfo(series.tz)
    # The lines every VEVENT of the series shares are written once.
    texts = {**(texts or feed_texts()), "common": _common(series, stamp)}
    lines = _master(series, zone, stamp, texts)
    if series.is_recurring:
        for override in series.overrides:
            lines += _override(series, override, zone, stamp, texts)
    return lines


def _years(series: Series) -> set[int]:
    years = {series.start.year, series.end.year}
    years |= {value.year for value in (*series.rdates, *series.exdates)}
    for override in series.overrides:
        years |= {
            value.year for value in (override.original_start, override.start) if value is not None
        }
    years |= {rule.until.year for rule in series.rules if rule.until is not None}
    return years


@lru_cache(maxsize=64)
def _vtimezone_text(tz_name: str, first_year: int, last_year: int) -> str:
    return vtimezone(tz_name, first_year, last_year).to_ical().decode().rstrip("\r\n")


@dataclass(frozen=True)
class Fragment:
    """One series' VEVENTs as folded text, with what its VTIMEZONE must cover (cacheable)."""

    tz: str
    years: tuple[int, ...]
    text: str


EMPTY = Fragment(tz="UTC", years=(), text="")


def series_fragment(series: Series, stamp: datetime, texts: dict | None = None) -> Fragment:
    """The folded VEVENT text of one series, ready to go into a calendar."""
    lines = series_lines(series, stamp, texts)
    return Fragment(
        tz=series.tz,
        years=tuple(sorted(_years(series))),
        text="\r\n".join(_fold(line) for line in lines),
    )


def calendar_text(
    fragments: Iterable[Fragment],
    *,
    name: str,
    stamp: datetime,
    description: str = "",
    url: str = "",
    refresh: timedelta = timedelta(hours=6),
    default_tz: str = "Europe/London",
) -> bytes:
    """An iCalendar file around the given VEVENT fragments, with their VTIMEZONEs."""
    fragments = list(fragments)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{_text(name)}",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    if description:
        lines += [f"DESCRIPTION:{_text(description)}", f"X-WR-CALDESC:{_text(description)}"]
    if url:
        lines.append(f"URL:{url}")
    lines += [
        f"X-WR-TIMEZONE:{default_tz}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(refresh)}",
        f"X-PUBLISHED-TTL:{_duration(refresh)}",
        f"LAST-MODIFIED:{_utc_value(stamp)}",
    ]
    years: dict[str, set[int]] = {}
    for fragment in fragments:
        years.setdefault(fragment.tz, set()).update(fragment.years)
    body = [_fold(line) for line in lines]
    for tz_name in sorted(years):
        # Start a year early so dates in January follow an onset the zone already had.
        first, last = min(years[tz_name]) - 1, max(max(years[tz_name]), stamp.year) + 1
        body.append(_vtimezone_text(tz_name, first, last))
    body += [fragment.text for fragment in fragments]
    body.append("END:VCALENDAR")
    return ("\r\n".join(body) + "\r\n").encode()


def to_ics(series: Iterable[Series], *, stamp: datetime, **kwargs) -> bytes:
    """An iCalendar file with every series, named, with a refresh interval and its VTIMEZONEs.

    ``stamp`` is the calendar's last change (aware); it stands in for any series without one.
    Keyword arguments are those of ``calendar_text``.
    """
    texts = feed_texts()
    return calendar_text(
        [series_fragment(item, stamp, texts) for item in series], stamp=stamp, **kwargs
    )


def build_calendar(series: Iterable[Series], **kwargs) -> Calendar:
    """``to_ics(...)`` parsed into an icalendar ``Calendar``."""
    return Calendar.from_ical(to_ics(series, **kwargs))

"""An iCalendar file as the events we would make from it: pure, no ORM, no request.

``plan_import(data, today=..., default_tz=...)`` reads the file (icalendar 7) and gives an
``ImportPlan``: for each event (one UID), either an ``ImportItem`` holding the schedule fields
of an ``EventPage`` (see events/schedule.py) and its one-date changes, or a ``Refused`` saying
in a full sentence why it cannot be held. Nothing is silently changed: a rule our schedules
cannot express is named and left out, and every event we keep is checked by expanding both
the file's own rule (python-dateutil, as RFC 5545 counts) and the schedule we made from it
(events.schedule) over the next two years: if the dates differ at all, it is refused too.

What a schedule holds: once, every N days, every N weeks on some weekdays, every N months on
a day, on the last day or on the Nth weekday (a yearly rule is every 12 months), ending on a
date or after a count; extra dates (RDATE) and dates left out (EXDATE) at the series' time;
one date cancelled or moved (RECURRENCE-ID). All-day events become midnight to 23:59.

A whole file is refused (``ImportError``) when it is too big, is not iCalendar, or holds
more events than ``MAX_EVENTS``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule as du
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import schedule as sched

MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 1000
# Dates compared between the file and our schedule, and the most one event may give there.
CHECK_DAYS = 2 * 366
MAX_DATES_CHECKED = 3000
SUMMARY_LENGTH = 250
# A COUNT above what a schedule holds becomes its last date, when there are no more than this.
MAX_COUNT_KEPT = 5000
ALL_DAY_END = time(23, 59)
ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH"}
ALLOWED_PARTS |= {"BYSETPOS", "WKST"}
SERIES, ONE_OFF = "series", "one-off"


class ImportError(ValueError):  # noqa: A001 - the module's own error, named for what it is
    """The whole file is refused: its message is a full sentence for the organiser."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Unsupported(ValueError):
    """One event cannot be held as it is: its message says what and why."""


@dataclass(frozen=True)
class ChangeFields:
    """One date of a series cancelled or moved, as an ``OccurrenceChange`` stores it."""

    original_date: date
    status: str  # "cancelled" or "moved"
    note: str = ""
    new_date: date | None = None
    new_start_time: time | None = None
    new_end_time: time | None = None

    def as_change(self) -> sched.Change:
        return sched.Change(
            original_date=self.original_date,
            status=self.status,
            note=self.note,
            new_date=self.new_date,
            new_start_time=self.new_start_time,
            new_end_time=self.new_end_time,
        )


@dataclass(frozen=True)
class ImportItem:
    """One event we would make: its page's text and schedule fields, and its changed dates."""

    uid: str
    title: str
    summary: str
    description: str
    location: str
    fields: dict  # EventPage schedule fields (sched.SCHEDULE_FIELDS and time_zone)
    changes: tuple[ChangeFields, ...] = ()
    notes: tuple[str, ...] = ()
    all_day: bool = False

    @property
    def schedule(self) -> sched.Schedule:
        fields = dict(self.fields)
        return sched.Schedule.from_fields(**fields)

    @property
    def kind(self) -> str:
        return SERIES if self.fields["frequency"] != sched.ONCE else ONE_OFF

    @property
    def fingerprint(self) -> str:
        """A hash of everything the import writes for this event (re-imports compare it)."""
        text = repr(
            (
                self.title,
                self.summary,
                self.description,
                self.location,
                sorted(self.fields.items()),
                self.changes,
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Refused:
    """One event we cannot hold, and why (a full sentence)."""

    uid: str
    title: str
    reason: str


@dataclass
class ImportPlan:
    items: list[ImportItem] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    past: int = 0  # events with no date from today on (left out)


# ---- Reading values ----------------------------------------------------------------------


def _one(component, name: str):
    """The property's value (the first, if the file repeats it), or None."""
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value


# Control characters (NUL among them, which PostgreSQL refuses in text) are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_UID = 255


def _text(component, name: str) -> str:
    value = _one(component, name)
    return _CONTROL.sub("", str(value)).strip() if value is not None else ""


def _uid(component) -> str:
    """The event's UID, or a hash standing for it when it has none or one too long to keep."""
    uid = _text(component, "UID")
    if uid and len(uid) <= MAX_UID:
        return uid
    digest = hashlib.sha256((uid or component.to_ical().decode(errors="replace")).encode())
    return ("uid-sha256:" if uid else "no-uid-") + digest.hexdigest()


def _zone_of(prop, default_tz: str) -> str:
    """The time zone name of a DTSTART-like property (floating times: `default_tz`)."""
    value = prop.dt
    if isinstance(value, datetime) and value.tzinfo is not None:
        key = getattr(value.tzinfo, "key", None)
        if key:
            return "UTC" if key in ("UTC", "Etc/UTC") else key
        raise Unsupported(
            _("Its time zone “%(tz)s” is not one we know.")
            % {"tz": prop.params.get("TZID", str(value.tzinfo))}
        )
    if isinstance(value, datetime) and prop.params.get("TZID"):
        # icalendar leaves a time with an unknown TZID floating: never guess its zone.
        raise Unsupported(
            _("Its time zone “%(tz)s” is not one we know.") % {"tz": prop.params["TZID"]}
        )
    return default_tz


def _local(value, zone: ZoneInfo) -> datetime:
    """A date or datetime as naive wall-clock time in `zone` (a date: its midnight)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    if value.tzinfo is None:
        return value
    return value.astimezone(zone).replace(tzinfo=None)


def _values(component, name: str) -> list:
    """Every value of a list property (EXDATE, RDATE), however many lines it takes."""
    found = []
    props = component.get(name)
    if props is None:
        return found
    for prop in props if isinstance(props, list) else [props]:
        for item in getattr(prop, "dts", [prop]):
            found.append(item.dt)
    return found


# ---- The rule ----------------------------------------------------------------------------


def _rule_text(recur) -> str:
    return recur.to_ical().decode(errors="replace")


def _byday(code: str) -> tuple[int | None, str]:
    code = code.strip().upper()
    nth = code[:-2]
    try:
        return (int(nth) if nth else None), code[-2:]
    except ValueError as error:
        raise Unsupported(_("Its rule names a weekday we cannot read.")) from error


def _unsupported_rule(recur, why: str) -> Unsupported:
    return Unsupported(
        _("Its rule “%(rule)s” %(why)s, which our events cannot repeat by.")
        % {"rule": _rule_text(recur), "why": why}
    )


def _rule_fields(recur, start: date) -> dict:
    """The schedule fields (frequency, interval, weekdays, monthly mode) for an RRULE."""
    parts = {key.upper(): value for key, value in recur.items()}
    unknown = sorted(set(parts) - ALLOWED_PARTS)
    if unknown:
        raise _unsupported_rule(recur, _("uses %(parts)s") % {"parts": ", ".join(unknown)})
    freq = str(parts["FREQ"][0]).upper() if parts.get("FREQ") else ""
    names = {
        "SECONDLY": _("repeats every second"),
        "MINUTELY": _("repeats every minute"),
        "HOURLY": _("repeats every hour"),
    }
    if freq in names:
        raise _unsupported_rule(recur, names[freq])
    if freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise Unsupported(_("Its rule has no frequency we can read."))
    interval = int(parts.get("INTERVAL", [1])[0] or 1)
    days = [_byday(str(code)) for code in parts.get("BYDAY", [])]
    monthdays = [int(d) for d in parts.get("BYMONTHDAY", [])]
    months = [int(m) for m in parts.get("BYMONTH", [])]
    setpos = [int(p) for p in parts.get("BYSETPOS", [])]
    wkst = str(parts.get("WKST", ["MO"])[0]).upper()
    fields = {"interval": interval, "weekdays": "", "monthly_mode": sched.BY_DAY, "monthly_nth": 1}

    if freq in ("DAILY", "WEEKLY"):
        if monthdays or months or setpos or any(nth is not None for nth, _c in days):
            raise _unsupported_rule(recur, _("picks days within a month or a year"))
        if freq == "DAILY" and days and interval != 1:
            raise _unsupported_rule(recur, _("repeats every few days on some weekdays only"))
        if freq == "DAILY" and not days:
            return {**fields, "frequency": sched.DAILY}
        codes = sorted({c for _n, c in days}, key=sched.WEEKDAY_CODES.index)
        if wkst != "MO" and interval > 1 and len(codes) > 1:
            raise _unsupported_rule(recur, _("counts its weeks from a day other than Monday"))
        return {**fields, "frequency": sched.WEEKLY, "weekdays": ",".join(codes)}

    if freq == "YEARLY":
        if months and months != [start.month]:
            raise _unsupported_rule(recur, _("repeats in another month than its first date's"))
        if not months and (days or monthdays):
            raise _unsupported_rule(recur, _("picks days within the year"))
        interval *= 12
        fields["interval"] = interval
    elif months:
        raise _unsupported_rule(recur, _("repeats in some months only"))

    if days:
        if monthdays:
            raise _unsupported_rule(recur, _("picks both weekdays and days of the month"))
        nths = {nth for nth, _c in days}
        if setpos:
            if len(days) != 1 or len(setpos) != 1 or nths != {None}:
                raise _unsupported_rule(recur, _("picks a position among several weekdays"))
            nths = set(setpos)
        if len(nths) != 1 or None in nths or next(iter(nths)) not in sched.NTH_CHOICES:
            raise _unsupported_rule(recur, _("picks every such weekday in the month"))
        codes = sorted({c for _n, c in days}, key=sched.WEEKDAY_CODES.index)
        return {
            **fields,
            "frequency": sched.MONTHLY,
            "weekdays": ",".join(codes),
            "monthly_mode": sched.BY_WEEKDAY,
            "monthly_nth": next(iter(nths)),
        }
    if setpos:
        raise _unsupported_rule(recur, _("uses BYSETPOS"))
    if monthdays == [-1]:
        return {**fields, "frequency": sched.MONTHLY, "monthly_mode": sched.BY_LAST_DAY}
    if monthdays and monthdays != [start.day]:
        raise _unsupported_rule(recur, _("repeats on another day of the month than its first"))
    return {**fields, "frequency": sched.MONTHLY}


def _dateutil_rule(recur, start: datetime, zone: ZoneInfo) -> tuple:
    """The file's rule as a dateutil rrule in naive wall-clock time, and its local UNTIL."""
    parts = {key.upper(): list(value) for key, value in recur.items()}
    until = parts.pop("UNTIL", [None])[0]
    text = icalendar.vRecur(parts).to_ical().decode()
    rule = du.rrulestr(text, dtstart=start)
    if until is not None:
        if isinstance(until, datetime):
            local_until = _local(until, zone)
        else:
            local_until = datetime.combine(until, time.max)
        return rule.replace(until=local_until), local_until
    return rule, None


# ---- One event ---------------------------------------------------------------------------


@dataclass
class _Source:
    """The file's own dates for one event, in naive wall-clock time of its zone."""

    rule: object | None  # dateutil rrule or None
    start: datetime
    length: timedelta
    rdates: list[datetime]
    exdates: set[datetime]
    overrides: dict[datetime, tuple[datetime, datetime, bool]]

    def originals(self, after: datetime, before: datetime) -> list[datetime]:
        found = set(self.rule.between(after, before, inc=True)) if self.rule else set()
        if after <= self.start <= before:
            found.add(self.start)  # RFC 5545: DTSTART is always a date of the series
        found |= {d for d in self.rdates if after <= d <= before}
        return sorted(found - self.exdates)

    def dates(self, after: datetime, before: datetime) -> set[tuple]:
        out = set()
        for original in self.originals(after - timedelta(days=sched.MAX_DURATION_DAYS), before):
            begins, ends, cancelled = self.overrides.get(
                original, (original, original + self.length, False)
            )
            if ends >= after and original < before:
                out.add((begins, ends, cancelled))
        return out


def _length(master, start_prop, zone: ZoneInfo, all_day: bool) -> tuple[timedelta, list[str]]:
    notes = []
    start = _local(start_prop.dt, zone)
    end_prop = _one(master, "DTEND")
    duration = _one(master, "DURATION")
    if end_prop is not None:
        length = _local(end_prop.dt, zone) - start
    elif duration is not None:
        length = duration.dt
    else:
        length = timedelta(days=1) if all_day else timedelta(0)
    if length <= timedelta(0):
        if all_day:
            length = timedelta(days=1)
        else:
            length = timedelta(hours=1)
            notes.append(_("It gives no end time, so it is set to end an hour after it starts."))
    return length, notes


def _event(
    master, overrides: list, *, default_tz: str, today: date
) -> tuple[ImportItem | None, bool]:
    """The item for one UID (None, True if it has no date from today on); raise Unsupported."""
    start_prop = _one(master, "DTSTART")
    if start_prop is None:
        raise Unsupported(_("It has no start date."))
    if _text(master, "STATUS").upper() == "CANCELLED":
        raise Unsupported(_("It is cancelled in your calendar."))
    if master.get("EXRULE") is not None:
        raise Unsupported(_("It leaves dates out by a rule (EXRULE), which we cannot hold."))
    recurs = master.get("RRULE")
    recurs = recurs if isinstance(recurs, list) else ([recurs] if recurs is not None else [])
    if len(recurs) > 1:
        raise Unsupported(_("It repeats by more than one rule, which we cannot hold."))
    all_day = not isinstance(start_prop.dt, datetime)
    tz = _zone_of(start_prop, default_tz)
    notes: list[str] = []
    if tz == "UTC" and not recurs:
        tz = default_tz  # a one-off's instant is the same in any zone: show it locally
    elif tz == "UTC":
        notes.append(
            _(
                "Your calendar gives this series' time in UTC, so it starts an hour later "
                "on the clock in summer, as in your calendar."
            )
        )
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError) as error:
        raise Unsupported(_("Its time zone “%(tz)s” is not one we know.") % {"tz": tz}) from error
    start = _local(start_prop.dt, zone)
    length, length_notes = _length(master, start_prop, zone, all_day)
    notes += length_notes
    if length > timedelta(days=sched.MAX_DURATION_DAYS):
        raise Unsupported(
            _("It lasts more than %(n)s days, which is longer than an event can.")
            % {"n": sched.MAX_DURATION_DAYS}
        )
    end = start + length
    if all_day:
        start_time, end_time = time(), ALL_DAY_END
        duration_days = max(length.days - 1, 0)
        notes.append(_("All day: kept as midnight to 23:59."))
    else:
        start_time, end_time = start.time(), end.time()
        duration_days = (end.date() - start.date()).days
        if duration_days and end.time() == time():
            # Ending at midnight is the end of the day before, not a day more.
            duration_days -= 1
            end_time = time(23, 59, 59)
            end = end - timedelta(seconds=1)
            length = end - start

    fields = {
        "start_date": start.date(),
        "start_time": start_time,
        "end_time": end_time,
        "duration_days": duration_days,
        "frequency": sched.ONCE,
        "interval": 1,
        "weekdays": "",
        "monthly_mode": sched.BY_DAY,
        "monthly_nth": 1,
        "ends": sched.ENDS_NEVER,
        "until": None,
        "count": None,
        "extra_dates": "",
        "excluded_dates": "",
        "time_zone": tz,
    }
    rule = None
    if recurs:
        recur = recurs[0]
        fields.update(_rule_fields(recur, start.date()))
        if fields["frequency"] == sched.WEEKLY and not fields["weekdays"]:
            fields["weekdays"] = sched.WEEKDAY_CODES[start.weekday()]
        rule, until = _dateutil_rule(recur, start, zone)
        count = recur.get("COUNT")
        if count:
            count = int(count[0])
            if count <= sched.MAX_COUNT:
                fields.update(ends=sched.ENDS_AFTER_COUNT, count=count)
            else:
                last = list(rule)[-1] if count <= MAX_COUNT_KEPT else None
                if last is None:
                    raise Unsupported(_("Its rule gives more dates than we can hold."))
                fields.update(ends=sched.ENDS_ON_DATE, until=last.date())
                notes.append(
                    _("It ends after %(n)s dates: kept as ending on its last date.") % {"n": count}
                )
        elif until is not None:
            last = rule.before(until, inc=True)
            if last is None:
                fields.update(frequency=sched.ONCE)
                rule = None
            else:
                fields.update(ends=sched.ENDS_ON_DATE, until=last.date())

    # Extra dates (RDATE) at the series' own time, and DTSTART when the rule skips it.
    extra: set[date] = set()
    rdates: list[datetime] = []
    for value in _values(master, "RDATE"):
        if isinstance(value, tuple):
            raise Unsupported(_("It adds dates as periods of time, which we cannot hold."))
        moment = _local(value, zone)
        if isinstance(value, datetime) != (not all_day) or moment.time() != start.time():
            raise Unsupported(_("It adds a date at another time than the series' own."))
        rdates.append(moment)
        extra.add(moment.date())
    source = _Source(rule, start, length, rdates, set(), {})
    if rule is not None and start not in rule.between(start, start, inc=True):
        extra.add(start.date())
    # Dates left out (EXDATE): only those that are dates of the series leave anything out.
    excluded: set[date] = set()
    for value in _values(master, "EXDATE"):
        moment = _local(value, zone)
        if all_day or not isinstance(value, datetime):
            moment = datetime.combine(moment.date(), start.time())
        if source.originals(moment, moment):
            source.exdates.add(moment)
            excluded.add(moment.date())
    extra -= excluded
    if rule is None:
        extra.discard(start.date())  # a one-off gives its own date anyway
    fields["extra_dates"] = "\n".join(d.isoformat() for d in sorted(extra))
    fields["excluded_dates"] = "\n".join(d.isoformat() for d in sorted(excluded))

    changes = _changes(master, overrides, source, zone, start, all_day, fields)
    schedule = sched.Schedule.from_fields(**fields)
    try:
        sched.validate(schedule)
    except sched.ScheduleError as error:
        raise Unsupported(error.message) from error

    # Both sides' dates over the next two years, compared exactly.
    after = datetime.combine(today, time())
    before = after + timedelta(days=CHECK_DAYS)
    theirs = source.dates(after, before)
    if len(theirs) > MAX_DATES_CHECKED:
        raise Unsupported(_("It gives more dates than we can hold (more than one a day)."))
    ours = _our_dates(schedule, [c.as_change() for c in changes], after, before, zone)
    if all_day:
        theirs = {(b.date(), (e - timedelta(days=1)).date(), c) for b, e, c in theirs}
        ours = {(b.date(), e.date(), c) for b, e, c in ours}
    if not theirs:
        return None, True
    if theirs != ours:
        raise Unsupported(
            _(
                "We could not make its dates exactly as your calendar has them, so it is left "
                "out. Please add it by hand."
            )
        )
    description = _text(master, "DESCRIPTION")
    title = _text(master, "SUMMARY")[:255] or _("Untitled event")
    summary = (description.split("\n")[0].strip() or title)[:SUMMARY_LENGTH]
    return (
        ImportItem(
            uid=_uid(master),
            title=title,
            summary=summary,
            description=description,
            location=_text(master, "LOCATION"),
            fields=fields,
            changes=tuple(sorted(changes, key=lambda c: c.original_date)),
            notes=tuple(notes),
            all_day=all_day,
        ),
        False,
    )


def _changes(master, overrides, source: _Source, zone, start, all_day, fields) -> list:
    """The one-date changes (RECURRENCE-ID) as ChangeFields; fills `source.overrides`."""
    changes = []
    seen = set()
    for override in overrides:
        rid_prop = _one(override, "RECURRENCE-ID")
        if str(rid_prop.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            raise Unsupported(
                _("It changes a date and all the dates after it, which we cannot hold.")
            )
        original = _local(rid_prop.dt, zone)
        if all_day or not isinstance(rid_prop.dt, datetime):
            original = datetime.combine(original.date(), start.time())
        if not source.originals(original, original) or original.date() in seen:
            raise Unsupported(
                _("It changes a date (%(day)s) that is not one of its own dates.")
                % {"day": original.date().isoformat()}
            )
        seen.add(original.date())
        if _text(override, "STATUS").upper() == "CANCELLED":
            note = _text(override, "DESCRIPTION") or _("Cancelled in the group’s own calendar.")
            changes.append(
                ChangeFields(original.date(), "cancelled", note=note.split("\n")[0][:250])
            )
            source.overrides[original] = (original, original + source.length, True)
            continue
        new_prop = _one(override, "DTSTART")
        begins = _local(new_prop.dt, zone) if new_prop is not None else original
        end_prop = _one(override, "DTEND")
        duration = _one(override, "DURATION")
        if end_prop is not None:
            ends = _local(end_prop.dt, zone)
        elif duration is not None:
            ends = begins + duration.dt
        else:
            ends = begins + source.length
        if all_day:
            begins = datetime.combine(begins.date(), time())
        if (begins, ends) == (original, original + source.length):
            continue  # the same date and times: only its words differ
        source.overrides[original] = (begins, ends, False)
        if all_day:
            changes.append(ChangeFields(original.date(), "moved", new_date=begins.date()))
            continue
        changes.append(
            ChangeFields(
                original.date(),
                "moved",
                new_date=begins.date() if begins.date() != original.date() else None,
                new_start_time=begins.time() if begins.time() != fields["start_time"] else None,
                new_end_time=ends.time() if ends.time() != fields["end_time"] else None,
            )
        )
    return changes


def _our_dates(schedule, changes, after: datetime, before: datetime, zone) -> set[tuple]:
    slots = sched.expand(
        schedule,
        start=(after - timedelta(days=sched.MAX_DURATION_DAYS)).replace(tzinfo=zone),
        end=before.replace(tzinfo=zone),
    )
    out = set()
    for plan in sched.apply_changes(slots, changes, schedule):
        begins = plan.start.astimezone(zone).replace(tzinfo=None)
        ends = plan.end.astimezone(zone).replace(tzinfo=None)
        original = plan.original_start.astimezone(zone).replace(tzinfo=None)
        if ends >= after and original < before:
            out.add((begins, ends, plan.status == "cancelled"))
    return out


# ---- The file ----------------------------------------------------------------------------


def read_calendar(data: bytes) -> icalendar.Calendar:
    """The parsed calendar, or ImportError with what to do next."""
    if len(data) > MAX_BYTES:
        raise ImportError(
            _("This calendar is larger than %(mb)s MB. Please import a smaller one.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    count = data.upper().count(b"BEGIN:VEVENT")
    if count > MAX_EVENTS:
        raise ImportError(
            _(
                "This calendar holds %(n)s events; we can import at most %(max)s at a time. "
                "Please export a shorter period."
            )
            % {"n": count, "max": MAX_EVENTS}
        )
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise ImportError(
            _("This is not an iCalendar (.ics) file. Please give your calendar's iCal address.")
        )
    unreadable = ImportError(
        _(
            "We could not read this calendar: it is not valid iCalendar. Please export "
            "it again from your calendar app."
        )
    )
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as error:
        raise unreadable from error
    if not calendars:
        raise unreadable
    return calendars[0]


def plan_import(data: bytes, *, today: date, default_tz: str = sched.DEFAULT_TZ) -> ImportPlan:
    """Give what importing `data` would make (see the module docstring); raise ImportError."""
    calendar = read_calendar(data)
    by_uid: dict[str, list] = {}
    order: list[str] = []
    for component in calendar.walk("VEVENT"):
        uid = _uid(component)
        if uid not in by_uid:
            order.append(uid)
        by_uid.setdefault(uid, []).append(component)
    if not order:
        raise ImportError(_("This calendar has no events in it."))
    plan = ImportPlan()
    for uid in order:
        components = by_uid[uid]
        masters = [c for c in components if c.get("RECURRENCE-ID") is None]
        overrides = [c for c in components if c.get("RECURRENCE-ID") is not None]
        title = _text((masters or overrides)[0], "SUMMARY") or _("Untitled event")
        try:
            if len(masters) != 1:
                raise Unsupported(
                    _("It changes dates of a series that is not in the file.")
                    if not masters
                    else _("The file holds it more than once under the same UID.")
                )
            item, past = _event(masters[0], overrides, default_tz=default_tz, today=today)
        except Unsupported as error:
            plan.refused.append(Refused(uid=uid, title=title, reason=str(error)))
            continue
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
            plan.refused.append(
                Refused(uid=uid, title=title, reason=_("We could not read this event."))
            )
            continue
        if past:
            plan.past += 1
        else:
            plan.items.append(item)
    return plan


# ---- What the preview shows --------------------------------------------------------------


def moved_label(change: ChangeFields, item: ImportItem) -> str:
    """Give "from 27 January 2026 to Wednesday 28 January 2026, 6pm" for a moved date."""
    day = change.new_date or change.original_date
    text = _("from %(was)s to %(now)s") % {
        "was": sched.format_date(change.original_date, weekday=True),
        "now": sched.format_date(day, weekday=True),
    }
    if change.new_start_time and not item.all_day:
        text += ", " + sched.format_time(change.new_start_time)
    return text


def count_summary(plan: ImportPlan) -> str:
    series = sum(1 for item in plan.items if item.kind == SERIES)
    one_offs = len(plan.items) - series
    return _("%(series)s and %(once)s") % {
        "series": ngettext("%(n)s series", "%(n)s series", series) % {"n": series},
        "once": ngettext("%(n)s one-off event", "%(n)s one-off events", one_offs) % {"n": one_offs},
    }


def first_dates(items: Iterable[ImportItem]) -> dict:
    """Give {uid: the first local start} (for ordering the preview)."""
    found = {}
    for item in items:
        first = sched.first_start(item.schedule)
        found[item.uid] = first.astimezone(UTC) if first else None
    return found

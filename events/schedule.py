"""Schedules of events, expanded into dates: pure code, no ORM, no request.

An event's schedule is local wall-clock time plus a time zone: 19:00 stays 19:00 when
the clocks change. The model (``EventPage``) holds the same fields as ``Schedule`` and
gives one with ``EventPage.schedule``.

For the iCal feeds (one VEVENT per series):

- ``first_start(schedule)`` is the DTSTART to use (the first date the rule gives, which
  need not be ``start_date``); the set this module expands to from ``start_date`` is the
  RFC 5545 set from that DTSTART, so a feed and a page list the same dates.
- ``rrule_parts(schedule)`` gives the RRULE as a dict for ``icalendar.vRecur`` (None for a
  one-off), with UNTIL in UTC as RFC 5545 asks when DTSTART has a TZID.
- ``local_start(schedule, day)`` gives the local start on a day: RDATE for each of
  ``extra_dates`` and EXDATE for each of ``excluded_dates``.
- ``expand(schedule, start=..., end=...)`` gives ``Slot``s; ``apply_changes(slots, changes,
  schedule)`` lays one-date changes (cancelled, moved, a note) over them as ``Planned``.
  A moved date is a RECURRENCE-ID override whose RECURRENCE-ID is its ``original_start``.

COUNT counts the rule's own dates (before exclusions), as RFC 5545 does; extra dates come
on top, and an excluded date is excluded even when it is also an extra date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurrence
from django.utils import dates as django_dates
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext, pgettext_lazy

DEFAULT_TZ = "Europe/London"

ONCE, DAILY, WEEKLY, MONTHLY = "once", "daily", "weekly", "monthly"
FREQUENCIES = (ONCE, DAILY, WEEKLY, MONTHLY)
# Monthly: on the start date's day of the month, on the last day, or on the Nth weekday.
BY_DAY, BY_LAST_DAY, BY_WEEKDAY = "day", "last_day", "weekday"
MONTHLY_MODES = (BY_DAY, BY_LAST_DAY, BY_WEEKDAY)
NTH_CHOICES = (1, 2, 3, 4, 5, -1)  # -1 is "the last"
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index 0 is Monday
# How a series ends (the organiser's ``ends`` field).
ENDS_NEVER, ENDS_ON_DATE, ENDS_AFTER_COUNT = "never", "on_date", "after_count"
RECURRENCE_FREQUENCIES = {
    DAILY: recurrence.DAILY,
    WEEKLY: recurrence.WEEKLY,
    MONTHLY: recurrence.MONTHLY,
}

# Guards against runaway rules: organisers get a clear message instead.
MAX_INTERVAL = 52
MAX_COUNT = 500
MAX_DURATION_DAYS = 31


class ScheduleError(ValueError):
    """A schedule that cannot be: its message is a full sentence for the organiser."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Schedule:
    """When an event happens, in local wall-clock time (see the module docstring)."""

    start_date: date
    start_time: time
    end_time: time
    duration_days: int = 0  # the first date ends this many days after it starts
    frequency: str = ONCE
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 is Monday; weekly (and monthly BY_WEEKDAY)
    monthly_mode: str = BY_DAY
    monthly_nth: int = 1
    until: date | None = None
    count: int | None = None
    extra_dates: tuple[date, ...] = ()
    excluded_dates: tuple[date, ...] = ()
    tz: str = DEFAULT_TZ

    @classmethod
    def from_fields(
        cls,
        *,
        start_date: date,
        start_time: time,
        end_time: time,
        duration_days: int | None = 0,
        frequency: str = ONCE,
        interval: int | None = 1,
        weekdays: str = "",
        monthly_mode: str = BY_DAY,
        monthly_nth: int = 1,
        ends: str = ENDS_NEVER,
        until: date | None = None,
        count: int | None = None,
        extra_dates: str = "",
        excluded_dates: str = "",
        time_zone: str = "",
    ) -> Schedule:
        """Give the schedule an organiser's plain fields describe (as ``EventPage`` stores them).

        ``weekdays`` is "MO,TH"; ``extra_dates`` and ``excluded_dates`` are ISO dates, one a
        line; ``until`` and ``count`` count only when ``ends`` says so.
        """
        return cls(
            start_date=start_date,
            start_time=start_time,
            end_time=end_time,
            duration_days=duration_days or 0,
            frequency=frequency,
            interval=interval or 1,
            weekdays=weekday_numbers(weekdays),
            monthly_mode=monthly_mode,
            monthly_nth=monthly_nth,
            until=until if ends == ENDS_ON_DATE else None,
            count=count if ends == ENDS_AFTER_COUNT else None,
            extra_dates=parse_dates(extra_dates),
            excluded_dates=parse_dates(excluded_dates),
            tz=time_zone or DEFAULT_TZ,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def is_recurring(self) -> bool:
        return self.frequency != ONCE

    @property
    def days(self) -> tuple[int, ...]:
        """The weekdays the rule uses, defaulting to the start date's weekday."""
        return tuple(sorted(set(self.weekdays))) or (self.start_date.weekday(),)


@dataclass(frozen=True)
class Slot:
    """One date the schedule gives, as aware datetimes in the schedule's zone."""

    original_start: datetime
    end: datetime


@dataclass(frozen=True)
class Change:
    """One date changed without touching the rest of the series."""

    original_date: date
    status: str  # "cancelled", "moved" or "scheduled" (going ahead, with a note)
    note: str = ""
    new_date: date | None = None
    new_start_time: time | None = None
    new_end_time: time | None = None
    venue_id: int | None = None


@dataclass(frozen=True)
class Planned:
    """One occurrence as it should be stored: the slot with its change, if any."""

    original_start: datetime
    start: datetime
    end: datetime
    status: str = "scheduled"
    note: str = ""
    venue_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)


def weekday_numbers(codes: str) -> tuple[int, ...]:
    """Give the weekdays in "MO,TH" as numbers (0 is Monday), skipping unknown codes."""
    found = [c.strip().upper() for c in (codes or "").split(",") if c.strip()]
    return tuple(WEEKDAY_CODES.index(c) for c in found if c in WEEKDAY_CODES)


def parse_dates(text: str) -> tuple[date, ...]:
    """Give the ISO dates in `text` (one a line), skipping blanks."""
    return tuple(
        sorted({date.fromisoformat(line.strip()) for line in (text or "").split() if line.strip()})
    )


def _aware(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Give `day` at wall-clock `at` in `zone`; a time the clocks skip moves on past the gap."""
    naive = datetime.combine(day, at)
    local = naive.replace(tzinfo=zone)
    # A wall-clock time in the spring gap does not exist: round-trip through UTC so it
    # lands on the real instant an hour later (what calendar apps show too).
    return local.astimezone(UTC).astimezone(zone)


def local_start(schedule: Schedule, day: date) -> datetime:
    """Give the local start of the schedule on `day` (for RDATE, EXDATE and RECURRENCE-ID)."""
    return _aware(day, schedule.start_time, schedule.zone)


def _end_for(schedule: Schedule, day: date, end_time: time | None = None) -> datetime:
    return _aware(
        day + timedelta(days=schedule.duration_days),
        end_time or schedule.end_time,
        schedule.zone,
    )


def slot(schedule: Schedule, day: date) -> Slot:
    """Give the slot the schedule has on `day`: its local start and its end."""
    return Slot(original_start=local_start(schedule, day), end=_end_for(schedule, day))


def _wall_clock(schedule: Schedule, day: date) -> datetime:
    # Naive on purpose: django-recurrence expands wall-clock times, and a naive datetime
    # never meets its UTC serialiser or the server's time zone (see DESIGN.md's trap).
    return datetime.combine(day, schedule.start_time)


def recurrence_rule(schedule: Schedule) -> recurrence.Rule | None:
    """Give the series' rule as a ``recurrence.Rule`` in local wall-clock time, or None for a
    one-off or a rule that gives no date at all (its only dates are extra dates).

    UNTIL is the wall-clock start on the last date, so the last date is included. A rule with
    no date of its own is left out: a calendar app would count its weeks or months from the
    first extra date instead (DTSTART), and could find dates that the rule does not give.
    """
    s = schedule
    rule = _rule(s)
    if rule is None or s.count == 0 or next(iter(_as_rrule(s, rule)), None) is None:
        return None
    return rule


def _rule(schedule: Schedule) -> recurrence.Rule | None:
    s = schedule
    if s.frequency == ONCE:
        return None
    by: dict = {}
    if s.frequency == WEEKLY:
        by["byday"] = [recurrence.Weekday(d) for d in s.days]
    elif s.frequency == MONTHLY:
        if s.monthly_mode == BY_WEEKDAY:
            by["byday"] = [recurrence.Weekday(d, s.monthly_nth) for d in s.days]
        elif s.monthly_mode == BY_LAST_DAY:
            by["bymonthday"] = [-1]
        else:
            # RFC 5545: a month without that day (the 31st in June) is skipped.
            by["bymonthday"] = [s.start_date.day]
    return recurrence.Rule(
        RECURRENCE_FREQUENCIES[s.frequency],
        interval=s.interval,
        wkst=0,  # weeks start on Monday, whatever the server's locale says
        count=s.count,
        until=_wall_clock(s, s.until) if s.until is not None else None,
        **by,
    )


def _as_rrule(schedule: Schedule, rule: recurrence.Rule):
    """Give the rule's own dateutil rrule from the start date (quicker than a whole rruleset)."""
    return rule.to_dateutil_rrule(dtstart=_wall_clock(schedule, schedule.start_date))


def _once_gives_its_date(schedule: Schedule) -> bool:
    s = schedule
    return (s.count is None or s.count >= 1) and (s.until is None or s.until >= s.start_date)


def to_recurrence(schedule: Schedule) -> recurrence.Recurrence:
    """Give the schedule as a ``recurrence.Recurrence``: its rule, extra and excluded dates.

    Every datetime in it is naive local wall-clock time (``start_time`` on each date);
    ``expand`` places them in the schedule's zone afterwards.
    """
    s = schedule
    rule = recurrence_rule(s)
    rdates = [_wall_clock(s, d) for d in s.extra_dates]
    if s.frequency == ONCE and _once_gives_its_date(s):
        rdates.append(_wall_clock(s, s.start_date))
    return recurrence.Recurrence(
        dtstart=_wall_clock(s, s.start_date),
        rrules=[rule] if rule is not None else [],
        rdates=rdates,
        exdates=[_wall_clock(s, d) for d in s.excluded_dates],
        # DTSTART is where the rule starts counting, not a date of its own: the start date
        # is a date only when the rule gives it.
        include_dtstart=False,
    )


def _rule_moments(
    schedule: Schedule, after: date | None = None, before: date | None = None
) -> Iterable[datetime]:
    """Give the rule's own wall-clock starts (no extra or excluded dates; COUNT counts them),
    from `after` to `before` (inclusive) when given."""
    s = schedule
    rule = _rule(s)
    if rule is None:
        found = [_wall_clock(s, s.start_date)] if _once_gives_its_date(s) else []
    elif s.count == 0:
        found = []
    else:
        found = _as_rrule(s, rule)
        if after is not None and before is not None:
            return found.between(_wall_clock(s, after), _wall_clock(s, before), inc=True)
    # Lazily: an open-ended rule goes on for ever.
    return (
        moment
        for moment in found
        if (after is None or moment.date() >= after) and (before is None or moment.date() <= before)
    )


def dates_given(schedule: Schedule, days: Iterable[date]) -> set[date]:
    """Give which of `days` the schedule has a date on (one pass, however many days)."""
    days = set(days)
    if not days:
        return set()
    ruled = {m.date() for m in _rule_moments(schedule, min(days), max(days))}
    return ((ruled & days) | (days & set(schedule.extra_dates))) - set(schedule.excluded_dates)


def gives(schedule: Schedule, day: date) -> bool:
    """Whether the schedule has a date on `day` (without expanding it to datetimes)."""
    return day in dates_given(schedule, [day])


def expand(schedule: Schedule, *, start: datetime | None = None, end: datetime) -> list[Slot]:
    """Give every slot whose original start is in [start, end), in order.

    `start` and `end` are aware datetimes; `start` None means from the beginning.
    django-recurrence expands the wall-clock dates; each is then placed in the zone.
    """
    zone = schedule.zone
    # A day's margin either side: the exact bounds are checked on the placed times.
    before = datetime.combine(end.astimezone(zone).date(), time.max)
    after = datetime.min
    if start is not None:
        after = datetime.combine(start.astimezone(zone).date() - timedelta(days=1), time())
    slots = []
    for moment in to_recurrence(schedule).between(after, before, inc=True):
        found = slot(schedule, moment.date())
        if found.original_start >= end or (start is not None and found.original_start < start):
            continue
        slots.append(found)
    return slots


def first_start(schedule: Schedule) -> datetime | None:
    """Give the first local start the schedule produces (DTSTART for a feed), or None."""
    # The rule's first date stays DTSTART even when it is excluded (an EXDATE removes
    # it), so weeks and months are counted from where a calendar app counts them.
    rule_first = next(iter(_rule_moments(schedule)), None)
    if rule_first is not None:
        return local_start(schedule, rule_first.date())
    extras = set(schedule.extra_dates) - set(schedule.excluded_dates)
    return local_start(schedule, min(extras)) if extras else None


def rrule_parts(schedule: Schedule) -> dict | None:
    """Give the RRULE as a dict for ``icalendar.vRecur``, or None for a one-off.

    The same rule as ``recurrence_rule``, with UNTIL in UTC as RFC 5545 asks beside a TZID.
    """
    s = schedule
    rule = recurrence_rule(s)
    if rule is None:
        return None
    parts: dict = {"FREQ": s.frequency.upper()}
    if rule.interval != 1:
        parts["INTERVAL"] = rule.interval
    if rule.byday:
        parts["BYDAY"] = [repr(day) for day in rule.byday]
    if rule.bymonthday:
        parts["BYMONTHDAY"] = list(rule.bymonthday)
    if rule.count is not None:
        parts["COUNT"] = rule.count
    elif s.until is not None:
        parts["UNTIL"] = local_start(s, s.until).astimezone(UTC)
    return parts


def apply_changes(
    slots: Iterable[Slot], changes: Iterable[Change], schedule: Schedule
) -> list[Planned]:
    """Give the slots as occurrences, each with its one-date change laid over it."""
    by_date = {c.original_date: c for c in changes}
    zone = schedule.zone
    planned = []
    for slot in slots:
        change = by_date.get(slot.original_start.astimezone(zone).date())
        if change is None:
            planned.append(Planned(slot.original_start, slot.original_start, slot.end))
            continue
        begins, ends = slot.original_start, slot.end
        if change.status == "moved":
            day = change.new_date or slot.original_start.astimezone(zone).date()
            begins = _aware(day, change.new_start_time or schedule.start_time, zone)
            ends = _end_for(schedule, day, change.new_end_time)
            if ends <= begins:
                ends = begins + (slot.end - slot.original_start)
        planned.append(
            Planned(
                original_start=slot.original_start,
                start=begins,
                end=ends,
                status=change.status,
                note=change.note,
                venue_id=change.venue_id if change.status == "moved" else None,
            )
        )
    return planned


def validate(schedule: Schedule, *, today: date | None = None) -> None:
    """Raise ScheduleError when the schedule is impossible; return None when it is fine."""
    s = schedule
    if s.frequency not in FREQUENCIES:
        raise ScheduleError(_("Please choose how often the event happens."), "frequency")
    try:
        ZoneInfo(s.tz)
    except (KeyError, ValueError) as error:
        raise ScheduleError(
            _("“%(tz)s” is not a time zone we know.") % {"tz": s.tz}, "tz"
        ) from error
    if not 0 <= s.duration_days <= MAX_DURATION_DAYS:
        raise ScheduleError(
            _("An event can last at most %(n)s days. Please split a longer one into parts.")
            % {"n": MAX_DURATION_DAYS},
            "duration_days",
        )
    if _end_for(s, s.start_date) <= local_start(s, s.start_date):
        raise ScheduleError(
            _(
                "The event ends before it starts. Please check the times, or say how many "
                "days it runs for."
            ),
            "end_time",
        )
    if s.is_recurring:
        if not 1 <= s.interval <= MAX_INTERVAL:
            raise ScheduleError(
                _("“Every how many” must be a number from 1 to %(n)s.") % {"n": MAX_INTERVAL},
                "interval",
            )
        if s.until is not None and s.until < s.start_date:
            raise ScheduleError(
                _("The series ends before it starts. Please choose an end date after the start."),
                "until",
            )
        if s.count is not None and not 1 <= s.count <= MAX_COUNT:
            raise ScheduleError(
                _("The number of dates must be from 1 to %(n)s.") % {"n": MAX_COUNT}, "count"
            )
        if s.monthly_nth not in NTH_CHOICES:
            raise ScheduleError(_("Please choose first, second, third, fourth, fifth or last."))
        if any(not 0 <= d <= 6 for d in s.weekdays):
            raise ScheduleError(_("Please choose days of the week from the list."), "weekdays")
        span = s.duration_days + 1
        gap = {DAILY: s.interval, WEEKLY: 7 * s.interval, MONTHLY: 28 * s.interval}[s.frequency]
        if s.frequency == WEEKLY and len(s.days) > 1:
            ordered = sorted(s.days)
            gap = min(
                [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
                + [7 * s.interval - ordered[-1] + ordered[0]]
            )
        if span > gap:
            raise ScheduleError(
                _(
                    "Each date would run into the next one. Please make the event shorter "
                    "or the dates further apart."
                ),
                "duration_days",
            )
    # A rule that can give no date at all (the 5th Monday of February only, an end date
    # before the first date the rule reaches, every date excluded) is refused.
    # Found lazily: the first date is enough.
    horizon = (s.until or s.start_date) + timedelta(days=400 * max(s.interval, 1))
    first = next(iter(to_recurrence(s).to_dateutil_rruleset()), None)
    if first is None or first.date() >= horizon:
        raise ScheduleError(
            _(
                "These settings give no dates at all. Please check the start date, the end "
                "date and the days you chose."
            )
        )


# ---- The readable summary ("Every Tuesday, 7 to 9pm, from 6 January") --------------------

# Weekday and month names are Django's own, translated in Django's catalogues; the ways
# dates are written are date formats, translated in ours (the same in Welsh and Dutch).
WEEKDAY_NAMES = tuple(django_dates.WEEKDAYS[d] for d in range(7))  # lazy: Monday first
# Our catalogues take these names before Django's: its Welsh begins each weekday with a
# capital ("Dydd Llun") and spells July "Gorffenaf"; ours are written as Welsh is in the
# middle of a sentence ("bob dydd Llun") and spell it "Gorffennaf". describe() gives each
# summary a capital first letter, as Dutch needs too ("zaterdag 6 juni" -> "Zaterdag ...").
_NAMES_OURS_FIRST = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
    gettext_noop("July"),
)


def _weekday_name(d: int) -> str:
    return str(django_dates.WEEKDAYS[d])


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _speaks_english() -> bool:
    return (translation.get_language() or "en").startswith("en")


def format_time(at: time) -> str:
    """Give a time as people say it: 7pm, 7:30pm, midday; in Welsh or Dutch, its own way.

    English has its own short form (the style guide's "7pm"); other languages use their
    locale's time format from Django ("7 y.h." in Welsh, "19:00" in Dutch).
    """
    if not _speaks_english():
        return formats.time_format(at)
    if at == time(12, 0):
        return _("midday")
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    minutes = f":{at.minute:02d}" if at.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_time_range(begins: time, ends: time) -> str:
    """Give "7 to 9pm", "11am to 1pm" or "10:30am to midday" ("19:00 tot 21:00" in Dutch)."""
    first = format_time(begins)
    same_half = (begins.hour < 12) == (ends.hour < 12) and time(12, 0) not in (begins, ends)
    if same_half and _speaks_english():
        first = first[:-2]
    return _("%(begins)s to %(ends)s") % {"begins": first, "ends": format_time(ends)}


def format_date(day: date, *, today: date | None = None, weekday: bool = False) -> str:
    """Give "6 January" (this year), "6 January 2027" or, with weekday, "Tuesday 6 January".

    Django's date formatting, with its translated month and weekday names.
    """
    with_year = today is None or day.year != today.year
    if weekday:
        if with_year:
            fmt = pgettext("date: weekday, day, month and year", "l j F Y")
        else:
            fmt = pgettext("date: weekday, day and month", "l j F")
    elif with_year:
        fmt = pgettext("date: day, month and year", "j F Y")
    else:
        fmt = formats.get_format("MONTH_DAY_FORMAT")
    return formats.date_format(day, fmt)


def _ordinal(n: int) -> str:
    """Give the day of the month as an ordinal: 1st, 15th (Welsh 15fed, Dutch 15e)."""
    return str(DAY_ORDINALS[n - 1])


DAY_ORDINALS = (
    pgettext_lazy("day of the month", "1st"),
    pgettext_lazy("day of the month", "2nd"),
    pgettext_lazy("day of the month", "3rd"),
    pgettext_lazy("day of the month", "4th"),
    pgettext_lazy("day of the month", "5th"),
    pgettext_lazy("day of the month", "6th"),
    pgettext_lazy("day of the month", "7th"),
    pgettext_lazy("day of the month", "8th"),
    pgettext_lazy("day of the month", "9th"),
    pgettext_lazy("day of the month", "10th"),
    pgettext_lazy("day of the month", "11th"),
    pgettext_lazy("day of the month", "12th"),
    pgettext_lazy("day of the month", "13th"),
    pgettext_lazy("day of the month", "14th"),
    pgettext_lazy("day of the month", "15th"),
    pgettext_lazy("day of the month", "16th"),
    pgettext_lazy("day of the month", "17th"),
    pgettext_lazy("day of the month", "18th"),
    pgettext_lazy("day of the month", "19th"),
    pgettext_lazy("day of the month", "20th"),
    pgettext_lazy("day of the month", "21st"),
    pgettext_lazy("day of the month", "22nd"),
    pgettext_lazy("day of the month", "23rd"),
    pgettext_lazy("day of the month", "24th"),
    pgettext_lazy("day of the month", "25th"),
    pgettext_lazy("day of the month", "26th"),
    pgettext_lazy("day of the month", "27th"),
    pgettext_lazy("day of the month", "28th"),
    pgettext_lazy("day of the month", "29th"),
    pgettext_lazy("day of the month", "30th"),
    pgettext_lazy("day of the month", "31st"),
)

# Whole phrases, since languages put the ordinal in different places ("y dydd Mawrth
# cyntaf", "yr ail ddydd Mawrth" in Welsh).
NTH_WEEKDAY = {
    1: gettext_lazy("the first %(days)s"),
    2: gettext_lazy("the second %(days)s"),
    3: gettext_lazy("the third %(days)s"),
    4: gettext_lazy("the fourth %(days)s"),
    5: gettext_lazy("the fifth %(days)s"),
    -1: gettext_lazy("the last %(days)s"),
}


def _every(s: Schedule) -> str:
    days = _join([_weekday_name(d) for d in s.days])
    if s.frequency == DAILY:
        if s.interval == 1:
            return _("Every day")
        if s.interval == 2:
            return _("Every other day")
        return _("Every %(n)s days") % {"n": s.interval}
    if s.frequency == WEEKLY:
        if s.interval == 1:
            return _("Every %(days)s") % {"days": days}
        if s.interval == 2:
            return _("Every other %(days)s") % {"days": days}
        return _("Every %(n)s weeks on %(days)s") % {"n": s.interval, "days": days}
    if s.monthly_mode == BY_WEEKDAY:
        what = str(NTH_WEEKDAY[s.monthly_nth]) % {"days": days}
    elif s.monthly_mode == BY_LAST_DAY:
        what = _("the last day")
    else:
        what = _("the %(day)s") % {"day": _ordinal(s.start_date.day)}
    if s.interval == 1:
        return _("On %(what)s of every month") % {"what": what}
    if s.interval == 2:
        return _("On %(what)s of every other month") % {"what": what}
    return _("On %(what)s of every %(n)s months") % {"what": what, "n": s.interval}


def describe(schedule: Schedule, *, today: date | None = None) -> str:
    """Give the schedule as a sentence: "Every Tuesday, 7 to 9pm, from 6 January"."""
    s = schedule
    if not s.is_recurring:
        if s.duration_days:
            last = s.start_date + timedelta(days=s.duration_days)
            text = _("From %(first)s, %(begins)s, to %(last)s, %(ends)s") % {
                "first": format_date(s.start_date, today=today, weekday=True),
                "begins": format_time(s.start_time),
                "last": format_date(last, today=today, weekday=True),
                "ends": format_time(s.end_time),
            }
        else:
            text = _("%(day)s, %(times)s") % {
                "day": format_date(s.start_date, today=today, weekday=True),
                "times": format_time_range(s.start_time, s.end_time),
            }
    else:
        first = first_start(s)
        first_day = first.date() if first else s.start_date
        times = format_time_range(s.start_time, s.end_time)
        if s.duration_days:
            times = ngettext(
                "%(begins)s to %(ends)s the next day",
                "%(begins)s to %(ends)s %(n)s days later",
                s.duration_days,
            ) % {
                "begins": format_time(s.start_time),
                "ends": format_time(s.end_time),
                "n": s.duration_days,
            }
        text = _("%(every)s, %(times)s, from %(first)s") % {
            "every": _every(s),
            "times": times,
            "first": format_date(first_day, today=today),
        }
        if s.count is not None:
            text += ngettext(", %(n)s time", ", %(n)s times", s.count) % {"n": s.count}
        elif s.until is not None:
            text += _(", until %(day)s") % {"day": format_date(s.until, today=today)}
    if s.extra_dates:
        text += _("; also on %(days)s") % {
            "days": _join([format_date(d, today=today) for d in sorted(s.extra_dates)])
        }
    if s.excluded_dates:
        text += _("; not on %(days)s") % {
            "days": _join([format_date(d, today=today) for d in sorted(s.excluded_dates)])
        }
    return capfirst(text)


# The fields that make up an event's schedule (the editor checks them together;
# feeds read exactly these).
SCHEDULE_FIELDS = (
    "start_date",
    "start_time",
    "end_time",
    "duration_days",
    "frequency",
    "interval",
    "weekdays",
    "monthly_mode",
    "monthly_nth",
    "ends",
    "until",
    "count",
    "extra_dates",
    "excluded_dates",
)

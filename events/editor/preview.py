"""The schedule as the editor and the moderator's preview show it: pure, no ORM."""

from datetime import UTC, datetime, timedelta

from django.utils import formats, timezone

from .. import schedule as sched


def schedule_preview(schedule: sched.Schedule, changes=(), *, count: int = 8, now=None) -> dict:
    """The readable summary and the next `count` dates, with their changes laid over them.

    Through the same expansion as the stored occurrences (``events.schedule``), so the
    editor, the preview and the published page agree.
    """
    now = now or timezone.now()
    end = now + timedelta(days=2 * 366)
    if schedule.until:
        end = min(
            end, datetime.combine(schedule.until + timedelta(days=2), datetime.min.time(), UTC)
        )
    slots = [s for s in sched.expand(schedule, start=now, end=end) if s.end >= now][:count]
    return {
        "summary": sched.describe(schedule, today=timezone.localdate()),
        "dates": sched.apply_changes(slots, changes, schedule),
    }


def series_dates(schedule: sched.Schedule, *, days: int = 366, now=None) -> list:
    """The series' own dates from a month ago to `days` ahead (for "date it changes")."""
    now = now or timezone.now()
    slots = sched.expand(schedule, start=now - timedelta(days=31), end=now + timedelta(days=days))
    return [s.original_start.astimezone(schedule.zone).date() for s in slots]


# How a date reads everywhere in the admin we wrote: "Tuesday 8 December 2026".
BRITISH_DATE = "l j F Y"


def date_label(moment: datetime, zone) -> str:
    """Give "Tuesday 8 December 2026, 7pm" for an aware datetime, in `zone`."""
    local = moment.astimezone(zone)
    return f"{formats.date_format(local, BRITISH_DATE)}, {sched.format_time(local.time())}"

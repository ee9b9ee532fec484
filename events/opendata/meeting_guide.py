"""The Meeting Guide feed (/meetings.json) that recovery meeting-finder apps read.

The code4recovery Meeting Guide specification covers weekly meetings only, so:

- an event is listed when its schedule is weekly (every week, or every day) and it is in the
  "Mutual-aid meetings" category or its group chose to list it (``in_meeting_finders``);
- a series on several weekdays is one entry per weekday, each with its own stable slug;
- fortnightly, monthly and other series, and one-offs, are left out: an app would show them
  every week. Their full rule is in the iCal feeds (README: "Meeting-finder apps").

Pure: records in (events/opendata/records.py), plain dicts out.
"""

from __future__ import annotations

from datetime import UTC, date

from .. import schedule as sched
from .records import City, EventRecord

MUTUAL_AID_CATEGORY = "mutual-aid-meetings"

# Our language codes to the specification's reserved language types (data/types.json).
LANGUAGE_TYPES = {
    "en": "EN",
    "cy": None,  # Welsh has no reserved code yet
    "de": "DE",
    "es": "S",
    "fr": "FR",
    "it": "ITA",
    "nl": "NL",
    "pl": "POL",
    "pt": "POR",
    "ro": None,
    "ru": "RUS",
    "uk": "UK",
    "ar": "AR",
    "fa": "FA",
    "hi": "HI",
    "pa": "PUN",
}


def is_weekly(schedule: sched.Schedule) -> bool:
    """Whether the specification can describe the schedule: every week (or every day)."""
    return schedule.frequency in (sched.WEEKLY, sched.DAILY) and schedule.interval == 1


def is_listed(event: EventRecord, *, today: date) -> bool:
    """Whether `event` belongs in the feed: weekly, chosen or a mutual-aid meeting, not over."""
    chosen = event.in_meeting_finders or any(
        slug == MUTUAL_AID_CATEGORY for slug, _name in event.categories
    )
    s = event.schedule
    over = s.until is not None and s.until < today
    return chosen and is_weekly(s) and not over


def spec_day(weekday: int) -> int:
    """Give the specification's day (0 is Sunday) for Python's weekday (0 is Monday)."""
    return (weekday + 1) % 7


def meeting_types(event: EventRecord) -> list[str]:
    """Give the reserved Meeting Guide type codes our facts say (sorted, no duplicates)."""
    types = {"O" if event.open_to == "everyone" else "C"}
    venue = event.venue
    if venue is not None:
        if venue.step_free:
            types.add("X")
        if venue.accessible_toilet:
            types.add("XB")
    if event.welcomer:
        types.add("BE")
    if event.family_friendly:
        types.add("CF")
    language = LANGUAGE_TYPES.get((event.language or "en").split("-")[0].lower())
    if language:
        types.add(language)
    return sorted(types)


def _notes(event: EventRecord, labels: dict) -> str:
    lines = [event.summary]
    if event.bsl:
        lines.append(labels["bsl"])
    if event.schedule.duration_days:
        lines.append(labels["multi_day"])
    if event.venue is not None and event.venue.address_line_2:
        lines.append(event.venue.address_line_2)
    if event.schedule.excluded_dates or event.cancelled_dates:
        lines.append(labels["dates_off"])
    return "\n".join(line for line in lines if line)


def meeting_entries(events, *, city: City, today: date, labels: dict | None = None) -> list[dict]:
    """Give the feed: one entry per weekday of each listed weekly event, in slug order.

    `labels` holds the translated sentences for notes (see ``default_labels``).
    """
    labels = labels or default_labels()
    found = []
    for event in events:
        if not is_listed(event, today=today):
            continue
        s = event.schedule
        days = range(7) if s.frequency == sched.DAILY else s.days
        updated = (
            event.updated.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if event.updated else None
        )
        for weekday in days:
            entry = {
                "name": event.title,
                "slug": f"{event.uid}-{sched.WEEKDAY_CODES[weekday].lower()}",
                "day": spec_day(weekday),
                "time": s.start_time.strftime("%H:%M"),
                "timezone": s.tz,
                "types": meeting_types(event),
                "notes": _notes(event, labels),
                "url": event.url,
            }
            if not s.duration_days:
                entry["end_time"] = s.end_time.strftime("%H:%M")
            if updated:
                entry["updated"] = updated
            if event.group is not None:
                entry["group"] = event.group.title
            if event.online_url:
                entry["conference_url"] = event.online_url
            venue = event.venue
            if venue is not None:
                entry |= {
                    "location": venue.name,
                    "address": venue.address_line_1,
                    "city": venue.town,
                    "postal_code": venue.postcode,
                    "country": city.country,
                    "approximate": "no",
                }
                if venue.access_notes:
                    entry["location_notes"] = venue.access_notes
            else:
                # The specification asks online meetings for an approximate place: the city.
                entry |= {
                    "formatted_address": f"{city.name}, {city.country}",
                    "approximate": "yes",
                }
            if city.name:
                entry["entity"] = city.name
                if city.root_url:
                    entry["entity_url"] = city.root_url
                if city.email:
                    entry["entity_email"] = city.email
            found.append(entry)
    found.sort(key=lambda e: e["slug"])
    return found


def default_labels() -> dict:
    """The sentences the notes use, in the active language."""
    from django.utils.translation import gettext as _

    return {
        "bsl": _("With British Sign Language."),
        "multi_day": _("Runs over more than one day: see the event page for when it ends."),
        "dates_off": _("Some dates are off: see the event page for changes."),
    }

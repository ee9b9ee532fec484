"""Open Referral (HSDS 3.0, with the UK profile in mind) documents from our records: pure.

- organizations are our groups, services our events, locations our venues (with their
  access facts) and, for an online event, a virtual location;
- ids are UUIDs, as HSDS asks: an event's own ``uid``; for groups and venues, a UUID made
  from a fixed namespace and the row's id, so it never changes;
- schedules come from the event's rule (freq, interval, byday, bymonthday, until, count,
  dtstart). HSDS writes a time zone as a number of hours from UTC, which the clocks changing
  would break (19:00 in January is 19:00+00:00, in June 19:00+01:00). So a series is one
  schedule record per stretch between clock changes, each with ``valid_from``/``valid_to``,
  its offset in ``timezone`` and in ``opens_at``/``closes_at``: read with the rule inside its
  dates, every record gives the same local time. The records cover the dates we store (about
  18 months); the live document always has the next stretches.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .. import schedule as sched
from ..models.venues import ACCESS_FACTS
from .prices import price_amount
from .records import City, EventRecord, GroupRecord, VenueRecord

VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/overview.html"
# Fixed for ever: changing it would give every organisation and location a new id.
NAMESPACE = uuid.UUID("8d6f3c52-5b8e-4f4e-9d0c-6a1f0e2b7c31")
HORIZON = timedelta(days=548)  # as far ahead as the stored dates (events.services.HORIZON)

LANGUAGE_NAMES = {"en": "English", "cy": "Welsh", "pl": "Polish", "fr": "French"}


def entity_id(kind: str, key) -> str:
    """Give a stable UUID for one of our rows that has none of its own."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


# ---- time zones ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stretch:
    """Days from `first` to `last` (inclusive) when `at` local time has one UTC offset."""

    first: date
    last: date
    offset: timedelta


@lru_cache(maxsize=256)
def _noon_changes(tz: str, first: date, last: date) -> tuple[date, ...]:
    """Give the days in (first, last] whose noon offset differs from the day before's."""
    zone = ZoneInfo(tz)
    changes = []
    day = first
    previous = datetime.combine(day, time(12), zone).utcoffset()
    while day < last:
        day += timedelta(days=1)
        offset = datetime.combine(day, time(12), zone).utcoffset()
        if offset != previous:
            changes.append(day)
            previous = offset
    return tuple(changes)


def _offset(tz: str, day: date, at: time) -> timedelta:
    return sched._aware(day, at, ZoneInfo(tz)).utcoffset()


def stretches(tz: str, at: time, first: date, last: date) -> list[Stretch]:
    """Split [first, last] where the UTC offset of `at` local time changes."""
    bounds = []
    for day in _noon_changes(tz, first, last):
        # The clocks change in the small hours: a time before the change keeps the old offset
        # on the day itself, and the new one starts the day after.
        for candidate in (day - timedelta(days=1), day, day + timedelta(days=1)):
            if first < candidate <= last and _offset(tz, candidate, at) != _offset(
                tz, candidate - timedelta(days=1), at
            ):
                bounds.append(candidate)
                break
    found = []
    start = first
    for bound in [*bounds, last + timedelta(days=1)]:
        found.append(Stretch(start, bound - timedelta(days=1), _offset(tz, start, at)))
        start = bound
    return found


def offset_hours(offset: timedelta) -> float | int:
    hours = offset.total_seconds() / 3600
    return int(hours) if hours.is_integer() else hours


def clock(at: time, offset: timedelta) -> str:
    """Give "19:00+01:00": a local time with its offset, as HSDS asks for opens_at."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{at:%H:%M}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


# ---- schedules ---------------------------------------------------------------------------


def rule_fields(schedule: sched.Schedule) -> dict | None:
    """Give the HSDS rule fields (freq, interval, byday, bymonthday, until, count, wkst) for
    the schedule, or None when HSDS cannot say it (a one-off, every few days, a rule giving no
    date of its own)."""
    s = schedule
    if sched.recurrence_rule(s) is None or (s.frequency == sched.DAILY and s.interval != 1):
        return None
    fields: dict = {"wkst": "MO", "interval": s.interval}
    codes = sched.WEEKDAY_CODES
    if s.frequency == sched.DAILY:  # every day is weekly on every day
        fields |= {"freq": "WEEKLY", "byday": ",".join(codes)}
    elif s.frequency == sched.WEEKLY:
        fields |= {"freq": "WEEKLY", "byday": ",".join(codes[d] for d in s.days)}
    else:
        fields["freq"] = "MONTHLY"
        if s.monthly_mode == sched.BY_WEEKDAY:
            fields["byday"] = ",".join(f"{s.monthly_nth}{codes[d]}" for d in s.days)
        elif s.monthly_mode == sched.BY_LAST_DAY:
            fields["bymonthday"] = "-1"
        else:
            fields["bymonthday"] = str(s.start_date.day)
    if s.count is not None:
        fields["count"] = s.count
    elif s.until is not None:
        fields["until"] = s.until.isoformat()
    return fields


def _last_rule_date(schedule: sched.Schedule, first: date, horizon_end: date) -> date:
    s = schedule
    if s.count is not None:
        moments = list(sched._rule_moments(s))
        return max(m.date() for m in moments) if moments else first
    if s.until is not None:
        return min(s.until, horizon_end)
    return horizon_end


def _one_day(event: EventRecord, day: date, service_id: str, common: dict) -> dict:
    s = event.schedule
    end_day = day + timedelta(days=s.duration_days)
    return common | {
        "id": entity_id("schedule", f"{event.uid}:{day}"),
        "service_id": service_id,
        "valid_from": day.isoformat(),
        "valid_to": end_day.isoformat(),
        "dtstart": day.isoformat(),
        "timezone": offset_hours(_offset(s.tz, day, s.start_time)),
        "opens_at": clock(s.start_time, _offset(s.tz, day, s.start_time)),
        "closes_at": clock(s.end_time, _offset(s.tz, end_day, s.end_time)),
    }


def schedules(event: EventRecord, *, today: date, labels: dict) -> list[dict]:
    """Give the event's HSDS schedule records, from today to the end of the stored dates."""
    s = event.schedule
    service_id = event.uid
    common = {"description": labels["describe"](s)}
    if event.ical_url:
        common["schedule_link"] = event.ical_url
    if event.online_url and event.venue is not None:
        common["attending_type"] = labels["both"]
    elif event.online_url:
        common["attending_type"] = labels["online"]
    else:
        common["attending_type"] = labels["in_person"]
    off = sorted(set(s.excluded_dates) | set(event.cancelled_dates))
    off = [day for day in off if day >= today]
    if off:
        common["notes"] = labels["not_on"] % {
            "dates": ", ".join(sched.format_date(d, today=today) for d in off)
        }
    records = []
    rule = rule_fields(s)
    horizon_end = today + HORIZON
    if rule is not None:
        first = sched.first_start(s)
        if first is not None:
            anchor = first.date()
            begin = max(anchor, today)
            end = _last_rule_date(s, anchor, horizon_end)
            for stretch in stretches(s.tz, s.start_time, begin, end) if begin <= end else []:
                records.append(
                    common
                    | rule
                    | {
                        "id": entity_id("schedule", f"{event.uid}:{stretch.first}"),
                        "service_id": service_id,
                        "valid_from": stretch.first.isoformat(),
                        "valid_to": stretch.last.isoformat(),
                        "dtstart": anchor.isoformat(),
                        "timezone": offset_hours(stretch.offset),
                        "opens_at": clock(s.start_time, stretch.offset),
                        "closes_at": clock(
                            s.end_time,
                            _offset(
                                s.tz, stretch.first + timedelta(days=s.duration_days), s.end_time
                            ),
                        ),
                    }
                )
    elif s.frequency == sched.ONCE:
        if s.start_date >= today and s.start_date not in s.excluded_dates:
            records.append(_one_day(event, s.start_date, service_id, common))
    else:
        # Every few days: HSDS has no daily rule, so each stored date is its own record.
        for slot in sched.expand(
            s,
            start=sched._aware(today, time(), s.zone),
            end=sched._aware(horizon_end, time(), s.zone),
        ):
            records.append(_one_day(event, slot.original_start.date(), service_id, common))
    if rule is not None or s.frequency == sched.ONCE:
        for day in s.extra_dates:
            if day >= today and day not in s.excluded_dates:
                records.append(_one_day(event, day, service_id, common))
    return records


# ---- organisations, locations, services --------------------------------------------------


def organization(group: GroupRecord) -> dict:
    found = {
        "id": entity_id("group", group.pk),
        "name": group.title,
        "description": group.summary,
        "website": group.website or group.url,
        "uri": group.url,
    }
    if group.email:
        found["email"] = group.email
    return found


def venue_location(venue: VenueRecord, *, city: City, labels: dict) -> dict:
    location_id = entity_id("venue", venue.pk)
    address = {
        "id": entity_id("address", venue.pk),
        "location_id": location_id,
        "address_1": venue.address_line_1,
        "city": venue.town,
        # The UK profile asks for it: the city's county or region, else the town.
        "state_province": city.region or venue.town,
        "postal_code": venue.postcode,
        "country": city.country,
        "address_type": "physical",
    }
    if venue.address_line_2:
        address["address_2"] = venue.address_line_2
    accessibility = [
        {
            "id": entity_id("access", f"{venue.pk}:{name}"),
            "location_id": location_id,
            "description": str(label),
        }
        for name, label in ACCESS_FACTS
        if getattr(venue, name)
    ]
    if venue.access_notes:
        accessibility.append(
            {
                "id": entity_id("access", f"{venue.pk}:notes"),
                "location_id": location_id,
                "description": labels["access_notes"],
                "details": venue.access_notes,
            }
        )
    found = {
        "id": location_id,
        "location_type": "physical",
        "name": venue.name,
        "addresses": [address],
        "accessibility": accessibility,
    }
    if venue.transport_notes:
        found["transportation"] = venue.transport_notes
    return found


def online_location(event: EventRecord, *, labels: dict) -> dict:
    return {
        "id": entity_id("online", event.uid),
        "location_type": "virtual",
        "name": labels["online"],
        "url": event.online_url,
    }


def _language(event: EventRecord) -> dict:
    code = (event.language or "en").split("-")[0].lower()
    found = {"id": entity_id("language", f"{event.uid}:{code}"), "service_id": event.uid}
    found |= {"code": code}
    if code in LANGUAGE_NAMES:
        found["name"] = LANGUAGE_NAMES[code]
    return found


def service(
    event: EventRecord, *, city: City, today: date, labels: dict, full: bool = True
) -> dict:
    """Give the event as an HSDS service: the list's fields, and with `full` its children."""
    found = {
        "id": event.uid,
        "name": event.title,
        "description": event.summary,
        "url": event.url,
        "status": "active",
    }
    if event.group is not None:
        found["organization_id"] = entity_id("group", event.group.pk)
        found["organization"] = organization(event.group)
        if event.group.email:
            found["email"] = event.group.email
    if event.updated is not None:
        found["last_modified"] = event.updated.isoformat()
    if event.open_to != "everyone":
        found["eligibility_description"] = labels["recovery_only"]
    if event.bsl:
        found["interpretation_services"] = labels["bsl"]
    if not event.is_free and event.cost:
        found["fees_description"] = event.cost
    if not full:
        return found
    amount = price_amount(event.cost) if not event.is_free else 0
    cost = {"id": entity_id("cost", event.uid), "service_id": event.uid, "currency": city.currency}
    cost["option"] = labels["free"] if event.is_free else (event.cost or labels["paid"])
    if amount is not None:
        cost["amount"] = float(amount)
    locations = []
    if event.venue is not None:
        locations.append(venue_location(event.venue, city=city, labels=labels))
    if event.online_url:
        locations.append(online_location(event, labels=labels))
    found |= {
        "schedules": schedules(event, today=today, labels=labels),
        "languages": [_language(event)],
        "cost_options": [cost],
        "service_at_locations": [
            {
                "id": entity_id("service_at_location", f"{event.uid}:{location['id']}"),
                "service_id": event.uid,
                "location_id": location["id"],
                "location": location,
            }
            for location in locations
        ],
    }
    return found


def page(contents: list, *, total: int, number: int, per_page: int) -> dict:
    """Give a list answer as the HSDS API reference's Page: its counts, then `contents`."""
    pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def default_labels() -> dict:
    """The words the documents use, in the active language."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    today = timezone.localdate()
    return {
        "describe": lambda s: sched.describe(s, today=today),
        "online": _("Online"),
        "in_person": _("In person"),
        "both": _("In person or online"),
        # Translators: %(dates)s is a list of dates.
        "not_on": _("Not on %(dates)s."),
        "recovery_only": _("For people in recovery only."),
        "bsl": _("British Sign Language"),
        "free": _("Free"),
        "paid": _("There is a cost: see the event page."),
        "access_notes": _("More about access"),
    }

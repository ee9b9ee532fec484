"""schema.org Event data for search engines and link previews (JSON-LD on event pages).

One Event per coming date (its own status, place and offer) and, for a series, one Event
with its ``eventSchedule`` (the rule as schema.org says it: byDay, repeatFrequency,
exceptDate, scheduleTimezone). Country and currency come from the city's settings.
"""

from __future__ import annotations

from django.utils import timezone

from home.locale import locale_language

from . import schedule as sched
from .models import EventPage, Occurrence
from .opendata.prices import price_amount

SCHEMA_DAYS = (
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
)
FREQUENCY_UNITS = {sched.DAILY: "D", sched.WEEKLY: "W", sched.MONTHLY: "M"}

STATUS = {
    Occurrence.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Occurrence.Status.CANCELLED: "https://schema.org/EventCancelled",
    Occurrence.Status.MOVED: "https://schema.org/EventRescheduled",
}


def _place(venue, country: str) -> dict:
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(
                line for line in (venue.address_line_1, venue.address_line_2) if line
            ),
            "addressLocality": venue.town,
            "postalCode": venue.postcode,
            "addressCountry": country,
        },
    }


def _attendance(venue, online_url: str, country: str) -> tuple[str, object]:
    """(eventAttendanceMode, location) for a venue, an online link, or both."""
    places = []
    if venue is not None:
        places.append(_place(venue, country))
    if online_url:
        places.append({"@type": "VirtualLocation", "url": online_url})
    if venue is not None and online_url:
        mode = "MixedEventAttendanceMode"
    elif online_url:
        mode = "OnlineEventAttendanceMode"
    else:
        mode = "OfflineEventAttendanceMode"
    location = places[0] if len(places) == 1 else places
    return f"https://schema.org/{mode}", location


def _duration(schedule: sched.Schedule) -> str:
    begins = sched.local_start(schedule, schedule.start_date)
    ends = sched._end_for(schedule, schedule.start_date)
    minutes = int((ends - begins).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"PT{hours}H{minutes}M" if minutes else f"PT{hours}H"


def event_schedule(schedule: sched.Schedule, except_dates=()) -> dict | None:
    """Give the series' rule as a schema.org Schedule, or None for a one-off."""
    s = schedule
    if sched.recurrence_rule(s) is None:  # a one-off, or only extra dates
        return None
    first = sched.first_start(s)
    found = {
        "@type": "Schedule",
        "repeatFrequency": f"P{s.interval}{FREQUENCY_UNITS[s.frequency]}",
        "startTime": s.start_time.strftime("%H:%M:%S"),
        "endTime": s.end_time.strftime("%H:%M:%S"),
        "duration": _duration(s),
        "scheduleTimezone": s.tz,
    }
    if first is not None:
        found["startDate"] = first.date().isoformat()
    if s.frequency == sched.WEEKLY:
        found["byDay"] = [SCHEMA_DAYS[d] for d in s.days]
    elif s.frequency == sched.MONTHLY:
        if s.monthly_mode == sched.BY_WEEKDAY:
            found["byDay"] = [SCHEMA_DAYS[d] for d in s.days]
            # -1 is "the last", as iCal's BYDAY=-1FR says it.
            found["byMonthWeek"] = [s.monthly_nth]
        elif s.monthly_mode == sched.BY_LAST_DAY:
            found["byMonthDay"] = [-1]
        else:
            found["byMonthDay"] = [s.start_date.day]
    if s.until is not None:
        found["endDate"] = s.until.isoformat()
    if s.count is not None:
        found["repeatCount"] = s.count
    if except_dates:
        found["exceptDate"] = [day.isoformat() for day in sorted(set(except_dates))]
    return found


def _offers(event: EventPage, url: str, currency: str) -> dict:
    offers = {"@type": "Offer", "url": url, "priceCurrency": currency}
    if event.is_free:
        offers["price"] = "0"
    else:
        amount = price_amount(event.cost)
        if amount is not None:
            offers["price"] = str(amount)
        if event.cost:
            offers["description"] = event.cost
    return offers


def event_jsonld(
    event: EventPage,
    occurrences,
    *,
    request,
    country: str = "GB",
    currency: str = "GBP",
    cancelled_dates=(),
) -> list[dict]:
    """One schema.org Event per date in ``occurrences`` (each with its own status and place),
    then, for a series, one with its ``eventSchedule``; `cancelled_dates` are the series'
    coming dates that are off (its exceptDate, with the dates it leaves out)."""
    url = event.get_full_url(request=request)
    organisers = []
    if event.group_id:
        group = event.group
        organisers.append(
            {"@type": "Organization", "name": group.title, "url": group.get_full_url(request)}
        )
    offers = _offers(event, url, currency)
    image = None
    if event.image_id:
        rendition = event.image.get_rendition("fill-1200x630")
        image = request.build_absolute_uri(rendition.url)

    found = []
    for occurrence in occurrences:
        mode, location = _attendance(occurrence.venue or event.venue, event.online_url, country)
        # A cancelled date has nothing on offer: no "in stock" for it.
        if occurrence.status == Occurrence.Status.CANCELLED:
            date_offers = offers
        else:
            date_offers = offers | {"availability": "https://schema.org/InStock"}
        item = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "description": event.summary,
            # The language its words are in: a page not yet translated is in its own.
            "inLanguage": locale_language(event.locale_id),
            "url": url,
            "startDate": occurrence.start.astimezone(event.schedule.zone).isoformat(),
            "endDate": occurrence.end.astimezone(event.schedule.zone).isoformat(),
            "eventStatus": STATUS.get(occurrence.status, STATUS[Occurrence.Status.SCHEDULED]),
            "eventAttendanceMode": mode,
            "isAccessibleForFree": event.is_free,
            "offers": date_offers,
        }
        if location:
            item["location"] = location
        if occurrence.status == Occurrence.Status.MOVED:
            item["previousStartDate"] = occurrence.original_start.astimezone(
                event.schedule.zone
            ).isoformat()
        if organisers:
            item["organizer"] = organisers[0] if len(organisers) == 1 else organisers
        if image:
            item["image"] = [image]
        found.append(item)
    schedule = event.schedule
    rule = event_schedule(
        schedule,
        [d for d in schedule.excluded_dates if d >= timezone.localdate()] + list(cancelled_dates),
    )
    if rule is not None and found:
        mode, location = _attendance(event.venue, event.online_url, country)
        series = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "description": event.summary,
            "url": url,
            "eventSchedule": rule,
            "eventAttendanceMode": mode,
            "isAccessibleForFree": event.is_free,
            "offers": offers,
        }
        if location:
            series["location"] = location
        if organisers:
            series["organizer"] = organisers[0]
        if image:
            series["image"] = [image]
        found.append(series)
    return found

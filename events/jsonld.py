"""schema.org Event data for search engines and link previews (JSON-LD on event pages)."""

from __future__ import annotations

from home.locale import locale_language

from .models import EventPage, Occurrence

STATUS = {
    Occurrence.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Occurrence.Status.CANCELLED: "https://schema.org/EventCancelled",
    Occurrence.Status.MOVED: "https://schema.org/EventRescheduled",
}


def _place(venue) -> dict:
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
            "addressCountry": "GB",
        },
    }


def _attendance(venue, online_url: str) -> tuple[str, object]:
    """(eventAttendanceMode, location) for a venue, an online link, or both."""
    places = []
    if venue is not None:
        places.append(_place(venue))
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


def event_jsonld(event: EventPage, occurrences, *, request) -> list[dict]:
    """One schema.org Event per date in ``occurrences`` (each with its own status and place)."""
    url = event.get_full_url(request=request)
    organisers = []
    if event.group_id:
        group = event.group
        organisers.append(
            {"@type": "Organization", "name": group.title, "url": group.get_full_url(request)}
        )
    offers = {
        "@type": "Offer",
        "url": url,
        "availability": "https://schema.org/InStock",
        "priceCurrency": "GBP",
    }
    if event.is_free:
        offers["price"] = "0"
    elif event.cost:
        offers["description"] = event.cost
    image = None
    if event.image_id:
        rendition = event.image.get_rendition("fill-1200x630")
        image = request.build_absolute_uri(rendition.url)

    found = []
    for occurrence in occurrences:
        mode, location = _attendance(occurrence.venue or event.venue, event.online_url)
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
            "offers": offers,
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
    return found

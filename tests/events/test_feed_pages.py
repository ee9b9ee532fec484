"""Pages announce their feeds, show subscribe links, and carry JSON-LD and OpenGraph."""

import json
import re
from datetime import date, time

import pytest

from events.models import CalendarPage, Category, OccurrenceChange
from tests.events.test_feeds import make_event
from tests.factories import VenueFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def cafe(make_group):
    group = make_group(
        title="Recovery Café", slug="recovery-cafe", contact_email="hello@example.org"
    )
    return make_event(
        group,
        title="Café night",
        slug="cafe-night",
        venue=VenueFactory(name="Northbridge Library", postcode="LS1 4AP"),
        categories=[Category.objects.get(slug="social-and-cafe")],
        changes=[
            OccurrenceChange(
                original_date=date(2026, 3, 3),
                status=OccurrenceChange.Status.CANCELLED,
                note="Closed for repairs.",
            ),
            OccurrenceChange(
                original_date=date(2026, 3, 10),
                status=OccurrenceChange.Status.MOVED,
                new_start_time=time(18, 0),
                new_end_time=time(20, 0),
                new_venue=VenueFactory(name="Town Hall"),
            ),
        ],
    )


def json_ld(html: str) -> list:
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found)


def alternate(html: str) -> list[str]:
    return re.findall(
        r'<link rel="alternate" type="text/calendar" title="[^"]*" href="([^"]+)"', html
    )


def test_event_page_carries_schema_org_events(client, cafe):
    html = client.get("/groups/recovery-cafe/cafe-night/").content.decode()
    *events, series = json_ld(html)
    assert len(events) == 8
    cancelled, moved, usual = events[0], events[1], events[2]
    assert cancelled["@type"] == "Event" and cancelled["name"] == "Café night"
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["startDate"] == "2026-03-03T19:00:00+00:00"
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert moved["startDate"] == "2026-03-10T18:00:00+00:00"
    assert moved["previousStartDate"] == "2026-03-10T19:00:00+00:00"
    assert moved["location"]["name"] == "Town Hall"
    assert usual["eventStatus"] == "https://schema.org/EventScheduled"
    assert usual["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert usual["location"] == {
        "@type": "Place",
        "name": "Northbridge Library",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1 High Street",
            "addressLocality": "Northbridge",
            "postalCode": "LS1 4AP",
            "addressCountry": "GB",
        },
    }
    assert usual["isAccessibleForFree"] is True
    assert usual["offers"]["price"] == "0" and usual["offers"]["priceCurrency"] == "GBP"
    assert usual["organizer"] == {
        "@type": "Organization",
        "name": "Recovery Café",
        "url": "http://localhost/groups/recovery-cafe/",
    }
    # Summer dates carry the summer offset.
    assert any(e["startDate"] == "2026-04-07T19:00:00+01:00" for e in events)


def test_online_paid_event_is_a_virtual_location_with_its_cost(client, make_group):
    make_event(
        make_group(slug="online-group"),
        title="Online circle",
        slug="online-circle",
        online_url="https://meet.example.org/circle",
        is_free=False,
        cost="£3, or pay what you can",
    )
    (first, *_rest) = json_ld(client.get("/groups/online-group/online-circle/").content.decode())
    assert first["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert first["location"] == {
        "@type": "VirtualLocation",
        "url": "https://meet.example.org/circle",
    }
    assert first["isAccessibleForFree"] is False
    assert first["offers"]["description"] == "£3, or pay what you can"
    assert first["offers"]["price"] == "3.00" and first["offers"]["priceCurrency"] == "GBP"


def test_a_series_carries_its_event_schedule(client, cafe):
    cafe.excluded_dates = "2026-12-29"
    cafe.save_revision().publish()
    *dates, series = json_ld(client.get("/groups/recovery-cafe/cafe-night/").content.decode())
    assert "startDate" not in series and series["url"] == dates[0]["url"]
    assert series["eventSchedule"] == {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": ["https://schema.org/Tuesday"],
        "startDate": "2026-01-06",
        "startTime": "19:00:00",
        "endTime": "21:00:00",
        "duration": "PT2H",
        "scheduleTimezone": "Europe/London",
        # The excluded date and the cancelled one.
        "exceptDate": ["2026-03-03", "2026-12-29"],
    }
    assert series["location"]["name"] == "Northbridge Library"


def test_a_cancelled_date_has_no_in_stock_offer(client, cafe):
    cancelled, moved, *_rest = json_ld(
        client.get("/groups/recovery-cafe/cafe-night/").content.decode()
    )
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert "availability" not in cancelled["offers"]
    assert moved["offers"]["availability"] == "https://schema.org/InStock"


def test_country_and_currency_come_from_the_citys_settings(client, cafe):
    from home.models import CitySettings

    settings = CitySettings.for_site(cafe.get_site())
    settings.country, settings.currency = "IE", "EUR"
    settings.save()
    *dates, series = json_ld(client.get("/groups/recovery-cafe/cafe-night/").content.decode())
    assert dates[2]["location"]["address"]["addressCountry"] == "IE"
    assert {d["offers"]["priceCurrency"] for d in [*dates, series]} == {"EUR"}


def test_a_monthly_series_says_its_week_of_the_month(client, make_group):
    make_event(
        make_group(slug="walkers"),
        title="First Saturday walk",
        slug="walk",
        frequency="monthly",
        monthly_mode="weekday",
        monthly_nth=1,
        weekdays="SA",
        ends="on_date",
        until=date(2026, 12, 31),
    )
    *_dates, series = json_ld(client.get("/groups/walkers/walk/").content.decode())
    rule = series["eventSchedule"]
    assert rule["repeatFrequency"] == "P1M" and rule["byMonthWeek"] == [1]
    assert rule["byDay"] == ["https://schema.org/Saturday"] and rule["endDate"] == "2026-12-31"


def test_a_one_off_has_no_event_schedule(client, make_group):
    make_event(
        make_group(slug="once"),
        title="Picnic",
        slug="picnic",
        frequency="once",
        start_date=date(2026, 4, 4),
    )
    found = json_ld(client.get("/groups/once/picnic/").content.decode())
    assert len(found) == 1 and "eventSchedule" not in found[0]


def test_json_ld_cannot_break_out_of_its_script(client, make_group):
    make_event(make_group(slug="g"), title="</script><script>alert(1)</script>", slug="x")
    html = client.get("/groups/g/x/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)[0]["name"] == "</script><script>alert(1)</script>"


def test_event_page_announces_and_offers_its_feed(client, cafe):
    html = client.get("/groups/recovery-cafe/cafe-night/").content.decode()
    assert alternate(html) == [f"http://testserver/feeds/event/{cafe.uid}.ics"]
    assert f'href="webcal://testserver/feeds/event/{cafe.uid}.ics"' in html
    assert f'href="/feeds/event/{cafe.uid}.ics?download=1" download' in html
    assert '<meta property="og:title" content="Café night">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_group_page_announces_its_feed(client, cafe):
    html = client.get("/groups/recovery-cafe/").content.decode()
    assert alternate(html) == ["http://testserver/feeds/groups/recovery-cafe.ics"]
    assert 'href="webcal://testserver/feeds/groups/recovery-cafe.ics"' in html
    assert '<meta property="og:title" content="Recovery Café">' in html


@pytest.fixture
def calendar(home_page):
    page = CalendarPage(title="What’s on", slug="events", introduction="Everyone is welcome.")
    home_page.add_child(instance=page)
    return page


def test_calendar_page_feed_follows_the_filters(client, cafe, calendar):
    html = client.get("/events/").content.decode()
    assert alternate(html) == ["http://testserver/feeds/events.ics"]
    assert 'href="webcal://testserver/feeds/events.ics"' in html
    assert '<meta property="og:description" content="Everyone is welcome.">' in html

    filtered = client.get(
        "/events/?category=social-and-cafe&fact=free&start=2026-04-01&view=month"
    ).content.decode()
    (feed,) = alternate(filtered)
    assert feed == "http://testserver/feeds/events.ics?category=social-and-cafe&amp;fact=free"
    assert "leaves out the “From” and “To” dates" in filtered
    # The feed link gives the events of that view.
    response = client.get("/feeds/events.ics?category=social-and-cafe&fact=free")
    assert response.status_code == 200 and b"Caf\xc3\xa9 night" in response.content


def test_category_view_offers_an_embed_snippet(client, cafe, calendar):
    html = client.get("/events/?category=social-and-cafe").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/categories/social-and-cafe/&quot;" in html


def test_event_page_offers_one_tap_links_and_just_this_date(client, cafe):
    from urllib.parse import quote

    html = client.get("/groups/recovery-cafe/cafe-night/").content.decode()
    webcal = f"webcal://testserver/feeds/event/{cafe.uid}.ics"
    assert f"https://calendar.google.com/calendar/r?cid={quote(webcal, safe='')}" in html
    https = quote(f"http://testserver/feeds/event/{cafe.uid}.ics", safe="")
    assert f"https://outlook.live.com/calendar/0/addfromweb?url={https}&amp;name=Caf" in html
    # 3 March is cancelled: "just this date" is the next date still on (10 March, moved).
    moved = cafe.occurrences.get(original_start__date=date(2026, 3, 10))
    single = f"/feeds/event/{cafe.uid}/dates/{moved.pk}.ics"
    assert f'href="{single}" download>Add just this date (Tuesday 10 March)' in html
    # A readonly address to copy, and a copy button our own script shows.
    assert 'class="feed-links__url" type="url" readonly' in html
    assert "js/subscribe.js" in html and "<script>" not in html


def test_one_date_file_holds_only_that_date(client, cafe):
    from icalendar import Calendar

    moved = cafe.occurrences.get(original_start__date=date(2026, 3, 10))
    response = client.get(f"/feeds/event/{cafe.uid}/dates/{moved.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "RRULE" not in event
    assert event["SUMMARY"] == "Café night"
    assert event.decoded("DTSTART").isoformat() == "2026-03-10T18:00:00+00:00"
    assert "Town Hall" in event["LOCATION"]
    assert str(event["UID"]) == f"{cafe.uid}-20260310@inclusive-recovery-city"


def test_one_date_file_refuses_a_date_of_another_event(client, cafe, make_group):
    other = make_event(make_group(slug="other"), slug="other-event")
    theirs = other.occurrences.first()
    assert client.get(f"/feeds/event/{cafe.uid}/dates/{theirs.pk}.ics").status_code == 404

"""GET /meetings.json: the Meeting Guide feed of the city's weekly meetings."""

from datetime import date, time

import pytest
from wagtail.models import PageViewRestriction

from events.models import Category
from tests.events.opendata.test_meeting_guide import check_against_spec
from tests.events.test_feeds import make_event
from tests.factories import VenueFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def meetings(make_group):
    group = make_group(title="Northbridge SMART", slug="smart", contact_name="Sam Smithson")
    mutual_aid = Category.objects.get(slug="mutual-aid-meetings")
    social = Category.objects.get(slug="social-and-cafe")
    return {
        "group": group,
        "weekly": make_event(
            group,
            title="Tuesday SMART",
            venue=VenueFactory(name="Library", accessible_toilet=True),
            categories=[mutual_aid],
            welcomer=True,
        ),
        "online": make_event(
            group,
            title="Online Thursday",
            weekdays="TH",
            online_url="https://meet.example/smart",
            categories=[mutual_aid],
        ),
        "closed": make_event(
            group,
            title="Closed Friday",
            weekdays="FR",
            open_to="recovery",
            venue=VenueFactory(name="Hall", step_free=False),
            categories=[mutual_aid],
        ),
        "fortnightly": make_event(
            group, title="Every other Monday", weekdays="MO", interval=2, categories=[mutual_aid]
        ),
        "monthly": make_event(
            group,
            title="First Saturday",
            frequency="monthly",
            monthly_mode="weekday",
            monthly_nth=1,
            weekdays="SA",
            categories=[mutual_aid],
        ),
        "not_chosen": make_event(group, title="Café social", categories=[social]),
        "chosen": make_event(
            group,
            title="Running club",
            weekdays="SA",
            start_date=date(2026, 1, 3),
            start_time=time(9),
            end_time=time(10),
            categories=[social],
            in_meeting_finders=True,
        ),
    }


def _by_name(client) -> dict:
    response = client.get("/meetings.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert isinstance(data, list)  # the specification: a plain array of meetings
    for entry in data:
        check_against_spec(entry)
    return {entry["name"]: entry for entry in data}


def test_weekly_online_and_closed_meetings_are_listed_field_by_field(client, meetings):
    found = _by_name(client)

    weekly = found["Tuesday SMART"]
    assert weekly["slug"] == f"{meetings['weekly'].uid}-tu"
    assert (weekly["day"], weekly["time"], weekly["end_time"]) == (2, "19:00", "21:00")
    assert weekly["timezone"] == "Europe/London"
    assert weekly["types"] == ["BE", "EN", "O", "X", "XB"]
    assert (weekly["location"], weekly["address"], weekly["city"]) == (
        "Library",
        "1 High Street",
        "Northbridge",
    )
    assert weekly["postal_code"] == "LS1 4AP" and weekly["country"] == "GB"
    assert weekly["group"] == "Northbridge SMART"
    assert weekly["url"] == "http://localhost/groups/smart/tuesday-smart/"
    assert weekly["notes"] == "Tea, cake and good company."
    assert weekly["updated"] == "2026-03-01 12:00:00"

    online = found["Online Thursday"]
    assert online["day"] == 4 and online["conference_url"] == "https://meet.example/smart"
    assert online["approximate"] == "yes" and "address" not in online

    closed = found["Closed Friday"]
    assert closed["day"] == 5 and "C" in closed["types"] and "O" not in closed["types"]
    assert "X" not in closed["types"]

    chosen = found["Running club"]
    assert (chosen["day"], chosen["time"]) == (6, "09:00")


def test_fortnightly_monthly_and_unchosen_events_are_left_out_as_the_readme_says(client, meetings):
    found = _by_name(client)
    for name in ("Every other Monday", "First Saturday", "Café social"):
        assert name not in found
    # ... and they stay in their iCal feed with the full rule.
    feed = client.get(f"/feeds/event/{meetings['fortnightly'].uid}.ics").content.decode()
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" in feed


def test_a_series_that_has_ended_is_left_out(client, meetings):
    mutual_aid = Category.objects.get(slug="mutual-aid-meetings")
    make_event(
        meetings["group"],
        title="Ended",
        ends="on_date",
        until=date(2026, 2, 24),
        categories=[mutual_aid],
    )
    make_event(
        meetings["group"], title="Six weeks", ends="after_count", count=6, categories=[mutual_aid]
    )
    found = _by_name(client)
    assert "Ended" not in found and "Six weeks" not in found


def test_no_last_names_from_the_groups_contact(client, meetings):
    body = client.get("/meetings.json").content.decode()
    assert "Smithson" not in body and "Sam" not in body


def test_drafts_and_private_events_are_not_listed(client, meetings):
    meetings["online"].unpublish()
    PageViewRestriction.objects.create(page=meetings["closed"], restriction_type="login")
    found = _by_name(client)
    assert "Online Thursday" not in found and "Closed Friday" not in found
    assert "Tuesday SMART" in found


def test_a_change_shows_at_once_and_a_repeat_gets_304(client, meetings):
    first = client.get("/meetings.json")
    assert "no-cache" in first["Cache-Control"] and "max-age" not in first["Cache-Control"]
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get("/meetings.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    event = meetings["weekly"]
    event.title = "Tuesday SMART Recovery"
    event.save_revision().publish()

    changed = client.get("/meetings.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Tuesday SMART Recovery" in {e["name"] for e in changed.json()}


def test_the_query_count_does_not_grow_with_the_number_of_meetings(
    client, meetings, django_assert_num_queries
):
    client.get("/meetings.json")  # warm the settings and site caches
    with django_assert_num_queries(8):
        client.get("/meetings.json")
    for n in range(5):
        make_event(
            meetings["group"],
            title=f"More {n}",
            venue=VenueFactory(),
            categories=[Category.objects.get(slug="mutual-aid-meetings")],
        )
    with django_assert_num_queries(8):
        assert len(client.get("/meetings.json").json()) == 9


def test_every_page_announces_the_feed(client, meetings):
    html = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/json" title="Meetings Feed" href="/meetings.json">'
    ) in html


def test_only_get_and_head(client, home_page):
    assert client.post("/meetings.json").status_code == 405
    assert client.get("/meetings.json").json() == []

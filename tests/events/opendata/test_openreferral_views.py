"""GET /openreferral/...: HSDS 3.0 documents, each validated against the published schemas."""

import uuid
from datetime import date

import pytest
from wagtail.models import PageViewRestriction

from events.models import Category, OccurrenceChange
from events.opendata.hsds import entity_id
from tests.events.opendata.hsds_schemas import assert_valid, hsds, uk
from tests.events.test_feeds import make_event
from tests.factories import VenueFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def city(make_group):
    cafe = make_group(title="Recovery Café", slug="cafe", contact_email="hello@cafe.example")
    runners = make_group(title="Harriers", slug="harriers")
    library = VenueFactory(name="Library", hearing_loop=True, access_notes="Lift inside.")
    night = make_event(
        cafe,
        title="Café night",
        venue=library,
        categories=[Category.objects.get(slug="social-and-cafe")],
        changes=[
            OccurrenceChange(
                original_date=date(2026, 3, 10),
                status=OccurrenceChange.Status.CANCELLED,
                note="Closed for repairs.",
            )
        ],
    )
    online = make_event(runners, title="Online stretch", online_url="https://meet.example/s")
    monthly = make_event(
        runners,
        title="First Saturday run",
        frequency="monthly",
        monthly_mode="weekday",
        monthly_nth=1,
        weekdays="SA",
        venue=VenueFactory(name="Park"),
        is_free=False,
        cost="£2",
    )
    return {"cafe": cafe, "runners": runners, "night": night, "online": online, "monthly": monthly}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_services_list_is_paged_as_the_api_reference_says_and_each_is_valid(client, city):
    data = get(client, "/openreferral/services?per_page=2")
    assert {k: data[k] for k in data if k != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    second = get(client, "/openreferral/services?per_page=2&page=2")
    assert second["last_page"] is True and second["size"] == 1
    for service in data["contents"] + second["contents"]:
        assert_valid(uk("service_list"), service)
        assert_valid(hsds("service"), service)
    names = {s["name"] for s in data["contents"] + second["contents"]}
    assert names == {"Café night", "Online stretch", "First Saturday run"}


def test_full_services_and_one_service_validate_with_schedules_and_locations(client, city):
    data = get(client, "/openreferral/services?full=true")
    for service in data["contents"]:
        assert_valid(hsds("service"), service)
        assert_valid(uk("service"), service)
        assert service["schedules"]
    night = get(client, f"/openreferral/services/{city['night'].uid}")
    assert_valid(hsds("service"), night)
    assert_valid(uk("service"), night)
    assert night["organization"]["name"] == "Recovery Café"
    assert night["email"] == "hello@cafe.example"
    [place] = night["service_at_locations"]
    assert place["location"]["name"] == "Library"
    assert "10 March" in night["schedules"][0]["notes"]  # the cancelled date
    assert night["schedules"][0]["schedule_link"].endswith(f"/feeds/event/{city['night'].uid}.ics")
    # The series from today crosses the clocks going forward: two stretches, 19:00 in both.
    assert [(s["valid_from"], s["opens_at"]) for s in night["schedules"]][:2] == [
        ("2026-03-01", "19:00+00:00"),
        ("2026-03-29", "19:00+01:00"),
    ]
    monthly = get(client, f"/openreferral/services/{city['monthly'].uid}")
    assert monthly["schedules"][0]["byday"] == "1SA"
    assert monthly["cost_options"][0]["amount"] == 2.0


def test_organizations_and_locations_validate(client, city):
    organisations = get(client, "/openreferral/organizations")
    assert [o["name"] for o in organisations["contents"]] == ["Harriers", "Recovery Café"]
    for organisation in organisations["contents"]:
        assert_valid(uk("organization_list"), organisation)
        assert_valid(hsds("organization"), organisation)
    locations = get(client, "/openreferral/locations")
    assert [loc["name"] for loc in locations["contents"]] == ["Library", "Park"]
    for location in locations["contents"]:
        assert_valid(hsds("location"), location)
    library = locations["contents"][0]
    assert {a["description"] for a in library["accessibility"]} >= {"Hearing loop"}


def test_the_root_says_the_version_and_where_the_description_is(client, city):
    data = get(client, "/openreferral/")
    assert data["version"] == "3.0"
    assert data["openapi_url"] == "http://testserver/api/openapi.json"


def test_filters_are_cumulative(client, city):
    runners = entity_id("group", city["runners"].pk)
    data = get(client, f"/openreferral/services?organization_id={runners}")
    assert {s["name"] for s in data["contents"]} == {"Online stretch", "First Saturday run"}
    none = get(
        client,
        f"/openreferral/services?organization_id={runners}&modified_after=2030-01-01T00:00:00Z",
    )
    assert none["empty"] is True and none["contents"] == []


def test_what_is_over_is_not_listed(client, city):
    make_event(city["cafe"], title="Picnic", frequency="once", start_date=date(2026, 2, 1))
    make_event(city["cafe"], title="Six weeks", ends="after_count", count=6)  # from 6 January
    names = {s["name"] for s in get(client, "/openreferral/services")["contents"]}
    assert names == {"Café night", "Online stretch", "First Saturday run"}


def test_drafts_and_private_pages_are_never_served(client, city):
    city["online"].unpublish()
    PageViewRestriction.objects.create(page=city["cafe"], restriction_type="password", password="x")
    names = {s["name"] for s in get(client, "/openreferral/services")["contents"]}
    assert names == {"First Saturday run"}
    assert [o["name"] for o in get(client, "/openreferral/organizations")["contents"]] == [
        "Harriers"
    ]
    assert [loc["name"] for loc in get(client, "/openreferral/locations")["contents"]] == ["Park"]
    get(client, f"/openreferral/services/{city['night'].uid}", status=404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=500", "per_page"),
        ("organization_id=nope", "organization_id"),
        ("modified_after=yesterday", "modified_after"),
        ("page=9", "page"),
    ],
)
def test_bad_values_are_a_clear_400(client, city, query, field):
    data = get(client, f"/openreferral/services?{query}", status=400)
    assert list(data["errors"]) == [field]
    assert data["errors"][field][0].startswith(("Please give", "There is no page"))


def test_an_unknown_service_is_a_404_that_says_where_the_list_is(client, city):
    data = get(client, f"/openreferral/services/{uuid.uuid4()}", status=404)
    assert "/openreferral/services" in data["errors"]["id"][0]


def test_the_query_count_does_not_grow_with_the_number_of_services(
    client, city, django_assert_num_queries
):
    client.get("/openreferral/services?full=true")
    with django_assert_num_queries(9):
        first = client.get("/openreferral/services?full=true").json()
    for n in range(4):
        make_event(city["cafe"], title=f"More {n}", venue=VenueFactory())
    with django_assert_num_queries(9):
        more = client.get("/openreferral/services?full=true").json()
    assert more["size"] == first["size"] + 4

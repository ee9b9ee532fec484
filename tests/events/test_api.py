"""The read-only JSON API of upcoming occurrences."""

from datetime import date, time

import pytest

from events.models import Category, OccurrenceChange
from tests.events.test_feeds import make_event
from tests.factories import VenueFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def city(make_group):
    cafe = make_group(title="Recovery Café", slug="recovery-cafe")
    runners = make_group(title="Harriers", slug="harriers")
    social = Category.objects.get(slug="social-and-cafe")
    sport = Category.objects.get(slug="sport-and-movement")
    make_event(
        cafe,
        title="Café night",
        venue=VenueFactory(name="Library"),
        categories=[social],
        changes=[
            OccurrenceChange(
                original_date=date(2026, 3, 10),
                status=OccurrenceChange.Status.CANCELLED,
                note="Closed for repairs.",
            )
        ],
    )
    make_event(
        runners,
        title="Parkrun",
        start_date=date(2026, 1, 3),
        start_time=time(9),
        end_time=time(10),
        weekdays="SA",
        categories=[sport],
    )
    return {"cafe": cafe, "runners": runners}


def test_lists_upcoming_dates_with_their_details(client, city):
    response = client.get("/api/occurrences/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["page"] == 1 and data["count"] > 50 and data["next"].endswith("page=2")
    first = data["results"][0]
    assert first["start"] == "2026-03-03T19:00:00+00:00"
    assert first["event"]["title"] == "Café night"
    assert first["event"]["group"]["name"] == "Recovery Café"
    assert first["event"]["categories"] == ["social-and-cafe"]
    assert first["venue"]["name"] == "Library"
    assert first["venue"]["access"]["step_free"] is True
    cancelled = next(r for r in data["results"] if r["start"].startswith("2026-03-10"))
    assert cancelled["status"] == "cancelled" and cancelled["note"] == "Closed for repairs."
    starts = [r["start"] for r in data["results"]]
    assert starts == sorted(starts)


def test_filters_by_group_category_and_dates(client, city):
    by_group = client.get("/api/occurrences/", {"group": "harriers"}).json()
    assert {r["event"]["title"] for r in by_group["results"]} == {"Parkrun"}
    by_category = client.get("/api/occurrences/", {"category": "social-and-cafe"}).json()
    assert {r["event"]["title"] for r in by_category["results"]} == {"Café night"}
    window = client.get("/api/occurrences/", {"from": "2026-04-01", "to": "2026-04-07"}).json()
    assert [r["start"][:10] for r in window["results"]] == ["2026-04-04", "2026-04-07"]
    # 19:00 in summer is 19:00+01:00.
    assert window["results"][1]["start"] == "2026-04-07T19:00:00+01:00"


def test_pages_through_the_results(client, city):
    first = client.get("/api/occurrences/").json()
    second = client.get("/api/occurrences/", {"page": 2}).json()
    assert second["previous"].endswith("page=1")
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert len(first["results"]) == 50


def test_query_count_does_not_grow_with_the_page(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/api/occurrences/")  # Wagtail caches the site's root paths on first use

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            results = client.get("/api/occurrences/", query).json()["results"]
        return len(captured), len(results)

    full, fifty = queries({})
    small, one = queries({"from": "2026-03-03", "to": "2026-03-06"})
    assert (fifty, one) == (50, 1)
    # Privacy rules (2), count, rows, categories, the site (and a shared cache's read).
    assert full == small <= 7
    # Naming a group adds the one query that finds it.
    assert queries({"group": "harriers", "page": 2})[0] == full + 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"group": "nobody"}, "group"),
        ({"category": "knitting"}, "category"),
        ({"from": "soon"}, "from"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "999"}, "page"),
    ],
)
def test_bad_values_are_a_clear_400(client, city, query, field):
    response = client.get("/api/occurrences/", query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and errors[field][0].startswith(("Please", "There is", "The"))


def test_is_read_only(client, city):
    assert client.post("/api/occurrences/").status_code == 405

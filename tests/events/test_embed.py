"""The embeddable widget: one group's or one category's next dates, framable by any site."""

from datetime import date

import pytest

from events.models import Category, OccurrenceChange
from tests.events.test_feeds import make_event
from tests.factories import VenueFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def cafe(make_group):
    group = make_group(title="Recovery Café", slug="recovery-cafe")
    make_event(
        group,
        title="Café night",
        venue=VenueFactory(name="Northbridge Library"),
        categories=[Category.objects.get(slug="social-and-cafe")],
        changes=[
            OccurrenceChange(
                original_date=date(2026, 3, 3),
                status=OccurrenceChange.Status.CANCELLED,
                note="Closed for repairs.",
            )
        ],
    )
    return group


def test_group_widget_lists_the_next_dates(client, cafe, django_assert_max_num_queries):
    client.get("/embed/groups/recovery-cafe/")  # Wagtail caches the site's root paths
    with django_assert_max_num_queries(8):
        response = client.get("/embed/groups/recovery-cafe/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="embed__item') == 5
    assert "Coming up: Recovery Café" in html
    assert "Cancelled: Closed for repairs." in html
    assert "Northbridge Library" in html
    assert 'href="http://testserver/groups/recovery-cafe/caf%C3%A9-night/" target="_blank"' in html
    assert "webcal://testserver/feeds/groups/recovery-cafe.ics" in html
    assert "css/embed.css" in html


def test_widget_may_be_framed_by_any_site_but_other_pages_may_not(client, cafe):
    response = client.get("/embed/groups/recovery-cafe/")
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    group_page = client.get("/groups/recovery-cafe/")
    assert group_page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in group_page["Content-Security-Policy"]


def test_category_widget_and_count(client, cafe, make_group):
    make_event(make_group(), title="Pottery", weekdays="WE")
    response = client.get("/embed/categories/social-and-cafe/?count=2")
    html = response.content.decode()
    assert html.count('class="embed__item') == 2
    assert "Café night" in html and "Pottery" not in html


def test_widget_shows_a_friendly_empty_state(client, make_group):
    make_group(title="Quiet group", slug="quiet")
    html = client.get("/embed/groups/quiet/").content.decode()
    assert "No dates are listed just now" in html


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/embed/groups/nobody/", 404),
        ("/embed/categories/knitting/", 404),
        ("/embed/groups/recovery-cafe/?count=lots", 400),
        ("/embed/groups/recovery-cafe/?count=500", 400),
    ],
)
def test_widget_refuses_unknown_and_bad_values(client, cafe, url, status):
    response = client.get(url)
    assert response.status_code == status
    if status == 400:
        assert "whole number from 1 to 20" in response.content.decode()


def test_group_page_offers_the_snippet_to_copy(client, cafe):
    html = client.get("/groups/recovery-cafe/").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/groups/recovery-cafe/&quot;" in html

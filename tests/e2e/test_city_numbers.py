"""Our city in numbers, and the council's dashboard, in a real browser."""

import pytest

from events.insights.models import InsightsSettings
from tests.events.insights.conftest import build_small_city


@pytest.fixture
def small_city(make_group):
    return build_small_city(make_group)


def test_city_numbers_are_accessible_and_self_contained(
    page,
    live_server,
    small_city,
    assert_accessible,
):
    page.goto(live_server.url + "/numbers/?year=2025")
    assert page.locator("h1").inner_text() == "Our city in numbers"
    # Three people only: the people counts are hidden, with an explanation.
    assert page.locator("abbr.numbers__hidden").count() > 0
    assert page.locator("svg.insights-chart__svg").count() == 1
    assert_accessible(page)
    assert page.third_party_requests == []


def test_city_numbers_show_figures_above_the_threshold(
    page,
    live_server,
    small_city,
    home_page,
):
    settings = InsightsSettings.for_site(home_page.get_site())
    settings.suppression_threshold = 2
    settings.save()
    page.goto(live_server.url + "/numbers/?year=2025")
    figure = page.locator(".numbers__figure", has_text="different people with a pass")
    # Three people, rounded to the nearest 5 as every published count of people is.
    assert figure.locator(".numbers__value").inner_text() == "5"
    assert page.get_by_text("rounded to the nearest 5").first.is_visible()


def test_city_numbers_fit_a_phone(phone_page, live_server, small_city):
    phone_page.goto(live_server.url + "/numbers/?year=2025")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_council_reads_its_dashboard(page, live_server, small_city, moderator):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", moderator.username)
    page.fill("#id_password", "password")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + "/admin/insights/?start=2025-03-01&end=2025-05-31")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Community figures: the whole city"
    reach = page.locator("table.insights-table", has_text="Dates held")
    assert reach.locator("tr", has_text="Dates held").locator("td").first.inner_text() == "3"
    # The small city's links and mixed dates are built from fewer than five people: hidden,
    # for the council too.
    assert page.get_by_text(
        "Too few people took part in this period to show any link."
    ).is_visible()
    bridging = page.locator("table.insights-table", has_text="mixed dates")
    mixed = bridging.locator("tr", has_text="Dates where people in recovery")
    assert mixed.locator("td").first.inner_text() == "*"
    assert page.third_party_requests == []
    page.goto(live_server.url + "/admin/insights/?start=2025-05-01&end=2025-03-01")
    assert page.get_by_text("The end of the period comes before its start.").is_visible()
    # No figures for a single date, for anyone.
    page.goto(live_server.url + "/admin/insights/?start=2025-03-04&end=2025-03-04")
    assert page.get_by_text("Please choose whole calendar months").is_visible()

"""The calendar and an event page in a real browser: accessible, keyboard-usable, 320px."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from events.models import CalendarPage, Category, OccurrenceChange
from events.schedule import WEEKDAY_CODES
from events.services import occurrences_regenerate
from tests.factories import EventPageFactory, VenueFactory


@pytest.fixture
def city(home_page, make_group):
    calendar = CalendarPage(title="What’s on", slug="events")
    home_page.add_child(instance=calendar)
    runners = make_group(title="Forward Strides", slug="forward-strides")
    cafe = make_group(title="Lantern Café", slug="lantern-cafe")
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    venue = VenueFactory(name="Riverside Bandstand", step_free=True)

    def publish(group, **kwargs):
        event = EventPageFactory(
            parent=group,
            live=False,
            start_date=today - timedelta(days=14),
            weekdays=WEEKDAY_CODES[tomorrow.weekday()],
            venue=venue,
            **kwargs,
        )
        event.save_revision().publish()
        event.refresh_from_db()
        return event

    run = publish(runners, title="Evening run", slug="evening-run")
    run.categories.set([Category.objects.get(slug="sport-and-movement")])
    coffee = publish(
        cafe,
        title="Coffee morning",
        slug="coffee-morning",
        start_time=time(10),
        end_time=time(12),
        is_free=False,
        cost="£2",
    )
    OccurrenceChange.objects.create(
        page=run,
        original_date=tomorrow + timedelta(days=7),
        status="cancelled",
        note="The park is closed for the fair.",
    )
    occurrences_regenerate(event=run)
    return {"run": run, "coffee": coffee}


@pytest.mark.parametrize("path", ["/events/", "/events/?view=month", "/events/?when=past"])
def test_calendar_views_have_no_wcag_aa_violations(
    page, live_server, city, assert_accessible, path
):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    if "month" in path:  # the compact month shows a count a day, each linking to its list
        assert page.locator("a.month-grid__day").first.is_visible()
    else:
        assert page.get_by_text("Evening run").first.is_visible()
    assert_accessible(page)
    assert page.third_party_requests == []


def test_event_page_has_no_wcag_aa_violations(page, live_server, city, assert_accessible):
    page.goto(live_server.url + "/groups/forward-strides/evening-run/")
    assert page.locator("h1").inner_text() == "Evening run"
    assert page.get_by_text("The park is closed for the fair.").is_visible()
    assert_accessible(page)


def test_bad_filters_page_is_accessible_and_explains(page, live_server, city, assert_accessible):
    response = page.goto(live_server.url + "/events/?group=nobody")
    assert response.status == 400
    assert page.get_by_role("alert").is_visible()
    assert "There is no group with that name" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_filter_form_works_by_keyboard_alone(page, live_server, city):
    page.goto(live_server.url + "/events/")
    page.locator(".filters-fold__summary").focus()  # the filters are folded: open them
    page.keyboard.press("Enter")
    page.locator("#id_q").focus()
    page.keyboard.type("coffee")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/?*q=coffee*")
    assert page.get_by_text("Coffee morning").first.is_visible()
    assert page.get_by_text("Evening run").count() == 0

    # Tick "Free" with the space bar, then tab on to the button and press Enter.
    page.goto(live_server.url + "/events/")
    page.locator(".filters-fold__summary").click()
    page.get_by_label("Free", exact=True).focus()
    page.keyboard.press("Space")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Show events":
            break
    else:
        pytest.fail("The “Show events” button cannot be reached with Tab.")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/?*fact=free*")
    assert page.get_by_text("Evening run").first.is_visible()
    assert page.get_by_text("Coffee morning").count() == 0


def test_month_view_fits_a_320px_phone(phone_page, live_server, city):
    for path in ("/events/?view=month", "/events/", "/groups/forward-strides/evening-run/"):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 320px screen"
    phone_page.goto(live_server.url + "/events/?view=month")
    table = phone_page.locator("table.month-grid").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= 320
    # A day with events links to that day's list.
    phone_page.locator("a.month-grid__day").first.click()
    assert "start=" in phone_page.url and "end=" in phone_page.url
    assert phone_page.locator(".occurrence__title a").first.is_visible()

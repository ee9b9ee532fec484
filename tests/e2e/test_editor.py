"""The organiser's editor and the council's moderation, as people see them in Chromium.

Taps are counted by the test's own steps (`Taps.tap`): each click or choice in a list is
one tap; typing into a field is not.
"""

import datetime

import pytest

from tests.factories import UserFactory

PASSWORD = "a-long-test-password"  # noqa: S105


class Taps:
    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector_or_locator, **kwargs):
        self.count += 1
        target = (
            self.page.locator(selector_or_locator)
            if isinstance(selector_or_locator, str)
            else selector_or_locator
        )
        target.first.click(**kwargs)

    def choose(self, selector, value):
        self.count += 1
        self.page.select_option(selector, value)


@pytest.fixture
def organiser_site(home_page, make_group):
    group = make_group(title="Lantern Café", slug="lantern-cafe")
    user = UserFactory(username="organiser", password=PASSWORD)
    user.groups.add(group.organisers)
    return {"group": group, "user": user}


def log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def fill_weekly_event(page, taps):
    page.fill("#id_title", "Tuesday coffee")
    page.fill("#id_summary", "Coffee and a chat: everyone is welcome.")
    page.fill("#id_start_date", "2027-01-05")
    taps.choose("#id_frequency", "weekly")
    taps.tap("label:has-text('Tuesday')")


def test_taps_to_add_a_weekly_event_with_one_cancelled_date(page, live_server, organiser_site):
    from events.models import EventPage

    taps = Taps(page)
    page.on("console", lambda m: print("CONSOLE", m.text))
    log_in(page, live_server, organiser_site["user"])
    taps.tap("text=Add an event")
    page.wait_for_selector("#id_title")
    fill_weekly_event(page, taps)
    taps.tap("button:has-text('Add change to one date')")
    page.wait_for_selector(
        "select[name='occurrence_changes-0-original_date'] option[value='2027-01-12']",
        state="attached",
    )
    taps.choose("[name='occurrence_changes-0-original_date']", "2027-01-12")
    page.fill("[name='occurrence_changes-0-note']", "The hall is closed.")
    taps.tap("button:has-text('Submit for approval')")
    page.wait_for_selector(".messages .success")
    event = EventPage.objects.get(title="Tuesday coffee")
    assert event.get_latest_revision_as_object().occurrence_changes.get().original_date == (
        datetime.date(2027, 1, 12)
    )
    assert event.workflow_in_progress
    print(f"\nTAPS after: {taps.count}")
    assert taps.count <= 6

"""The organiser's editor and the council's moderation, as people see them in Chromium.

Taps are counted by the test's own steps (`Taps.tap`): each click or choice in a list is
one tap; typing into a field is not.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

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


def shown(page, name):
    """Whether the field named `name` is visible (its wrapper not hidden by schedule.js)."""
    return page.locator(f"[name='{name}']").first.is_visible()


def test_the_schedule_editor_shows_what_applies_and_the_dates_live(
    page, live_server, organiser_site, make_group
):
    make_group(title="Forward Strides", slug="forward-strides")
    log_in(page, live_server, organiser_site["user"])
    page.get_by_text("Add an event").first.click()
    page.wait_for_selector("#id_title")
    page.select_option("#id_frequency", "once")
    assert not shown(page, "weekdays") and not shown(page, "monthly_mode")
    assert not shown(page, "interval")
    page.select_option("#id_frequency", "weekly")
    assert shown(page, "weekdays") and shown(page, "interval")
    assert not shown(page, "monthly_mode") and not shown(page, "duration_days")
    page.select_option("#id_frequency", "monthly")
    assert shown(page, "monthly_mode")
    # The live summary and next dates, in the British style, before saving anything.
    page.select_option("#id_frequency", "weekly")
    page.fill("#id_start_date", "05/01/2027")
    page.keyboard.press("Escape")
    page.fill("#id_start_time", "19:00")
    page.fill("#id_end_time", "21:00")
    page.locator("label:has-text('Tuesday')").first.click()
    assert page.input_value("#id_start_date") == "05/01/2027"  # typed and kept the British way
    summary = page.locator("[data-schedule-summary]")
    expect(summary).to_contain_text("Every Tuesday")
    expect(summary).to_contain_text("7 to 9pm")
    expect(page.locator("[data-schedule-dates] li").first).to_have_text(
        re.compile(r"^Tuesday 5 January 2027")
    )
    # Co-hosts are checkboxes, and the group itself is not among them.
    cohosts = page.locator("[name='partner_groups']")
    assert cohosts.first.get_attribute("type") == "checkbox"
    labels = page.locator("[name='partner_groups'] + label, label:has([name='partner_groups'])")
    names = " ".join(labels.all_inner_texts())
    assert "Forward Strides" in names and "Lantern Café" not in names
    # The venue chooser can add a venue that is not listed yet.
    venue = page.locator(
        "[data-field-wrapper]:has([name='venue']), .w-field__wrapper:has([name='venue'])"
    )
    venue.get_by_role("button").first.click()
    expect(page.get_by_text("Add a new venue").first).to_be_visible()


@pytest.fixture
def council(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="council-moderator", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def submit_for_review(page_obj, group):
    """Save `page_obj`'s draft as one of `group`'s organisers and start its workflow."""
    organiser = UserFactory(username=f"{group.slug}-organiser")
    organiser.groups.add(group.organisers)
    page_obj.save_revision(user=organiser)
    return page_obj.get_workflow().start(page_obj, organiser)


def test_the_moderator_previews_a_submitted_events_dates_with_its_changes(
    page, live_server, make_group, council
):
    from django.urls import reverse
    from django.utils import timezone

    from events.models import OccurrenceChange
    from tests.factories import EventPageFactory

    today = timezone.localdate()
    first = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7)  # a Tuesday ahead
    cancelled, moved = first + datetime.timedelta(days=7), first + datetime.timedelta(days=14)
    group = make_group(title="Lantern Café", slug="lantern")
    event = EventPageFactory(parent=group, live=False, title="Tuesday coffee", start_date=first)
    event.occurrence_changes = [
        OccurrenceChange(original_date=cancelled, status="cancelled", note="The hall is closed."),
        OccurrenceChange(
            original_date=moved,
            status="moved",
            new_date=moved + datetime.timedelta(days=1),
            new_start_time=datetime.time(18, 0),
            new_end_time=datetime.time(20, 0),
        ),
    ]
    state = submit_for_review(event, group)

    log_in(page, live_server, council)
    page.goto(
        live_server.url
        + reverse(
            "wagtailadmin_pages:workflow_preview", args=[event.pk, state.current_task_state.task.pk]
        )
    )
    dates = page.locator("ul.dates li")
    expect(page.get_by_text("There are no dates coming up")).to_have_count(0)
    expect(dates.first).to_contain_text(f"{first:%A} {first.day} {first:%B %Y}, 7 to 9pm")
    expect(page.locator("li.is-cancelled")).to_have_text(
        re.compile(
            rf"Cancelled\s+{cancelled:%A} {cancelled.day} {cancelled:%B %Y}.*The hall is closed\."
        )
    )
    new = moved + datetime.timedelta(days=1)
    expect(page.locator("li.is-moved")).to_contain_text(
        f"{new:%A} {new.day} {new:%B %Y}, 6 to 8pm Moved (was {moved:%A} {moved.day} {moved:%B}, 7pm)"
    )


def test_the_moderators_review_list_says_what_kind_of_page_and_which_group(
    page, live_server, make_group, council, story_index
):
    from tests.factories import EventPageFactory, StoryPageFactory

    lantern = make_group(title="Lantern Café", slug="lantern")
    harriers = make_group(title="Harriers", slug="harriers")
    submit_for_review(EventPageFactory(parent=lantern, live=False, title="Tuesday coffee"), lantern)
    submit_for_review(EventPageFactory(parent=harriers, live=False, title="Park run"), harriers)
    story = StoryPageFactory(parent=story_index, live=False, title="A year of Tuesdays")
    story.save_revision()
    story.get_workflow().start(story, council)

    log_in(page, live_server, council)
    panel = page.locator("section.w-panel").filter(has_text="Awaiting your review")
    rows = panel.locator("tbody tr")
    expect(rows).to_have_count(3)

    def row(title):
        return rows.filter(has_text=title)

    expect(row("Tuesday coffee").locator(".review-context")).to_have_text(
        "Event page, from Lantern Café"
    )
    expect(row("Park run").locator(".review-context")).to_have_text("Event page, from Harriers")
    expect(row("A year of Tuesdays").locator(".review-context")).to_have_text("Story page")

"""Proposing an event without an account: a draft in moderation, never published by itself."""

import pytest
import time_machine
from django.core.cache import cache
from wagtail.models import WorkflowState

from events.models import EventPage, EventProposal, Occurrence

NOW = "2026-03-20 12:00 +00:00"
URL = "/events/propose/"


def proposal(**changes):
    data = {
        "your_name": "Sam",
        "your_email": "sam@example.org",
        "group_name": "Eastfield Knit and Natter",
        "title": "Knit and natter",
        "summary": "Knitting, tea and a chat.",
        "description": "Bring needles <b>if</b> you have them.",
        "start_date": "2026-04-02",
        "start_time": "14:00",
        "end_time": "16:00",
        "repeats": "weekly",
        "venue_details": "Eastfield Community Centre, NB5 8EC",
        "is_free": "on",
        "alcohol_free": "on",
        "website_address": "",
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()


@time_machine.travel(NOW, tick=False)
def test_form_is_shown(client, group_index):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Propose an event" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_proposal_becomes_a_draft_in_moderation_and_is_never_published(client, group_index):
    response = client.post(URL, proposal())
    assert response.status_code == 302
    assert response["Location"] == "/events/propose/thanks/"
    event = EventPage.objects.get()
    assert event.live is False
    assert event.get_parent().slug == "proposed-events"
    assert event.get_parent().live is False
    assert event.frequency == "weekly" and event.weekdays == "TH"
    assert "&lt;b&gt;if&lt;/b&gt;" in str(event.description.raw_data)
    state = WorkflowState.objects.get(object_id=str(event.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not Occurrence.objects.exists()
    # The proposer's contact details stay off the page.
    details = EventProposal.objects.get()
    assert details.event == event and details.email == "sam@example.org"
    assert "sam@example.org" not in str(event.description.raw_data)
    # Nothing about it is public.
    assert client.get(event.url or "/groups/proposed-events/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_second_proposal_goes_to_the_same_holding_group(client, group_index):
    client.post(URL, proposal())
    client.post(URL, proposal(title="Knit and natter"))
    parents = {e.get_parent().pk for e in EventPage.objects.all()}
    assert EventPage.objects.count() == 2 and len(parents) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_date": "2026-01-01"}, "That date has passed"),
        ({"start_time": "16:00", "end_time": "14:00"}, "ends before it starts"),
        ({"your_email": "not-an-email"}, "Enter a valid email address"),
        ({"title": ""}, "This field is required"),
        ({"repeats": "hourly"}, "Select a valid choice"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_answers_get_clear_errors_and_save_nothing(client, group_index, changes, message):
    response = client.post(URL, proposal(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EventPage.objects.exists() and not EventProposal.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_made(client, group_index):
    response = client.post(URL, proposal(website_address="http://spam.example"))
    assert response.status_code == 302
    assert not EventPage.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_proposals_are_rate_limited(client, group_index):
    for _n in range(5):
        assert client.post(URL, proposal()).status_code == 302
    response = client.post(URL, proposal())
    assert response.status_code == 429
    assert EventPage.objects.count() == 5


@time_machine.travel(NOW, tick=False)
def test_only_the_council_can_read_who_proposed(
    client, group_index, moderator, make_group, make_organiser
):
    client.post(URL, proposal())
    organiser = make_organiser(make_group(title="Other", slug="other"))
    client.force_login(organiser)
    assert client.get("/admin/snippets/events/eventproposal/").status_code in (302, 403)
    client.force_login(moderator)
    response = client.get("/admin/snippets/events/eventproposal/")
    assert response.status_code == 200
    assert "Eastfield Knit and Natter" in response.content.decode()

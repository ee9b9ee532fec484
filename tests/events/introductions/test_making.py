"""Making an introduction: a few taps, consent recorded, bad input refused whole."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.checkin.models import Participant, Pass
from events.introductions.models import NOTE_MAX_LENGTH, Introduction
from events.models import Occurrence
from tests.factories import OccurrenceFactory, PassFactory

pytestmark = pytest.mark.django_db


def form(date, **overrides):
    data = {
        "occurrence": date.pk,
        "submission": str(uuid.uuid4()),
        "chosen_name": "Jay",
        "note": "A bit nervous; likes to sit near the door.",
        "pass_code": "",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def nav(client, navigator):
    client.force_login(navigator)
    return client


def test_a_navigator_makes_an_introduction_with_a_new_pass(nav, later, navigator, probation):
    response = nav.post(reverse("introductions:make"), form(later))
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("introductions:detail", args=[introduction.pk]))
    assert introduction.organisation == probation
    assert introduction.chosen_name == "Jay"
    assert "Pathways Probation will hear whether I came" in introduction.consent_text
    assert introduction.consented_at is not None
    held = introduction.participant.passes.get()
    # Made as a door pass is: the navigator's code opens the record once, for the person.
    assert held.created_by == Pass.CreatedBy.ORGANISER and held.issued_by == navigator
    assert held.code_seen_by_organiser


def test_an_existing_pass_is_used_and_its_code_never_shown(nav, later, client):
    held = PassFactory(participant__nickname="Jay")
    response = nav.post(
        reverse("introductions:make"),
        form(later, pass_code=f"https://x.example/pass/p/{held.token}/"),
    )
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert introduction.participant == held.participant
    assert Participant.objects.count() == 1
    page = client.get(reverse("introductions:invitation", args=[introduction.invitation_id]))
    assert held.claim_code.encode() not in page.content


def test_the_picker_lists_dates_and_finds_a_groups_next_date(nav, later, group):
    page = nav.get(reverse("introductions:make"))
    assert page.status_code == 200
    assert f"?occurrence={later.pk}".encode() in page.content
    response = nav.get(reverse("introductions:make") + f"?group={group.pk}")
    assert response["Location"].endswith(f"?occurrence={later.pk}")
    filtered = nav.get(reverse("introductions:make") + "?fact=free&q=coffee")
    assert filtered.status_code == 200
    assert nav.get(reverse("introductions:make") + f"?occurrence={later.pk}").status_code == 200


def refused(nav, data, text):
    before = (Introduction.objects.count(), Participant.objects.count())
    response = nav.post(reverse("introductions:make"), data)
    assert response.status_code in (400, 404), response.status_code
    assert text in response.content.decode()
    assert (Introduction.objects.count(), Participant.objects.count()) == before


def test_a_past_date_is_refused(nav, event):
    past = OccurrenceFactory(
        event=event,
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() - timedelta(days=3),
    )
    refused(nav, form(past), "That date has passed")


def test_a_cancelled_date_is_refused(nav, later):
    Occurrence.objects.filter(pk=later.pk).update(status=Occurrence.Status.CANCELLED)
    refused(nav, form(later), "That date has been cancelled")


def test_a_password_protected_date_is_refused(nav, later, event):
    PageViewRestriction.objects.create(page=event, restriction_type="password", password="x")
    refused(nav, form(later), "not open to introductions")


def test_an_over_long_note_is_refused(nav, later):
    refused(nav, form(later, note="x" * (NOTE_MAX_LENGTH + 1)), "Please keep the note to")


def test_an_unticked_consent_is_refused(nav, later):
    refused(nav, form(later, consent=None), "tick the box once the person agrees")


def test_an_unknown_date_or_forged_pass_is_refused(nav, later):
    refused(nav, form(later, occurrence="999999"), "That date was not found")
    refused(nav, form(later, pass_code="not-a-pass"), "That is not a pass code")


def test_a_double_submit_makes_one_introduction(nav, later):
    data = form(later)
    first = nav.post(reverse("introductions:make"), data)
    second = nav.post(reverse("introductions:make"), data)
    assert Introduction.objects.count() == 1
    assert Participant.objects.count() == 1
    assert second.status_code == 302 and second["Location"].endswith("?again=1")
    assert first["Location"].split("?")[0] == second["Location"].split("?")[0]


def test_another_organisations_introduction_is_refused(client, other_navigator, introduce, later):
    introduction = introduce(later)
    client.force_login(other_navigator)
    response = client.get(reverse("introductions:detail", args=[introduction.pk]))
    assert response.status_code == 403
    assert b"not one you can see" in response.content
    assert b"Likes to sit near the door" not in response.content
    again = client.get(reverse("introductions:make") + f"?again={introduction.pk}")
    assert b"Jay" not in again.content

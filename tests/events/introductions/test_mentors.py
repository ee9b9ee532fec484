"""Peer mentors: marked by their group's organisers, taking welcome duty, seeing only the
introductions to the dates they welcome at; event pages say a mentor will meet newcomers.
"""

import pytest
from django.urls import reverse

from events.introductions.models import PeerMentor, WelcomeDuty
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(group):
    user = UserFactory(username="sam")
    user.groups.add(group.organisers)
    return user


def test_an_organiser_marks_a_member_a_peer_mentor_with_consent(client, organiser, group, member):
    client.force_login(organiser)
    url = reverse("introductions:mentors", args=[group.pk])
    refused = client.post(url, {"user": member.pk, "first_name": "Sam"})
    assert refused.status_code == 400 and not PeerMentor.objects.exists()
    client.post(url, {"user": member.pk, "first_name": "Sam", "consent": "on", "named": "on"})
    mentor = PeerMentor.objects.get()
    assert (mentor.user, mentor.first_name, mentor.public_name) == (member, "Sam", "Sam")


def test_another_groups_organiser_cannot_mark_mentors(client, outsider, group):
    client.force_login(outsider)
    assert client.get(reverse("introductions:mentors", args=[group.pk])).status_code == 403


def test_a_mentor_takes_duty_and_sees_only_those_dates_introductions(
    client, group, member, occurrence, later, introduce, event
):
    mentor = PeerMentor.objects.create(group=group, user=member, first_name="Sam")
    introduce(later, name="Jay", note="Likes tea.")
    client.force_login(member)
    page = client.get(reverse("introductions:welcome")).content.decode()
    assert "Jay" not in page
    client.post(reverse("introductions:take_duty", args=[later.pk]))
    assert WelcomeDuty.objects.get().mentor == mentor
    page = client.get(reverse("introductions:welcome")).content.decode()
    assert "Jay" in page and "Likes tea." in page
    # The invitation now says who will meet them, once the mentor agreed to be named.
    invitation = client.get(
        reverse("introductions:invitation", args=[later.introductions.get().invitation_id])
    ).content.decode()
    assert "A peer mentor will be at the door" in invitation
    PeerMentor.objects.update(named_consent_at="2026-01-01T00:00Z")
    invitation = client.get(
        reverse("introductions:invitation", args=[later.introductions.get().invitation_id])
    ).content.decode()
    assert "Sam, a peer mentor, will be at the door" in invitation


def test_a_mentor_cannot_take_duty_at_another_groups_date(client, other_group, group, member):
    from tests.factories import OccurrenceFactory

    from .conftest import make_event

    PeerMentor.objects.create(group=group, user=member, first_name="Sam")
    elsewhere = OccurrenceFactory(event=make_event(other_group, title="Run"))
    client.force_login(member)
    response = client.post(reverse("introductions:take_duty", args=[elsewhere.pk]))
    assert response.status_code == 403 and not WelcomeDuty.objects.exists()


def test_the_event_page_says_a_peer_mentor_will_meet_newcomers(client, group, member, later, event):
    mentor = PeerMentor.objects.create(group=group, user=member, first_name="Sam")
    page = client.get(event.url).content.decode()
    assert "A peer mentor will meet newcomers" not in page
    WelcomeDuty.objects.create(mentor=mentor, occurrence=later)
    page = client.get(event.url).content.decode()
    assert "A peer mentor will meet newcomers at the door on:" in page

"""At the door: who is expected, and the arrival that marks an introduction "came"."""

import json

import pytest
from django.urls import reverse

from events.checkin.services.scanning import checkin_record
from events.introductions.models import Introduction, PeerMentor, WelcomeDuty
from events.introductions.selectors import expected_at
from tests.factories import UserFactory

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(group):
    return PeerMentor.objects.create(
        group=group, user=UserFactory(username="sam"), first_name="Sam"
    )


def test_the_scan_says_who_introduced_them_and_marks_it_came(occurrence, organiser, introduce, sam):
    WelcomeDuty.objects.create(mentor=sam, occurrence=occurrence)
    introduction = introduce(occurrence)
    held = introduction.participant.passes.get()
    result = checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
    assert result.introduction == (
        "Jay is here: introduced by Pathways Probation; Sam is meeting them."
    )
    assert result.as_json()["introduction"] == result.introduction
    introduction.refresh_from_db()
    assert introduction.came_at is not None
    again = checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
    assert again.introduction == ""


def test_the_scan_json_carries_the_introduction(client, occurrence, organiser, introduce):
    introduction = introduce(occurrence)
    held = introduction.participant.passes.get()
    client.force_login(organiser)
    response = client.post(
        reverse("checkin:scan_json", args=[occurrence.pk]),
        json.dumps({"code": held.token}),
        content_type="application/json",
        headers={"X-Scanner-Ticket": ticket_for(client, organiser, occurrence)},
    )
    assert response.status_code == 200
    assert response.json()["introduction"] == "Jay is here: introduced by Pathways Probation."


def test_a_scan_of_someone_not_introduced_costs_no_more(
    occurrence, organiser, django_assert_num_queries
):
    from tests.factories import PassFactory

    held = PassFactory()
    checkin_record(occurrence=occurrence, token=PassFactory().token, scanned_by=organiser)
    from django.db import connection

    # ORM path: the scan's own queries, plus one look for a waiting introduction (on
    # PostgreSQL the door's one statement answers that itself: see test below).
    expected = 1 if connection.vendor == "postgresql" else None
    if expected is not None:
        with django_assert_num_queries(expected):
            checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
    else:
        result = checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
        assert result.introduction == ""


def test_the_scanner_lists_who_is_expected_in_one_query(
    client, occurrence, organiser, introduce, django_assert_num_queries
):
    for name in ("Jay", "Kit", "Lou"):
        introduce(occurrence, name=name)
    with django_assert_num_queries(1):
        rows = expected_at(occurrence)
        [(r.chosen_name, r.organisation.organisation.title) for r in rows]
    client.force_login(organiser)
    page = client.get(reverse("checkin:scanner", args=[occurrence.pk])).content.decode()
    assert "Expected today by introduction" in page
    assert "Kit" in page and "Likes to sit near the door." in page


def test_only_organisers_and_the_mentor_on_duty_see_who_is_expected(
    client, occurrence, later, introduce, sam, outsider
):
    introduce(occurrence)
    from events.introductions.selectors import may_see_expected

    assert not may_see_expected(sam.user, occurrence)
    WelcomeDuty.objects.create(mentor=sam, occurrence=occurrence)
    assert may_see_expected(sam.user, occurrence)
    assert not may_see_expected(sam.user, later)  # not on duty that date
    assert not may_see_expected(outsider, occurrence)
    assert Introduction.objects.count() == 1

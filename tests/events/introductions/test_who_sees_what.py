"""Who sees an introduction and its note: its navigators, the date's organisers, the mentor
on duty, the council. Nobody else; and nobody sees another group's attendance through it.
"""

import pytest
from django.urls import reverse

from events.checkin.models import Attendance, Method
from events.introductions.models import PeerMentor, WelcomeDuty
from tests.factories import OccurrenceFactory, UserFactory

pytestmark = pytest.mark.django_db
NOTE = b"Likes to sit near the door."


def see(client, user, introduction):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("introductions:detail", args=[introduction.pk]))


def test_refused_to_everyone_without_a_reason_to_see_it(
    client, later, occurrence, introduce, other_navigator, outsider, group
):
    introduction = introduce(later)
    mentor = PeerMentor.objects.create(
        group=group, user=UserFactory(username="mo"), first_name="Mo"
    )
    WelcomeDuty.objects.create(mentor=mentor, occurrence=occurrence)  # another date
    for user in (other_navigator, outsider, mentor.user):
        response = see(client, user, introduction)
        assert response.status_code == 403, user
        assert NOTE not in response.content
    anonymous = see(client, None, introduction)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_shown_to_its_navigator_the_organiser_the_mentor_on_duty_and_the_council(
    client, later, introduce, navigator, organiser, moderator, group
):
    introduction = introduce(later)
    mentor = PeerMentor.objects.create(
        group=group, user=UserFactory(username="mo"), first_name="Mo"
    )
    WelcomeDuty.objects.create(mentor=mentor, occurrence=later)
    for user in (navigator, organiser, mentor.user, moderator):
        response = see(client, user, introduction)
        assert response.status_code == 200, user
        assert NOTE in response.content


def test_the_navigator_learns_a_count_of_other_groups_only_with_consent(
    client, occurrence, introduce, navigator, other_group, make_event_of=None
):
    from .conftest import make_event

    run = OccurrenceFactory(
        event=make_event(other_group, title="Saturday Run"),
        start=occurrence.start.replace(year=occurrence.start.year)
        + (occurrence.end - occurrence.start) * 2,
    )
    shared = introduce(occurrence, name="Jay", share_other_groups=True)
    private = introduce(occurrence, name="Kit", share_other_groups=False)
    for introduction in (shared, private):
        Attendance.objects.create(
            occurrence=run, participant=introduction.participant, method=Method.SCAN
        )
    client.force_login(navigator)
    page = client.get(reverse("introductions:follow_up")).content.decode()
    assert page.count("Since with 1 other group") == 1
    assert "Saturday Run" not in page and "Running Club" not in page


def test_the_navigators_list_costs_the_same_for_many(
    client, later, introduce, navigator, django_assert_num_queries
):
    for n in range(12):
        introduce(later, name=f"P{n}")
    client.force_login(navigator)
    client.get(reverse("introductions:follow_up"))
    # Session, user, their organisations, the rows (outcomes as subqueries), and the base
    # template's five (site, city settings, menu, two permission reads): none per row.
    with django_assert_num_queries(9):
        response = client.get(reverse("introductions:follow_up"))
    assert response.content.decode().count("data-introduction=") == 12

"""A probation service with a navigator, a group with an event on now, and its organiser."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from events.introductions.services import introduction_make, navigator_organisation_create
from events.models import GroupKind
from tests.events.checkin.conftest import make_event, ticket_for  # noqa: F401
from tests.factories import OccurrenceFactory, UserFactory


@pytest.fixture
def probation(make_group):
    group = make_group(title="Pathways Probation", slug="pathways", kind=GroupKind.PROBATION)
    return navigator_organisation_create(organisation=group)


@pytest.fixture
def other_navigators(make_group):
    group = make_group(title="Health Link", slug="health-link", kind=GroupKind.HEALTH)
    return navigator_organisation_create(organisation=group)


@pytest.fixture
def navigator(probation):
    user = UserFactory(username="navigator-nia")
    user.groups.add(probation.navigators)
    return user


@pytest.fixture
def other_navigator(other_navigators):
    user = UserFactory(username="navigator-ola")
    user.groups.add(other_navigators.navigators)
    return user


@pytest.fixture
def group(make_group):
    return make_group(title="Lantern Café", slug="lantern", kind=GroupKind.COMMUNITY)


@pytest.fixture
def other_group(make_group):
    return make_group(title="Running Club", slug="running", kind=GroupKind.SPORT_ARTS)


@pytest.fixture
def event(group):
    return make_event(group)


@pytest.fixture
def occurrence(event):
    return OccurrenceFactory(event=event)


@pytest.fixture
def later(event):
    start = timezone.now() + timedelta(days=7)
    return OccurrenceFactory(event=event, start=start, end=start + timedelta(hours=2))


@pytest.fixture
def organiser(group, make_organiser):
    return make_organiser(group, "lantern-organiser")


@pytest.fixture
def outsider(other_group, make_organiser):
    return make_organiser(other_group, "running-organiser")


@pytest.fixture
def introduce(probation, navigator):
    def make(occurrence, *, name="Jay", note="Likes to sit near the door.", **kwargs):
        return introduction_make(
            organisation=kwargs.pop("organisation", probation),
            navigator=kwargs.pop("by", navigator),
            occurrence_id=occurrence.pk,
            chosen_name=name,
            note=note,
            consent=kwargs.pop("consent", True),
            share_other_groups=kwargs.pop("share_other_groups", False),
            submission=kwargs.pop("submission", uuid.uuid4()),
            **kwargs,
        ).introduction

    return make

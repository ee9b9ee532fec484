"""A group with an event on now, its organiser, an organiser of another group, and a pass."""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from events.checkin.permissions import scanner_ticket_issue
from events.models import EventPage
from tests.factories import OccurrenceFactory, PassFactory


def make_event(group, title="Tuesday Coffee Morning", slug=None):
    # A one-off in the past: publishing materialises that date; tests add their own dates.
    event = EventPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary="Coffee.",
        start_date=date(2020, 1, 7),
    )
    group.add_child(instance=event)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


@pytest.fixture
def group(make_group):
    return make_group(title="Lantern Café", slug="lantern")


@pytest.fixture
def other_group(make_group):
    return make_group(title="Running Club", slug="running")


@pytest.fixture
def event(group):
    return make_event(group)


@pytest.fixture
def other_event(other_group):
    return make_event(other_group, title="Saturday Run")


@pytest.fixture
def occurrence(event):
    return OccurrenceFactory(event=event)


@pytest.fixture
def organiser(group, make_organiser):
    return make_organiser(group, "lantern-organiser")


@pytest.fixture
def outsider(other_group, make_organiser):
    return make_organiser(other_group, "running-organiser")


@pytest.fixture
def held_pass(db):
    return PassFactory(participant__nickname="Robin", participant__email="robin@example.org")


def ticket_for(client, user, occurrence) -> str:
    """A scanner ticket for `user`, issued to the session `client` holds.

    A client without a session is given a fresh, empty one (nobody logged in): a ticket
    belongs to one browser session, and a scan must come from it.
    """
    name = settings.SESSION_COOKIE_NAME
    if name not in client.cookies:
        session = SessionStore()
        session.create()
        client.cookies[name] = session.session_key
    return scanner_ticket_issue(user, occurrence, session_key=client.cookies[name].value)

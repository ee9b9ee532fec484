"""Fixtures for the events tests: a group with events whose dates are stored."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache

from tests.factories import EventPageFactory


@pytest.fixture
def frozen():
    """The clock stopped at 1 March 2026, 12:00 UTC, with an empty cache.

    The feed, API and embed tests use it (`pytestmark = pytest.mark.usefixtures("frozen")`):
    frozen clocks and reused ids can give two tests the same ETag, so no body from before.
    """
    cache.clear()
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def calendar_page(home_page):
    from events.models import CalendarPage

    page = CalendarPage(title="What’s on", slug="events")
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def make_event():
    """Make an EventPage under `group` and publish it (which stores its dates)."""

    def make(group, categories=(), partners=(), **kwargs):
        event = EventPageFactory(parent=group, live=False, **kwargs)
        if categories:
            event.categories.set(categories)
        if partners:
            event.partner_groups.set(partners)
        event.save_revision().publish()
        event.refresh_from_db()
        return event

    return make

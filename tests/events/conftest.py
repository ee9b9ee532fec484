"""Fixtures for the events tests: a group with events whose dates are stored."""

import pytest

from tests.factories import EventPageFactory


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

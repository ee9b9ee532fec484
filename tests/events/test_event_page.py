"""The event page and the group page show dates, changes, the venue and its access."""

from datetime import date, time

import pytest
import time_machine

from events.models import Category, OccurrenceChange
from events.services import occurrences_regenerate
from tests.factories import VenueFactory

NOW = "2026-03-20 12:00 +00:00"


@pytest.fixture
def event(make_group, make_event):
    with time_machine.travel(NOW, tick=False):
        host = make_group(title="Forward Strides", slug="forward-strides")
        partner = make_group(title="Lantern Café", slug="lantern-cafe")
        venue = VenueFactory(name="Riverside Bandstand", step_free=True, hearing_loop=False)
        event = make_event(
            host,
            title="Tuesday run",
            slug="tuesday-run",
            venue=venue,
            partners=[partner],
            categories=[Category.objects.get(slug="sport-and-movement")],
            welcomer=True,
        )
        OccurrenceChange.objects.create(
            page=event, original_date=date(2026, 3, 24), status="cancelled", note="Storm."
        )
        OccurrenceChange.objects.create(
            page=event,
            original_date=date(2026, 3, 31),
            status="moved",
            new_start_time=time(18),
            new_venue=VenueFactory(name="Leisure Centre"),
        )
        occurrences_regenerate(event=event)
    return event


@time_machine.travel(NOW, tick=False)
def test_event_page_shows_schedule_dates_changes_and_access(client, event):
    response = client.get("/groups/forward-strides/tuesday-run/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Every Tuesday, 7 to 9pm, from 6 January" in html
    assert "Cancelled" in html and "Storm." in html
    assert "Moved" in html and "at Leisure Centre" in html
    assert "Riverside Bandstand" in html
    assert "Step-free access: yes" in html
    assert "Hearing loop: no" in html
    assert "Someone meets newcomers at the door" in html
    assert "Lantern Café" in html
    assert "Sport and movement" in html
    assert 'id="subscribe-heading"' in html  # the place for add-to-calendar links


@time_machine.travel(NOW, tick=False)
def test_event_page_query_count_is_pinned(client, event, django_assert_num_queries):
    client.get("/groups/forward-strides/tuesday-run/")
    # 19, one for the dates a peer mentor will meet newcomers at (events.introductions), one
    # for the series' cancelled dates (JSON-LD exceptDate), and 2 for languages: the locale
    # as Wagtail serves the page, and the page's translations.
    with django_assert_num_queries(23):
        client.get("/groups/forward-strides/tuesday-run/")


@time_machine.travel(NOW, tick=False)
def test_group_page_lists_hosted_and_co_hosted_dates(client, event):
    host = client.get("/groups/forward-strides/").content.decode()
    partner = client.get("/groups/lantern-cafe/").content.decode()
    for html in (host, partner):
        assert "Tuesday run" in html
        assert "Coming up" in html
    assert "This date is cancelled." in host


@time_machine.travel(NOW, tick=False)
def test_group_page_query_count_does_not_grow(client, event, make_event, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/groups/forward-strides/")
    with CaptureQueriesContext(connection) as before:
        client.get("/groups/forward-strides/")
    make_event(event.group, title="Another run", slug="another-run")
    make_event(event.group, title="Third run", slug="third-run")
    with django_assert_num_queries(len(before)):
        client.get("/groups/forward-strides/")


@time_machine.travel(NOW, tick=False)
def test_group_with_no_dates_says_so(client, make_group):
    make_group(title="Quiet group", slug="quiet-group")
    html = client.get("/groups/quiet-group/").content.decode()
    assert "No dates are listed just now" in html

"""A private event leaks through no public surface (finding 14 of issue 11).

The review read a password-protected event's title, next date and check-in code from its
poster and its self check-in page. A page with privacy on it (a password) or above it (a
log-in on its group) now has no poster and no self check-in; the calendar, its API, the
feeds and the widget leave it out as before.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.checkin.models import AnonymousCount
from events.checkin.tokens import sign_poster
from tests.events.checkin.conftest import make_event
from tests.factories import OccurrenceFactory

pytestmark = pytest.mark.django_db

TITLE = "Members Circle"


@pytest.fixture(params=["password on the event", "log-in on its group"])
def private_event(request, make_group):
    group = make_group(title="Quiet Group", slug="quiet")
    event = make_event(group, title=TITLE, slug="members-circle")
    if request.param == "password on the event":
        PageViewRestriction.objects.create(
            page=event, restriction_type=PageViewRestriction.PASSWORD, password="circle"
        )
    else:
        PageViewRestriction.objects.create(page=group, restriction_type=PageViewRestriction.LOGIN)
    # One date on now (its self check-in would be open) and one coming.
    OccurrenceFactory(event=event)
    OccurrenceFactory(event=event, start=timezone.now() + timedelta(days=2))
    return event


def assert_hidden(response, event):
    body = response.content.decode()
    assert TITLE not in body
    assert sign_poster(event.pk) not in body


def test_a_private_event_has_no_poster(client, private_event):
    response = client.get(reverse("checkin:poster", args=[private_event.pk]))
    assert response.status_code == 404
    assert_hidden(response, private_event)


def test_a_private_event_has_no_self_check_in(client, private_event):
    url = reverse("checkin:self_checkin", args=[sign_poster(private_event.pk)])
    response = client.get(url)
    assert response.status_code == 404
    assert_hidden(response, private_event)
    occurrence = private_event.occurrences.order_by("start").first()
    response = client.post(url, {"occurrence": occurrence.pk, "action": "anonymous"})
    assert response.status_code == 404
    assert_hidden(response, private_event)
    assert not AnonymousCount.objects.exists()


def test_another_posters_page_does_not_name_a_private_event(client, event, private_event):
    OccurrenceFactory(event=event)
    hidden = private_event.occurrences.order_by("start").first()
    url = reverse("checkin:self_checkin", args=[sign_poster(event.pk)])
    response = client.post(url, {"occurrence": hidden.pk, "action": "anonymous"})
    assert response.status_code == 400
    assert TITLE not in response.content.decode()


def test_the_calendar_api_feeds_and_widget_leave_a_private_event_out(client, private_event):
    surfaces = [
        "/api/occurrences/",
        "/feeds/events.ics",
        "/feeds/groups/quiet.ics",
        "/embed/groups/quiet/",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert TITLE.encode() not in response.content, url


def test_the_calendar_page_leaves_a_private_event_out(client, calendar_page, private_event):
    response = client.get(calendar_page.url)
    assert response.status_code == 200
    assert TITLE not in response.content.decode()


def test_a_public_event_still_has_its_poster(client, event):
    response = client.get(reverse("checkin:poster", args=[event.pk]))
    assert response.status_code == 200
    assert event.title in response.content.decode()

"""The event poster: a participant checks themselves in from their own phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.checkin.models import AnonymousCount, Attendance
from events.checkin.tokens import sign_poster
from events.checkin.views.passes import PASS_COOKIE, PASS_COOKIE_SALT
from tests.factories import OccurrenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def hold(client, held_pass):
    response = client.get("/")
    response.set_signed_cookie(PASS_COOKIE, held_pass.token, salt=PASS_COOKIE_SALT)
    client.cookies[PASS_COOKIE] = response.cookies[PASS_COOKIE].value


def url_for(event):
    return reverse("checkin:self_checkin", args=[sign_poster(event.pk)])


def test_the_poster_shows_the_next_date_and_a_code_for_this_event(client, event):
    soon = OccurrenceFactory(event=event, start=timezone.now() + timedelta(days=2))
    html = client.get(reverse("checkin:poster", args=[event.pk])).content.decode()
    assert "Tuesday Coffee Morning" in html
    assert timezone.localtime(soon.start).strftime("%-d %B %Y") in html
    assert '<svg class="qr"' in html
    assert url_for(event) in html


def test_one_tap_with_a_pass_in_the_browser(client, occurrence, held_pass):
    hold(client, held_pass)
    page = client.get(url_for(occurrence.event)).content.decode()
    assert "Check me in as Robin" in page
    response = client.post(
        url_for(occurrence.event), {"occurrence": occurrence.pk, "action": "pass"}
    )
    assert response.status_code == 200
    assert "Robin is checked in" in response.content.decode()
    again = client.post(url_for(occurrence.event), {"occurrence": occurrence.pk, "action": "pass"})
    assert "already checked in" in again.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.method, attendance.recorded_by) == ("self", None)


def test_without_a_pass_an_anonymous_count_once_or_a_new_pass(client, occurrence):
    page = client.get(url_for(occurrence.event)).content.decode()
    assert "Count me in, with no name" in page and "get a pass" in page
    first = client.post(
        url_for(occurrence.event),
        {"occurrence": occurrence.pk, "action": "anonymous", "nonce": "n1"},
    )
    second = client.post(
        url_for(occurrence.event),
        {"occurrence": occurrence.pk, "action": "anonymous", "nonce": "n2"},
    )
    assert (first.status_code, second.status_code) == (200, 409)
    assert AnonymousCount.objects.get().source == "self"
    assert not Attendance.objects.exists()


def test_a_check_in_for_another_events_date_is_refused(client, occurrence, other_event, held_pass):
    hold(client, held_pass)
    elsewhere = OccurrenceFactory(event=other_event)
    response = client.post(
        url_for(occurrence.event), {"occurrence": elsewhere.pk, "action": "pass"}
    )
    assert response.status_code == 400
    assert "different event, Saturday Run" in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_is_closed_outside_the_date(client, event, held_pass):
    later = OccurrenceFactory(event=event, start=timezone.now() + timedelta(days=1))
    hold(client, held_pass)
    page = client.get(url_for(event)).content.decode()
    assert "not open for check-in yet" in page
    response = client.post(url_for(event), {"occurrence": later.pk, "action": "pass"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "1:abc", sign_poster(1)[:-2]])
def test_a_bad_poster_code_is_a_friendly_404(client, token):
    response = client.get(reverse("checkin:self_checkin", args=[token]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/checkin/e/x\r\nSet-Cookie: a=b/",
        "/checkin/e/a:b/\n",
    ],
)
def test_getting_a_pass_returns_only_to_a_check_in_page(client, event, target):
    response = client.post(
        reverse("checkin:pass_start")
        + "?"
        + __import__("urllib.parse").parse.urlencode({"next": target}),
        {"nickname": "Kit"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("checkin:pass_mine")
    back = client.post(
        reverse("checkin:pass_start") + "?next=" + url_for(event), {"nickname": "Kit"}
    )
    assert back["Location"] == url_for(event)

"""Attendance only inside a date's check-in window (finding 7 of issue 11).

The review scanned a pass into 2 June on 2 December, and a date a week ahead; the same went
for the nickname search, the +1 and the self check-in. Every way in is tried here with the
clock frozen on Wednesday 2 December 2026 at noon, on SQLite (the ORM path) and, with
DATABASE_URL, on PostgreSQL (the door scan's one statement).
"""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import Site

from events.checkin.models import (
    AnonymousCount,
    Attendance,
    CheckinSettings,
    Participant,
    ScanLog,
)
from events.checkin.services.scanning import Outcome, checkin_record
from events.checkin.window import State, checkin_window
from home.audit.models import AuditEvent
from tests.factories import OccurrenceFactory

from .conftest import ticket_for

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(2026, day[0], day[1], hour, minute, tzinfo=LONDON)


# The window itself: pure, no database ------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (at((12, 8), 17, 59), State.NOT_YET),
        (at((12, 8), 18, 0), State.OPEN),  # an hour before the 19:00 start
        (at((12, 8), 20, 0), State.OPEN),
        (at((12, 8), 23, 0), State.OPEN),  # two hours after the 21:00 end
        (at((12, 8), 23, 1), State.CLOSED),
        (at((12, 9), 12, 0), State.CLOSED),
    ],
)
def test_the_window_runs_from_an_hour_before_to_two_hours_after(moment, state):
    window = checkin_window(start=at((12, 8), 19), end=at((12, 8), 21))
    assert window.state(moment) is state


def test_the_window_says_when_it_opens_and_when_it_closed():
    window = checkin_window(start=at((12, 8), 19), end=at((12, 8), 21))
    assert window.refusal(State.NOT_YET) == (
        "This date is not open for check-in yet: it opens at 18:00 on Tuesday 8 December."
    )
    assert window.refusal(State.CLOSED).startswith(
        "Check-in for this date closed at 23:00 on Tuesday 8 December."
    )
    assert window.refusal(State.OPEN) == ""


def test_the_window_keeps_local_time_in_summer():
    window = checkin_window(
        start=at((6, 2), 19), end=at((6, 2), 21), opens_minutes_before=30, closes_minutes_after=15
    )
    assert "18:30 on Tuesday 2 June" in window.refusal(State.NOT_YET)
    assert "21:15 on Tuesday 2 June" in window.refusal(State.CLOSED)


# The attacks ----------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def june(event, frozen):
    """A date six months gone: 2 June, 19:00 to 21:00."""
    return OccurrenceFactory(event=event, start=at((6, 2), 19), end=at((6, 2), 21))


@pytest.fixture
def next_week(event, frozen):
    """A date not yet come: Tuesday 8 December, 19:00 to 21:00."""
    return OccurrenceFactory(event=event, start=at((12, 8), 19), end=at((12, 8), 21))


@pytest.fixture
def today(event, frozen):
    """A date on now."""
    return OccurrenceFactory(event=event, start=at((12, 2), 11), end=at((12, 2), 13))


def test_a_pass_cannot_be_scanned_into_a_past_date(june, held_pass, organiser):
    result = checkin_record(occurrence=june, token=held_pass.token, scanned_by=organiser)
    assert (result.outcome, result.reason) == (Outcome.INVALID, "closed")
    assert result.message.startswith("Check-in for this date closed at 23:00 on Tuesday 2 June.")
    assert not Attendance.objects.exists()
    # The attempt is in the scan log.
    assert list(ScanLog.objects.values_list("occurrence", "result", "organiser")) == [
        (june.pk, "closed", organiser.pk)
    ]


def test_a_pass_cannot_be_scanned_into_a_future_date(next_week, held_pass, organiser):
    result = checkin_record(occurrence=next_week, token=held_pass.token, scanned_by=organiser)
    assert result.reason == "not_yet"
    assert result.message == (
        "This date is not open for check-in yet: it opens at 18:00 on Tuesday 8 December."
    )
    assert not Attendance.objects.exists()


def test_a_poster_code_or_bad_code_is_refused_outside_the_window_too(june, organiser):
    result = checkin_record(occurrence=june, token="not a pass", scanned_by=organiser)
    assert result.reason == "closed"


def test_the_door_scanner_endpoint_refuses_a_closed_date(client, june, held_pass, organiser):
    # The scanner's hot path: a ticket, one statement on PostgreSQL.
    response = client.post(
        reverse("checkin:scan_json", args=[june.pk]),
        json.dumps({"code": held_pass.token}),
        content_type="application/json",
        headers={"x-scanner-ticket": ticket_for(client, organiser, june)},
    )
    assert response.status_code == 422
    assert response.json()["reason"] == "closed"
    assert "closed at 23:00 on Tuesday 2 June" in response.json()["message"]
    assert response.json()["counts"]["total"] == 0
    assert not Attendance.objects.exists()


def test_the_window_edges_hold_on_every_path(event, held_pass, organiser):
    occurrence = OccurrenceFactory(event=event, start=at((12, 8), 19), end=at((12, 8), 21))
    with time_machine.travel(at((12, 8), 17, 59), tick=False):
        result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert result.reason == "not_yet"
    with time_machine.travel(at((12, 8), 23, 1), tick=False):
        result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert result.reason == "closed"
    assert not Attendance.objects.exists()
    with time_machine.travel(at((12, 8), 18, 0), tick=False):
        result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert result.outcome is Outcome.CHECKED_IN
    with time_machine.travel(at((12, 8), 23, 0), tick=False):
        result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert result.outcome is Outcome.ALREADY


def test_the_sites_own_window_is_used(event, held_pass, organiser, next_week):
    CheckinSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        opens_minutes_before=10,
        closes_minutes_after=5,
    )
    with time_machine.travel(at((12, 8), 18, 30), tick=False):
        result = checkin_record(occurrence=next_week, token=held_pass.token, scanned_by=organiser)
        assert result.message == (
            "This date is not open for check-in yet: it opens at 18:50 on Tuesday 8 December."
        )
    with time_machine.travel(at((12, 8), 21, 6), tick=False):
        assert checkin_record(
            occurrence=next_week, token=held_pass.token, scanned_by=organiser
        ).reason == ("closed")
    with time_machine.travel(at((12, 8), 18, 55), tick=False):
        result = checkin_record(occurrence=next_week, token=held_pass.token, scanned_by=organiser)
    assert result.outcome is Outcome.CHECKED_IN


def test_the_window_is_a_setting_in_the_admin(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["checkin", "checkinsettings", site.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "check-in opens (minutes before the start)" in page.content.decode().lower()
    client.post(url, {"opens_minutes_before": "30", "closes_minutes_after": "45"})
    assert CheckinSettings.for_site(site).opens_minutes_before == 30


@pytest.fixture
def door_client(client, organiser):
    client.force_login(organiser)
    return client


def test_a_nickname_check_in_is_refused_outside_the_window(door_client, june, held_pass):
    # Robin came before (so the search finds them), then the organiser tries June.
    Attendance.objects.create(
        occurrence=OccurrenceFactory(event=june.event, start=at((5, 26), 19)),
        participant=held_pass.participant,
        method="scan",
    )
    response = door_client.post(
        reverse("checkin:checkin_by_search", args=[june.pk]),
        {"participant": held_pass.participant.pk},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 422
    assert "closed at 23:00 on Tuesday 2 June" in response.json()["message"]
    assert not Attendance.objects.filter(occurrence=june).exists()


def test_a_plus_one_is_refused_outside_the_window(door_client, june, next_week):
    for occurrence in (june, next_week):
        response = door_client.post(
            reverse("checkin:plus_one", args=[occurrence.pk]),
            {"nonce": f"n-{occurrence.pk}"},
            headers={"accept": "application/json"},
        )
        assert response.status_code == 422
        assert response.json()["outcome"] == "invalid"
    assert "opens at 18:00 on Tuesday 8 December" in response.json()["message"]
    assert not AnonymousCount.objects.exists()


def test_no_door_pass_is_made_for_a_closed_date(door_client, june):
    response = door_client.post(reverse("checkin:door_pass", args=[june.pk]), {"nickname": "Kit"})
    assert response.status_code == 400
    assert "closed at 23:00 on Tuesday 2 June" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_scanner_page_says_a_date_is_not_open(door_client, next_week, today):
    html = door_client.get(reverse("checkin:scanner", args=[next_week.pk])).content.decode()
    assert "opens at 18:00 on Tuesday 8 December" in html
    assert reverse("checkin:correct", args=[next_week.pk]) not in html  # not the council
    html = door_client.get(reverse("checkin:scanner", args=[today.pk])).content.decode()
    # (the page's script carries its own words for the offline case, so look for the server's)
    assert "not open for check-in yet: it opens" not in html


def test_self_check_in_is_refused_for_a_date_not_open(client, june, next_week, held_pass):
    from tests.events.checkin.test_self_checkin import hold, url_for

    hold(client, held_pass)
    page = client.get(url_for(june.event)).content.decode()
    assert "opens at 18:00 on Tuesday 8 December" in page
    for occurrence in (june, next_week):
        for action in ("pass", "anonymous"):
            response = client.post(
                url_for(june.event), {"occurrence": occurrence.pk, "action": action}
            )
            assert response.status_code == 400
    assert not Attendance.objects.exists() and not AnonymousCount.objects.exists()


def test_self_check_in_opens_with_the_window(client, event, held_pass):
    from tests.events.checkin.test_self_checkin import hold, url_for

    occurrence = OccurrenceFactory(event=event, start=at((12, 8), 19), end=at((12, 8), 21))
    hold(client, held_pass)
    with time_machine.travel(at((12, 8), 22, 30), tick=False):  # after the end, still open
        response = client.post(url_for(event), {"occurrence": occurrence.pk, "action": "pass"})
    assert response.status_code == 200
    assert Attendance.objects.get().occurrence == occurrence


# Anonymous counts from the poster: limited per connection, not only per cookie ------------


def test_cookieless_self_counts_are_limited_per_connection(client, today, settings):
    from django.core.cache import cache
    from django.test import Client

    from tests.events.checkin.test_self_checkin import url_for

    cache.clear()
    settings.CHECKIN_SELF_COUNT_RATE = "3/d"
    answers = []
    for _attempt in range(8):  # eight fresh sessions, no cookie kept between them
        fresh = Client()
        response = fresh.post(url_for(today.event), {"occurrence": today.pk, "action": "anonymous"})
        answers.append(response.status_code)
    assert answers == [200, 200, 200, 429, 429, 429, 429, 429]
    assert "ask an organiser at the door" in response.content.decode()
    assert AnonymousCount.objects.filter(occurrence=today).count() == 3
    # Someone on another connection is still counted.
    other = Client(REMOTE_ADDR="192.0.2.77")
    response = other.post(url_for(today.event), {"occurrence": today.pk, "action": "anonymous"})
    assert response.status_code == 200
    assert AnonymousCount.objects.filter(occurrence=today).count() == 4


# Corrections: the council only, logged ---------------------------------------------------


def test_the_council_corrects_a_closed_date_and_it_is_logged(client, moderator, june, held_pass):
    client.force_login(moderator)
    url = reverse("checkin:correct", args=[june.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": f"http://testserver/pass/p/{held_pass.token}/",
            "people": "2",
            "reason": "The scanner had no signal that evening.",
        },
    )
    assert response.status_code == 200
    assert "Robin is checked in" in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.occurrence, attendance.method, attendance.recorded_by) == (
        june,
        "correction",
        moderator,
    )
    assert list(AnonymousCount.objects.values_list("occurrence", "source")) == [
        (june.pk, "correction"),
        (june.pk, "correction"),
    ]
    assert (
        sorted(ScanLog.objects.values_list("result", "method", "organiser"))
        == [("checked_in", "correction", moderator.pk)] * 3
    )
    entries = AuditEvent.objects.filter(action="correct_attendance")
    assert entries.count() == 2
    assert all(
        e.user == moderator and "no signal" in e.detail and e.object_id == str(june.pk)
        for e in entries
    )


def test_an_organiser_cannot_correct_a_closed_date(client, organiser, june, held_pass):
    client.force_login(organiser)
    url = reverse("checkin:correct", args=[june.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"code": held_pass.token, "people": "3", "reason": "Trust me."})
    assert response.status_code == 403
    assert not Attendance.objects.exists() and not AnonymousCount.objects.exists()
    assert not AuditEvent.objects.filter(action="correct_attendance").exists()


def test_the_correction_service_refuses_anyone_but_the_council(organiser, june, held_pass):
    from django.core.exceptions import PermissionDenied

    from events.checkin.services.scanning import anonymous_count_correct, attendance_correct

    with pytest.raises(PermissionDenied):
        attendance_correct(
            occurrence=june, participant=held_pass.participant, by=organiser, reason="x"
        )
    with pytest.raises(PermissionDenied):
        anonymous_count_correct(occurrence=june, people=1, by=organiser, reason="x")
    assert not Attendance.objects.exists() and not AnonymousCount.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"reason": "Forgot."}, "Please give a pass, or a number of people"),
        ({"code": "nonsense", "reason": "Forgot."}, "not a pass we know"),
        ({"people": "2", "reason": ""}, "This field is required"),
        ({"people": "5000", "reason": "Forgot."}, "less than or equal to 100"),
    ],
)
def test_a_bad_correction_says_what_to_do(client, moderator, june, data, words):
    client.force_login(moderator)
    response = client.post(reverse("checkin:correct", args=[june.pk]), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not AnonymousCount.objects.exists()

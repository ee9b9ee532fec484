"""The scanner ticket's fast lane: a ticketed scan skips the session layers, and nothing else."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from events.checkin.models import AnonymousCount, Attendance, ScanLog
from events.checkin.permissions import scanner_ticket_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    """A browser with no session that is held to the CSRF checks."""
    return Client(enforce_csrf_checks=True)


def scan(client, occurrence, code, ticket):
    return client.post(
        reverse("checkin:scan_json", args=[occurrence.pk]),
        json.dumps({"code": code}),
        content_type="application/json",
        HTTP_X_SCANNER_TICKET=ticket,
    )


def test_a_ticketed_scan_needs_no_session_nor_csrf_token(strict, occurrence, organiser, held_pass):
    response = scan(
        strict, occurrence, held_pass.token, scanner_ticket_issue(organiser, occurrence)
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "checked_in"
    assert Attendance.objects.get().recorded_by == organiser
    # The headers every answer carries, though the layers that add some were skipped.
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_without_a_genuine_ticket_the_session_and_csrf_checks_apply(
    strict, event, occurrence, organiser, held_pass
):
    from tests.factories import OccurrenceFactory

    other_date = scanner_ticket_issue(organiser, OccurrenceFactory(event=event))
    strict.force_login(organiser)
    for ticket in ("", "nonsense", other_date, scanner_ticket_issue(organiser, occurrence)[:-2]):
        response = scan(strict, occurrence, held_pass.token, ticket)
        assert response.status_code == 403, ticket
        assert "CSRF" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_ticket_opens_no_other_url(strict, occurrence, organiser):
    ticket = scanner_ticket_issue(organiser, occurrence)
    for name in ("plus_one", "checkin_by_search", "door_pass", "scanner"):
        response = strict.post(
            reverse(f"checkin:{name}", args=[occurrence.pk]),
            {"nonce": "abc", "participant": "1", "nickname": "Intruder", "code": "x"},
            HTTP_X_SCANNER_TICKET=ticket,
        )
        assert response.status_code == 403, name  # the CSRF check, as for anyone
    assert strict.get(reverse("checkin:attendance", args=[occurrence.pk])).status_code == 302
    assert not AnonymousCount.objects.exists()


def test_a_deactivated_organisers_ticket_stops_working_at_once(
    strict, occurrence, organiser, held_pass
):
    ticket = scanner_ticket_issue(organiser, occurrence)
    organiser.is_active = False
    organiser.save()
    for code in (held_pass.token, "not a pass"):
        response = scan(strict, occurrence, code, ticket)
        assert response.status_code == 403
        assert response.json()["message"] == "You cannot check people in for this event."
    assert not Attendance.objects.exists()
    assert list(ScanLog.objects.values_list("result", "organiser")) == [
        ("refused", organiser.pk),
        ("refused", organiser.pk),
    ]


def test_a_deleted_organisers_ticket_is_refused_not_a_crash(
    strict, occurrence, organiser, held_pass
):
    ticket = scanner_ticket_issue(organiser, occurrence)
    organiser.delete()
    strict.raise_request_exception = False
    response = scan(strict, occurrence, held_pass.token, ticket)
    assert response.status_code == 403
    assert not Attendance.objects.exists()
    assert list(ScanLog.objects.values_list("result", "organiser")) == [("refused", None)]


@pytest.mark.parametrize(
    ("path", "date"),
    [
        ("/checkin/o/12/scan.json", 12),
        ("/checkin/o/007/scan.json", 7),  # as the URLconf's <int:pk> reads it
        ("/checkin/o//scan.json", None),
        ("/checkin/o/1/2/scan.json", None),
        ("/checkin/o/١٢/scan.json", None),  # digits, but not the ones the URLconf takes
        ("/checkin/o/12/scan.jsonp", None),
        ("/checkin/o/12/scanner/", None),
        ("/admin/checkin/o/12/scan.json", None),
    ],
)
def test_the_fast_lane_takes_only_the_scan_url(path, date):
    from events.checkin.middleware import ScannerTicketMiddleware

    assert ScannerTicketMiddleware(lambda request: None)._scan_date(path) == date

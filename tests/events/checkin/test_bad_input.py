"""Bad input to the scanner gets a clear 4xx answer and changes nothing; never a 500."""

import json

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from events.checkin.models import AnonymousCount, Attendance, ScanLog

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanner_client(client, organiser):
    client.force_login(organiser)
    client.raise_request_exception = False
    return client


def post_raw(client, url, body: bytes, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"\xff\xfe\xfa not utf-8", "application/json", 400, "could not be read"),
        (b"{not json", "application/json", 400, "could not be read"),
        (b"[1, 2, 3]", "application/json", 400, "could not be read"),
        (b'{"code": 12}', "application/json", 400, "No code was sent"),
        (b'{"code": ""}', "application/json", 400, "No code was sent"),
        (b"{}", "application/json", 400, "No code was sent"),
        (json.dumps({"code": "x" * 5000}).encode(), "application/json", 413, "too big"),
        (b"code=\xff\xfe\xfa", "application/x-www-form-urlencoded", 422, "not a check-in pass"),
        (b'{"code": "hello:world"}', "application/json", 422, "not a check-in pass"),
    ],
)
def test_bad_bodies_get_a_clear_answer_and_no_attendance(
    scanner_client, occurrence, body, content_type, status, words
):
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    response = post_raw(scanner_client, url, body, content_type)
    assert response.status_code == status
    assert words in response.json()["message"]
    assert not Attendance.objects.exists()


def test_an_unknown_occurrence_is_a_404_with_words(scanner_client, held_pass):
    url = reverse("checkin:scan_json", args=[999999])
    response = post_raw(scanner_client, url, json.dumps({"code": held_pass.token}).encode())
    assert response.status_code == 404
    assert "no such date" in response.json()["message"]
    assert scanner_client.get(reverse("checkin:scanner", args=[999999])).status_code == 404
    assert not Attendance.objects.exists()


def test_get_on_the_scan_endpoint_is_refused(scanner_client, occurrence):
    assert scanner_client.get(reverse("checkin:scan_json", args=[occurrence.pk])).status_code == 405


def test_a_replayed_scan_changes_nothing_more(scanner_client, occurrence, held_pass):
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    body = json.dumps({"code": held_pass.token}).encode()
    first = post_raw(scanner_client, url, body)
    replays = [post_raw(scanner_client, url, body) for _ in range(3)]
    assert first.json()["outcome"] == "checked_in"
    assert {r.json()["outcome"] for r in replays} == {"already"}
    assert {r.status_code for r in replays} == {200}
    assert Attendance.objects.count() == 1
    assert replays[-1].json()["counts"] == {"attendance": 1, "anonymous": 0, "total": 1}


def test_a_replayed_plus_one_counts_once(scanner_client, occurrence):
    url = reverse("checkin:plus_one", args=[occurrence.pk])
    body = json.dumps({"nonce": "3f1c2b"}).encode()
    headers = {"HTTP_ACCEPT": "application/json"}
    first = scanner_client.generic("POST", url, body, content_type="application/json", **headers)
    again = scanner_client.generic("POST", url, body, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.json()["message"] == "That +1 was already counted."
    assert AnonymousCount.objects.count() == 1


def test_the_scan_endpoint_needs_the_csrf_token(occurrence, organiser, held_pass):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(organiser)
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    response = strict.post(url, {"code": held_pass.token}, content_type="application/json")
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_failed_scans_are_logged_too(scanner_client, occurrence):
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    post_raw(scanner_client, url, b'{"code": "nonsense"}')
    assert list(ScanLog.objects.values_list("result", flat=True)) == ["malformed"]


def test_the_plain_form_works_without_javascript(scanner_client, occurrence, held_pass):
    url = reverse("checkin:scanner", args=[occurrence.pk])
    response = scanner_client.post(url, {"code": f"http://testserver/pass/p/{held_pass.token}/"})
    assert response.status_code == 200
    assert "Robin is checked in. Welcome!" in response.content.decode()
    assert "scan-result--checked_in" in response.content.decode()
    bad = scanner_client.post(url, {"code": held_pass.token[:-2]})
    assert bad.status_code == 422
    assert "not valid" in bad.content.decode()
    assert Attendance.objects.count() == 1


def scan_queries(new: bool) -> int:
    """How many queries the scan itself makes: a new check-in, or a repeat."""
    if connection.vendor == "postgresql":
        return 1  # one statement does it all (door_sql.DOOR_SCAN_SQL)
    # The organiser's recent scans (the rate limit), the date with the organiser and the
    # counts, the pass with any attendance here; then a new check-in is one transaction of
    # two inserts (here a savepoint, as each test runs inside a transaction), and a repeat is
    # one log entry. A new check-in also asks whether an introduction waited for them
    # (signals.attendance_recorded; on PostgreSQL the one statement answers that too).
    return 3 + (5 if new else 1)


def test_a_scan_is_a_small_fixed_number_of_queries(
    scanner_client, occurrence, held_pass, django_assert_num_queries
):
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    body = json.dumps({"code": held_pass.token}).encode()
    # Without a scanner ticket: the session, the user, the date with its permission; then
    # the scan.
    with django_assert_num_queries(3 + scan_queries(new=True)) as first:
        post_raw(scanner_client, url, body)
    with django_assert_num_queries(3 + scan_queries(new=False)) as again:
        response = post_raw(scanner_client, url, body)
    assert response.json()["counts"] == {"attendance": 1, "anonymous": 0, "total": 1}
    # No page is loaded: the check-in window's settings are a subquery on page paths.
    assert not any(
        'FROM "wagtailcore_page"' in q["sql"]
        for q in first.captured_queries + again.captured_queries
    )


def test_an_absurd_occurrence_number_is_a_404_not_a_crash(scanner_client, held_pass):
    url = f"/checkin/o/{10**30}/scan.json"
    response = post_raw(scanner_client, url, json.dumps({"code": held_pass.token}).encode())
    assert response.status_code == 404


def test_nickname_search_works_without_javascript(scanner_client, occurrence, organiser, held_pass):
    from events.checkin.services.scanning import checkin_record
    from tests.factories import OccurrenceFactory

    last_week = OccurrenceFactory(
        event=occurrence.event, start=occurrence.start - __import__("datetime").timedelta(days=7)
    )
    with time_machine.travel(last_week.start, tick=False):
        checkin_record(occurrence=last_week, token=held_pass.token, scanned_by=organiser)
    search = reverse("checkin:search", args=[occurrence.pk])
    html = scanner_client.get(search, {"q": "rob"}).content.decode()
    assert "Check in Robin" in html and "<span>(already here)</span>" not in html
    assert scanner_client.get(search, {"q": "zz"}).content.decode().count("Check in Robin") == 0
    response = scanner_client.post(
        reverse("checkin:checkin_by_search", args=[occurrence.pk]),
        {"participant": held_pass.participant_id},
    )
    assert "Robin is checked in" in response.content.decode()
    assert Attendance.objects.filter(occurrence=occurrence, method="search").count() == 1
    # Someone who never came to this event is not found, nor checked in by id.
    from tests.factories import PassFactory

    stranger = PassFactory(participant__nickname="Robin Stranger")
    assert "Robin Stranger" not in scanner_client.get(search, {"q": "rob"}).content.decode()
    refused = scanner_client.post(
        reverse("checkin:checkin_by_search", args=[occurrence.pk]),
        {"participant": stranger.participant_id},
    )
    assert refused.status_code == 404


def test_with_the_pages_ticket_a_scan_skips_the_session(
    client, occurrence, organiser, held_pass, django_assert_num_queries
):
    client.force_login(organiser)
    page = client.get(reverse("checkin:scanner", args=[occurrence.pk])).content.decode()
    ticket = page.split('data-ticket="', 1)[1].split('"', 1)[0]
    assert ticket.split(":")[0] == ticket_for(client, organiser, occurrence).split(":")[0]
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    body = json.dumps({"code": held_pass.token})
    # The scan and nothing else: no session, no user, no permission query.
    with django_assert_num_queries(scan_queries(new=True)):
        response = client.post(
            url, body, content_type="application/json", HTTP_X_SCANNER_TICKET=ticket
        )
    assert response.json()["outcome"] == "checked_in"
    assert Attendance.objects.get().recorded_by == organiser
    assert ScanLog.objects.get().organiser == organiser


def test_a_ticket_works_only_for_its_date_and_until_it_expires(
    client, event, occurrence, organiser, outsider, held_pass
):
    from django.utils import timezone

    from events.checkin.permissions import SCANNER_TICKET_AGE
    from tests.factories import OccurrenceFactory

    other_date = OccurrenceFactory(event=event)
    client.force_login(outsider)  # the session says: not allowed here
    ticket = ticket_for(client, organiser, other_date)  # (from this session, as all below)
    url = reverse("checkin:scan_json", args=[occurrence.pk])
    body = json.dumps({"code": held_pass.token})
    for bad in (ticket, ticket[:-2] + "xx", "nonsense", "1." + str(occurrence.pk)):
        response = client.post(
            url, body, content_type="application/json", HTTP_X_SCANNER_TICKET=bad
        )
        assert response.status_code == 403
    good = ticket_for(client, organiser, occurrence)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=SCANNER_TICKET_AGE + 5)):
        expired = client.post(
            url, body, content_type="application/json", HTTP_X_SCANNER_TICKET=good
        )
    assert expired.status_code == 403
    assert not Attendance.objects.exists()
    client.force_login(organiser)
    fresh = client.get(reverse("checkin:scanner_ticket", args=[occurrence.pk])).json()["ticket"]
    assert (
        client.post(
            url, body, content_type="application/json", HTTP_X_SCANNER_TICKET=fresh
        ).status_code
        == 200
    )
    client.force_login(outsider)
    assert client.get(reverse("checkin:scanner_ticket", args=[occurrence.pk])).status_code == 403

"""The scanner ticket's fast lane: a ticketed scan skips the session layers, and nothing else."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from events.checkin.models import AnonymousCount, Attendance, ScanLog

from .conftest import ticket_for

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
    response = scan(strict, occurrence, held_pass.token, ticket_for(strict, organiser, occurrence))
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

    strict.force_login(organiser)
    other_date = ticket_for(strict, organiser, OccurrenceFactory(event=event))
    for ticket in ("", "nonsense", other_date, ticket_for(strict, organiser, occurrence)[:-2]):
        response = scan(strict, occurrence, held_pass.token, ticket)
        assert response.status_code == 403, ticket
        assert "CSRF" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_ticket_opens_no_other_url(strict, occurrence, organiser):
    ticket = ticket_for(strict, organiser, occurrence)
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
    ticket = ticket_for(strict, organiser, occurrence)
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
    ticket = ticket_for(strict, organiser, occurrence)
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


# A ticket ends with its session and with the right to scan (finding 12) -----------------


@pytest.fixture
def at_the_door(client, occurrence, organiser):
    """An organiser with the scanner page open: their browser's session and its ticket."""
    client.force_login(organiser)
    page = client.get(reverse("checkin:scanner", args=[occurrence.pk])).content.decode()
    ticket = page.split('data-ticket="', 1)[1].split('"', 1)[0]
    return client, ticket, client.cookies[settings.SESSION_COOKIE_NAME].value


def copy_of(session_key) -> Client:
    """Another browser holding a copy of the session cookie (and so of the ticket's session)."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return browser


def assert_refused_and_nameless(response):
    assert response.status_code == 403, response.content
    assert "Robin" not in response.content.decode()


def test_the_ticket_works_while_the_session_lasts(at_the_door, occurrence, held_pass):
    client, ticket, session_key = at_the_door
    assert scan(copy_of(session_key), occurrence, held_pass.token, ticket).status_code == 200
    assert scan(client, occurrence, held_pass.token, ticket).json()["outcome"] == "already"


def test_a_ticket_dies_when_its_organiser_logs_out(at_the_door, occurrence, held_pass):
    client, ticket, session_key = at_the_door
    assert client.post(reverse("wagtailadmin_logout")).status_code == 302
    # The same browser, whose session cookie is gone, and a copy of the old cookie.
    assert_refused_and_nameless(scan(client, occurrence, held_pass.token, ticket))
    assert_refused_and_nameless(scan(copy_of(session_key), occurrence, held_pass.token, ticket))
    assert not Attendance.objects.exists()


def test_a_ticket_only_works_from_the_session_it_was_issued_to(
    at_the_door, occurrence, organiser, held_pass
):
    _client, ticket, _session_key = at_the_door
    elsewhere = Client(enforce_csrf_checks=True)
    elsewhere.force_login(organiser)  # even the same organiser, in another browser
    assert_refused_and_nameless(scan(elsewhere, occurrence, held_pass.token, ticket))
    assert_refused_and_nameless(scan(Client(), occurrence, held_pass.token, ticket))
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "leave",
    [
        lambda user, group: user.groups.remove(group.organisers),
        lambda user, group: group.organisers.user_set.remove(user),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.organisers.user_set.clear(),
    ],
    ids=["user.groups.remove", "group.user_set.remove", "user.groups.clear", "group.clear"],
)
def test_a_ticket_dies_when_its_organiser_leaves_the_group(
    at_the_door, occurrence, organiser, group, held_pass, leave
):
    client, ticket, session_key = at_the_door
    leave(organiser, group)
    for browser in (client, copy_of(session_key)):
        response = scan(browser, occurrence, held_pass.token, ticket)
        assert_refused_and_nameless(response)
        assert response.json()["message"] == "You cannot check people in for this event."
    assert not Attendance.objects.exists()
    assert set(ScanLog.objects.values_list("result", flat=True)) == {"refused"}
    # Nor can they get a fresh ticket.
    assert client.get(reverse("checkin:scanner_ticket", args=[occurrence.pk])).status_code == 403


def test_a_ticket_dies_when_the_council_loses_a_superuser(client, occurrence, held_pass):
    from tests.factories import UserFactory

    admin = UserFactory(username="council-admin", is_superuser=True)
    client.force_login(admin)
    ticket = ticket_for(client, admin, occurrence)
    admin.is_superuser = False
    admin.save()
    assert_refused_and_nameless(scan(client, occurrence, held_pass.token, ticket))


def test_a_colleagues_logout_or_a_new_group_leaves_a_ticket_alone(
    at_the_door, occurrence, organiser, group, make_organiser, make_group, held_pass
):
    client, ticket, _session_key = at_the_door
    colleague = make_organiser(group, "colleague")
    elsewhere = Client()
    elsewhere.force_login(colleague)
    elsewhere.post(reverse("wagtailadmin_logout"))
    organiser.groups.add(make_group(title="Another Café", slug="another").organisers)
    organiser.last_login = None
    organiser.save(update_fields=["last_login"])
    assert scan(client, occurrence, held_pass.token, ticket).status_code == 200


def test_a_ticket_kept_as_genuine_still_expires(strict, occurrence, organiser):
    """The fast lane keeps tickets it found genuine; never past their age."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from events.checkin.permissions import SCANNER_TICKET_AGE
    from tests.factories import PassFactory

    ticket = ticket_for(strict, organiser, occurrence)
    first, second = PassFactory(), PassFactory()
    assert scan(strict, occurrence, first.token, ticket).status_code == 200
    later = timezone.now() + timedelta(seconds=SCANNER_TICKET_AGE + 1)
    with time_machine.travel(later, tick=False):
        response = scan(strict, occurrence, second.token, ticket)
    assert response.status_code == 403  # the whole stack's CSRF check: no ticket held
    assert Attendance.objects.count() == 1

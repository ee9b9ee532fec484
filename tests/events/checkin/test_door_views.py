"""The door without signal, over HTTP: offline.json, sync.json and undo.json (DOOR_CONTRACT.md)."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.checkin.models import Attendance, DoorScan, ScanLog
from events.checkin.services.offline import pass_digest

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    """A browser held to the CSRF checks."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def signed_in(client, organiser):
    client.force_login(organiser)
    return client


def item(held, nonce=None):
    return {
        "nonce": nonce or uuid.uuid4().hex,
        "code": f"https://city.example/pass/p/{held.token}/",
        "scanned_at": timezone.now().isoformat(),
    }


def post(client, name, occurrence, body, **headers):
    return client.post(
        reverse(f"checkin:{name}", args=[occurrence.pk]),
        body if isinstance(body, (str, bytes)) else json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_offline_json_gives_the_pack_and_is_not_cached(
    signed_in, occurrence, held_pass, organiser, django_assert_num_queries
):
    post(signed_in, "sync", occurrence, {"device": "a", "scans": [item(held_pass)]})
    url = reverse("checkin:offline", args=[occurrence.pk])
    signed_in.get(url)  # the date's salt is made the first time
    # Session, user, occurrence with the permission; the window, salt, the two lists, counts.
    with django_assert_num_queries(8):
        response = signed_in.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    pack = response.json()
    assert pack["checked_in"] == [pass_digest(pack["salt"], held_pass.token_id)]
    assert held_pass.token_id not in response.content.decode()
    assert "Robin" not in response.content.decode()


@pytest.mark.parametrize("name", ["offline", "sync", "undo"])
def test_only_the_events_organisers_and_the_council_may(
    client, name, occurrence, outsider, held_pass
):
    def ask():
        url = reverse(f"checkin:{name}", args=[occurrence.pk])
        if name == "offline":
            return client.get(url)
        body = {"device": "a", "scans": [item(held_pass)], "attendance": 1}
        return client.post(url, json.dumps(body), content_type="application/json")

    anonymous = ask()
    client.force_login(outsider)
    other = ask()
    for response in (anonymous, other):
        assert response.status_code == 403
        assert response.json()["error"]
        assert "salt" not in response.json()
    assert not Attendance.objects.exists()
    assert not DoorScan.objects.exists()


def test_sync_with_the_scanner_ticket_needs_no_csrf_token(strict, occurrence, organiser, held_pass):
    ticket = ticket_for(strict, organiser, occurrence)
    batch = {"device": "phone-a", "scans": [item(held_pass)]}
    response = post(strict, "sync", occurrence, batch, HTTP_X_SCANNER_TICKET=ticket)
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["status"] == "checked_in"
    assert body["results"][0]["seen"] == 1
    assert body["counts"]["attendance"] == 1
    assert Attendance.objects.get().recorded_by == organiser


def test_sync_by_session_needs_the_csrf_token(strict, occurrence, organiser, held_pass):
    strict.force_login(organiser)
    response = post(strict, "sync", occurrence, {"device": "a", "scans": [item(held_pass)]})
    assert response.status_code == 403
    assert "reload" in response.json()["error"]
    assert not Attendance.objects.exists()


def test_a_ticket_of_a_deactivated_organiser_is_refused(strict, occurrence, organiser, held_pass):
    ticket = ticket_for(strict, organiser, occurrence)
    organiser.is_active = False
    organiser.save()
    response = post(
        strict,
        "sync",
        occurrence,
        {"device": "a", "scans": [item(held_pass)]},
        HTTP_X_SCANNER_TICKET=ticket,
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("not json", 400),
        (b"\xff\xfe", 400),
        ("[]", 400),
        ({"scans": []}, 400),  # no device
        ({"device": "", "scans": []}, 400),
        ({"device": "d" * 65, "scans": []}, 400),
        ({"device": "a", "scans": "many"}, 400),
        ({"device": "a"}, 400),
        ({"device": "a", "scans": [{}] * 101}, 413),
        ({"device": "a", "scans": [{"code": "x" * 70000}]}, 413),
    ],
)
def test_a_malformed_sync_is_a_400_json_and_records_nothing(signed_in, occurrence, body, status):
    response = post(signed_in, "sync", occurrence, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
    assert not DoorScan.objects.exists()
    assert not ScanLog.objects.exists()


def test_a_batch_with_bad_items_answers_each(signed_in, occurrence, held_pass):
    scans = [{"nonce": 5}, item(held_pass), {"nonce": "x" * 32, "code": "hi"}]
    response = post(signed_in, "sync", occurrence, {"device": "a", "scans": scans})
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == [
        "refused",
        "checked_in",
        "refused",
    ]


def test_sync_of_a_date_that_does_not_exist_is_404(signed_in, held_pass):
    response = signed_in.post(
        reverse("checkin:sync", args=[999999]),
        json.dumps({"device": "a", "scans": [item(held_pass)]}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]


def test_undo_by_nonce_then_again_is_404(signed_in, occurrence, held_pass):
    scan = item(held_pass)
    post(signed_in, "sync", occurrence, {"device": "a", "scans": [scan]})
    response = post(signed_in, "undo", occurrence, {"nonce": scan["nonce"]})
    assert response.status_code == 200
    assert response.json()["undone"] is True
    assert response.json()["counts"]["attendance"] == 0
    assert ScanLog.objects.filter(result="undone").count() == 1
    again = post(signed_in, "undo", occurrence, {"nonce": scan["nonce"]})
    assert again.status_code == 404
    assert again.json()["error"]


def test_undo_after_an_online_scan_uses_its_attendance_id(signed_in, occurrence, held_pass):
    scanned = post(signed_in, "scan_json", occurrence, {"code": held_pass.token})
    attendance = scanned.json()["attendance"]
    assert attendance == Attendance.objects.get().pk
    response = post(signed_in, "undo", occurrence, {"attendance": attendance})
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_undo_by_another_organiser_is_refused(
    client, group, make_organiser, occurrence, organiser, held_pass
):
    client.force_login(organiser)
    attendance = post(client, "scan_json", occurrence, {"code": held_pass.token}).json()[
        "attendance"
    ]
    client.force_login(make_organiser(group, "lantern-colleague"))
    response = post(client, "undo", occurrence, {"attendance": attendance})
    assert response.status_code == 403
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"nonce": 3}, {"attendance": "many"}, "[1]", "{"])
def test_a_malformed_undo_is_a_400(signed_in, occurrence, body):
    response = post(signed_in, "undo", occurrence, body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_an_online_scan_with_a_nonce_is_kept_so_its_retry_answers_green_again(
    strict, occurrence, organiser, held_pass
):
    ticket = ticket_for(strict, organiser, occurrence)
    body = {"code": held_pass.token, "nonce": uuid.uuid4().hex, "device": "phone-a"}
    first = post(strict, "scan_json", occurrence, body, HTTP_X_SCANNER_TICKET=ticket).json()
    again = post(strict, "scan_json", occurrence, body, HTTP_X_SCANNER_TICKET=ticket).json()
    assert (first["outcome"], first["repeat"]) == ("checked_in", False)
    assert (again["outcome"], again["repeat"]) == ("checked_in", True)
    assert again["attendance"] == first["attendance"] == Attendance.objects.get().pk
    assert again["checked_in_at"] == first["checked_in_at"]
    # The same nonce sent later from the queue changes nothing either.
    queued = {"nonce": body["nonce"], "code": body["code"], "scanned_at": first["checked_in_at"]}
    synced = post(
        strict,
        "sync",
        occurrence,
        {"device": "phone-a", "scans": [queued]},
        HTTP_X_SCANNER_TICKET=ticket,
    ).json()
    assert synced["results"][0]["status"] == "checked_in"
    assert Attendance.objects.count() == 1
    assert DoorScan.objects.count() == 1


def test_the_same_pass_held_to_the_same_phone_is_a_repeat_not_amber(
    strict, occurrence, organiser, held_pass
):
    import time_machine

    ticket = ticket_for(strict, organiser, occurrence)

    def scan_now(device):
        body = {"code": held_pass.token, "nonce": uuid.uuid4().hex, "device": device}
        return post(strict, "scan_json", occurrence, body, HTTP_X_SCANNER_TICKET=ticket).json()

    scan_now("phone-a")
    held = scan_now("phone-a")  # a new nonce, moments later: the camera saw it again
    other_phone = scan_now("phone-b")
    assert (held["outcome"], held["repeat"]) == ("checked_in", True)
    assert (other_phone["outcome"], other_phone["repeat"]) == ("already", False)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=30)):
        later = scan_now("phone-a")
    assert (later["outcome"], later["repeat"]) == ("already", False)
    assert Attendance.objects.count() == 1


def test_an_online_scan_without_a_nonce_answers_as_before(signed_in, occurrence, held_pass):
    post(signed_in, "scan_json", occurrence, {"code": held_pass.token})
    again = post(signed_in, "scan_json", occurrence, {"code": held_pass.token}).json()
    assert (again["outcome"], again["repeat"]) == ("already", False)
    assert not DoorScan.objects.exists()

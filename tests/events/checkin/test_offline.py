"""The door without signal, as services: digests, the pack a phone keeps, sync, undo."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from events.checkin.models import Attendance, DoorSalt, DoorScan, Method, ScanLog
from events.checkin.services import offline
from events.checkin.services.offline import (
    UndoRefused,
    attendance_undo,
    door_sync,
    offline_pack,
    pass_digest,
    pass_id_of,
)
from events.checkin.services.scanning import checkin_record
from events.checkin.tokens import sign_poster
from tests.factories import OccurrenceFactory, PassFactory

pytestmark = pytest.mark.django_db


def test_pass_digest_test_vector():
    # The same vector is in DOOR_CONTRACT.md, for the scanner page's crypto.subtle.
    assert pass_digest("00112233445566778899aabbccddeeff", "AbCdEfGhIjKlMnOpQrStUv") == (
        "27f7052794cbb08a"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("https://city.example/pass/p/{token}/", "{id}"),
        ("https://city.example/pass/p/{token}", "{id}"),
        ("/pass/p/{token}/", "{id}"),
        ("  {token}\n", "{id}"),
        ("https://city.example/pass/p/{quoted}/", "{id}"),  # a URL-encoded ":"
        ("https://city.example/checkin/e/{token}/", None),  # a poster's path
        ("https://city.example/somewhere/{token}/", None),
        ("not a pass", None),
        ("", None),
        ("x" * 501, None),
    ],
)
def test_pass_id_of_reads_what_the_client_reads(code, expected):
    held = PassFactory.build()
    token = held.token
    values = {"token": token, "quoted": token.replace(":", "%3A"), "id": held.token_id}
    found = pass_id_of(code.format(**values))
    assert found == (expected.format(**values) if expected else None)


def test_the_pass_id_is_what_the_server_verifies(held_pass):
    assert pass_id_of(f"https://city.example/pass/p/{held_pass.token}/") == held_pass.token_id


def test_each_date_has_its_own_random_salt(event, occurrence):
    other = OccurrenceFactory(event=event, start=occurrence.start + timedelta(days=7))
    first = offline_pack(occurrence=occurrence)["salt"]
    assert offline_pack(occurrence=occurrence)["salt"] == first  # kept
    assert offline_pack(occurrence=other)["salt"] != first
    assert len(first) == 32 and int(first, 16) >= 0
    assert DoorSalt.objects.count() == 2


def test_the_pack_holds_digests_of_who_is_in_and_of_regulars_only(
    event, occurrence, organiser, held_pass
):
    last_week = OccurrenceFactory(event=event, start=occurrence.start - timedelta(days=7))
    long_ago = OccurrenceFactory(event=event, start=occurrence.start - timedelta(days=400))
    regular, lapsed, stranger = PassFactory(), PassFactory(), PassFactory()
    Attendance.objects.create(occurrence=last_week, participant=regular.participant, method="scan")
    Attendance.objects.create(occurrence=long_ago, participant=lapsed.participant, method="scan")
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)

    pack = offline_pack(occurrence=occurrence)

    salt = pack["salt"]
    assert pack["checked_in"] == [pass_digest(salt, held_pass.token_id)]
    assert pack["regulars"] == [pass_digest(salt, regular.token_id)]
    assert pass_digest(salt, stranger.token_id) not in pack["regulars"]
    text = str(pack)
    for held in (held_pass, regular, lapsed, stranger):
        assert held.token_id not in text
        assert held.participant.nickname not in text
    assert pack["occurrence"]["id"] == occurrence.pk
    assert pack["occurrence"]["opens_at"] < pack["occurrence"]["starts_at"]
    assert pack["counts"] == {"attendance": 1, "anonymous": 0, "total": 1}


def test_a_revoked_pass_is_not_in_the_pack(event, occurrence):
    last_week = OccurrenceFactory(event=event, start=occurrence.start - timedelta(days=7))
    old = PassFactory(revoked_at=timezone.now())
    Attendance.objects.create(occurrence=last_week, participant=old.participant, method="scan")
    assert offline_pack(occurrence=occurrence)["regulars"] == []


def scan(held, *, at=None, nonce=None, code=None):
    return {
        "nonce": nonce or uuid.uuid4().hex,
        "code": code if code is not None else f"https://city.example/pass/p/{held.token}/",
        "scanned_at": (at or timezone.now()).isoformat(),
    }


def sync(occurrence, organiser, scans, device="phone-a"):
    return door_sync(occurrence=occurrence, device=device, scans=scans, organiser_id=organiser.pk)


def test_a_queued_scan_checks_in_at_the_phones_time(occurrence, organiser, held_pass):
    at = timezone.now() - timedelta(minutes=20)
    [answer] = sync(occurrence, organiser, [scan(held_pass, at=at)])
    assert answer["status"] == "checked_in"
    assert answer["nickname"] == "Robin"
    assert answer["seen"] == 1
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at == at
    assert attendance.method == Method.OFFLINE
    assert answer["attendance"] == attendance.pk
    log = ScanLog.objects.get()
    assert (log.result, log.method, log.at, log.organiser) == (
        "checked_in",
        "offline",
        at,
        organiser,
    )
    row = DoorScan.objects.get()
    assert (row.device, row.attendance, row.result) == ("phone-a", attendance, "checked_in")


def test_a_batch_sent_again_answers_the_same_and_changes_nothing(occurrence, organiser, held_pass):
    other = PassFactory(participant__nickname="Kit")
    batch = [scan(held_pass), scan(other), scan(held_pass), scan(None, code="nonsense")]
    first = sync(occurrence, organiser, batch)
    before = (Attendance.objects.count(), ScanLog.objects.count(), DoorScan.objects.count())
    again = sync(occurrence, organiser, batch)
    assert [a["status"] for a in first] == ["checked_in", "checked_in", "already", "refused"]
    assert again == first
    after = (Attendance.objects.count(), ScanLog.objects.count(), DoorScan.objects.count())
    assert after == before == (2, 4, 4)


def test_two_phones_scanning_the_same_pass_make_one_attendance_seen_twice(
    occurrence, organiser, held_pass
):
    [first] = sync(occurrence, organiser, [scan(held_pass)], device="phone-a")
    [second] = sync(occurrence, organiser, [scan(held_pass)], device="phone-b")
    assert (first["status"], second["status"]) == ("checked_in", "already")
    assert second["seen"] == 2
    assert second["attendance"] == first["attendance"]
    assert Attendance.objects.count() == 1


def test_a_pass_checked_in_online_is_already_in_when_the_queue_arrives(
    occurrence, organiser, held_pass
):
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    [answer] = sync(occurrence, organiser, [scan(held_pass)])
    assert answer["status"] == "already"
    assert answer["seen"] == 2  # the online scan, and this one
    assert "already checked in" in answer["message"]


@pytest.mark.parametrize(
    ("scanned", "sent", "reason"),
    [
        # The date runs from an hour ago for two hours; its window opens 60 minutes before it
        # starts and closes 120 minutes after it ends.
        (timedelta(hours=-3), timedelta(0), "not_yet"),
        (timedelta(hours=4), timedelta(hours=5), "closed"),
    ],
)
def test_a_scan_whose_phone_time_is_outside_the_window_is_refused_with_the_reason(
    occurrence, organiser, held_pass, scanned, sent, reason
):
    now = timezone.now()
    with time_machine.travel(now + sent, tick=False):
        [answer] = sync(occurrence, organiser, [scan(held_pass, at=now + scanned)])
    assert answer["status"] == "refused"
    assert "outside this date's check-in time" in answer["message"]
    assert Attendance.objects.count() == 0
    assert ScanLog.objects.get().result == reason


def test_a_scan_sent_after_the_window_with_a_time_inside_it_still_counts(
    occurrence, organiser, held_pass
):
    inside = timezone.now()
    with time_machine.travel(occurrence.end + timedelta(hours=20), tick=False):
        [answer] = sync(occurrence, organiser, [scan(held_pass, at=inside)])
    assert answer["status"] == "checked_in"


def test_a_scan_sent_days_after_the_window_closed_is_refused(occurrence, organiser, held_pass):
    inside = timezone.now()
    with time_machine.travel(occurrence.end + timedelta(days=5), tick=False):
        [answer] = sync(occurrence, organiser, [scan(held_pass, at=inside)])
    assert answer["status"] == "refused"
    assert "more than two days" in answer["message"]
    assert Attendance.objects.count() == 0


def test_a_phone_clock_far_ahead_is_not_believed(occurrence, organiser, held_pass):
    [answer] = sync(
        occurrence, organiser, [scan(held_pass, at=timezone.now() + timedelta(hours=1))]
    )
    assert answer["status"] == "refused"
    assert "clock" in answer["message"]
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    "item",
    [
        "a string",
        None,
        [],
        {"nonce": "short", "code": "x", "scanned_at": "2026-01-01T10:00:00+00:00"},
        {"nonce": "a" * 32, "code": 12, "scanned_at": "2026-01-01T10:00:00+00:00"},
        {"nonce": "b" * 32, "code": "x", "scanned_at": "yesterday"},
        {"nonce": "c" * 32, "code": "x", "scanned_at": "2026-01-01T10:00:00"},  # no offset
        {"nonce": "d" * 32, "code": "x", "scanned_at": "2026-13-45T10:00:00+00:00"},
        {"nonce": "e" * 32, "code": "x" * 501, "scanned_at": "2026-01-01T10:00:00+00:00"},
        {"nonce": "f" * 32},
    ],
)
def test_a_malformed_item_is_refused_without_failing_the_others(
    occurrence, organiser, held_pass, item
):
    answers = sync(occurrence, organiser, [item, scan(held_pass)])
    assert answers[0]["status"] == "refused"
    assert answers[0]["message"] == "This scan could not be read."
    assert answers[1]["status"] == "checked_in"
    assert DoorScan.objects.count() == 1


@pytest.mark.parametrize(
    ("make_code", "reason"),
    [
        (lambda p, o: p.token[:-3], "forged"),
        (lambda p, o: "hello", "malformed"),
        (lambda p, o: f"https://city.example/checkin/e/{sign_poster(o.event_id)}/", "not_a_pass"),
    ],
)
def test_codes_that_are_not_a_good_pass_are_refused_and_logged(
    occurrence, organiser, held_pass, make_code, reason
):
    [answer] = sync(occurrence, organiser, [scan(held_pass, code=make_code(held_pass, occurrence))])
    assert answer["status"] == "refused"
    assert ScanLog.objects.get().result == reason
    assert DoorScan.objects.get().result == reason


def test_a_revoked_pass_is_refused(occurrence, organiser):
    old = PassFactory(revoked_at=timezone.now())
    [answer] = sync(occurrence, organiser, [scan(old)])
    assert answer["status"] == "refused"
    assert "replaced" in answer["message"]


def test_sync_costs_a_fixed_number_of_queries_per_scan(
    occurrence, organiser, django_assert_num_queries
):
    passes = [PassFactory() for _ in range(9)]
    # Per batch: the window, the known nonces, the passes, who is in, and "seen" at the end.
    # Per new scan: its transaction (2), the attendance's savepoint (2), the attendance, the
    # scan log entry, the nonce, and whether an introduction waits for the person
    # (events.introductions, on attendance_recorded).
    with django_assert_num_queries(5 + 8 * 9):
        sync(occurrence, organiser, [scan(held) for held in passes])
    # A scan of someone already in skips the insert the database would refuse.
    with django_assert_num_queries(5 + 4 * 9):
        sync(occurrence, organiser, [scan(held) for held in passes])


def test_the_organiser_who_recorded_it_can_undo_and_a_retry_does_not_redo(
    occurrence, organiser, held_pass
):
    item = scan(held_pass)
    [answer] = sync(occurrence, organiser, [item])
    attendance_undo(occurrence=occurrence, by=organiser, nonce=item["nonce"])
    assert Attendance.objects.count() == 0
    assert ScanLog.objects.filter(result="undone", organiser=organiser).count() == 1
    [again] = sync(occurrence, organiser, [item])
    assert again["status"] == "refused"
    assert again["message"] == "This check-in was undone."
    assert Attendance.objects.count() == 0


def test_undo_by_attendance_id_after_an_online_scan(occurrence, organiser, held_pass):
    result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    attendance_undo(occurrence=occurrence, by=organiser, attendance_id=result.attendance_id)
    assert Attendance.objects.count() == 0


def test_another_organiser_cannot_undo_but_the_council_can(
    occurrence, organiser, held_pass, group, make_organiser, moderator
):
    colleague = make_organiser(group, "lantern-colleague")
    result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    with pytest.raises(UndoRefused) as refused:
        attendance_undo(occurrence=occurrence, by=colleague, attendance_id=result.attendance_id)
    assert refused.value.status == 403
    assert Attendance.objects.count() == 1
    attendance_undo(occurrence=occurrence, by=moderator, attendance_id=result.attendance_id)
    assert Attendance.objects.count() == 0


def test_undo_outside_the_window_is_refused(occurrence, organiser, held_pass):
    result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    with (
        time_machine.travel(occurrence.end + timedelta(hours=3), tick=False),
        pytest.raises(UndoRefused) as refused,
    ):
        attendance_undo(occurrence=occurrence, by=organiser, attendance_id=result.attendance_id)
    assert refused.value.status == 409
    assert "closed" in refused.value.message
    assert Attendance.objects.count() == 1


def test_undo_of_nothing_is_not_found(event, occurrence, organiser, held_pass):
    other = OccurrenceFactory(event=event)
    result = checkin_record(occurrence=other, token=held_pass.token, scanned_by=organiser)
    for kwargs in ({"nonce": "f" * 32}, {"attendance_id": result.attendance_id}):
        with pytest.raises(UndoRefused) as refused:
            attendance_undo(occurrence=occurrence, by=organiser, **kwargs)
        assert refused.value.status == 404
    assert Attendance.objects.count() == 1


def test_erasing_a_participant_keeps_their_nonce_so_an_old_queue_cannot_bring_them_back(
    occurrence, organiser, held_pass
):
    from events.checkin.services.lifecycle import participant_erase

    item = scan(held_pass)
    sync(occurrence, organiser, [item])
    participant_erase(participant=held_pass.participant)
    assert DoorScan.objects.get().attendance is None
    [again] = sync(occurrence, organiser, [item])
    assert again["status"] == "checked_in"
    assert "nickname" not in again
    assert Attendance.objects.count() == 0


def test_the_batch_limit(occurrence, organiser, held_pass):
    answers = sync(occurrence, organiser, [scan(held_pass) for _ in range(offline.MAX_BATCH + 5)])
    assert len(answers) == offline.MAX_BATCH

"""Many scanners at once: exactly one attendance per pass per date (needs PostgreSQL)."""

import threading

import pytest
from django.db import connection

from events.checkin.models import Attendance, ErasedCount, Pass, ScanLog
from events.checkin.services.scanning import Outcome, checkin_record

THREADS = 16


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_scans_of_one_pass_make_exactly_one_attendance(occurrence, organiser, held_pass):
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=10)
            result = checkin_record(
                occurrence=occurrence, token=held_pass.token, scanned_by=organiser
            )
            outcomes.append(result.outcome)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert outcomes.count(Outcome.CHECKED_IN) == 1
    assert outcomes.count(Outcome.ALREADY) == THREADS - 1
    assert Attendance.objects.filter(occurrence=occurrence).count() == 1
    assert ScanLog.objects.count() == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scan_that_waits_on_another_scanners_insert_answers_already_with_its_time(
    occurrence, organiser, held_pass
):
    """The statement's rare second query: the winner committed after our snapshot was taken."""
    import time

    from django.db import transaction

    inserted, answers = threading.Event(), []

    def other_scanner():
        try:
            with transaction.atomic():
                Attendance.objects.create(
                    occurrence=occurrence, participant=held_pass.participant, method="scan"
                )
                inserted.set()
                time.sleep(0.5)  # our scan starts meanwhile and waits on this row
        finally:
            connection.close()

    def our_scanner():
        try:
            inserted.wait(timeout=10)
            began = time.monotonic()
            result = checkin_record(
                occurrence=occurrence, token=held_pass.token, scanned_by=organiser
            )
            answers.append((result, time.monotonic() - began))
        finally:
            connection.close()

    threads = [threading.Thread(target=other_scanner), threading.Thread(target=our_scanner)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [(result, waited)] = answers
    winner = Attendance.objects.get()
    assert waited > 0.2  # it did wait for the other insert
    assert result.outcome is Outcome.ALREADY
    assert result.checked_in_at == winner.checked_in_at
    assert result.counts == {"attendance": 1, "anonymous": 0, "total": 1}
    assert list(ScanLog.objects.values_list("result", flat=True)) == ["already"]


@pytest.mark.postgres
def test_the_one_statement_answers_as_the_portable_path_does(event, organiser, make_organiser):
    """DOOR_SCAN_SQL (PostgreSQL) and the ORM path, side by side on the same cases."""
    from events.checkin.services.lifecycle import pass_replace
    from events.checkin.services.scanning import _scan_pass_orm, _scan_pass_postgresql
    from tests.factories import OccurrenceFactory, PassFactory

    inactive = make_organiser(event.group.specific, "gone-quiet")
    inactive.is_active = False
    inactive.save()
    from events.checkin.permissions import scanner_tickets_revoke

    moved_on = make_organiser(event.group.specific, "logged-out-once")
    scanner_tickets_revoke(user_ids=[moved_on.pk])  # now at generation 1
    regular, replaced = PassFactory(participant__nickname="Sam"), PassFactory()
    pass_replace(participant=replaced.participant)
    cases = [  # (pass, organiser, their scanner ticket's generation, or None for a session)
        (regular.token_id, organiser.pk, None),  # checked in
        (regular.token_id, organiser.pk, 0),  # already, with a current ticket
        (regular.token_id, None, None),  # already, by nobody in particular
        ("no-such-pass-id-at-all", organiser.pk, None),  # unknown
        (replaced.token_id, organiser.pk, None),  # revoked
        (PassFactory().token_id, inactive.pk, None),  # refused
        (PassFactory().token_id, 10**9, None),  # refused: no such user
        (PassFactory().token_id, moved_on.pk, 0),  # refused: a ticket from before
        (PassFactory().token_id, moved_on.pk, 1),  # checked in: a ticket of now
    ]

    def run(scan_pass):
        occurrence = OccurrenceFactory(event=event)
        ErasedCount.objects.create(occurrence=occurrence, people=2)  # two who erased their record
        answers = []
        for pass_id, organiser_id, generation in cases:
            result = scan_pass(
                occurrence_id=occurrence.pk,
                pass_id=pass_id,
                organiser_id=organiser_id,
                method="scan",
                ticket_generation=generation,
            )
            answers.append((result.outcome, result.reason, result.nickname, result.counts))
        log = list(
            ScanLog.objects.filter(occurrence=occurrence)
            .order_by("pk")
            .values_list("result", "organiser", "method")
        )
        attendance = list(
            Attendance.objects.filter(occurrence=occurrence).values_list(
                "participant", "recorded_by", "method"
            )
        )
        return answers, log, attendance

    statement, portable = run(_scan_pass_postgresql), run(_scan_pass_orm)
    assert statement == portable
    answers, log, attendance = statement
    assert answers[0][3] == {"attendance": 1, "anonymous": 2, "total": 3}
    assert [reason for _outcome, reason, *_rest in answers] == [
        "checked_in",
        "already",
        "already",
        "unknown",
        "revoked",
        "refused",
        "refused",
        "refused",
        "checked_in",
    ]
    assert [organiser_id for _result, organiser_id, _method in log[-4:-1]] == [
        inactive.pk,
        None,
        moved_on.pk,
    ]
    assert [(participant, by) for participant, by, _method in attendance] == [
        (regular.participant_id, organiser.pk),
        (Pass.objects.get(token_id=cases[-1][0]).participant_id, moved_on.pk),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scan_on_a_connection_that_died_since_reconnects_and_counts_once(
    occurrence, organiser, held_pass
):
    """The door statement skips Django's health check; a dead connection is retried instead."""
    from tests.factories import PassFactory

    checkin_record(occurrence=occurrence, token=PassFactory().token, scanned_by=organiser)
    backend = connection.connection.info.backend_pid
    admin = connection.copy()
    try:
        with admin.cursor() as cursor:  # as when PostgreSQL restarts between two scans
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        admin.close()

    result = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)

    assert result.outcome is Outcome.CHECKED_IN
    assert connection.connection.info.backend_pid != backend
    assert Attendance.objects.filter(occurrence=occurrence).count() == 2
    assert ScanLog.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_phones_syncing_the_same_passes_at_once_make_one_attendance_each(occurrence, organiser):
    """Five phones offline scanned the same three passes; they sync at the same moment, and
    the first phone's batch is sent twice over (a retry racing its original)."""
    import uuid

    from django.utils import timezone

    from events.checkin.models import DoorScan
    from events.checkin.services.offline import door_sync
    from tests.factories import PassFactory

    passes = [PassFactory() for _ in range(3)]
    now = timezone.now().isoformat()

    def batch(order):
        return [
            {"nonce": uuid.uuid4().hex, "code": passes[i].token, "scanned_at": now} for i in order
        ]

    batches = [batch([0, 1, 2]), batch([2, 1, 0]), batch([1, 0, 2]), batch([0, 2, 1])]
    batches += [batches[0], batches[0]]  # the same batch, sent again at once
    barrier = threading.Barrier(len(batches))
    answers, errors = [None] * len(batches), []

    def sync(index):
        try:
            barrier.wait(timeout=10)
            answers[index] = door_sync(
                occurrence=occurrence,
                device=f"phone-{index}",
                scans=batches[index],
                organiser_id=organiser.pk,
            )
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync, args=[i]) for i in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Attendance.objects.filter(occurrence=occurrence).count() == 3
    assert DoorScan.objects.count() == 4 * 3  # one per nonce
    statuses = [a["status"] for batch_answers in answers[:4] for a in batch_answers]
    assert statuses.count("checked_in") == 3
    assert statuses.count("already") == 9
    assert answers[4] == answers[0] or [a["status"] for a in answers[4]] == [
        a["status"] for a in answers[0]
    ]
    assert [a["status"] for a in answers[5]] == [a["status"] for a in answers[0]]
    # A scan-log entry for each recorded scan, none for the resent ones.
    assert ScanLog.objects.count() == 12
    seen = {
        a["attendance"]: a["seen"]
        for a in door_sync(
            occurrence=occurrence, device="phone-0", scans=batches[0], organiser_id=organiser.pk
        )
    }
    assert sorted(seen.values()) == [4, 4, 4]

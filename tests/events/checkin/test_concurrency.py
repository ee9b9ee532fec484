"""Many scanners at once: exactly one attendance per pass per date (needs PostgreSQL)."""

import threading

import pytest
from django.db import connection

from events.checkin.models import Attendance, ScanLog
from events.checkin.services import Outcome, checkin_record

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

"""checkin_record: checked in, already (when), or not valid (why); one attendance whatever."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events.checkin.models import Attendance, ScanLog
from events.checkin.services.scanning import Outcome, checkin_record
from events.checkin.tokens import sign_pass, sign_poster
from tests.factories import OccurrenceFactory, PassFactory

pytestmark = pytest.mark.django_db


def test_first_scan_checks_in_and_second_says_already_with_the_time(
    occurrence, organiser, held_pass
):
    first = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    second = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert first.outcome is Outcome.CHECKED_IN
    assert first.message == "Robin is checked in. Welcome!"
    assert second.outcome is Outcome.ALREADY
    assert second.checked_in_at == first.checked_in_at
    local = timezone.localtime(first.checked_in_at).strftime("%H:%M")
    assert second.message == f"Robin was already checked in at {local}."
    attendance = Attendance.objects.get()
    assert (attendance.participant, attendance.recorded_by) == (held_pass.participant, organiser)
    assert list(ScanLog.objects.order_by("pk").values_list("result", flat=True)) == [
        "checked_in",
        "already",
    ]


def test_retries_of_the_same_url_make_one_attendance(occurrence, organiser, held_pass):
    url = f"https://city.example/pass/p/{held_pass.token}/"
    outcomes = {
        checkin_record(occurrence=occurrence, token=url, scanned_by=organiser).outcome
        for _ in range(5)
    }
    assert outcomes == {Outcome.CHECKED_IN, Outcome.ALREADY}
    assert Attendance.objects.count() == 1
    assert ScanLog.objects.count() == 5


def test_the_same_pass_at_another_date_is_a_new_attendance(event, occurrence, organiser, held_pass):
    later = OccurrenceFactory(event=event, start=occurrence.start + timezone.timedelta(days=7))
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    with time_machine.travel(later.start, tick=False):  # the next week's door
        result = checkin_record(occurrence=later, token=held_pass.token, scanned_by=organiser)
    assert result.outcome is Outcome.CHECKED_IN
    assert Attendance.objects.count() == 2


@pytest.mark.parametrize(
    ("make_token", "reason", "words"),
    [
        (lambda p: p.token[:-4], "forged", "not valid"),  # truncated
        (lambda p: p.token[:-1] + ("x" if p.token[-1] != "x" else "y"), "forged", "not valid"),
        (lambda p: sign_pass("made-up-id-that-is-long"), "unknown", "no longer exists"),
        (lambda p: "hello", "malformed", "not a check-in pass"),
        (lambda p: "https://city.example/groups/", "malformed", "not a check-in pass"),
    ],
)
def test_bad_tokens_are_refused_with_the_right_answer(
    occurrence, organiser, held_pass, make_token, reason, words
):
    result = checkin_record(
        occurrence=occurrence, token=make_token(held_pass), scanned_by=organiser
    )
    assert result.outcome is Outcome.INVALID
    assert result.reason == reason
    assert words in result.message
    assert not Attendance.objects.exists()
    assert ScanLog.objects.get().result == reason


def test_a_revoked_pass_is_refused_and_its_replacement_works(occurrence, organiser, held_pass):
    from events.checkin.services.lifecycle import pass_replace

    new = pass_replace(participant=held_pass.participant)
    refused = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert refused.reason == "revoked"
    assert "replaced by a newer one" in refused.message
    assert not Attendance.objects.exists()
    ok = checkin_record(occurrence=occurrence, token=new.token, scanned_by=organiser)
    assert ok.outcome is Outcome.CHECKED_IN


def test_another_events_poster_code_is_refused_naming_that_event(
    occurrence, organiser, other_event
):
    url = f"https://city.example/checkin/e/{sign_poster(other_event.pk)}/"
    result = checkin_record(occurrence=occurrence, token=url, scanned_by=organiser)
    assert result.reason == "other_event"
    assert "Saturday Run" in result.message
    own = checkin_record(
        occurrence=occurrence, token=sign_poster(occurrence.event_id), scanned_by=organiser
    )
    assert own.reason == "not_a_pass"
    assert not Attendance.objects.exists()


def test_the_scan_log_is_append_only_and_keeps_no_address(occurrence, organiser, held_pass):
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    entry = ScanLog.objects.get()
    field_names = {f.name for f in ScanLog._meta.get_fields()}
    assert field_names == {"id", "at", "occurrence", "result", "method", "organiser"}
    entry.result = "already"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ScanLog.objects.update(result="already")
    with pytest.raises(PermissionDenied):
        ScanLog.objects.all().delete()
    assert ScanLog.objects.get().result == "checked_in"


def test_an_occurrence_with_attendance_cannot_be_deleted(occurrence, organiser, held_pass):
    from django.db.models import ProtectedError

    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    with pytest.raises(ProtectedError):
        occurrence.delete()


def test_two_participants_each_get_their_own_attendance(occurrence, organiser, held_pass):
    other = PassFactory()
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    checkin_record(occurrence=occurrence, token=other.token, scanned_by=organiser)
    assert Attendance.objects.filter(occurrence=occurrence).count() == 2


def test_losing_the_race_to_insert_answers_already(occurrence, organiser, held_pass):
    """As when another scanner inserted between our read and our insert (the portable path)."""
    from events.checkin.services.scanning import _attend_and_log

    first = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    late = _attend_and_log(
        occurrence_id=occurrence.pk,
        participant=held_pass.participant,
        method="scan",
        organiser_id=organiser.pk,
        already_at=None,  # our read saw nothing
        counts={"attendance": 0, "anonymous": 0, "total": 0},
    )
    assert late.outcome is Outcome.ALREADY
    assert late.checked_in_at == first.checked_in_at
    assert late.counts is None  # stale: the view counts afresh
    assert Attendance.objects.count() == 1
    assert list(ScanLog.objects.order_by("pk").values_list("result", flat=True)) == [
        "checked_in",
        "already",
    ]

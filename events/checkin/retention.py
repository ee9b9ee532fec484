"""Check-in's retention step: past their time, who came becomes counts and identities go.

Hooked into `apply_retention` (home.audit.retention) from this app's wagtail_hooks.py.
Who came to a date and the scan log keep to the periods of the site the event is on;
participants and passes, who belong to no one site, to the shortest period any site sets.
"""

from django.db import models, transaction
from django.db.models import Max, Q

from .models import Attendance, DoorScan, Participant, Pass, ScanLog
from .services.lifecycle import attendance_erase, participant_erase


def attendance_make_anonymous(*, past: Q) -> int:
    """Turn the attendance `past` selects into each date's count; give how many."""
    return attendance_erase(attendances=Attendance.objects.filter(past))


@transaction.atomic
def scan_log_delete(*, past: Q) -> int:
    """Delete the scan log entries `past` selects (the log is otherwise append-only)."""
    old = ScanLog.objects.filter(past)
    deleted, _per_model = models.QuerySet(model=ScanLog, query=old.query).delete()
    return deleted


def door_scans_delete(*, past: Q) -> int:
    """Delete the scans scanner pages sent (their nonces) that `past` selects."""
    deleted, _per_model = DoorScan.objects.filter(past).delete()
    return deleted


def participants_erase_unused(*, cutoff) -> int:
    """Erase participants who took a pass before `cutoff` and were not checked in since."""
    stale = (
        Participant.objects.filter(created__lt=cutoff)
        .annotate(last_seen=Max("attendances__checked_in_at"))
        .filter(Q(last_seen__isnull=True) | Q(last_seen__lt=cutoff))
    )
    erased = 0
    for participant in stale.iterator():
        participant_erase(participant=participant)
        erased += 1
    return erased


def passes_delete_revoked(*, cutoff) -> int:
    """Delete passes replaced before `cutoff`: a lost pass need not be known for ever."""
    deleted, _per_model = Pass.objects.filter(revoked_at__lt=cutoff).delete()
    return deleted


def checkin_retention(policy) -> dict[str, int]:
    """Apply check-in's periods (a `RetentionPolicy`); give what was done."""
    unused = policy.cutoff("unused_pass_months")
    return {
        "attendances_made_anonymous": attendance_make_anonymous(
            past=policy.past(
                "attendance_months",
                date_field="occurrence__start",
                page_path="occurrence__event__path",
            )
        ),
        # The nonces of a date's sent scans go with its attendance: they point at it.
        "door_scans_deleted": door_scans_delete(
            past=policy.past(
                "attendance_months",
                date_field="occurrence__start",
                page_path="occurrence__event__path",
            )
        ),
        "scan_log_entries_deleted": scan_log_delete(
            past=policy.past(
                "scan_log_months", date_field="at", page_path="occurrence__event__path"
            )
        ),
        "participants_erased": participants_erase_unused(cutoff=unused),
        "revoked_passes_deleted": passes_delete_revoked(cutoff=unused),
    }

"""Applying the retention periods: identities go when their time is up, counts stay.

Safe to run every day and more than once: each step only touches what is past its time,
and what it did is gone, so a second run finds nothing more to do.
"""

from dataclasses import asdict, dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.models import Site

from events.checkin.models import AnonymousCount, Attendance, Participant, Pass, ScanLog
from events.checkin.services import participant_erase

from .models import PrivacySettings
from .services import audit_delete_older_than


@dataclass
class RetentionReport:
    attendances_made_anonymous: int = 0
    scan_log_entries_deleted: int = 0
    participants_erased: int = 0
    revoked_passes_deleted: int = 0
    audit_entries_deleted: int = 0
    withdrawn_stories_purged: int = 0
    rate_limit_counters_deleted: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def privacy_settings() -> PrivacySettings:
    """Give the retention periods of the default site (the defaults when there is none)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return PrivacySettings.for_site(site) if site else PrivacySettings()


@transaction.atomic
def attendance_make_anonymous(*, cutoff) -> int:
    """Turn attendance of dates before `cutoff` into anonymous counts; give how many."""
    old = Attendance.objects.filter(occurrence__start__lt=cutoff)
    occurrence_ids = list(old.values_list("occurrence_id", flat=True))
    AnonymousCount.objects.bulk_create(
        AnonymousCount(occurrence_id=pk, source=AnonymousCount.Source.ERASED)
        for pk in occurrence_ids
    )
    old.delete()
    return len(occurrence_ids)


@transaction.atomic
def scan_log_delete_older_than(*, cutoff) -> int:
    """Delete scan log entries older than `cutoff` (the log is otherwise append-only)."""
    old = ScanLog.objects.filter(at__lt=cutoff)
    deleted, _per_model = models.QuerySet(model=ScanLog, query=old.query).delete()
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


def retention_apply(*, now=None, periods: PrivacySettings | None = None) -> RetentionReport:
    """Apply every retention period as of `now`; give what was done."""
    from home.ratelimit import rate_limits_purge_expired
    from home.stories.services import stories_purge_withdrawn

    now = now or timezone.now()
    periods = periods or privacy_settings()

    def before(months: int):
        return now - relativedelta(months=months)

    report = RetentionReport()
    report.attendances_made_anonymous = attendance_make_anonymous(
        cutoff=before(periods.attendance_months)
    )
    report.scan_log_entries_deleted = scan_log_delete_older_than(
        cutoff=before(periods.scan_log_months)
    )
    report.participants_erased = participants_erase_unused(
        cutoff=before(periods.unused_pass_months)
    )
    report.revoked_passes_deleted = passes_delete_revoked(cutoff=before(periods.unused_pass_months))
    report.audit_entries_deleted = audit_delete_older_than(cutoff=before(periods.audit_months))
    report.withdrawn_stories_purged = stories_purge_withdrawn(
        grace_days=django_settings.STORIES_WITHDRAWN_GRACE_DAYS, now=now
    )
    # Normally already gone: each count deletes the rows past their window.
    report.rate_limit_counters_deleted = rate_limits_purge_expired()
    return report

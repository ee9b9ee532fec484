"""Retention: past their time, identities go and only counts stay; safe to run daily."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from events.checkin.models import (
    AnonymousCount,
    Attendance,
    ErasedCount,
    Participant,
    Pass,
    ScanLog,
)
from events.checkin.services.lifecycle import participant_create, pass_replace
from events.checkin.services.scanning import checkin_record
from home.audit.models import AuditEvent, PrivacySettings
from home.audit.retention import privacy_settings, retention_apply
from home.audit.services import audit_record
from tests.factories import EventPageFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 1, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture
def periods(home_page):
    from wagtail.models import Site

    setting = PrivacySettings.for_site(Site.objects.get(is_default_site=True))
    setting.attendance_months = 12
    setting.scan_log_months = 3
    setting.unused_pass_months = 6
    setting.audit_months = 18
    setting.save()
    return setting


@pytest.fixture
def history(periods, make_group, make_organiser):
    """On 10 January 2026: Robin and Sam come to a date; Alex takes a pass and never comes."""
    with time_machine.travel(START, tick=False):
        group = make_group(title="Lantern Café", slug="lantern")
        event = EventPageFactory(parent=group, live=False, start_date=date(2026, 1, 6))
        event.save_revision().publish()
        occurrence = OccurrenceFactory(event=event, start=START - timedelta(hours=1))
        organiser = make_organiser(group, "lantern-organiser")
        robin = participant_create(nickname="Robin", email="robin@example.org")
        sam = participant_create(nickname="Sam")
        participant_create(nickname="Alex")
        for held in (robin, sam):
            checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
        checkin_record(occurrence=occurrence, token="not-a-pass", scanned_by=organiser)
        pass_replace(participant=sam.participant)
        audit_record(user=organiser, action=AuditEvent.Action.VIEW_ATTENDANCE, target=occurrence)
    return {"occurrence": occurrence, "event": event, "organiser": organiser, "robin": robin}


def at(when: datetime):
    return time_machine.travel(when, tick=False)


def test_the_settings_have_safe_defaults(home_page):
    defaults = privacy_settings()
    assert 0 < defaults.scan_log_months <= defaults.attendance_months <= 36
    assert 0 < defaults.unused_pass_months <= 24
    assert 0 < defaults.audit_months <= 36


def test_nothing_is_removed_before_its_time(history):
    with at(START + timedelta(days=60)):
        report = retention_apply()
    assert not any(report.as_dict().values()), report
    assert Attendance.objects.count() == 2
    assert ScanLog.objects.count() == 3


def test_scan_logs_go_first(history):
    with at(START + timedelta(days=95)):  # past 3 months
        report = retention_apply()
    assert report.scan_log_entries_deleted == 3
    assert not ScanLog.objects.exists()
    assert Attendance.objects.count() == 2  # who came is still known


def test_someone_who_never_came_and_replaced_passes_go_after_six_months(history):
    with at(START + timedelta(days=190)):
        report = retention_apply()
    # Alex never came; Robin and Sam were last seen in January: all past six months.
    assert report.participants_erased == 3
    assert not Participant.objects.exists() and not Pass.objects.exists()
    # What Robin and Sam came to is kept, as counts.
    assert ErasedCount.objects.get(occurrence=history["occurrence"]).people == 2


def test_someone_who_keeps_coming_keeps_their_record(history):
    later = OccurrenceFactory(
        event=history["event"], start=START + timedelta(days=150), end=START + timedelta(days=150)
    )
    with at(START + timedelta(days=150)):
        checkin_record(occurrence=later, token=history["robin"].token, scanned_by=None)
    with at(START + timedelta(days=190)):
        retention_apply()
    assert list(Participant.objects.values_list("nickname", flat=True)) == ["Robin"]


def test_attendance_older_than_its_period_becomes_counts(history, periods):
    periods.unused_pass_months = 24  # keep the people, to see attendance go on its own
    periods.save()
    with at(START + timedelta(days=370)):
        report = retention_apply()
    assert report.attendances_made_anonymous == 2
    assert not Attendance.objects.exists()
    assert ErasedCount.objects.get(occurrence=history["occurrence"]).people == 2
    assert Participant.objects.count() == 3


def test_audit_entries_go_after_their_period(history):
    with at(START + timedelta(days=30 * 18 + 10)):
        report = retention_apply()
    assert report.audit_entries_deleted == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_ATTENDANCE).exists()


def test_running_twice_changes_nothing_more(history):
    with at(START + timedelta(days=800)):
        first = retention_apply()
        counts = (list(ErasedCount.objects.values_list("people")), Participant.objects.count())
        second = retention_apply()
    assert any(first.as_dict().values())
    assert not any(second.as_dict().values()), second
    assert (list(ErasedCount.objects.values_list("people")), Participant.objects.count()) == counts
    assert not AnonymousCount.objects.exists()  # no row per person left behind
    # The total who came to the date never changes: 2 people, now as counts.
    assert ErasedCount.objects.get(occurrence=history["occurrence"]).people == 2


def test_the_command_reports_what_it_did(history):
    out = StringIO()
    with at(START + timedelta(days=95)):
        call_command("apply_retention", stdout=out)
    assert "scan log entries deleted: 3" in out.getvalue()
    assert timezone.now() > START  # the clock is real again outside the block

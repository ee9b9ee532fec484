"""Check-in's retention: one path (apply_retention), with the admin's periods, for every site."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Site

from events.checkin.models import Attendance, ErasedCount, Participant
from events.checkin.services.scanning import checkin_record
from home.audit.models import PrivacySettings
from home.audit.retention import retention_apply
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    HomePageFactory,
    OccurrenceFactory,
    PassFactory,
)

from .conftest import make_event

pytestmark = pytest.mark.django_db


def set_periods(site, **months):
    periods = PrivacySettings.for_site(site)
    for name, value in months.items():
        setattr(periods, name, value)
    periods.save()


def test_the_old_command_is_a_thin_alias_of_apply_retention(occurrence, organiser, held_pass):
    set_periods(Site.objects.get(is_default_site=True), unused_pass_months=12)
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    newcomer = PassFactory(participant__nickname="New")
    with time_machine.travel(timezone.now() + timedelta(days=300)):
        call_command("purge_inactive_participants", stdout=StringIO())
        assert Participant.objects.count() == 2
    out = StringIO()
    with time_machine.travel(timezone.now() + timedelta(days=370)):
        fresh = PassFactory(participant__nickname="Fresh")
        call_command("purge_inactive_participants", stdout=out)
    assert list(Participant.objects.all()) == [fresh.participant]
    assert not Participant.objects.filter(pk=newcomer.participant_id).exists()
    assert ErasedCount.objects.get().occurrence == occurrence
    assert "participants erased: 2" in out.getvalue()  # apply_retention's own report


def test_there_is_no_retention_setting_outside_the_admin():
    from django.conf import settings

    assert not hasattr(settings, "CHECKIN_RETENTION_DAYS")


@pytest.fixture
def second_site(home_page):
    """A second city site with its own tree, its own group and an event on it."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="second-city")
    site = Site.objects.create(hostname="second.example", port=80, root_page=home)
    groups = GroupIndexPageFactory(parent=home, slug="groups")
    group = GroupPageFactory(parent=groups, title="Second Café", slug="second-cafe")
    return site, make_event(group, title="Second Coffee")


def test_each_site_keeps_to_its_own_periods(occurrence, organiser, second_site):
    site, far_event = second_site
    default = Site.objects.get(is_default_site=True)
    set_periods(default, attendance_months=24, scan_log_months=12, unused_pass_months=36)
    set_periods(site, attendance_months=3, scan_log_months=2, unused_pass_months=36)
    here = PassFactory(participant__nickname="Here")
    there = PassFactory(participant__nickname="There")
    far = OccurrenceFactory(event=far_event, start=occurrence.start, end=occurrence.end)
    checkin_record(occurrence=occurrence, token=here.token, scanned_by=organiser)
    checkin_record(occurrence=far, token=there.token, scanned_by=None)
    with time_machine.travel(max(occurrence.start, timezone.now()) + timedelta(days=120)):
        report = call_retention()
    # The second site's short periods apply to its own dates, and only to them.
    assert list(Attendance.objects.values_list("occurrence", flat=True)) == [occurrence.pk]
    assert ErasedCount.objects.get().occurrence == far
    assert report["attendances_made_anonymous"] == 1
    assert report["scan_log_entries_deleted"] == 1


def test_who_belongs_to_no_one_site_keeps_to_the_shortest_period(second_site):
    site, _event = second_site
    set_periods(Site.objects.get(is_default_site=True), unused_pass_months=24)
    set_periods(site, unused_pass_months=6)
    PassFactory(participant__nickname="Never came")
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        report = call_retention()
    assert report["participants_erased"] == 1
    assert not Participant.objects.exists()


def call_retention() -> dict:
    return retention_apply().as_dict()


def test_scans_sent_by_scanner_pages_go_with_the_dates_attendance(occurrence, organiser, held_pass):
    import uuid

    from events.checkin.models import DoorScan
    from events.checkin.services.offline import door_sync

    set_periods(Site.objects.get(is_default_site=True), attendance_months=6, scan_log_months=12)
    scan = {
        "nonce": uuid.uuid4().hex,
        "code": held_pass.token,
        "scanned_at": timezone.now().isoformat(),
    }
    door_sync(occurrence=occurrence, device="a", scans=[scan], organiser_id=organiser.pk)
    with time_machine.travel(timezone.now() + timedelta(days=150)):
        assert call_retention()["door_scans_deleted"] == 0
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        report = call_retention()
    assert report["door_scans_deleted"] == 1
    assert report["attendances_made_anonymous"] == 1
    assert not DoorScan.objects.exists()

"""The person's own say: their record shows introductions, they stop the sharing, erasure
takes them; and retention, end to end.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from events.checkin.models import Attendance, Method, Participant
from events.checkin.services.scanning import checkin_record
from events.checkin.views.passes import PASS_COOKIE, PASS_COOKIE_SALT
from events.introductions.models import Introduction
from home.audit.retention import retention_apply
from tests.factories import OccurrenceFactory

pytestmark = pytest.mark.django_db


def holding(client, introduction):
    held = introduction.participant.passes.get()
    client.cookies[PASS_COOKIE] = signing.get_cookie_signer(
        salt=PASS_COOKIE + PASS_COOKIE_SALT
    ).sign(held.token)
    return held


def test_the_record_shows_the_introduction_and_stops_the_sharing(
    client, later, introduce, navigator
):
    introduction = introduce(later, share_other_groups=True)
    holding(client, introduction)
    record = client.get(reverse("checkin:record_mine")).content.decode()
    assert "Pathways Probation introduced you to Tuesday Coffee Morning" in record
    assert "will hear whether I came" in record  # the wording they agreed to
    response = client.post(reverse("introductions:stop_sharing", args=[introduction.pk]))
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.sharing_stopped and introduction.note == ""
    assert not introduction.share_other_groups
    # The navigator now sees only "stopped sharing": no name, no outcome.
    client.force_login(navigator)
    listing = client.get(reverse("introductions:follow_up")).content.decode()
    assert "Stopped sharing" in listing and "Jay" not in listing
    detail = client.get(reverse("introductions:detail", args=[introduction.pk])).content.decode()
    assert "Stopped sharing" in detail and "Jay" not in detail


def test_nobody_stops_the_sharing_of_someone_elses_introduction(client, later, introduce):
    mine = introduce(later, name="Jay")
    theirs = introduce(later, name="Kit")
    holding(client, mine)
    response = client.post(reverse("introductions:stop_sharing", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.sharing_stopped


def test_erasing_the_record_deletes_the_introductions(client, later, introduce):
    introduction = introduce(later)
    holding(client, introduction)
    client.post(reverse("checkin:record_delete"), {"confirm": "yes"})
    assert not Participant.objects.exists()
    assert not Introduction.objects.filter(pk=introduction.pk).exists()


def test_retention_deletes_notes_then_unlinks_keeping_the_outcome(
    occurrence, introduce, organiser, event
):
    introduction = introduce(occurrence)
    held = introduction.participant.passes.get()
    checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
    back = OccurrenceFactory(event=event, start=occurrence.start + timedelta(weeks=2))
    Attendance.objects.create(occurrence=back, participant=held.participant, method=Method.SCAN)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        report = retention_apply()
    introduction.refresh_from_db()
    assert report.introduction_notes_deleted == 1
    assert introduction.note == "" and introduction.participant_id is not None
    with time_machine.travel(timezone.now() + timedelta(days=800)):
        report = retention_apply()
    introduction.refresh_from_db()
    assert report.introductions_unlinked == 1
    assert introduction.participant_id is None and introduction.chosen_name == ""
    # What it led to stays, as numbers; the attendance itself became counts after it.
    assert introduction.came_at is not None and introduction.came_back is True
    assert introduction.other_groups == 0
    assert not Attendance.objects.exists()


def test_the_download_of_the_record_holds_the_introductions(client, later, introduce):
    introduction = introduce(later)
    holding(client, introduction)
    export = client.get(reverse("checkin:record_download")).json()
    (row,) = export["introductions"]
    assert row["introduced_by"] == "Pathways Probation" and row["chosen_name"] == "Jay"
    assert "will hear whether I came" in row["consent"]

"""Staff looking at or exporting personal data is logged; only the council reads the log."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from events.checkin.services.lifecycle import participant_create, participant_erase
from events.checkin.services.scanning import checkin_record
from home.audit.models import AuditEvent
from home.audit.services import audit_delete_older_than, audit_record
from tests.factories import EventPageFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@pytest.fixture
def scene(make_group, make_organiser, moderator):
    group = make_group(title="Lantern Café", slug="lantern")
    event = EventPageFactory(parent=group, live=False, start_date=date(2026, 1, 6))
    event.save_revision().publish()
    event.refresh_from_db()
    occurrence = OccurrenceFactory(event=event)
    organiser = make_organiser(group, "lantern-organiser")
    held = participant_create(nickname="Robin", email="robin@example.org")
    checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
    return {"occurrence": occurrence, "event": event, "organiser": organiser, "pass": held}


def only_entry(**filters) -> AuditEvent:
    entries = list(AuditEvent.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


def test_seeing_who_came_is_logged(client, scene):
    client.force_login(scene["organiser"])
    assert (
        client.get(reverse("checkin:attendance", args=[scene["occurrence"].pk])).status_code == 200
    )
    entry = only_entry(action=Action.VIEW_ATTENDANCE)
    assert entry.user == scene["organiser"]
    assert entry.username == "lantern-organiser"
    assert (entry.object_type, entry.object_id) == (
        "events.occurrence",
        str(scene["occurrence"].pk),
    )


def test_both_attendance_exports_are_logged(client, scene):
    client.force_login(scene["organiser"])
    client.get(reverse("checkin:attendance_csv", args=[scene["occurrence"].pk]))
    client.get(reverse("checkin:event_csv", args=[scene["event"].pk]))
    entries = AuditEvent.objects.filter(action=Action.EXPORT_ATTENDANCE)
    assert sorted(e.object_type for e in entries) == ["events.eventpage", "events.occurrence"]


def test_a_nickname_search_is_logged_without_what_was_searched(client, scene):
    client.force_login(scene["organiser"])
    client.get(reverse("checkin:search", args=[scene["occurrence"].pk]), {"q": "Rob"})
    entry = only_entry(action=Action.SEARCH_NICKNAMES)
    assert entry.detail == "1 found"
    assert "Rob" not in entry.detail


def test_a_door_pass_is_logged(client, scene):
    client.force_login(scene["organiser"])
    client.post(reverse("checkin:door_pass", args=[scene["occurrence"].pk]), {"nickname": "Alex"})
    entry = only_entry(action=Action.DOOR_PASS)
    assert entry.object_type == "checkin.participant"


def test_a_refused_request_logs_nothing(client, scene, make_group, make_organiser):
    outsider = make_organiser(make_group(title="Runners", slug="runners"), "runner")
    client.force_login(outsider)
    client.get(reverse("checkin:attendance", args=[scene["occurrence"].pk]))
    client.get(reverse("checkin:attendance_csv", args=[scene["occurrence"].pk]))
    assert not AuditEvent.objects.exists()


def test_a_figures_export_is_logged(admin_client, scene):
    response = admin_client.get(reverse("insights_admin:csv", args=["summary"]))
    assert response.status_code == 200
    entry = only_entry(action=Action.EXPORT_FIGURES)
    assert entry.detail.startswith("summary, group all,")


def test_opening_a_storys_contact_details_is_logged(client, moderator, story_index):
    import uuid

    from django.utils import timezone

    from home.stories.models import StorySubmission

    submission = StorySubmission.objects.create(
        idempotency_key=uuid.uuid4(),
        token_hash="x" * 64,
        consent_text="I agree.",
        consented_at=timezone.now(),
        contact_email="teller@example.org",
    )
    client.force_login(moderator)
    url = reverse("wagtailsnippets_stories_storysubmission:inspect", args=[submission.pk])
    assert "teller@example.org" in client.get(url).content.decode()
    entry = only_entry(action=Action.VIEW_CONTACT)
    assert entry.object_type == "stories.storysubmission"


def test_opening_an_event_proposers_details_is_logged(client, moderator):
    from events.models import EventProposal

    proposal = EventProposal.objects.create(name="Pat", email="pat@example.org", group_name="G")
    client.force_login(moderator)
    client.get(reverse("wagtailsnippets_events_eventproposal:inspect", args=[proposal.pk]))
    assert only_entry(action=Action.VIEW_CONTACT).object_id == str(proposal.pk)


# Reading the log ---------------------------------------------------------------------


def test_the_council_reads_and_filters_the_log(client, scene, moderator):
    audit_record(user=scene["organiser"], action=Action.VIEW_ATTENDANCE, target=scene["event"])
    audit_record(user=scene["organiser"], action=Action.DOOR_PASS, target=scene["event"])
    client.force_login(moderator)
    response = client.get(reverse("audit:index"), {"action": Action.DOOR_PASS})
    assert response.status_code == 200
    assert "lantern-organiser" in response.content.decode()
    assert [e.action for e in response.context["object_list"]] == [Action.DOOR_PASS]
    entry = AuditEvent.objects.first()
    assert client.get(reverse("audit:inspect", args=[entry.pk])).status_code == 200


def test_organisers_and_the_public_cannot_read_the_log(client, scene):
    audit_record(user=scene["organiser"], action=Action.VIEW_ATTENDANCE, target=scene["event"])
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(scene["organiser"])
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302 and "login" not in response["Location"]
    response = client.get(reverse("audit:inspect", args=[AuditEvent.objects.get().pk]))
    assert response.status_code == 302


def test_the_log_cannot_be_added_to_edited_or_deleted_in_the_admin(admin_client):
    from django.urls import NoReverseMatch

    for name in ("audit:add", "audit:edit", "audit:delete", "audit:copy"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1]) if name != "audit:add" else reverse(name)
    assert admin_client.get("/admin/audit/new/").status_code == 404


def test_the_log_is_append_only(scene):
    entry = audit_record(user=scene["organiser"], action=Action.VIEW_ATTENDANCE)
    entry.detail = "changed"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(detail="changed")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()


def test_the_log_keeps_no_ip_address_and_no_personal_data():
    names = {f.name for f in AuditEvent._meta.get_fields()}
    assert not {n for n in names if "ip" in n.split("_") or "address" in n}
    assert names >= {"user", "username", "action", "object_type", "object_id", "detail", "at"}


def test_an_entry_outlives_the_staff_account(scene):
    audit_record(user=scene["organiser"], action=Action.VIEW_ATTENDANCE)
    scene["organiser"].delete()
    entry = AuditEvent.objects.get()
    assert entry.user is None and entry.username == "lantern-organiser"


def test_erasing_a_participant_blanks_who_entries_were_about(client, scene):
    client.force_login(scene["organiser"])
    client.post(reverse("checkin:door_pass", args=[scene["occurrence"].pk]), {"nickname": "Alex"})
    entry = AuditEvent.objects.get(action=Action.DOOR_PASS)
    from events.checkin.models import Participant

    participant_erase(participant=Participant.objects.get(pk=entry.object_id))
    entry = AuditEvent.objects.get(pk=entry.pk)
    assert entry.object_id == ""
    assert entry.username == "lantern-organiser"  # who did it stays


def test_only_retention_deletes_old_entries(scene):
    from datetime import timedelta

    from django.utils import timezone

    audit_record(user=scene["organiser"], action=Action.VIEW_ATTENDANCE)
    assert audit_delete_older_than(cutoff=timezone.now() - timedelta(days=1)) == 0
    assert audit_delete_older_than(cutoff=timezone.now() + timedelta(seconds=1)) == 1
    assert not AuditEvent.objects.exists()

"""A participant's export holds everything we hold about them; erasure leaves nothing.

The models are walked, so a new table that points at a participant or a pass cannot be
forgotten: it fails here until the export (and erasure) cover it.
"""

import csv
import io
import json

import pytest
from django.apps import apps
from django.core import signing
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.checkin.models import (
    AnonymousCount,
    Attendance,
    ErasedCount,
    Participant,
    Pass,
    Role,
    ScanLog,
)
from events.checkin.services.lifecycle import participant_create, pass_replace
from events.checkin.services.scanning import checkin_record
from events.checkin.views.passes import PASS_COOKIE, PASS_COOKIE_SALT
from home.audit.models import AuditEvent
from tests.factories import EventPageFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db

NICKNAME = "Quillon Marsh"
EMAIL = "quillon.private@example.org"

# Every relation of Participant, Pass and Attendance, and where it shows in the export
# ("" when it is the other end of a relation already exported).
EXPORTED = {
    ("checkin.participant", "passes"): "passes",
    ("checkin.participant", "attendances"): "attendance",
    ("checkin.participant", "roles"): "roles",
    ("checkin.participant", "introductions"): "introductions",  # events.introductions
    ("checkin.pass", "participant"): "",  # the pass's own participant: this record
    ("checkin.pass", "issued_by"): "passes.issued_by",  # who made a pass at the door
    ("checkin.attendance", "participant"): "",
    ("checkin.attendance", "occurrence"): "attendance.event",  # with "date"
    ("checkin.attendance", "recorded_by"): "attendance.recorded_by",  # who checked them in
    ("checkin.attendance", "door_scans"): "attendance.door_scans",  # each scan a page sent
}


@pytest.fixture
def person(make_group, make_organiser, client):
    group = make_group(title="Lantern Café", slug="lantern")
    event = EventPageFactory(parent=group, live=False, title="Coffee morning")
    event.save_revision().publish()
    first, second = OccurrenceFactory(event=event), OccurrenceFactory(event=event)
    organiser = make_organiser(group, "lantern-organiser")
    role = Role.objects.create(name="Peer supporter", slug="peer", community="recovery")
    old = participant_create(nickname=NICKNAME, email=EMAIL, roles=[role], consent=True)
    held = pass_replace(participant=old.participant, issued_by=organiser)  # at the door
    for occurrence in (first, second):
        checkin_record(occurrence=occurrence, token=held.token, scanned_by=organiser)
    # An organiser looked them up and saw who came.
    organiser_client = Client()
    organiser_client.force_login(organiser)
    organiser_client.get(reverse("checkin:search", args=[first.pk]), {"q": "Quill"})
    organiser_client.get(reverse("checkin:attendance", args=[first.pk]))
    client.cookies[PASS_COOKIE] = signing.get_cookie_signer(
        salt=PASS_COOKIE + PASS_COOKIE_SALT
    ).sign(held.token)
    return {
        "participant": held.participant,
        "pass": held,
        "occurrences": (first, second),
        "organiser": organiser_client,
        "client": client,
    }


def relations(model):
    return [f for f in model._meta.get_fields() if f.is_relation and f.related_model is not None]


def test_every_table_about_a_participant_is_in_the_export(person):
    export = person["client"].get(reverse("checkin:record_download")).json()
    participant = person["participant"]
    for model in (Participant, Pass, Attendance):
        for relation in relations(model):
            key = (model._meta.label_lower, relation.name)
            assert key in EXPORTED, (
                f"{key} points at a participant's data: add it to the export "
                "(services.participant_export) and to EXPORTED here"
            )
            where = EXPORTED[key]
            if model is Participant and where:
                accessor = relation.get_accessor_name() if relation.auto_created else relation.name
                rows = getattr(participant, accessor).count()
                assert len(export[where]) == rows, key
            elif where:
                section, field = where.split(".")
                assert export[section] and all(field in row for row in export[section]), key
    # Nothing else in the project points at a participant or a pass.
    pointing = {
        m._meta.label_lower
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if f.is_relation and f.related_model in (Participant, Pass) and not f.auto_created
    }
    # (An introduction is in the export as "introductions", above.)
    assert pointing <= {"checkin.pass", "checkin.attendance", "introductions.introduction"}, (
        pointing
    )


def test_the_export_holds_everything_we_hold(person):
    export = person["client"].get(reverse("checkin:record_download")).json()
    participant = person["participant"]
    assert export["nickname"] == NICKNAME and export["email"] == EMAIL
    assert export["roles"] == ["Peer supporter"] and export["roles_consent_at"]
    assert len(export["passes"]) == 2
    assert sum(1 for p in export["passes"] if p["revoked_at"]) == 1
    assert [a["event"] for a in export["attendance"]] == ["Coffee morning"] * 2
    # Every value of every field of theirs is there (ids aside).
    text = json.dumps(export)
    for field in Participant._meta.concrete_fields:
        value = getattr(participant, field.attname)
        if field.primary_key or value in (None, ""):
            continue
        shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
        assert shown in text, field.name
    # Who made their pass, who checked them in, and who saw the lists they are on.
    assert [p["issued_by"] for p in export["passes"]] == [None, "lantern-organiser"]
    assert [a["recorded_by"] for a in export["attendance"]] == ["lantern-organiser"] * 2
    seen = [(e["who"], e["what"], e["about"]) for e in export["audit"]]
    first = person["occurrences"][0]
    about_first = f"Coffee morning, {timezone.localtime(first.start).date():%Y-%m-%d}"
    assert seen == [
        ("lantern-organiser", "Searched participants by nickname", about_first),
        ("lantern-organiser", "Saw who came to a date", about_first),
    ]
    # A scan log entry holds no participant, so there is nothing of theirs in it.
    assert not [f for f in ScanLog._meta.get_fields() if f.related_model in (Participant, Pass)]


def test_the_export_leaves_out_lists_they_were_not_on(person, make_group, make_organiser):
    from home.audit.services import audit_record

    later = OccurrenceFactory(event=person["occurrences"][0].event)
    elsewhere = OccurrenceFactory(
        event=EventPageFactory(parent=make_group(title="Runners", slug="runners"))
    )
    runner = make_organiser(elsewhere.event.group, "runner")
    audit_record(user=runner, action=AuditEvent.Action.VIEW_ATTENDANCE, target=elsewhere)
    audit_record(user=runner, action=AuditEvent.Action.VIEW_ATTENDANCE, target=later)
    export = person["client"].get(reverse("checkin:record_download")).json()
    assert "runner" not in {e["who"] for e in export["audit"]}


def text_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]


def rows_mentioning(value: str) -> dict[str, int]:
    found = {}
    for model in apps.get_models():
        names = text_fields(model)
        if not names or model._meta.proxy:
            continue
        query = models.Q()
        for name in names:
            query |= models.Q(**{f"{name}__icontains": value})
        count = model._default_manager.filter(query).count()
        if count:
            found[model._meta.label] = count
    return found


def test_erasure_leaves_nothing_but_counts(person):
    participant = person["participant"]
    first, second = person["occurrences"]
    assert rows_mentioning(NICKNAME) and rows_mentioning(EMAIL)
    audit_about = AuditEvent.objects.filter(object_type="checkin.participant")
    response = person["client"].post(reverse("checkin:record_delete"), {"confirm": "yes"})
    assert response.status_code == 200
    # No row anywhere holds their nickname or email.
    assert rows_mentioning(NICKNAME) == {}
    assert rows_mentioning(EMAIL) == {}
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert not Pass.objects.filter(participant_id=participant.pk).exists()
    assert not Attendance.objects.filter(participant_id=participant.pk).exists()
    assert not audit_about.filter(object_id=str(participant.pk)).exists()
    # What they came to stays, only as each date's count.
    for occurrence in (first, second):
        assert ErasedCount.objects.get(occurrence=occurrence).people == 1
    assert not AnonymousCount.objects.exists()
    # The exports staff can take no longer name them.
    sheet = person["organiser"].get(reverse("checkin:attendance_csv", args=[first.pk]))
    rows = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert rows == [rows[0]]  # the header only
    assert (
        NICKNAME
        not in person["organiser"]
        .get(reverse("checkin:search", args=[first.pk]), {"q": "Quill"})
        .content.decode()
    )
    # Their old pass is dead, and their browser forgets it.
    assert response.cookies[PASS_COOKIE].value == ""
    scan = person["organiser"].post(
        reverse("checkin:scan_json", args=[first.pk]),
        json.dumps({"code": person["pass"].token}),
        content_type="application/json",
    )
    assert scan.json()["reason"] == "unknown"


def test_what_erasure_keeps_links_to_nobody(person):
    """Two people's erased attendance leaves just what two other people's would have left."""
    from events.checkin.services.lifecycle import participant_erase

    first, second = person["occurrences"]
    third = OccurrenceFactory(event=first.event)

    def erased(*people_dates) -> list:
        ErasedCount.objects.all().delete()
        for n, dates in enumerate(people_dates):
            participant = participant_create(nickname=f"Person {n}").participant
            for occurrence in dates:
                Attendance.objects.create(occurrence=occurrence, participant=participant)
            participant_erase(participant=participant)
        return sorted(ErasedCount.objects.values_list("occurrence_id", "people"))

    one_way = erased([first, second], [second, third])
    assert one_way == [(first.pk, 1), (second.pk, 2), (third.pk, 1)]
    assert erased([first, second, third], [second]) == one_way
    # A count per date, with no time and no row per person: nothing else to link by.
    assert {f.name for f in ErasedCount._meta.concrete_fields} == {"occurrence", "people"}
    assert not AnonymousCount.objects.exists()


def test_the_readable_record_shows_what_the_file_holds(person):
    html = person["client"].get(reverse("checkin:record_print")).content.decode()
    assert NICKNAME in html and EMAIL in html
    assert "Peer supporter" in html
    assert html.count("<td>Coffee morning</td>") == 2
    assert "lantern-organiser" in html  # who checked them in, and who saw the lists
    assert "<script>" not in html and "style=" not in html


def test_only_the_pass_holder_reads_their_record(person, client):
    # The organiser who checked them in, and anyone without the pass, are sent to get one.
    answer = person["organiser"].get(reverse("checkin:record_print"))
    assert answer.status_code == 302 and NICKNAME not in answer.content.decode()
    stranger = Client().get(reverse("checkin:record_print"))
    assert stranger.status_code == 302
    assert stranger["Location"] == reverse("checkin:pass_start")

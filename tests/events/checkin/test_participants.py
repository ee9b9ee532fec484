"""Getting a pass, keeping it in the browser, and the participant's own rights."""

import json
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from events.checkin.models import (
    AnonymousCount,
    Attendance,
    ErasedCount,
    Participant,
    Pass,
    Role,
)
from events.checkin.services.scanning import checkin_record
from events.checkin.tokens import claim_code
from events.checkin.views.passes import PASS_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def get_pass(client, **data):
    return client.post(reverse("checkin:pass_start"), {"nickname": "Kit", **data})


def test_a_nickname_is_all_it_takes(client):
    response = get_pass(client)
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert (participant.nickname, participant.email, participant.roles_consent_at) == (
        "Kit",
        "",
        None,
    )
    assert participant.passes.get().created_by == "self"
    assert PASS_COOKIE in response.cookies
    card = client.get(reverse("checkin:pass_mine"))
    html = card.content.decode()
    assert "Kit" in html and '<svg class="qr"' in html
    assert claim_code(participant.passes.get().token_id) in html


def test_the_pass_is_shown_again_later_from_the_same_browser(client):
    get_pass(client)
    token = Pass.objects.get().token
    client.cookies.pop("sessionid", None)
    again = client.get(reverse("checkin:pass_mine"))
    assert again.status_code == 200
    assert token in again.content.decode()  # the PNG link carries the token
    assert client.get(reverse("checkin:pass_start")).content.decode().count("Show my pass") == 1


def test_roles_are_kept_only_with_consent_and_its_time(client):
    roles = list(Role.objects.filter(slug__in=["in-recovery", "volunteer"]))
    refused = get_pass(client, roles=[r.pk for r in roles])
    assert refused.status_code == 400
    assert "only keep them with your agreement" in refused.content.decode()
    assert not Participant.objects.exists()
    get_pass(client, roles=[r.pk for r in roles], consent="on", email="kit@example.org")
    participant = Participant.objects.get()
    assert set(participant.roles.all()) == set(roles)
    assert participant.roles_consent_at is not None
    assert participant.email == "kit@example.org"


def test_the_roles_are_seeded_in_three_communities():
    communities = dict(Role.objects.values_list("slug", "community"))
    assert communities == {
        "in-recovery": "recovery",
        "leaving-crime-behind": "recovery",
        "mental-health-recovery": "recovery",
        "family-or-friend": "wider",
        "local-resident": "wider",
        "volunteer": "wider",
        "peer-mentor": "recovery",
        "professional": "professional",
    }


def test_a_blank_nickname_is_refused(client):
    response = client.post(reverse("checkin:pass_start"), {"nickname": "   "})
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_a_lost_pass_is_revoked_and_replaced(client, occurrence, organiser):
    get_pass(client)
    old = Pass.objects.get()
    response = client.post(reverse("checkin:pass_replace"))
    assert response.status_code == 302
    old.refresh_from_db()
    new = Pass.objects.exclude(pk=old.pk).get()
    assert old.revoked_at is not None and new.revoked_at is None
    assert new.participant == old.participant
    assert (
        checkin_record(occurrence=occurrence, token=old.token, scanned_by=organiser).reason
        == "revoked"
    )
    assert new.token in client.get(reverse("checkin:pass_mine")).content.decode()


def test_the_pass_link_alone_does_not_open_the_record(client, held_pass):
    url = reverse("checkin:pass_landing", args=[held_pass.token])
    page = client.get(url).content.decode()
    assert "Robin" not in page and "robin@example.org" not in page
    wrong = client.post(url, {"code": "WRONG123"})
    assert wrong.status_code == 400
    assert client.get(reverse("checkin:record_mine")).status_code == 302  # to "get a pass"
    right = client.post(url, {"code": claim_code(held_pass.token_id).lower()})
    assert right.status_code == 302
    assert "Robin" in client.get(reverse("checkin:record_mine")).content.decode()


def test_a_forged_pass_link_is_a_friendly_404(client, held_pass):
    response = client.get(reverse("checkin:pass_landing", args=[held_pass.token[:-3] + "abc"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


@pytest.fixture
def my_client(client, held_pass):
    from events.checkin.views.passes import PASS_COOKIE_SALT

    response = client.get("/")  # any response will do to sign a cookie
    response.set_signed_cookie(PASS_COOKIE, held_pass.token, salt=PASS_COOKIE_SALT)
    client.cookies[PASS_COOKIE] = response.cookies[PASS_COOKIE].value
    return client


def test_the_record_shows_where_they_have_been(my_client, occurrence, organiser, held_pass):
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    html = my_client.get(reverse("checkin:record_mine")).content.decode()
    assert "Tuesday Coffee Morning" in html


def test_consent_can_be_given_and_withdrawn(my_client, held_pass):
    role = Role.objects.get(slug="local-resident")
    my_client.post(reverse("checkin:record_mine"), {"roles": [role.pk], "consent": "on"})
    participant = Participant.objects.get()
    assert list(participant.roles.all()) == [role] and participant.roles_consent_at
    my_client.post(reverse("checkin:record_mine"), {})
    participant.refresh_from_db()
    assert not participant.roles.exists() and participant.roles_consent_at is None


def test_the_data_download_has_everything_and_only_theirs(
    my_client, occurrence, organiser, held_pass
):
    from tests.factories import PassFactory

    someone_else = PassFactory(participant__nickname="Other Person")
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    checkin_record(occurrence=occurrence, token=someone_else.token, scanned_by=organiser)
    response = my_client.get(reverse("checkin:record_download"))
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["nickname"] == "Robin" and data["email"] == "robin@example.org"
    assert [a["event"] for a in data["attendance"]] == ["Tuesday Coffee Morning"]
    assert len(data["passes"]) == 1
    assert "Other Person" not in response.content.decode()
    # Who checked them in is theirs to know too.
    assert [a["recorded_by"] for a in data["attendance"]] == [organiser.username]


def test_deleting_the_record_leaves_only_anonymous_counts(
    my_client, event, occurrence, organiser, held_pass
):
    from tests.factories import OccurrenceFactory

    last_week = OccurrenceFactory(
        event=event, start=occurrence.start - __import__("datetime").timedelta(days=7)
    )
    with time_machine.travel(last_week.start, tick=False):
        checkin_record(occurrence=last_week, token=held_pass.token, scanned_by=organiser)
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    unconfirmed = my_client.post(reverse("checkin:record_delete"), {})
    assert unconfirmed.status_code == 400 and Participant.objects.exists()
    response = my_client.post(reverse("checkin:record_delete"), {"confirm": "yes"})
    assert response.status_code == 200
    assert not Participant.objects.exists()
    assert not Pass.objects.exists()
    assert not Attendance.objects.exists()
    assert sorted(ErasedCount.objects.values_list("occurrence_id", "people")) == sorted(
        [(occurrence.pk, 1), (last_week.pk, 1)]
    )
    assert not AnonymousCount.objects.exists()
    assert response.cookies[PASS_COOKIE].value == ""
    dead = checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    assert dead.reason == "unknown"
    # The door's running count still counts them, with no name.
    assert dead.counts == {"attendance": 0, "anonymous": 1, "total": 1}
    from events.checkin.services.scanning import occurrence_counts

    assert occurrence_counts(last_week) == {"attendance": 0, "anonymous": 1, "total": 1}


def test_a_failure_during_erasure_changes_nothing(held_pass, occurrence, organiser, monkeypatch):
    from events.checkin.services import lifecycle

    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)

    def broken_delete(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Participant, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        lifecycle.participant_erase(participant=held_pass.participant)
    assert Attendance.objects.count() == 1
    assert not ErasedCount.objects.exists()


def test_the_pass_form_is_rate_limited(client):
    statuses = [get_pass(client).status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert Participant.objects.count() == 20


def test_an_organiser_makes_a_printable_pass_at_the_door(client, occurrence, organiser):
    client.force_login(organiser)
    response = client.post(reverse("checkin:door_pass", args=[occurrence.pk]), {"nickname": "Pat"})
    assert response.status_code == 200
    held = Pass.objects.get()
    assert (held.created_by, held.issued_by) == ("organiser", organiser)
    attendance = Attendance.objects.get()
    assert (attendance.participant.nickname, attendance.method) == ("Pat", "door")
    html = response.content.decode()
    assert '<svg class="qr"' in html and "Print the card" in html
    assert claim_code(held.token_id) in html


def test_the_organiser_who_printed_a_door_pass_cannot_open_the_record_once_it_is_kept(
    client, occurrence, organiser
):
    client.force_login(organiser)
    door = client.post(reverse("checkin:door_pass", args=[occurrence.pk]), {"nickname": "Pat"})
    held = Pass.objects.get()
    landing = reverse("checkin:pass_landing", args=[held.token])
    # Everything the organiser can see: the printed card, the scanner, who came, the sheet,
    # the nickname search, the pass's own link and picture, their dashboard.
    pages = [
        reverse("checkin:scanner", args=[occurrence.pk]),
        reverse("checkin:attendance", args=[occurrence.pk]),
        reverse("checkin:attendance_csv", args=[occurrence.pk]),
        reverse("checkin:search", args=[occurrence.pk]) + "?q=Pat",
        reverse("checkin:dashboard"),
        landing,
    ]
    seen = "\n".join([door.content.decode()] + [client.get(url).content.decode() for url in pages])
    printed = claim_code(held.token_id)
    assert printed in seen and held.token in seen
    assert "This code works once" in door.content.decode()

    # Pat keeps the pass on a phone of their own with the printed code: it gets a new code.
    pat = Client()
    kept = pat.post(landing, {"code": printed})
    assert kept.status_code == 302 and kept["Location"].endswith("?new_code=1")
    card = pat.get(kept["Location"]).content.decode()
    held.refresh_from_db()
    assert held.claim_code != printed
    assert held.claim_code in card and held.claim_code not in seen
    assert "only you have seen" in card
    assert "Pat" in pat.get(reverse("checkin:record_mine")).content.decode()

    # Later, in a fresh browser, the organiser tries every code they ever saw.
    fresh = Client()
    for code in sorted(set(re.findall(r"\b[A-Za-z0-9]{8}\b", seen)) | {printed}):
        response = fresh.post(landing, {"code": code})
        assert response.status_code in (400, 429), code
        assert PASS_COOKIE not in response.cookies
    cache.clear()  # the claim limit aside, the printed code says why it no longer works
    used = fresh.post(landing, {"code": printed}).content.decode()
    assert "This code has been used already" in used
    for name in ("record_mine", "record_download", "pass_mine"):
        assert fresh.get(reverse(f"checkin:{name}")).status_code == 302, name
    fresh.post(reverse("checkin:record_delete"), {"confirm": "yes"})
    fresh.post(reverse("checkin:pass_replace"))
    assert Pass.objects.get() == held and not held.is_revoked
    assert Participant.objects.get().nickname == "Pat"

    # Pat's own code keeps working, on another phone too, and stays the same.
    other_phone = Client()
    again = other_phone.post(landing, {"code": held.claim_code.lower()})
    assert again.status_code == 302 and again["Location"] == reverse("checkin:pass_mine")
    assert Pass.objects.get().claim_code == held.claim_code


def test_only_one_of_two_claims_with_the_printed_code_wins(occurrence, organiser):
    from events.checkin.services import lifecycle

    held = lifecycle.participant_create(nickname="Pat", issued_by=organiser)
    printed = held.claim_code
    stale = Pass.objects.get(pk=held.pk)  # read by a second request before the first wins
    assert lifecycle.pass_claim(held=held, code=printed) is lifecycle.Claim.NEW_CODE
    assert lifecycle.pass_claim(held=stale, code=printed) is lifecycle.Claim.USED
    assert lifecycle.pass_claim(held=Pass.objects.get(), code=printed) is lifecycle.Claim.USED


def test_a_pass_taken_by_its_holder_keeps_its_code_when_kept_elsewhere(client, held_pass):
    code = held_pass.claim_code
    assert code == claim_code(held_pass.token_id)
    response = client.post(reverse("checkin:pass_landing", args=[held_pass.token]), {"code": code})
    assert response["Location"] == reverse("checkin:pass_mine")
    assert Pass.objects.get().claim_code == code

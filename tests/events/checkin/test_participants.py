"""Getting a pass, keeping it in the browser, and the participant's own rights."""

import json

import pytest
import time_machine
from django.urls import reverse

from events.checkin.models import AnonymousCount, Attendance, Participant, Pass, Role
from events.checkin.services import checkin_record
from events.checkin.tokens import claim_code
from events.checkin.views import PASS_COOKIE

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
    from events.checkin.views import PASS_COOKIE_SALT

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
    assert organiser.username not in response.content.decode()


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
    assert sorted(AnonymousCount.objects.values_list("occurrence_id", "source")) == sorted(
        [(occurrence.pk, "erased"), (last_week.pk, "erased")]
    )
    assert response.cookies[PASS_COOKIE].value == ""
    assert (
        checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser).reason
        == "unknown"
    )


def test_a_failure_during_erasure_changes_nothing(held_pass, occurrence, organiser, monkeypatch):
    from events.checkin import services

    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)

    def broken_delete(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Participant, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        services.participant_erase(participant=held_pass.participant)
    assert Attendance.objects.count() == 1
    assert not AnonymousCount.objects.exists()


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

"""Only the event's host and co-host organisers and the council scan or see attendance."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.checkin.models import AnonymousCount, Attendance, Participant, Pass, ScanLog
from events.checkin.permissions import can_manage_event, manageable_events
from events.checkin.services.scanning import checkin_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def every_request(occurrence, held_pass):
    """(method, url, data) for every organiser-only request about this occurrence."""
    pk = occurrence.pk
    return [
        ("get", reverse("checkin:scanner", args=[pk]), None),
        ("post", reverse("checkin:scanner", args=[pk]), {"code": held_pass.token}),
        ("post", reverse("checkin:scan_json", args=[pk]), {"code": held_pass.token}),
        ("get", reverse("checkin:search", args=[pk]) + "?q=Rob", None),
        ("get", reverse("checkin:scanner_ticket", args=[pk]), None),
        (
            "post",
            reverse("checkin:checkin_by_search", args=[pk]),
            {"participant": held_pass.participant_id},
        ),
        ("post", reverse("checkin:plus_one", args=[pk]), {"nonce": "abc"}),
        ("get", reverse("checkin:door_pass", args=[pk]), None),
        ("post", reverse("checkin:door_pass", args=[pk]), {"nickname": "Intruder"}),
        ("get", reverse("checkin:attendance", args=[pk]), None),
        ("get", reverse("checkin:attendance_csv", args=[pk]), None),
        ("get", reverse("checkin:event_csv", args=[occurrence.event_id]), None),
    ]


def test_an_organiser_of_another_group_is_refused_everywhere(
    client, occurrence, organiser, outsider, held_pass
):
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    before = (
        Attendance.objects.count(),
        AnonymousCount.objects.count(),
        Participant.objects.count(),
        Pass.objects.count(),
    )
    client.force_login(outsider)
    for method, url, data in every_request(occurrence, held_pass):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, (method, url, response.status_code)
        body = response.content.decode()
        assert "Robin" not in body and "robin@example.org" not in body, url
    after = (
        Attendance.objects.count(),
        AnonymousCount.objects.count(),
        Participant.objects.count(),
        Pass.objects.count(),
    )
    assert after == before
    assert ScanLog.objects.filter(result="refused", organiser=outsider).exists()


def test_someone_not_logged_in_is_sent_to_log_in_or_refused(client, occurrence, held_pass):
    for method, url, data in every_request(occurrence, held_pass):
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
    assert not Attendance.objects.exists()
    assert not AnonymousCount.objects.exists()


def test_organisers_moderators_and_co_hosts_may_manage(
    occurrence, event, organiser, outsider, other_group, moderator
):
    assert can_manage_event(organiser, event)
    assert can_manage_event(moderator, event)
    assert not can_manage_event(outsider, event)
    event.partner_groups.add(other_group)
    event.save()
    assert can_manage_event(outsider, event)
    assert event in manageable_events(outsider)


def test_a_plain_user_and_an_inactive_organiser_may_not(event, organiser):
    assert not can_manage_event(UserFactory(), event)
    organiser.is_active = False
    assert not can_manage_event(organiser, event)
    assert not manageable_events(UserFactory()).exists()


def test_the_organiser_sees_nicknames_never_emails(client, occurrence, organiser, held_pass):
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    client.force_login(organiser)
    for url in (
        reverse("checkin:attendance", args=[occurrence.pk]),
        reverse("checkin:attendance_csv", args=[occurrence.pk]),
        reverse("checkin:event_csv", args=[occurrence.event_id]),
        reverse("checkin:search", args=[occurrence.pk]) + "?q=rob",
    ):
        body = client.get(url).content.decode()
        assert "Robin" in body, url
        assert "robin@example.org" not in body, url


def test_the_attendance_list_is_a_fixed_number_of_queries(
    client, occurrence, organiser, django_assert_num_queries
):
    from tests.factories import PassFactory

    client.force_login(organiser)
    url = reverse("checkin:attendance", args=[occurrence.pk])
    for _ in range(3):
        checkin_record(occurrence=occurrence, token=PassFactory().token, scanned_by=organiser)
    client.get(url)  # warm caches (site, settings)
    # Ours: session, user, occurrence + event, permission, rows, counts; the rest is the
    # site's own page furniture (settings, menu, user bar). More people, no more queries.
    with django_assert_num_queries(15, exact=False) as captured:
        first = client.get(url)
    for _ in range(5):
        checkin_record(occurrence=occurrence, token=PassFactory().token, scanned_by=organiser)
    with django_assert_num_queries(len(captured.captured_queries)):
        second = client.get(url)
    assert first.content.decode().count("<tr>") == 4
    assert second.content.decode().count("<tr>") == 9


def test_the_council_sees_every_event_in_the_attendance_area(
    client, occurrence, other_event, moderator, organiser
):
    from tests.factories import OccurrenceFactory

    OccurrenceFactory(event=other_event)
    client.force_login(moderator)
    body = client.get(reverse("checkin:dashboard")).content.decode()
    assert "Tuesday Coffee Morning" in body and "Saturday Run" in body
    client.force_login(organiser)
    body = client.get(reverse("checkin:dashboard")).content.decode()
    assert "Tuesday Coffee Morning" in body and "Saturday Run" not in body


def test_the_admin_menu_offers_attendance_to_organisers_only(client, occurrence, organiser):
    client.force_login(organiser)
    assert reverse("checkin:dashboard") in client.get(reverse("wagtailadmin_home")).content.decode()
    nobody = UserFactory()
    nobody.groups.add(Group.objects.get(name="Editors"))
    client.force_login(nobody)
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("checkin:dashboard") not in response.content.decode()

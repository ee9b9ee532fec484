"""The import screens: organisers of the group (and the council) only; bad input never a 500."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.ics_import.models import ImportedEvent, PendingImport
from events.ics_import.parse import MAX_BYTES
from events.models import EventPage
from tests.factories import UserFactory

from .sample import SAMPLE

START = reverse("ics_import:start")
CONFIRM = reverse("ics_import:confirm")


@pytest.fixture(autouse=True)
def new_year():
    with time_machine.travel(datetime(2026, 1, 1, 9, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def group(make_group):
    return make_group(title="Northbridge Recovery Café", slug="recovery-cafe")


@pytest.fixture
def other_group(make_group):
    return make_group(title="Running club", slug="running-club")


@pytest.fixture
def organiser(client, group, make_organiser):
    user = make_organiser(group)
    client.force_login(user)
    return user


def upload(data=SAMPLE, name="cafe.ics"):
    return SimpleUploadedFile(name, data, content_type="text/calendar")


def preview(client, group, **data):
    data.setdefault("file", upload())
    return client.post(START, {"group": str(group.pk), **data})


def test_an_organiser_sees_the_form_with_their_own_groups_only(client, organiser, other_group):
    response = client.get(START)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Northbridge Recovery Café" in body and "Running club" not in body


def test_the_preview_shows_series_rules_changed_dates_one_offs_and_what_cannot_be_held(
    client, organiser, group
):
    hostile = SAMPLE.replace(
        b"END:VCALENDAR",
        b"BEGIN:VEVENT\r\nUID:spam@x\r\nSUMMARY:Every minute\r\n"
        b"DTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
    response = preview(client, group, file=upload(hostile))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 series and 1 one-off event" in body
    assert "Every Tuesday, 7 to 9pm" in body
    assert "Every other Saturday" in body
    assert "On the second Thursday of every month" in body
    assert "Not on: 7 April 2026" in body
    assert "Moved from Tuesday 31 March 2026 to Wednesday 1 April 2026, 6pm" in body
    assert "Cancelled on Tuesday 27 October 2026: The hall is closed for repairs." in body
    assert "All day" in body
    assert "What we cannot import" in body and "FREQ=MINUTELY" in body
    assert "every minute" in body
    assert not EventPage.objects.exists()  # nothing is made before confirming
    assert PendingImport.objects.count() == 1


def test_confirming_makes_drafts_and_a_second_import_makes_nothing_more(client, organiser, group):
    pending = preview(client, group).context["confirm"].initial["pending"]
    response = client.post(CONFIRM, {"pending": str(pending)})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[group.pk])
    assert EventPage.objects.child_of(group).count() == 4
    assert not EventPage.objects.filter(live=True).exists()
    assert not PendingImport.objects.exists()
    again = preview(client, group)
    assert "Already up to date" in again.content.decode()
    assert again.context["to_write"] == 0
    assert "There is nothing new to import." in again.content.decode()
    assert EventPage.objects.child_of(group).count() == 4


def test_import_by_address_from_a_server_allowed_by_setting(
    client, organiser, group, web, settings
):
    settings.ICS_IMPORT_ALLOW_LOOPBACK = True
    response = client.post(START, {"group": str(group.pk), "url": web.url("/cafe.ics")})
    assert response.status_code == 200
    assert "Recovery cafe" in response.content.decode()


def test_an_address_inside_the_network_is_refused_with_what_to_do(client, organiser, group, web):
    response = client.post(START, {"group": str(group.pk), "url": web.url("/cafe.ics")})
    assert response.status_code == 400
    assert "private network" in response.content.decode()
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"url": "file:///etc/passwd"}, "https://"),
        ({"url": "", "file": None}, "one of the two"),
        ({"file": "not-a-file"}, "one of the two"),
        ({"file": upload(b"<html>Sign in</html>")}, "not an iCalendar"),
        ({"file": upload(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n\xff")}, "could not read"),
        ({"file": upload(b"x" * (MAX_BYTES + 1))}, "larger than"),
        ({"group": "²"}, "Select a valid choice"),
        ({"group": "99999999999999999999999"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_clear_400_never_a_500(client, organiser, group, data, says):
    fields = {"group": str(group.pk), "file": upload(), **data}
    fields = {k: v for k, v in fields.items() if v is not None}
    response = client.post(START, fields)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not EventPage.objects.exists()


def test_thousands_of_events_are_refused(client, organiser, group):
    many = b"".join(
        b"BEGIN:VEVENT\r\nUID:%d\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n" % n
        for n in range(5000)
    )
    response = preview(client, group, file=upload(b"BEGIN:VCALENDAR\r\n" + many + b"END:VCALENDAR"))
    assert response.status_code == 400
    assert "at most 1000" in response.content.decode()


def test_an_organiser_of_another_group_is_refused(client, group, other_group, make_organiser):
    client.force_login(make_organiser(other_group))
    response = preview(client, group)
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_an_organiser_of_another_group_cannot_confirm_this_groups_import(
    client, organiser, group, other_group, make_organiser
):
    pending = preview(client, group).context["confirm"].initial["pending"]
    client.force_login(make_organiser(other_group))
    response = client.post(CONFIRM, {"pending": str(pending)})
    assert response.status_code == 403
    assert not EventPage.objects.exists() and not ImportedEvent.objects.exists()


def test_anonymous_and_participants_are_sent_to_log_in(client, group):
    # A participant holds a pass, not an account: the admin is closed to them as to anyone.
    for response in (client.get(START), preview(client, group), client.post(CONFIRM, {})):
        assert response.status_code == 302 and "login" in response["Location"]


def test_staff_who_organise_no_group_are_refused(client, group):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(START).status_code == 403
    assert preview(client, group).status_code == 403


def test_the_council_may_import_for_any_group(client, moderator, group):
    client.force_login(moderator)
    assert preview(client, group).status_code == 200


@pytest.mark.parametrize("pending", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_confirm_for_no_such_import_is_a_404(client, organiser, pending):
    assert client.post(CONFIRM, {"pending": pending}).status_code == 404


def test_the_menu_shows_the_import_to_organisers(client, organiser):
    assert START in client.get(reverse("wagtailadmin_home")).content.decode()

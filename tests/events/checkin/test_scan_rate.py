"""A runaway scanner is slowed down: CHECKIN_SCAN_RATE scans per organiser, then a clear 429."""

import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.checkin.models import Attendance, ScanLog
from tests.factories import PassFactory

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_a_minute(settings):
    settings.CHECKIN_SCAN_RATE = "3/m"


def scan(client, occurrence, organiser, token, *, ticket=True):
    headers = {"HTTP_X_SCANNER_TICKET": ticket_for(client, organiser, occurrence)}
    return client.post(
        reverse("checkin:scan_json", args=[occurrence.pk]),
        json.dumps({"code": token}),
        content_type="application/json",
        **(headers if ticket else {}),
    )


@pytest.mark.parametrize("ticket", [True, False], ids=["ticket", "session"])
def test_past_the_rate_an_organiser_is_told_to_wait_and_nothing_is_recorded(
    client, event, occurrence, organiser, outsider, other_group, ticket
):
    client.force_login(organiser)
    passes = [PassFactory() for _ in range(4)]
    answers = [scan(client, occurrence, organiser, p.token, ticket=ticket) for p in passes]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["outcome"] == "refused"
    assert "Please wait a minute" in refused.json()["message"]
    assert refused["Retry-After"] == "60"
    assert Attendance.objects.count() == ScanLog.objects.count() == 3
    # Failed scans count too, and so does any other code: the limit is on the organiser.
    assert scan(client, occurrence, organiser, "not a pass", ticket=ticket).status_code == 429
    # Another organiser scanning at the same door is not held back.
    event.partner_groups.add(other_group)
    event.save()
    client.force_login(outsider)
    assert scan(client, occurrence, outsider, passes[-1].token, ticket=ticket).status_code == 200
    # A minute later the first organiser scans again.
    client.force_login(organiser)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert scan(client, occurrence, organiser, "not a pass", ticket=ticket).status_code == 422


def test_the_plain_form_says_so_too(client, occurrence, organiser):
    client.force_login(organiser)
    url = reverse("checkin:scanner", args=[occurrence.pk])
    answers = [client.post(url, {"code": PassFactory().token}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Please wait a minute" in answers[-1].content.decode()
    assert Attendance.objects.count() == 3

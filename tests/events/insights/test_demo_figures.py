"""The demo city shows suppression at work: a quiet month is hidden, publicly and in the
dashboard, and loading the demo again changes nothing."""

import os

import pytest
from django.core.cache import cache
from django.core.management import call_command

from events.checkin.models import AnonymousCount, Attendance

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_demo_hides_a_quiet_month_and_loads_once(client, moderator):
    load_demo()
    snapshot = (Attendance.objects.count(), AnonymousCount.objects.count())
    load_demo()
    assert (Attendance.objects.count(), AnonymousCount.objects.count()) == snapshot

    cache.clear()
    numbers = client.get("/numbers/").context["numbers"]
    hidden = [m.month for m in numbers.months if m.attendances.suppressed]
    assert len(hidden) == 1  # the quiet month, three people
    assert numbers.participants.shown  # the rest of the city is large

    client.force_login(moderator)
    response = client.get("/admin/insights/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert hidden == [m.month for m in figures.months if m.mixed_attendances is None]
    assert figures.mixed_occurrences  # shown, from the other months
    assert b"Months left out of the mixed dates:" in response.content

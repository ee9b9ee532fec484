"""The demo's participants and attendance history: varied, deterministic, safe to re-run."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from events.checkin import demo
from events.checkin.models import AnonymousCount, Attendance, Participant, Pass
from tests.factories import OccurrenceFactory

pytestmark = pytest.mark.django_db


def weekly_past_dates(event, weeks=16):
    start = timezone.now() - timedelta(days=3)
    return [OccurrenceFactory(event=event, start=start - timedelta(weeks=w)) for w in range(weeks)]


def test_demo_copes_with_no_dates_and_adds_nothing_twice():
    demo.load()
    demo.load()
    assert Participant.objects.count() == demo.PARTICIPANTS
    assert Pass.objects.active().count() == demo.PARTICIPANTS
    assert not Attendance.objects.exists()


def test_demo_history_has_regulars_bridges_and_anonymous_counts(event, other_event):
    weekly_past_dates(event)
    weekly_past_dates(other_event)
    demo.load()
    snapshot = (Attendance.objects.count(), AnonymousCount.objects.count())
    demo.load()
    assert (Attendance.objects.count(), AnonymousCount.objects.count()) == snapshot
    assert snapshot[0] > 200 and snapshot[1] > 10
    per_person = Participant.objects.annotate(
        dates=Count("attendances", distinct=True),
        groups=Count("attendances__occurrence__event__group", distinct=True),
    )
    assert per_person.filter(dates__gte=8).exists()  # regulars
    assert per_person.filter(groups=2).exists()  # bridging two groups
    assert Participant.objects.filter(roles_consent_at__isnull=False, roles__isnull=False).exists()
    assert not Participant.objects.filter(
        roles_consent_at__isnull=True, roles__isnull=False
    ).exists()

"""After the retention period, identities go and counts stay."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from events.checkin.models import AnonymousCount, Participant
from events.checkin.services import checkin_record
from tests.factories import PassFactory

pytestmark = pytest.mark.django_db


@override_settings(CHECKIN_RETENTION_DAYS=365)
def test_people_not_seen_for_the_retention_period_are_erased(occurrence, organiser, held_pass):
    checkin_record(occurrence=occurrence, token=held_pass.token, scanned_by=organiser)
    newcomer = PassFactory(participant__nickname="New")
    with time_machine.travel(timezone.now() + timedelta(days=300)):
        call_command("purge_inactive_participants", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert Participant.objects.count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        fresh = PassFactory(participant__nickname="Fresh")
        call_command("purge_inactive_participants", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Participant.objects.all()) == [fresh.participant]
    assert AnonymousCount.objects.get().occurrence == occurrence
    assert not Participant.objects.filter(pk=newcomer.participant_id).exists()

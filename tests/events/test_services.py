"""Storing an event's dates: identity, one-date changes, attendance that must survive."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from events.models import Occurrence, OccurrenceChange
from events.services import occurrences_regenerate, occurrences_roll_on

NOW = "2026-03-20 12:00 +00:00"


@pytest.fixture
def group(make_group):
    return make_group(title="Forward Strides", slug="forward-strides")


def starts(event, **filters):
    return [
        o.start.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        for o in Occurrence.objects.filter(event=event, **filters).order_by("start")
    ]


@time_machine.travel(NOW, tick=False)
def test_publishing_stores_dates_from_the_start_to_the_horizon(group, make_event):
    event = make_event(group)
    dates = starts(event)
    assert dates[0] == "2026-01-06 19:00"
    assert "2026-03-31 18:00" in dates  # 19:00 BST
    last = Occurrence.objects.filter(event=event).latest("start").start
    assert datetime(2027, 8, 1, tzinfo=UTC) < last < datetime(2027, 9, 30, tzinfo=UTC)
    assert event.schedule_sequence == 0 and event.schedule_fingerprint


@time_machine.travel(NOW, tick=False)
def test_regenerating_again_changes_nothing(group, make_event):
    event = make_event(group)
    before = {o.pk: o.start for o in Occurrence.objects.filter(event=event)}
    result = occurrences_regenerate(event=event)
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert {o.pk: o.start for o in Occurrence.objects.filter(event=event)} == before
    assert event.schedule_sequence == 0


@time_machine.travel(NOW, tick=False)
def test_changing_the_schedule_keeps_identity_and_leaves_history_alone(group, make_event):
    event = make_event(group)
    past = Occurrence.objects.get(event=event, start__date=date(2026, 3, 17))
    kept = Occurrence.objects.get(event=event, start__date=date(2026, 3, 24))
    event.start_time = time(18, 30)
    event.save_revision().publish()
    event.refresh_from_db()
    kept.refresh_from_db()
    past.refresh_from_db()
    assert past.start.astimezone(UTC).hour == 19  # history is not rewritten
    # Same identity (original start), new time: 18:30 GMT on 24 March.
    assert kept.start == datetime(2026, 3, 24, 18, 30, tzinfo=UTC)
    assert event.schedule_sequence == 1


@time_machine.travel(NOW, tick=False)
def test_one_date_changes_survive_regeneration(group, make_event):
    event = make_event(group)
    OccurrenceChange.objects.create(
        page=event, original_date=date(2026, 3, 24), status="cancelled", note="Storm warning."
    )
    occurrences_regenerate(event=event)
    occurrences_regenerate(event=event)
    occurrence = Occurrence.objects.get(event=event, original_start__date=date(2026, 3, 24))
    assert occurrence.status == "cancelled"
    assert occurrence.note == "Storm warning."
    assert Occurrence.objects.filter(event=event, status="cancelled").count() == 1
    event.refresh_from_db()
    assert event.schedule_sequence == 1  # a change to one date is a change for feeds


@time_machine.travel(NOW, tick=False)
def test_a_date_dropped_from_the_schedule_is_deleted_unless_attendance_hangs_on_it(
    group, make_event
):
    from events.checkin.models import AnonymousCount

    event = make_event(group)
    attended = Occurrence.objects.get(event=event, start__date=date(2026, 3, 24))
    AnonymousCount.objects.create(occurrence=attended, source="door")
    empty = Occurrence.objects.get(event=event, start__date=date(2026, 3, 31))
    event.weekdays = "WE"  # the group moves to Wednesdays
    event.save_revision().publish()
    result_ids = set(Occurrence.objects.filter(event=event).values_list("pk", flat=True))
    assert attended.pk in result_ids
    assert empty.pk not in result_ids
    attended.refresh_from_db()
    assert attended.in_schedule is False
    assert attended.anonymous_counts.count() == 1
    # It no longer shows as an upcoming date.
    assert attended not in Occurrence.objects.visible()


@time_machine.travel(NOW, tick=False)
def test_a_date_put_back_in_the_schedule_is_the_same_occurrence(group, make_event):
    from events.checkin.models import AnonymousCount

    event = make_event(group)
    attended = Occurrence.objects.get(event=event, start__date=date(2026, 3, 24))
    AnonymousCount.objects.create(occurrence=attended, source="door")
    event.excluded_dates = "2026-03-24"
    event.save_revision().publish()
    attended.refresh_from_db()
    assert attended.in_schedule is False
    event.excluded_dates = ""
    event.save_revision().publish()
    attended.refresh_from_db()
    assert attended.in_schedule is True


def test_roll_on_extends_the_horizon(group, make_event):
    with time_machine.travel(NOW, tick=False):
        event = make_event(group)
    last = Occurrence.objects.filter(event=event).latest("start").start
    with time_machine.travel("2026-09-20 12:00 +00:00", tick=False):
        assert occurrences_roll_on() == 1
    assert Occurrence.objects.filter(event=event).latest("start").start > last


@time_machine.travel(NOW, tick=False)
def test_unpublished_drafts_store_no_dates(group):
    from tests.factories import EventPageFactory

    event = EventPageFactory(parent=group, live=False)
    event.save_revision()
    assert not Occurrence.objects.filter(event=event).exists()


def test_the_daily_command_rolls_every_live_event_on(group, make_event):
    from io import StringIO

    from django.core.management import call_command

    with time_machine.travel(NOW, tick=False):
        make_event(group)
        make_event(group)
    out = StringIO()
    with time_machine.travel("2026-12-01 12:00 +00:00", tick=False):
        call_command("materialise_occurrences", stdout=out)
    assert "Dates stored for 2 events." in out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_an_event_with_attendance_cannot_be_deleted_in_the_admin(admin_client, group, make_event):
    from django.urls import reverse

    from events.checkin.models import AnonymousCount
    from events.models import EventPage

    event = make_event(group)
    AnonymousCount.objects.create(
        occurrence=Occurrence.objects.filter(event=event).first(), source="door"
    )
    for target in (event, group):
        url = reverse("wagtailadmin_pages:delete", args=[target.pk])
        response = admin_client.post(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[target.pk])
    assert EventPage.objects.filter(pk=event.pk).exists()
    other = make_event(group, title="Unattended", slug="unattended")
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[other.pk]))
    assert not EventPage.objects.filter(pk=other.pk).exists()

"""The event editor: impossible schedules are refused clearly; the summary is shown."""

import pytest
import time_machine
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventPage, Occurrence

NOW = "2026-03-20 12:00 +00:00"


def event_form(**changes):
    data = {
        "title": "Tuesday run",
        "slug": "tuesday-run",
        "summary": "A gentle run.",
        "description": streamfield([]),
        "start_date": "2026-04-07",
        "start_time": "19:00",
        "end_time": "21:00",
        "duration_days": "0",
        "frequency": "weekly",
        "interval": "1",
        "weekdays": ["TU"],
        "monthly_mode": "day",
        "monthly_nth": "1",
        "ends": "never",
        "until": "",
        "count": "",
        "extra_dates": "",
        "excluded_dates": "",
        "is_free": "on",
        "cost": "",
        "open_to": "everyone",
        "alcohol_free": "on",
        "occurrence_changes": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(changes)
    weekdays = data.pop("weekdays")
    return {**nested_form_data(data), "weekdays": weekdays}


@pytest.fixture
def group(make_group):
    return make_group(title="Forward Strides", slug="forward-strides")


def add_url(group):
    return reverse("wagtailadmin_pages:add", args=["events", "eventpage", group.pk])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_time": "21:00", "end_time": "19:00"}, "The event ends before it starts"),
        ({"ends": "on_date", "until": "2026-03-01"}, "The series ends before it starts"),
        (
            {"ends": "on_date", "until": "2026-04-06", "start_date": "2026-04-01"},
            "These settings give no dates at all",
        ),
        ({"excluded_dates": "07/04/2026", "frequency": "once"}, "These settings give no dates"),
        ({"frequency": "daily", "duration_days": "3"}, "Each date would run into the next"),
        ({"interval": "500"}, "from 1 to 52"),
        ({"ends": "after_count", "count": "5000"}, "from 1 to 500"),
        ({"ends": "on_date", "until": ""}, "Please give the last date"),
        ({"extra_dates": "next tuesday"}, "is not a date"),
        ({"is_free": "", "cost": ""}, "Please say what it costs"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_admin_refuses_impossible_schedules_with_a_clear_message(
    admin_client, group, changes, message
):
    response = admin_client.post(add_url(group), event_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EventPage.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_admin_saves_a_good_schedule_and_shows_the_summary(admin_client, group):
    response = admin_client.post(
        add_url(group),
        event_form(**{"excluded_dates": "14/04/2026\n2026-04-21", "action-publish": "1"}),
    )
    assert response.status_code == 302
    event = EventPage.objects.get()
    assert event.excluded_dates == "2026-04-14\n2026-04-21"
    assert event.group_id == group.pk
    assert Occurrence.objects.filter(event=event).exists()
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    html = edit.content.decode()
    assert "Every Tuesday, 7 to 9pm, from 7 April; not on 14 April and 21 April" in html
    assert "14/04/2026" in html


@time_machine.travel(NOW, tick=False)
def test_organiser_cancels_one_date_from_the_editor(client, group, make_organiser, make_event):
    event = make_event(group, title="Tuesday run", slug="tuesday-run", start_date="2026-04-07")
    organiser = make_organiser(group)
    client.force_login(organiser)
    change = {
        "original_date": "2026-04-14",
        "status": "cancelled",
        "note": "The park is closed.",
        "new_date": "",
        "new_start_time": "",
        "new_end_time": "",
        "new_venue": "",
    }
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[event.pk]),
        event_form(occurrence_changes=inline_formset([change]), **{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    # Submitted for moderation: nothing changes until the council approves.
    assert not Occurrence.objects.filter(event=event, status="cancelled").exists()
    event.refresh_from_db()
    event.get_latest_revision().publish()
    cancelled = Occurrence.objects.get(event=event, status="cancelled")
    assert cancelled.note == "The park is closed."
    assert Occurrence.objects.filter(event=event, status="scheduled").count() > 50


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"original_date": "2026-04-15", "status": "cancelled", "note": "Closed."},
            "is not one of this event",
        ),
        ({"original_date": "2026-04-14", "status": "cancelled", "note": ""}, "Please say why"),
        ({"original_date": "2026-04-14", "status": "moved", "note": ""}, "To move a date"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_admin_refuses_a_bad_change_to_one_date(admin_client, group, change, message):
    full = {"new_date": "", "new_start_time": "", "new_end_time": "", "new_venue": "", **change}
    response = admin_client.post(
        add_url(group), event_form(occurrence_changes=inline_formset([full]))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EventPage.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_organiser_cannot_edit_another_groups_event(client, make_group, make_organiser, make_event):
    ours = make_group(title="Ours", slug="ours")
    theirs = make_group(title="Theirs", slug="theirs")
    event = make_event(theirs, title="Their event", slug="their-event")
    client.force_login(make_organiser(ours))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert response.status_code in (302, 403)


@time_machine.travel(NOW, tick=False)
def test_organiser_adds_an_event_that_waits_for_the_council(client, group, make_organiser):
    client.force_login(make_organiser(group))
    form = client.get(add_url(group))
    assert form.status_code == 200
    assert "Changes to one date" in form.content.decode()
    response = client.post(add_url(group), event_form(**{"action-submit": "1"}))
    assert response.status_code == 302
    event = EventPage.objects.get()
    assert event.live is False
    assert not Occurrence.objects.filter(event=event).exists()

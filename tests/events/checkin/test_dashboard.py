"""The Attendance page: today's dates first, then coming, then earlier, each with its count."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.checkin.models import AnonymousCount, Attendance
from tests.factories import OccurrenceFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(datetime(2026, 3, 10, 12, 0))


@pytest.fixture
def dates(event, other_event):
    def at(hours, which=event):
        start = NOON + timedelta(hours=hours)
        return OccurrenceFactory(event=which, start=start, end=start + timedelta(hours=2))

    made = {
        "today_evening": at(7),
        "today_morning": at(-3),
        "tomorrow": at(24),
        "next_week": at(24 * 7),
        "yesterday": at(-24),
        "last_week": at(-24 * 7),
        "long_ago": at(-24 * 60),
        "theirs": at(1, other_event),
    }
    for _ in range(3):
        Attendance.objects.create(
            occurrence=made["today_morning"], participant=ParticipantFactory(), method="scan"
        )
    AnonymousCount.objects.create(occurrence=made["today_morning"], source="door")
    return made


def order(body, section):
    part = body.split(f'data-dates="{section}"', 1)[1].split("</ul>", 1)[0]
    return [int(piece.split('"', 1)[0]) for piece in part.split('data-occurrence="')[1:]]


def test_dates_are_in_time_order_with_todays_first(
    client, organiser, dates, django_assert_num_queries
):
    client.force_login(organiser)
    with time_machine.travel(NOON, tick=False):
        client.get(reverse("checkin:dashboard"))  # the site's settings are made the first time
        # Session, user, council?, the dates with their counts, and the page's own: the
        # site, its settings, the menu, the user bar's permissions (2) and profile (2).
        with django_assert_num_queries(11):
            response = client.get(reverse("checkin:dashboard"))
    body = response.content.decode()
    pk = {name: occurrence.pk for name, occurrence in dates.items()}
    assert order(body, "today") == [pk["today_morning"], pk["today_evening"]]
    assert order(body, "coming") == [pk["tomorrow"], pk["next_week"]]
    assert order(body, "earlier") == [pk["yesterday"], pk["last_week"]]
    assert body.index('data-dates="today"') < body.index('data-dates="coming"')
    assert f'data-occurrence="{pk["theirs"]}"' not in body  # another group's
    assert f'data-occurrence="{pk["long_ago"]}"' not in body
    assert "4 people came" in body and "(1 with no record)" in body
    for name in ("scanner", "attendance", "attendance_csv"):
        assert reverse(f"checkin:{name}", args=[pk["today_morning"]]) in body
    assert ">Scan<" in body and ">Who came<" in body and ">CSV<" in body


def test_the_query_count_does_not_grow_with_the_dates(
    client, organiser, event, dates, django_assert_num_queries
):
    for days in range(1, 10):
        OccurrenceFactory(event=event, start=NOON + timedelta(days=days, hours=1))
    client.force_login(organiser)
    with time_machine.travel(NOON, tick=False):
        client.get(reverse("checkin:dashboard"))
        with django_assert_num_queries(11):
            body = client.get(reverse("checkin:dashboard")).content.decode()
    assert body.count("data-occurrence=") == 6 + 9


def test_an_organiser_without_dates_is_told_so(client, organiser):
    client.force_login(organiser)
    assert "There are no dates to show" in client.get(reverse("checkin:dashboard")).content.decode()


def test_counts_are_not_shown_to_someone_who_is_not_logged_in(client, dates):
    response = client.get(reverse("checkin:dashboard"))
    assert response.status_code == 302
    assert "people came" not in response.content.decode()

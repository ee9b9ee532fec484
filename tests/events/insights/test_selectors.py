"""The selector fetches the right rows in a fixed number of queries."""

from datetime import date

import pytest

from events.checkin.models import Attendance
from events.insights.figures import RECOVERY, compute
from events.insights.selectors import period_dataset
from tests.factories import OccurrenceFactory, ParticipantFactory

from .conftest import at

SPRING = (date(2025, 3, 1), date(2025, 5, 31))


@pytest.mark.django_db
def test_rows_for_a_period(small_city):
    dates, people, groups = small_city["dates"], small_city["people"], small_city["groups"]
    data = period_dataset(*SPRING)
    rows = {o.id: o for o in data.occurrences}
    # Cancelled dates and dates outside the period are left out.
    assert set(rows) == {dates["d1"].pk, dates["d2"].pk, dates["d3"].pk}
    assert rows[dates["d1"].pk].day == date(2025, 3, 4)
    assert rows[dates["d1"].pk].host_group_id == groups["cafe"].pk
    assert not rows[dates["d1"].pk].civic
    assert rows[dates["d3"].pk].cohost_group_ids == (groups["probation"].pk,)
    assert rows[dates["d3"].pk].civic
    assert sorted(data.attendances) == sorted(
        [
            (people["robin"].pk, dates["d1"].pk),
            (people["robin"].pk, dates["d2"].pk),
            (people["sasha"].pk, dates["d1"].pk),
            (people["kim"].pk, dates["d3"].pk),
        ]
    )
    assert data.anonymous == {dates["d1"].pk: 2, dates["d3"].pk: 1}
    # Only consented roles count.
    assert data.communities == {people["robin"].pk: RECOVERY}
    assert data.seen_before == {people["robin"].pk}


@pytest.mark.django_db
def test_seen_before_is_per_group(small_city):
    groups, people = small_city["groups"], small_city["people"]
    assert period_dataset(*SPRING, group_id=groups["cafe"].pk).seen_before == {people["robin"].pk}
    assert period_dataset(*SPRING, group_id=groups["run"].pk).seen_before == frozenset()


@pytest.mark.django_db
def test_dates_still_to_come_are_not_counted(small_city):
    dates = small_city["dates"]
    data = period_dataset(*SPRING, now=at(date(2025, 3, 12)))
    assert {o.id for o in data.occurrences} == {dates["d1"].pk, dates["d2"].pk}


@pytest.mark.django_db
def test_figures_from_the_database(small_city):
    figures = compute(period_dataset(*SPRING))
    assert (figures.events, figures.occurrences) == (2, 3)
    assert (figures.attendances_with_pass, figures.attendances_anonymous) == (4, 3)
    assert (figures.participants, figures.new_participants) == (3, 2)
    assert figures.civic_events == 1
    assert figures.cohosted_events == 1
    assert figures.met_civic == 1


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(small_city, django_assert_num_queries):
    with django_assert_num_queries(7):
        period_dataset(*SPRING)
    coffee = small_city["events"]["coffee"]
    for week in range(8):
        occurrence = OccurrenceFactory(
            event=coffee, start=at(date(2025, 4, 7 + week % 3), 10 + week)
        )
        for _ in range(5):
            Attendance.objects.create(
                participant=ParticipantFactory(), occurrence=occurrence, method="scan"
            )
    with django_assert_num_queries(7):
        data = period_dataset(*SPRING)
    assert len(data.attendances) == 4 + 40

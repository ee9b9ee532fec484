"""The figures on hand-built rows whose answers are worked out by hand (no database)."""

from datetime import date

import pytest

from events.insights.figures import (
    PROFESSIONAL,
    RECOVERY,
    WIDER,
    Dataset,
    OccurrenceRow,
    compute,
    months_between,
    people_floor,
)

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def city() -> Dataset:
    """Three groups (30 is a civic partner) and four people.

    e1 is group 10's (three dates), e2 is group 20's co-hosted with 30, e3 is group 30's.
    Person 1 (recovery) comes to all of e1; 2 (wider community) to e1 once and e2;
    3 (a professional) to e2 and e3; 4 (no roles recorded, came before) to e3.
    """
    return Dataset(
        start=JAN,
        end=date(2026, 3, 31),
        occurrences=[
            OccurrenceRow(1, 101, date(2026, 1, 5), 10),
            OccurrenceRow(2, 101, date(2026, 1, 12), 10),
            OccurrenceRow(3, 101, date(2026, 2, 2), 10),
            OccurrenceRow(4, 102, date(2026, 2, 9), 20, (30,), civic=True),
            OccurrenceRow(5, 103, date(2026, 3, 1), 30, civic=True),
        ],
        attendances=[(1, 1), (1, 2), (1, 3), (2, 1), (2, 4), (3, 4), (3, 5), (4, 5)],
        anonymous={1: 2, 5: 1},
        communities={1: RECOVERY, 2: WIDER, 3: PROFESSIONAL},
        seen_before={4},
    )


CITY_FIGURES = [
    ("events", 3),
    ("occurrences", 5),
    ("attendances_with_pass", 8),
    ("attendances_anonymous", 3),
    ("attendances", 11),
    ("participants", 4),
    ("new_participants", 3),
    ("returning_participants", 4),
    ("same_group_returners", 2),
    ("usual_core", 0),
    ("multi_group_participants", 2),
    ("cohosted_events", 1),
    ("mixed_occurrences", 1),
    ("mixed_events", 1),
    ("mixed_attendances", 4),
    ("civic_events", 2),
    ("civic_occurrences", 2),
    ("met_civic", 2),
    ("people_floor", 4),
    ("mixed_people_floor", 4),
    ("civic_people_floor", 3),
    ("anonymous_people_floor", 2),
    ("network", {(10, 20): 1, (10, 30): 1, (20, 30): 2}),
]


@pytest.mark.parametrize(("name", "expected"), CITY_FIGURES)
def test_city_figures(name, expected):
    assert getattr(compute(city()), name) == expected


GROUP_30_FIGURES = [
    ("events", 2),
    ("occurrences", 2),
    ("attendances_with_pass", 4),
    ("attendances", 5),
    ("participants", 3),
    ("new_participants", 2),
    ("returning_participants", 2),
    ("multi_group_participants", 2),
    ("cohosted_events", 1),
    ("mixed_occurrences", 0),
    ("civic_events", 2),
    ("met_civic", 2),
    ("usual_core", 0),
    # Only the group's own links, to the groups its people also went to.
    ("network", {(10, 30): 1, (20, 30): 2}),
]


@pytest.mark.parametrize(("name", "expected"), GROUP_30_FIGURES)
def test_one_groups_figures(name, expected):
    assert getattr(compute(city(), group_id=30), name) == expected


def test_mixed_share_counts_anonymous_people_at_mixed_dates():
    assert compute(city()).mixed_share == pytest.approx(4 / 11)


def test_groups_connected_by_at_least_so_many_people():
    figures = compute(city())
    assert figures.groups_connected() == 3
    assert figures.groups_connected(2) == 2
    assert figures.connections(2) == 1


@pytest.mark.parametrize(
    ("group", "occurrences", "attendances", "participants", "core"),
    [(10, 3, 6, 2, 1), (20, 1, 2, 2, 0), (30, 2, 5, 3, 0)],
)
def test_group_by_group(group, occurrences, attendances, participants, core):
    stats = compute(city()).groups[group]
    assert (stats.occurrences, stats.attendances, stats.participants, stats.regular_core) == (
        occurrences,
        attendances,
        participants,
        core,
    )


@pytest.mark.parametrize(
    ("month", "occurrences", "attendances", "anonymous", "participants", "new"),
    [(JAN, 2, 5, 2, 2, 2), (FEB, 2, 3, 0, 3, 1), (MAR, 1, 3, 1, 2, 0)],
)
def test_month_by_month(month, occurrences, attendances, anonymous, participants, new):
    months = {m.month: m for m in compute(city()).months}
    m = months[month]
    assert (m.occurrences, m.attendances, m.anonymous, m.participants, m.new_participants) == (
        occurrences,
        attendances,
        anonymous,
        participants,
        new,
    )


def test_a_period_with_no_events_gives_zeros_and_every_month():
    figures = compute(Dataset(start=JAN, end=date(2026, 3, 15)))
    assert (figures.events, figures.occurrences, figures.attendances, figures.participants) == (
        0,
        0,
        0,
        0,
    )
    assert figures.mixed_share is None
    assert figures.usual_core == 0
    assert figures.network == {}
    assert [m.month for m in figures.months] == [JAN, FEB, MAR]
    assert all(m.attendances == 0 and m.mixed_share is None for m in figures.months)


def test_one_person_at_one_date():
    data = Dataset(
        start=JAN,
        end=JAN,
        occurrences=[OccurrenceRow(1, 101, date(2026, 1, 5), 10)],
        attendances=[(7, 1)],
        communities={7: RECOVERY},
    )
    figures = compute(data)
    assert (figures.participants, figures.new_participants, figures.returning_participants) == (
        1,
        1,
        0,
    )
    assert figures.attendances == 1
    assert figures.mixed_occurrences == 0
    assert figures.people_floor == 1
    assert figures.usual_core == 0


def test_anonymous_counts_only():
    data = Dataset(
        start=JAN,
        end=JAN,
        occurrences=[
            OccurrenceRow(1, 101, date(2026, 1, 5), 10),
            OccurrenceRow(2, 101, date(2026, 1, 12), 10),
        ],
        anonymous={1: 4, 2: 3},
    )
    figures = compute(data)
    assert figures.attendances == 7
    assert figures.attendances_with_pass == 0
    assert figures.participants == 0
    # The same four people may have come back: at least four, not seven.
    assert figures.people_floor == 4
    assert figures.anonymous_people_floor == 4
    assert figures.months[0].attendances == 7


def test_the_regular_core_is_three_dates_or_more():
    dates = [OccurrenceRow(i, 101, date(2026, 1, i), 10) for i in range(1, 5)]
    # Person 1 came four times, 2 three times, 3 twice.
    visits = [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3), (3, 1), (3, 4)]
    figures = compute(Dataset(start=JAN, end=JAN, occurrences=dates, attendances=visits))
    assert figures.groups[10].regular_core == 2
    assert figures.usual_core == 2
    assert figures.same_group_returners == 3


def test_usual_core_is_the_median_over_groups():
    dates = [
        OccurrenceRow(10 * g + i, 100 + g, date(2026, 1, i), g)
        for g in (1, 2, 3)
        for i in (1, 2, 3)
    ]
    # Group 1: core of 3; group 2: 1; group 3: 0.
    visits = [(p, 10 + i) for p in (1, 2, 3) for i in (1, 2, 3)]
    visits += [(4, 20 + i) for i in (1, 2, 3)] + [(5, 31)]
    figures = compute(Dataset(start=JAN, end=JAN, occurrences=dates, attendances=visits))
    assert [figures.groups[g].regular_core for g in (1, 2, 3)] == [3, 1, 0]
    assert figures.usual_core == 1


def test_a_host_listed_as_its_own_cohost_counts_once():
    row = OccurrenceRow(1, 101, date(2026, 1, 5), 10, (10, 20))
    assert row.group_ids == (10, 20)


def test_attendance_at_a_date_outside_the_rows_is_ignored():
    data = Dataset(
        start=JAN,
        end=JAN,
        occurrences=[OccurrenceRow(1, 101, date(2026, 1, 5), 10)],
        attendances=[(1, 1), (1, 99)],
    )
    assert compute(data).attendances_with_pass == 1


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 31), date(2026, 1, 1), []),
        (date(2025, 11, 15), date(2026, 2, 1), [date(2025, 11, 1), date(2025, 12, 1), JAN, FEB]),
        (JAN, JAN, [JAN]),
    ],
)
def test_months_between(start, end, expected):
    assert months_between(start, end) == expected


@pytest.mark.parametrize(
    ("participants", "headcounts", "expected"),
    [(0, [], 0), (3, [1, 2], 3), (1, [6, 2], 6), (0, [0], 0)],
)
def test_people_floor(participants, headcounts, expected):
    assert people_floor(participants, headcounts) == expected

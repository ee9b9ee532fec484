"""Small numbers are hidden, and so is whatever would let someone work them out."""

from dataclasses import fields
from datetime import date

import pytest

from events.insights import charts
from events.insights.figures import RECOVERY, WIDER, Dataset, OccurrenceRow, compute
from events.insights.public import city_numbers
from events.insights.suppression import (
    Cell,
    cell,
    count_cell,
    protect,
    rounded,
    table,
    too_few,
)
from tests.events.insights.test_figures import city


@pytest.mark.parametrize(
    ("base", "threshold", "hidden"),
    [(0, 5, False), (1, 5, True), (4, 5, True), (5, 5, False), (6, 5, False), (9, 10, True)],
)
def test_too_few(base, threshold, hidden):
    assert too_few(base, threshold) is hidden


def test_a_zero_reveals_no_one_and_is_shown():
    assert cell(0, 0, 5) == Cell(value=0, base=0)


def test_a_count_of_three_people_is_hidden():
    assert count_cell(3, 5) == Cell(value=None, base=3, suppressed=True)


def test_a_figure_about_many_events_from_few_people_is_hidden():
    assert cell(40, 3, 5).suppressed


def values(cells):
    return [c.value for c in cells]


@pytest.mark.parametrize(
    ("parts", "total_base", "expected_parts", "expected_total"),
    [
        # Nothing small: all shown.
        ([(10, 10), (20, 20)], 30, [10, 20], 30),
        # One small part: the smallest other part goes too, the total stays.
        ([(10, 10), (3, 3)], 13, [None, None], 13),
        ([(10, 10), (20, 20), (3, 3)], 33, [None, 20, None], 33),
        # Two small parts already hide each other.
        ([(2, 2), (3, 3), (40, 40)], 45, [None, None, 40], 45),
        # The only other part is zero, which hides nothing: the total goes instead.
        ([(3, 3), (0, 0)], 6, [None, 0], None),
        # The total itself built from too few: hidden with its parts.
        ([(3, 3), (0, 0)], 3, [None, 0], None),
        ([(4, 4)], 4, [None], None),
        # Zeros everywhere: nothing to protect.
        ([(0, 0), (0, 0)], 0, [0, 0], 0),
    ],
)
def test_table_with_secondary_suppression(parts, total_base, expected_parts, expected_total):
    cells, total = table(parts, total_base, 5)
    assert values(cells) == expected_parts
    assert total.value == expected_total


def test_no_hidden_part_can_be_worked_out_from_the_total():
    cells, total = table([(12, 12), (7, 7), (2, 2), (30, 30)], 51, 5)
    hidden = [c for c in cells if c.suppressed]
    assert total.shown
    assert len(hidden) != 1


def test_city_numbers_of_four_people_hide_people_counts():
    numbers = city_numbers(
        compute(city()), start=date(2026, 1, 1), end=date(2026, 3, 31), threshold=5
    )
    assert numbers.participants.suppressed
    assert numbers.attendances.suppressed
    assert numbers.attendances_with_pass.suppressed
    assert numbers.attendances_anonymous.suppressed
    assert numbers.events.suppressed  # three events, but from only four people
    assert numbers.met_civic.suppressed


def protected(data, threshold):
    return protect(compute(data), data, threshold=threshold)


def test_city_numbers_with_a_low_threshold_show_them_rounded():
    numbers = city_numbers(
        protected(city(), 2), start=date(2026, 1, 1), end=date(2026, 3, 31), threshold=2
    )
    # Counts of people and attendances to the nearest 5: 4, 11, 8, 3.
    assert numbers.participants.value == 5
    assert numbers.attendances.value == 10
    assert numbers.attendances_with_pass.value == 10
    assert numbers.attendances_anonymous.value == 5
    # January's mixed date only (February and March had none, so theirs are hidden): 4
    # attendances, rounded to 5, of 10 (rounded): the share comes from rounded counts.
    assert numbers.mixed_share.value == 50
    # Links of one shared person are never published; group 20 and 30 share two.
    assert numbers.groups_connected.value == 2
    assert numbers.connections.value == 1
    assert numbers.multi_group_participants.value == 0  # two, rounded
    assert numbers.events.value == 3  # events are public knowledge: exact


@pytest.mark.parametrize(
    ("value", "published"), [(0, 0), (1, 0), (2, 0), (3, 5), (7, 5), (8, 10), (12, 10), (13, 15)]
)
def test_rounded_to_the_nearest_five(value, published):
    assert rounded(value) == published


def test_monthly_figures_hide_a_small_month_and_round_the_rest():
    rows = [OccurrenceRow(m, 100, date(2026, m, 3), 10) for m in (1, 2, 3)]
    # Twenty people in January, ten in February, two in March.
    visits = [(p, 1) for p in range(20)] + [(p, 2) for p in range(10)] + [(p, 3) for p in (0, 1)]
    figures = compute(
        Dataset(start=date(2026, 1, 1), end=date(2026, 3, 31), occurrences=rows, attendances=visits)
    )
    numbers = city_numbers(figures, start=date(2026, 1, 1), end=date(2026, 3, 31), threshold=5)
    # March (two people) is hidden; no second month needs to be: with every figure rounded,
    # the total less the months shown leaves March anywhere from 1 to 6.
    assert [m.attendances.value for m in numbers.months] == [20, 10, None]
    assert numbers.months_total.value == 30


def test_city_numbers_hold_no_names_or_ids_of_people():
    numbers = city_numbers(
        compute(city()), start=date(2026, 1, 1), end=date(2026, 3, 31), threshold=2
    )
    names = {f.name for f in fields(numbers)}
    assert not names & {"network", "participant_ids", "nicknames", "groups"}
    assert all(isinstance(getattr(numbers, n), Cell) for n in names if n.endswith("participants"))


def test_no_events_shows_zeros_not_stars():
    figures = compute(Dataset(start=date(2026, 1, 1), end=date(2026, 1, 31)))
    numbers = city_numbers(figures, start=date(2026, 1, 1), end=date(2026, 1, 31), threshold=5)
    assert numbers.events.value == 0
    assert numbers.attendances.value == 0
    assert not numbers.anything_happened


def test_bar_chart_scales_to_the_biggest_and_marks_hidden_bars():
    chart = charts.bar_chart([("Jan", 10), ("Feb", 5), ("Mar", None), ("Apr", 0)])
    heights = [b.height for b in chart.bars]
    assert heights[0] == charts.CHART_HEIGHT
    assert heights[1] == charts.CHART_HEIGHT / 2
    assert chart.bars[2].value is None and heights[2] > 0
    assert heights[3] == 0
    assert all(b.y + b.height == chart.baseline for b in chart.bars)


def test_network_picture_puts_groups_on_a_circle_with_weighted_links():
    picture = charts.network_picture(
        [(1, "A", 10), (2, "B", 5), (3, "C", 1), (4, "D", 0)], {(1, 2): 4, (2, 3): 1, (1, 9): 3}
    )
    assert len(picture.nodes) == 4
    centre = picture.size / 2
    radii = {round(((n.x - centre) ** 2 + (n.y - centre) ** 2) ** 0.5) for n in picture.nodes}
    assert len(radii) == 1
    # The link to a group not drawn is left out; the strongest is the widest.
    assert [(e.a, e.b, e.shared) for e in picture.edges] == [("B", "C", 1), ("A", "B", 4)]
    assert picture.edges[-1].width == 10


def test_network_svg_escapes_group_names_and_has_no_style():
    picture = charts.network_picture(
        [(1, "<script>alert(1)</script>", 3), (2, "Tea & Talk", 2)], {(1, 2): 2}
    )
    svg = charts.network_svg(picture, title="Groups", description="Links")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "Tea &amp; Talk" in svg
    assert "style=" not in svg
    assert svg.count("<line ") == 1 and svg.count("<circle ") == 2


def month_of_people(oid, day, group, people):
    """One date and who came to it."""
    return OccurrenceRow(oid, 100 + group, day, group), [(p, oid) for p in people]


def dataset(*dates, communities=None):
    rows = [row for row, _visits in dates]
    visits = [v for _row, vs in dates for v in vs]
    return Dataset(
        start=date(2026, 1, 1),
        end=date(2026, 2, 28),
        occurrences=rows,
        attendances=visits,
        communities=communities or {},
    )


JAN5, JAN6, FEB3, FEB4 = date(2026, 1, 5), date(2026, 1, 6), date(2026, 2, 3), date(2026, 2, 4)
TEN = range(1, 11)
MIXED_ROLES = {p: RECOVERY if p % 2 else WIDER for p in range(1, 40)}


@pytest.mark.parametrize(
    ("dates", "communities", "expected"),
    [
        # Nobody came: plain zeros, nothing to protect.
        ([month_of_people(1, JAN5, 10, [])], None, {"mixed_occurrences": 0, "network": {}}),
        # Ten people, no roles: no mixed date, but zero is hidden like any small figure.
        ([month_of_people(1, JAN5, 10, TEN)], None, {"mixed_occurrences": None}),
        # Ten people with both roles at one date: a mixed date from ten people, shown.
        ([month_of_people(1, JAN5, 10, TEN)], MIXED_ROLES, {"mixed_occurrences": 1}),
        # February's mixed date has two people (a target and a probe): February is quiet,
        # left out, and January's figure stands alone, the same as without February.
        (
            [month_of_people(1, JAN5, 10, TEN), month_of_people(2, FEB3, 10, [20, 21])],
            MIXED_ROLES,
            {"mixed_occurrences": 1, "mixed_attendances": 10},
        ),
        # A busy February (ten people) whose only mixed date has two people: February's
        # mixed figure is hidden, and the period's counts only January's.
        (
            [
                month_of_people(1, JAN5, 10, TEN),
                month_of_people(2, FEB3, 10, [20, 21]),
                month_of_people(3, FEB4, 10, range(30, 38)),
            ],
            {**MIXED_ROLES, **dict.fromkeys(range(30, 38), WIDER)},
            {"mixed_occurrences": 1, "mixed_attendances": 10},
        ),
        # Six people also go to group 20 in January: a link of six, shown. In quiet
        # February one more does: left out, so the link stays six.
        (
            [
                month_of_people(1, JAN5, 10, TEN),
                month_of_people(2, JAN6, 20, range(1, 7)),
                month_of_people(3, FEB3, 10, [20]),
                month_of_people(4, FEB4, 20, [20]),
            ],
            None,
            {"multi_group_participants": 6, "network": {(10, 20): 6}},
        ),
        # Four shared people: the link and the count are hidden (from too few).
        (
            [month_of_people(1, JAN5, 10, TEN), month_of_people(2, JAN6, 20, range(1, 5))],
            None,
            {"multi_group_participants": None, "network": {}},
        ),
        # Only a quiet month: nothing from who met whom at all.
        ([month_of_people(1, JAN5, 10, [1, 2])], None, {"network": None, "met_civic": None}),
    ],
)
def test_protect_hides_figures_from_roles_and_links(dates, communities, expected):
    data = dataset(*dates, communities=communities)
    figures = protect(compute(data), data, threshold=5)
    assert {name: getattr(figures, name) for name in expected} == expected


def test_protect_marks_each_hidden_months_mixed_figure():
    data = dataset(
        month_of_people(1, JAN5, 10, TEN),
        month_of_people(2, FEB3, 10, [20, 21]),
        communities=MIXED_ROLES,
    )
    months = protect(compute(data), data, threshold=5).months
    assert [m.mixed_attendances for m in months] == [10, None]
    assert [m.attendances for m in months] == [10, 2]  # attendance is not about roles

"""The figures of "our city in numbers", with small numbers suppressed and rounded. Pure.

Only counts of dates, events, groups and people are published, each with the base it was
built from (see suppression.py); nothing about any one person. Only whole months that are
over are published (forms.CityPeriodForm).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .figures import Figures
from .suppression import Cell, cell, rounded_cell, table


@dataclass(frozen=True)
class MonthCell:
    month: date
    attendances: Cell


@dataclass(frozen=True)
class CityNumbers:
    start: date
    end: date
    threshold: int
    events: Cell
    occurrences: Cell
    attendances_with_pass: Cell
    attendances_anonymous: Cell
    attendances: Cell
    participants: Cell
    new_participants: Cell
    groups_active: Cell
    groups_connected: Cell
    connections: Cell
    multi_group_participants: Cell
    cohosted_events: Cell
    mixed_occurrences: Cell
    mixed_share: Cell  # a percentage, 0 to 100
    civic_events: Cell
    met_civic: Cell
    months: list[MonthCell] = field(default_factory=list)
    months_total: Cell | None = None

    @property
    def anything_happened(self) -> bool:
        return bool(self.occurrences.value)


def _rounded(value: int | None, base: int, threshold: int) -> Cell:
    """Give a count hidden if from too few people (or protected away), else rounded."""
    if value is None:
        return Cell(value=None, base=base, suppressed=True)
    return rounded_cell(cell(value, base, threshold))


def _exact(value: int | None, base: int, threshold: int) -> Cell:
    if value is None:
        return Cell(value=None, base=base, suppressed=True)
    return cell(value, base, threshold)


def _rounded_table(parts, total_base: int, threshold: int) -> tuple[list[Cell], Cell]:
    cells, total = table(parts, total_base, threshold)
    return [rounded_cell(c) for c in cells], rounded_cell(total)


def city_numbers(figures: Figures, *, start: date, end: date, threshold: int) -> CityNumbers:
    """Give the published figures for the city, each suppressed if built from too few.

    `figures` come through `suppression.protect`. Counts of people and of attendances,
    and every figure from roles or from who met whom, are rounded to the nearest 5;
    counts of events, dates and groups are exact (events and dates are public knowledge:
    the calendar lists them). A share is worked out from rounded counts only.
    """
    base = figures.people_floor
    (with_pass, anonymous), attendances = _rounded_table(
        [
            (figures.attendances_with_pass, figures.participants),
            (figures.attendances_anonymous, figures.anonymous_people_floor),
        ],
        base,
        threshold,
    )
    came_before = figures.participants - figures.new_participants
    (new, _came_before), participants = _rounded_table(
        [(figures.new_participants, figures.new_participants), (came_before, came_before)],
        figures.participants,
        threshold,
    )
    mixed = _rounded(figures.mixed_attendances, figures.people_floor, threshold)
    if mixed.suppressed or attendances.suppressed:
        share = Cell(value=None, base=base, suppressed=True)
    else:
        percent = round(100 * mixed.value / attendances.value) if attendances.value else 0
        share = Cell(value=percent, base=base)
    return CityNumbers(
        start=start,
        end=end,
        threshold=threshold,
        events=cell(figures.events, base, threshold),
        occurrences=cell(figures.occurrences, base, threshold),
        attendances_with_pass=with_pass,
        attendances_anonymous=anonymous,
        attendances=attendances,
        participants=participants,
        new_participants=new,
        groups_active=cell(figures.groups_active, base, threshold),
        # Links count only with at least `threshold` shared people (suppression.protect);
        # these count groups and links, not people, and are exact.
        groups_connected=_exact(figures.groups_connected(threshold), base, threshold),
        connections=_exact(figures.connections(threshold), base, threshold),
        multi_group_participants=_rounded(figures.multi_group_participants, base, threshold),
        cohosted_events=cell(figures.cohosted_events, base, threshold),
        mixed_occurrences=_rounded(figures.mixed_occurrences, base, threshold),
        mixed_share=share,
        civic_events=cell(figures.civic_events, figures.civic_people_floor, threshold),
        met_civic=_rounded(figures.met_civic, base, threshold),
        # No secondary suppression is needed here: every month and the total are rounded,
        # so the total minus the months shown leaves a range, never a hidden month's value.
        months=[
            MonthCell(month=m.month, attendances=_rounded(m.attendances, m.people_floor, threshold))
            for m in figures.months
        ],
        months_total=attendances,
    )

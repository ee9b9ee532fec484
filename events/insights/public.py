"""The figures of "our city in numbers", with small numbers suppressed. Pure.

Only counts of dates, events, groups and people are published, each with the base it was
built from (see suppression.py); nothing about any one person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .figures import Figures
from .suppression import Cell, cell, count_cell, table


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


def city_numbers(figures: Figures, *, start: date, end: date, threshold: int) -> CityNumbers:
    """Give the published figures for the city, each suppressed if built from too few."""
    base = figures.people_floor
    (with_pass, anonymous), attendances = table(
        [
            (figures.attendances_with_pass, figures.participants),
            (figures.attendances_anonymous, figures.anonymous_people_floor),
        ],
        base,
        threshold,
    )
    share = round(100 * figures.mixed_share) if figures.mixed_share is not None else 0
    month_cells, months_total = table(
        [(m.attendances, m.people_floor) for m in figures.months], base, threshold
    )
    return CityNumbers(
        start=start,
        end=end,
        threshold=threshold,
        events=cell(figures.events, base, threshold),
        occurrences=cell(figures.occurrences, base, threshold),
        attendances_with_pass=with_pass,
        attendances_anonymous=anonymous,
        attendances=attendances,
        participants=count_cell(figures.participants, threshold),
        new_participants=count_cell(figures.new_participants, threshold),
        groups_active=cell(figures.groups_active, base, threshold),
        # Only links of at least `threshold` shared people count: a thinner link would
        # say that one or two known people go to both groups.
        groups_connected=cell(figures.groups_connected(threshold), base, threshold),
        connections=cell(figures.connections(threshold), base, threshold),
        multi_group_participants=count_cell(figures.multi_group_participants, threshold),
        cohosted_events=cell(figures.cohosted_events, base, threshold),
        mixed_occurrences=cell(figures.mixed_occurrences, figures.mixed_people_floor, threshold),
        mixed_share=cell(share, figures.mixed_people_floor, threshold),
        civic_events=cell(figures.civic_events, figures.civic_people_floor, threshold),
        met_civic=count_cell(figures.met_civic, threshold),
        months=[
            MonthCell(month=m.month, attendances=c)
            for m, c in zip(figures.months, month_cells, strict=True)
        ],
        months_total=months_total,
    )

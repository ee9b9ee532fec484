"""Small-number suppression and rounding of the figures. Pure: no ORM, no request.

Every figure carries its *base*: the fewest different people it can have been built from.
A figure whose base is above zero but under the threshold is suppressed (primary
suppression). A figure built from nobody (a zero) reveals no one and is shown.

Three rules make the figures hard to work back, by design rather than case by case:

- Only whole calendar months that are over are ever counted (see forms.py), so a figure
  never changes while a month fills up and no figure is about a single date.
- The figures that come from people's roles or from who met whom are protected for every
  viewer, the council included (`protect`).
- What the public page publishes is rounded to the nearest 5 (`rounded`), as national
  statistics offices do, so totals, parts and complements ("N of them new") give no
  exact equation to solve; where a part is hidden with its total shown, the only other
  part is hidden too (`table` with two parts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .figures import Dataset, Figures, compute, without_months

DEFAULT_THRESHOLD = 5
# Published counts are rounded to a multiple of this.
ROUNDING_BASE = 5


@dataclass(frozen=True)
class Cell:
    """One published figure: its value, or None when suppressed."""

    value: int | float | None
    base: int
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed


def too_few(base: int, threshold: int) -> bool:
    """Give whether a figure built from `base` people must be suppressed."""
    return 0 < base < threshold


def cell(value, base: int, threshold: int) -> Cell:
    """Give a single figure, suppressed if it was built from too few people."""
    if too_few(base, threshold):
        return Cell(value=None, base=base, suppressed=True)
    return Cell(value=value, base=base)


def count_cell(value: int, threshold: int) -> Cell:
    """Give a count of people (its own base), suppressed if too small."""
    return cell(value, value, threshold)


def rounded(value: int) -> int:
    """Give `value` rounded to the nearest multiple of ROUNDING_BASE (halves go up)."""
    return ROUNDING_BASE * ((value + ROUNDING_BASE // 2) // ROUNDING_BASE)


def rounded_cell(c: Cell) -> Cell:
    """Give a shown count rounded (a hidden one stays hidden)."""
    return c if c.suppressed else replace(c, value=rounded(c.value))


def table(parts: list[tuple[int, int]], total_base: int, threshold: int):
    """Give (cells, total cell) for parts of (value, base) published with their sum.

    The total is the sum of the parts; its base is `total_base`. Used with two parts, the
    part hidden with a lone hidden part is always the other one, whatever the data.
    """
    hidden = [too_few(base, threshold) for _value, base in parts]
    total_hidden = too_few(total_base, threshold)
    if not total_hidden and sum(hidden) == 1:
        # One hidden part could be worked out from the total and the others: hide the
        # smallest other part that is not zero (a zero part hides nothing)...
        others = [
            (value, i) for i, (value, _base) in enumerate(parts) if not hidden[i] and value > 0
        ]
        if others:
            hidden[min(others)[1]] = True
        else:
            # ...or, with no such part, the total itself.
            total_hidden = True
    if total_hidden and len(parts) == 1:
        # A lone part is the total.
        hidden[0] = True
    total = sum(value for value, _base in parts)
    cells = [
        Cell(value=None if h else value, base=base, suppressed=h)
        for (value, base), h in zip(parts, hidden, strict=True)
    ]
    return cells, Cell(
        value=None if total_hidden else total, base=total_base, suppressed=total_hidden
    )


def protect(figures: Figures, data: Dataset, *, threshold: int, group_id=None) -> Figures:
    """Give the figures with those from roles or from who met whom hidden where too few.

    For every viewer. The figures of mixed dates, of people who took part with two or
    more groups, of people who met civic partners, and the links between groups:

    - leave out every *quiet month*, one with fewer than `threshold` people in the scope,
      so that a period with a quiet month tells no more than the same period without it;
    - are shown only when at least `threshold` people are behind them, and hidden (None)
      otherwise, even when they are zero, so a hidden figure does not say whether there
      was anything to hide (only a period where nobody came shows plain zeros);
    - mixed dates are counted month by month: a month's are shown only when `threshold`
      people were at its mixed dates, and the period's add up exactly the months shown,
      so no hidden month can be worked out by subtraction;
    - a link between two groups is kept only when they share at least `threshold` people.
    """

    def enough(base: int, people: int) -> bool:
        return people == 0 or base >= threshold

    quiet = {m.month for m in figures.months if too_few(m.people_floor, threshold)}
    basis = compute(without_months(data, quiet), group_id) if quiet else figures
    months, mixed_dates, mixed_attendances = [], 0, 0
    for m in figures.months:
        if m.month not in quiet and enough(m.mixed_people_floor, m.people_floor):
            mixed_dates += m.mixed_occurrences
            mixed_attendances += m.mixed_attendances
            months.append(m)
        else:
            months.append(replace(m, mixed_occurrences=None, mixed_attendances=None))
    people = figures.participants + figures.attendances_anonymous
    mixed_shown = people == 0 or any(
        m.mixed_attendances is not None and m.people_floor for m in months
    )
    network = {pair: n for pair, n in basis.network.items() if n >= threshold}
    if people and not basis.participants:
        network = None  # every month with people in it was quiet
    return replace(
        figures,
        months=months,
        mixed_occurrences=mixed_dates if mixed_shown else None,
        mixed_attendances=mixed_attendances if mixed_shown else None,
        mixed_events=None,
        multi_group_participants=basis.multi_group_participants
        if enough(basis.multi_group_participants, people)
        else None,
        met_civic=basis.met_civic if enough(basis.met_civic, people) else None,
        network=network,
    )

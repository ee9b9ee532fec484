"""Small-number suppression for figures anyone can read. Pure: no ORM, no request.

Every published figure carries its *base*: the fewest different people it can have been
built from. A figure whose base is above zero but under the threshold is suppressed
(primary suppression). Where parts are published with their total, hiding a single part
would be undone by subtraction, so a second part (the smallest left) is hidden too, or the
total when no other part is left (secondary suppression). A figure built from nobody (a
zero) reveals no one and is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 5


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


def table(parts: list[tuple[int, int]], total_base: int, threshold: int):
    """Give (cells, total cell) for parts of (value, base) published with their sum.

    The total is the sum of the parts; its base is `total_base`.
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

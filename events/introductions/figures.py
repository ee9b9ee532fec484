"""The figures of warm introductions, from plain rows. Pure: no ORM, no request.

Made (by the kind of introducing organisation), the share who came to the introduced date,
who came back (bonding), who later took part with another group (bridging: only counted
for people who agreed to that being known), and introductions from civic and statutory
partners into community groups (linking). Small numbers are hidden by the same rules as
the rest of the figures (events.insights.suppression).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from events.insights.suppression import Cell, cell, count_cell, rounded_cell


@dataclass(frozen=True)
class IntroductionRow:
    kind: str  # the introducing organisation's GroupKind
    civic: bool  # the introducing organisation is a civic or statutory partner
    into_community: bool  # the group introduced to is not itself a civic partner
    came: bool
    came_back: bool
    shares_other_groups: bool  # the person agreed to other groups being counted
    other_groups: int


@dataclass(frozen=True)
class IntroductionFigures:
    made: Cell
    made_by_kind: dict[str, Cell]
    came: Cell
    came_share: Cell  # percent of those made
    came_back: Cell  # bonding
    bridging: Cell  # of those who agreed to it being counted
    bridging_base: Cell
    linking: Cell


def _share(part: int, whole: int, threshold: int) -> Cell:
    # Both the part and what is left of the whole must be big enough: a share of 100%
    # (or 0%) of a handful says as much about each person as the count does.
    if whole == 0:
        return Cell(value=None, base=0, suppressed=False)
    base = min(n for n in (part, whole - part, whole) if n > 0)
    return cell(round(100 * part / whole), base, threshold)


def compute(rows: list[IntroductionRow], *, threshold: int, public: bool = False):
    """Give the IntroductionFigures of these rows; `public` rounds counts to the nearest 5."""
    made = len(rows)
    came = sum(r.came for r in rows)
    came_back = sum(r.came_back for r in rows)
    asked = [r for r in rows if r.shares_other_groups]
    bridged = sum(r.other_groups > 0 for r in asked)
    linking = sum(r.civic and r.into_community for r in rows)
    by_kind = Counter(r.kind for r in rows)
    tidy = rounded_cell if public else (lambda c: c)
    return IntroductionFigures(
        made=tidy(count_cell(made, threshold)),
        made_by_kind={k: tidy(count_cell(n, threshold)) for k, n in sorted(by_kind.items())},
        came=tidy(count_cell(came, threshold)),
        came_share=_share(came, made, threshold),
        came_back=tidy(count_cell(came_back, threshold)),
        bridging=tidy(count_cell(bridged, threshold)),
        bridging_base=tidy(count_cell(len(asked), threshold)),
        linking=tidy(count_cell(linking, threshold)),
    )

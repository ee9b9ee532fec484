"""The figures of community connection (bonding, bridging, linking), from plain rows.

Pure: no ORM, no request. `events.insights.selectors` fetches the rows; this module turns
them into numbers, and its tests feed it hand-built rows whose answers are known.

The rows, for one period of the whole city:

- `OccurrenceRow`: one date that took place, with its event, its local day, the host group,
  the co-hosting groups, and whether a civic or statutory partner hosted or co-hosted it.
- attendances: ``(participant_id, occurrence_id)`` pairs, one per person with a pass.
- anonymous: ``{occurrence_id: number of anonymous +1s}``.
- communities: ``{participant_id: bitmask}`` of RECOVERY / WIDER / PROFESSIONAL, only for
  participants who consented to their roles being recorded.
- seen_before: participants who came to something in scope before the period began.

An attendance at a co-hosted date counts for every group that put it on: someone who came
met all of them. With a focus group, the scope is the dates that group hosted or co-hosted;
whether its people also went to other groups is still read from the whole city's rows.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

# Bitmask of the sides of the community a participant takes part as (Role.community).
RECOVERY = 1
WIDER = 2
PROFESSIONAL = 4
COMMUNITY_BITS = {"recovery": RECOVERY, "wider": WIDER, "professional": PROFESSIONAL}

# Someone who came to at least this many dates of a group in the period is one of its
# regular core.
REGULAR_VISITS = 3


@dataclass(frozen=True, slots=True)
class OccurrenceRow:
    id: int
    event_id: int
    day: date
    host_group_id: int | None
    cohost_group_ids: tuple[int, ...] = ()
    civic: bool = False

    @property
    def group_ids(self) -> tuple[int, ...]:
        """Every group that put this date on: the host first, then co-hosts."""
        hosts = () if self.host_group_id is None else (self.host_group_id,)
        return hosts + tuple(g for g in self.cohost_group_ids if g != self.host_group_id)


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    participant_id: int
    occurrence_id: int


@dataclass
class Dataset:
    """Everything the figures need for one period (see the module docstring)."""

    start: date
    end: date
    occurrences: list[OccurrenceRow] = field(default_factory=list)
    attendances: list[tuple[int, int]] = field(default_factory=list)
    anonymous: dict[int, int] = field(default_factory=dict)
    communities: dict[int, int] = field(default_factory=dict)
    seen_before: frozenset[int] | set[int] = frozenset()


@dataclass
class MonthFigures:
    month: date  # the first of the month
    occurrences: int = 0
    attendances: int = 0  # with passes and anonymous
    anonymous: int = 0
    participants: int = 0
    new_participants: int = 0
    mixed_occurrences: int = 0
    mixed_attendances: int | None = 0  # None: hidden (see suppression.protect)
    # The fewest different people these figures can come from (for suppression): all of
    # them, and those at the mixed dates.
    people_floor: int = 0
    mixed_people_floor: int = 0

    @property
    def mixed_share(self) -> float | None:
        if self.mixed_attendances is None or not self.attendances:
            return None
        return self.mixed_attendances / self.attendances


@dataclass
class GroupFigures:
    group_id: int
    occurrences: int = 0
    attendances: int = 0
    participants: int = 0
    regular_core: int = 0


@dataclass
class Figures:
    # Reach
    events: int = 0
    occurrences: int = 0
    attendances_with_pass: int = 0
    attendances_anonymous: int = 0
    participants: int = 0
    new_participants: int = 0
    returning_participants: int = 0
    # Bonding
    same_group_returners: int = 0
    usual_core: int = 0
    # Bridging. The figures that come from people's roles or from who met whom are None
    # where `suppression.protect` hid them.
    multi_group_participants: int | None = 0
    cohosted_events: int = 0
    mixed_occurrences: int | None = 0
    mixed_events: int | None = 0
    mixed_attendances: int | None = 0
    # Linking
    civic_events: int = 0
    civic_occurrences: int = 0
    met_civic: int | None = 0
    # Groups and their network: {(smaller id, larger id): participants shared}
    groups: dict[int, GroupFigures] = field(default_factory=dict)
    network: dict[tuple[int, int], int] | None = field(default_factory=dict)
    months: list[MonthFigures] = field(default_factory=list)
    # The fewest different people behind the figures (for suppression): everything, the
    # mixed dates, the civic dates.
    people_floor: int = 0
    mixed_people_floor: int = 0
    civic_people_floor: int = 0
    anonymous_people_floor: int = 0

    @property
    def attendances(self) -> int:
        return self.attendances_with_pass + self.attendances_anonymous

    @property
    def mixed_share(self) -> float | None:
        """The share of attendances at dates where recovery and wider community met."""
        if self.mixed_attendances is None or not self.attendances:
            return None
        return self.mixed_attendances / self.attendances

    @property
    def groups_active(self) -> int:
        return sum(1 for g in self.groups.values() if g.occurrences)

    def groups_connected(self, min_shared: int = 1) -> int | None:
        """Give how many groups share at least `min_shared` participants with another."""
        if self.network is None:
            return None
        linked = set()
        for (a, b), shared in self.network.items():
            if shared >= min_shared:
                linked.update((a, b))
        return len(linked)

    def connections(self, min_shared: int = 1) -> int | None:
        if self.network is None:
            return None
        return sum(1 for shared in self.network.values() if shared >= min_shared)


def months_between(start: date, end: date) -> list[date]:
    """Give the first day of every month from `start`'s to `end`'s (none if end < start)."""
    months: list[date] = []
    if end < start:
        return months
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def people_floor(participants: int, headcounts) -> int:
    """Give the fewest different people that can be behind some attendance.

    Anonymous +1s on different dates may be the same person, or someone who also came
    with a pass; on one date they are different people from everyone else there.
    """
    return max([participants, *headcounts]) if headcounts or participants else 0


def _first_of_month(day: date) -> date:
    return date(day.year, day.month, 1)


def compute(data: Dataset, group_id: int | None = None) -> Figures:
    """Give the figures for the period of `data`, for the city or for one group."""
    # Written for speed as much as clarity: a year of a big city is ~100,000 attendances,
    # so each is touched a few times at most, with plain dicts and sets.
    occurrences = {o.id: o for o in data.occurrences}
    groups_of = {o.id: o.group_ids for o in data.occurrences}
    if group_id is None:
        in_scope = set(occurrences)
    else:
        in_scope = {oid for oid, gids in groups_of.items() if group_id in gids}
    day_of = {o.id: o.day for o in data.occurrences}
    month_of = {oid: _first_of_month(day_of[oid]) for oid in in_scope}
    figures = Figures()
    months = {m: MonthFigures(month=m) for m in months_between(data.start, data.end)}

    # One pass over the attendances: who came to what, and what each date's mix was.
    by_participant: dict[int, list[int]] = defaultdict(list)
    headcount: dict[int, int] = dict.fromkeys(in_scope, 0)
    mix: dict[int, int] = {}
    communities = data.communities
    for participant_id, occurrence_id in data.attendances:
        if occurrence_id not in groups_of:
            continue
        by_participant[participant_id].append(occurrence_id)
        if occurrence_id in headcount:
            headcount[occurrence_id] += 1
            bits = communities.get(participant_id)
            if bits:
                mix[occurrence_id] = mix.get(occurrence_id, 0) | bits

    anonymous = {oid: n for oid, n in data.anonymous.items() if oid in in_scope and n > 0}
    for oid, n in anonymous.items():
        headcount[oid] += n

    # Dates, events, groups.
    events, cohosted, civic_events, mixed_events = set(), set(), set(), set()
    mixed_dates, civic_dates = set(), set()
    groups = figures.groups
    for oid in in_scope:
        o = occurrences[oid]
        gids = groups_of[oid]
        events.add(o.event_id)
        if len(gids) > 1:
            cohosted.add(o.event_id)
        if o.civic:
            civic_events.add(o.event_id)
            civic_dates.add(oid)
        mixed = mix.get(oid, 0) & (RECOVERY | WIDER) == RECOVERY | WIDER
        if mixed:
            mixed_dates.add(oid)
            mixed_events.add(o.event_id)
        month = months.get(month_of[oid])
        if month is not None:
            month.occurrences += 1
            month.attendances += headcount[oid]
            month.anonymous += anonymous.get(oid, 0)
            if mixed:
                month.mixed_occurrences += 1
                month.mixed_attendances += headcount[oid]
                month.mixed_people_floor = max(month.mixed_people_floor, headcount[oid])
            month.people_floor = max(month.people_floor, headcount[oid])
        for g in gids:
            stats = groups.get(g) or groups.setdefault(g, GroupFigures(group_id=g))
            stats.occurrences += 1
            stats.attendances += headcount[oid]

    figures.events = len(events)
    figures.occurrences = len(in_scope)
    figures.attendances_anonymous = sum(anonymous.values())
    figures.cohosted_events = len(cohosted)
    figures.civic_events = len(civic_events)
    figures.civic_occurrences = len(civic_dates)
    figures.mixed_occurrences = len(mixed_dates)
    figures.mixed_events = len(mixed_events)
    figures.mixed_attendances = sum(headcount[oid] for oid in mixed_dates)

    # One pass over the people.
    seen_before = data.seen_before
    network: dict[tuple[int, int], int] = {}
    core: Counter[int] = Counter()
    group_people: Counter[int] = Counter()
    month_people: Counter[date] = Counter()
    month_new: Counter[date] = Counter()
    month_mixed_people: Counter[date] = Counter()
    with_pass = participants = new = returning = same_group = multi_group = met_civic = 0
    mixed_people = civic_people = 0
    for participant_id, visits in by_participant.items():
        if group_id is None:
            mine = visits
        else:
            mine = [oid for oid in visits if oid in in_scope]
            if not mine:
                continue
        # Visits per group, over the whole city (for bridging and the network).
        per_group: dict[int, int] = {}
        for oid in visits:
            for g in groups_of[oid]:
                per_group[g] = per_group.get(g, 0) + 1
        if len(per_group) > 1:
            multi_group += 1
            if group_id is None:
                linked = sorted(per_group)
                for i, a in enumerate(linked):
                    for b in linked[i + 1 :]:
                        network[a, b] = network.get((a, b), 0) + 1
            else:
                for g in per_group:
                    if g != group_id:
                        pair = (g, group_id) if g < group_id else (group_id, g)
                        network[pair] = network.get(pair, 0) + 1
        participants += 1
        with_pass += len(mine)
        # Visits per group within the scope (for bonding).
        if group_id is None:
            scope_groups = per_group
        else:
            scope_groups = {}
            for oid in mine:
                for g in groups_of[oid]:
                    scope_groups[g] = scope_groups.get(g, 0) + 1
        group_people.update(scope_groups.keys())
        most = max(scope_groups.values())
        if most >= 2:
            same_group += 1
            if most >= REGULAR_VISITS:
                core.update(g for g, n in scope_groups.items() if n >= REGULAR_VISITS)
        month_people.update(set(map(month_of.__getitem__, mine)))
        if participant_id in seen_before:
            returning += 1
        else:
            new += 1
            month_new[_first_of_month(min(map(day_of.__getitem__, mine)))] += 1
            if len(mine) >= 2:
                returning += 1
        if not mixed_dates.isdisjoint(mine):
            mixed_people += 1
            month_mixed_people.update({month_of[oid] for oid in mine if oid in mixed_dates})
        if not civic_dates.isdisjoint(mine):
            civic_people += 1
            # Those who met the civic partners: not the partners' own professionals.
            if communities.get(participant_id, 0) != PROFESSIONAL:
                met_civic += 1

    figures.attendances_with_pass = with_pass
    figures.participants = participants
    figures.new_participants = new
    figures.returning_participants = returning
    figures.same_group_returners = same_group
    figures.multi_group_participants = multi_group
    figures.met_civic = met_civic
    figures.network = network

    for g, stats in groups.items():
        stats.participants = group_people[g]
        stats.regular_core = core[g]
    if group_id is not None:
        figures.usual_core = core[group_id]
    else:
        cores = [stats.regular_core for stats in groups.values() if stats.occurrences]
        figures.usual_core = round(statistics.median(cores)) if cores else 0

    figures.people_floor = people_floor(participants, list(headcount.values()))
    figures.mixed_people_floor = people_floor(mixed_people, [headcount[o] for o in mixed_dates])
    figures.civic_people_floor = people_floor(civic_people, [headcount[o] for o in civic_dates])
    figures.anonymous_people_floor = max(anonymous.values(), default=0)

    for m, month in months.items():
        month.participants = month_people.get(m, 0)
        month.new_participants = month_new.get(m, 0)
        month.people_floor = max(month.participants, month.people_floor)
        month.mixed_people_floor = max(month_mixed_people.get(m, 0), month.mixed_people_floor)
    figures.months = list(months.values())
    return figures


def without_months(data: Dataset, months: set[date]) -> Dataset:
    """Give the same rows with every date in `months` (firsts of months) left out."""
    kept = [o for o in data.occurrences if _first_of_month(o.day) not in months]
    ids = {o.id for o in kept}
    return Dataset(
        start=data.start,
        end=data.end,
        occurrences=kept,
        attendances=[row for row in data.attendances if row[1] in ids],
        anonymous={oid: n for oid, n in data.anonymous.items() if oid in ids},
        communities=data.communities,
        seen_before=data.seen_before,
    )

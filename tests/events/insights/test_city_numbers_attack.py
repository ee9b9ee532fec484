"""Finding 3: nobody can work a hidden number out of "our city in numbers".

The attacker reads every period the page offers, again and again while a month fills up
(attendance added between readings), and turns everything published into equations: each
month's figure, each period's total, and the parts of each total. No hidden month may come
out as one value, and no small complement ("N of them new") either.
"""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache

from events.checkin.models import Attendance, Role
from events.insights.suppression import ROUNDING_BASE
from tests.factories import ParticipantFactory

from .conftest import add_date, add_event, at

URL = "/numbers/"
SLACK = ROUNDING_BASE // 2
NOBODY_KNOWS = 10**6  # no upper bound the attacker could know for a hidden month
# Readings while June fills up, then while July does.
SNAPSHOTS = ["2025-06-03", "2025-06-12", "2025-06-20", "2025-06-29", "2025-07-04", "2025-07-21"]


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


@pytest.fixture
def city(make_group):
    """Twelve regulars from June 2024, a quiet February 2025 (three people), dates into July;
    three of them also came in April 2024."""
    cafe = make_group(title="Lantern Café", slug="lantern")
    coffee = add_event(cafe, "Coffee Morning")
    recovery = Role.objects.create(name="Atk recovery", slug="k-recovery", community="recovery")
    wider = Role.objects.create(name="Atk neighbour", slug="k-neighbour", community="wider")
    people = []
    for i in range(12):
        person = ParticipantFactory(roles_consent_at=at(date(2024, 1, 1)))
        person.roles.set([recovery if i % 2 else wider])
        people.append(person)
    visits = {}  # date -> people who come
    for index in range(month_index(date(2024, 6, 1)), month_index(date(2025, 7, 1)) + 1):
        first = date(index // 12, index % 12 + 1, 1)
        if first == date(2025, 2, 1):
            visits[add_date(coffee, first.replace(day=11))] = people[:3]
            continue
        for k, day in enumerate((5, 12, 19, 26)):
            occurrence = add_date(coffee, first.replace(day=day))
            visits[occurrence] = [p for i, p in enumerate(people) if (i + index + k) % 4][
                : 5 + (index + k) % 6
            ]
    # Three of them came before the last twelve months began: "12 people, 9 of them new".
    visits[add_date(coffee, date(2024, 4, 2))] = people[9:]
    return visits


def record_until(visits, day: date):
    """Record the attendance of every date up to `day` not yet recorded (a month filling)."""
    for occurrence, people in visits.items():
        if occurrence.start.date() <= day:
            for person in people:
                Attendance.objects.get_or_create(participant=person, occurrence=occurrence)


def read_the_page(client) -> list:
    """Give the numbers of every period the page offers."""
    first = client.get(URL)
    assert first.status_code == 200
    readings = [first.context["numbers"]]
    for year in first.context["years"]:
        response = client.get(URL, {"year": year})
        assert response.status_code == 200
        readings.append(response.context["numbers"])
    return readings


def widest_range(constraints, variables: int, of: int) -> tuple[int, int]:
    """Give the least and greatest value month `of` can take under every equation.

    Each month is a gap between prefix sums, and every constraint says a run of
    consecutive months adds up to between `lo` and `hi`: a system of difference
    constraints, solved exactly by shortest paths (Bellman-Ford).
    """
    edges = []
    for first, last, lo, hi in constraints:  # lo <= S[last + 1] - S[first] <= hi
        edges.append((first, last + 1, hi))
        edges.append((last + 1, first, -lo))

    def shortest(source: int) -> list[float]:
        dist = [float("inf")] * (variables + 1)
        dist[source] = 0
        for _ in range(variables + 1):
            for a, b, w in edges:
                if dist[a] + w < dist[b]:
                    dist[b] = dist[a] + w
        for a, b, w in edges:
            assert dist[a] + w >= dist[b], "the equations contradict each other"
        return dist

    return -shortest(of + 1)[of], shortest(of)[of + 1]


def test_no_hidden_month_or_complement_can_be_worked_out(client, city):
    published = []  # (snapshot, numbers)
    for snapshot in SNAPSHOTS:
        day = date.fromisoformat(snapshot)
        with time_machine.travel(f"{snapshot} 20:00 +0100", tick=False):
            record_until(city, day)
            cache.clear()  # the attacker is patient: every reading is fresh
            for numbers in read_the_page(client):
                # The month still filling up, and any later one, never appears.
                assert all(m.month < day.replace(day=1) for m in numbers.months)
                assert numbers.end < day.replace(day=1)
                published.append((day, numbers))

    # Readings within one month are the same: nothing to subtract between snapshots.
    by_month = {}
    for day, numbers in published:
        key = (day.replace(day=1), numbers.start, numbers.end)
        by_month.setdefault(key, []).append(numbers)
    assert all(all(n == group[0] for n in group) for group in by_month.values())

    # The attacker's equations over the true monthly attendances.
    base = month_index(date(2023, 1, 1))
    constraints, hidden = [], set()
    threshold = published[0][1].threshold
    for _day, numbers in published:
        for m in numbers.months:
            i = month_index(m.month) - base
            c = m.attendances
            if c.suppressed:
                hidden.add(i)
                constraints.append((i, i, 1, NOBODY_KNOWS))
            elif c.value == 0:
                constraints.append((i, i, 0, 0))
            else:  # shown: built from `threshold` people or more, so at least that many
                constraints.append((i, i, max(c.value - SLACK, threshold), c.value + SLACK))
        total = numbers.months_total
        if total.shown:
            first = month_index(numbers.months[0].month) - base
            last = month_index(numbers.months[-1].month) - base
            constraints.append((first, last, max(total.value - SLACK, 0), total.value + SLACK))
    # The quiet February, and April 2024 (three people, seen in the year 2024).
    quiet = {month_index(date(2025, 2, 1)) - base, month_index(date(2024, 4, 1)) - base}
    assert hidden == quiet
    variables = month_index(date(2025, 8, 1)) - base
    for i in hidden:
        low, high = widest_range(constraints, variables, i)
        assert low <= 3 <= high  # the truth (three attendances each) is among them
        assert high > low, "a hidden month was pinned down"

    # Complements: people who came before = people - new people.
    checked = 0
    for _day, numbers in published:
        people, new = numbers.participants, numbers.new_participants
        if people.shown and new.shown:
            new_low = 0 if new.value == 0 else max(new.value - SLACK, threshold)
            new_high = 0 if new.value == 0 else new.value + SLACK
            low = max(people.value - SLACK - new_high, 0)
            high = people.value + SLACK - new_low
            assert high > low
            checked += 1
        elif people.shown:
            assert new.suppressed
    assert checked


def test_a_small_complement_hides_its_pair(client, city):
    """Three who came before the last twelve months: "new" would give them away."""
    with time_machine.travel("2025-06-15 20:00 +0100", tick=False):
        record_until(city, date(2025, 6, 15))
        numbers = client.get(URL).context["numbers"]
    assert numbers.participants.value == 10  # twelve, rounded
    assert numbers.new_participants.suppressed


def test_the_period_labels_say_which_dates(client, city):
    with time_machine.travel("2025-06-15 20:00 +0100", tick=False):
        response = client.get(URL)
    numbers = response.context["numbers"]
    assert (numbers.start, numbers.end) == (date(2024, 6, 1), date(2025, 5, 31))
    html = response.content.decode()
    assert "The last twelve complete months" in html
    assert "June 2024 to May 2025, the last twelve whole months" in html
    assert "(from 1 June 2024 to 31 May 2025)" in html
    with time_machine.travel("2025-06-15 20:00 +0100", tick=False):
        numbers = client.get(URL, {"year": 2025}).context["numbers"]
        assert (numbers.start, numbers.end) == (date(2025, 1, 1), date(2025, 5, 31))
        assert client.get(URL, {"year": 2026}).status_code == 400

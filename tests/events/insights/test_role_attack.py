"""Finding 1: an organiser must not learn a participant's roles from their own figures.

The attack: the organiser checks a target and a probe pass (whose roles they chose) into
one date, then reads their group's figures for every period they can choose. If the date
counts as one "where people in recovery and the wider community met", the target declared
a recovery role. Every figure read must be the same whatever the target's roles are.
"""

from datetime import date

import pytest
import time_machine

from events.checkin.models import Attendance, Role
from events.insights.forms import months_back
from tests.factories import ParticipantFactory

from .conftest import add_date, add_event, at

URL = "/admin/insights/"
MONTHS = [date(2025, m, 1) for m in (1, 2, 3, 4, 5)]
TABLES = ("summary", "months", "groups", "network")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2025-06-15 12:00 +0100", tick=False):
        yield


def month_end(first: date) -> date:
    return date.fromordinal(months_back(first, -1).toordinal() - 1)


def every_period():
    """Every whole-month period from January to May 2025 (all the organiser may choose)."""
    for i, start in enumerate(MONTHS):
        for end in MONTHS[i:]:
            yield {"start": start.isoformat(), "end": month_end(end).isoformat()}


@pytest.fixture
def attack(make_group, make_organiser):
    """A café with a lively spring (mixed dates shown), then the attacker's date in May."""
    cafe = make_group(title="Lantern Café", slug="lantern")
    other = make_group(title="Running Club", slug="running")
    coffee = add_event(cafe, "Coffee Morning")
    jog = add_event(other, "Park Run")
    recovery = Role.objects.create(name="Attack recovery", slug="a-recovery", community="recovery")
    wider = Role.objects.create(name="Attack neighbour", slug="a-neighbour", community="wider")
    consent = at(date(2024, 12, 1))
    regulars = []
    for i in range(8):
        person = ParticipantFactory(roles_consent_at=consent)
        person.roles.set([recovery if i % 2 else wider])
        regulars.append(person)
    for month in MONTHS[:4]:
        for day in (7, 21):
            occurrence = add_date(coffee, month.replace(day=day))
            for person in regulars:
                Attendance.objects.create(participant=person, occurrence=occurrence)
    # Some regulars also run: links and "two or more groups" have something to show.
    for day in (8, 22):
        occurrence = add_date(jog, date(2025, 3, day))
        for person in regulars[:6]:
            Attendance.objects.create(participant=person, occurrence=occurrence)
    target = ParticipantFactory(nickname="Target")
    probe = ParticipantFactory(nickname="Probe", roles_consent_at=consent)
    probe.roles.set([wider])
    trap = add_date(coffee, date(2025, 5, 13))
    for person in (target, probe):
        Attendance.objects.create(participant=person, occurrence=trap)
    return {
        "cafe": cafe,
        "coffee": coffee,
        "jog": jog,
        "target": target,
        "roles": {"recovery": recovery, "wider": wider},
        "organiser": make_organiser(cafe, "attacker"),
    }


def read_everything(client, group=None) -> dict:
    """Give every figure the reader can read: each CSV table for each period."""
    seen = {}
    for period in every_period():
        params = {**period, "group": group.pk} if group else period
        assert client.get(URL, params).status_code == 200
        for table in TABLES:
            response = client.get(URL + f"{table}.csv", params)
            assert response.status_code == 200
            seen[period["start"], period["end"], table] = response.content.decode()
    return seen


def give_target(attack, roles):
    target = attack["target"]
    target.roles_consent_at = at(date(2025, 1, 1)) if roles else None
    target.save()
    target.roles.set([attack["roles"][r] for r in roles])


@pytest.mark.parametrize("busy_may", [False, True], ids=["quiet May", "busy May"])
def test_an_organiser_cannot_learn_a_participants_roles(client, attack, busy_may):
    if busy_may:
        # Enough other people in May that the month itself is not quiet.
        occurrence = add_date(attack["coffee"], date(2025, 5, 27))
        for _ in range(6):
            Attendance.objects.create(participant=ParticipantFactory(), occurrence=occurrence)
    client.force_login(attack["organiser"])
    readings = {}
    for roles in ([], ["wider"], ["recovery"], ["recovery", "wider"]):
        give_target(attack, roles)
        readings[tuple(roles)] = read_everything(client, attack["cafe"])
    first = readings[()]
    for roles, seen in readings.items():
        assert seen == first, f"the figures differ when the target is {roles}"
    # Not by hiding everything: the spring's mixed dates are there to read.
    spring = first["2025-01-01", "2025-04-30", "summary"]
    assert "Dates where people in recovery and the wider community met,8" in spring


def test_the_council_cannot_learn_it_either(client, attack, moderator):
    client.force_login(moderator)
    readings = []
    for roles in ([], ["recovery"]):
        give_target(attack, roles)
        readings.append((read_everything(client, attack["cafe"]), read_everything(client)))
    assert readings[0] == readings[1]


def test_an_organiser_cannot_learn_where_else_a_participant_goes(client, attack):
    """Who met whom is as private as roles: does the target also go to the running club?"""
    client.force_login(attack["organiser"])
    before = read_everything(client, attack["cafe"])
    run = add_date(attack["jog"], date(2025, 5, 20))
    for person in [attack["target"], *(ParticipantFactory() for _ in range(5))]:
        Attendance.objects.create(participant=person, occurrence=run)
    assert read_everything(client, attack["cafe"]) == before


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"start": "2025-05-13", "end": "2025-05-13"}, b"Please choose whole calendar months"),
        ({"start": "2025-05-01", "end": "2025-05-28"}, b"Please choose whole calendar months"),
        ({"start": "2025-05-06", "end": "2025-05-31"}, b"Please choose whole calendar months"),
        ({"start": "2025-06-01", "end": "2025-06-30"}, b"Figures cover only months that are over"),
    ],
)
def test_a_single_date_or_a_month_still_going_is_refused(client, attack, period, message):
    client.force_login(attack["organiser"])
    response = client.get(URL, {**period, "group": attack["cafe"].pk})
    assert response.status_code == 400
    assert message in response.content
    assert client.get(URL + "summary.csv", period).status_code == 400

"""A small city with attendance history: three groups, four dates, three people."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from events.checkin.models import AnonymousCount, Attendance, Role
from events.models import EventPage, GroupKind, Occurrence
from tests.factories import OccurrenceFactory, ParticipantFactory

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour=19) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def add_event(group, title, partners=()):
    event = EventPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary="Everyone is welcome.",
        start_date=date(2020, 1, 7),
    )
    group.add_child(instance=event)
    # Co-hosts are a ParentalManyToManyField: stored when the page is published.
    event.partner_groups.set(partners)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def add_date(event, day, status=Occurrence.Status.SCHEDULED):
    return OccurrenceFactory(event=event, start=at(day), status=status)


@pytest.fixture
def small_city(make_group):
    return build_small_city(make_group)


def build_small_city(make_group):
    """Spring 2025: the café's three dates and a run co-hosted with probation."""
    cafe = make_group(title="Lantern Café", slug="lantern")
    run = make_group(title="Running Club", slug="running", kind=GroupKind.SPORT_ARTS)
    probation = make_group(title="Probation North", slug="probation", kind=GroupKind.PROBATION)
    coffee = add_event(cafe, "Coffee Morning")
    jog = add_event(run, "Park Run", partners=[probation])
    before = add_date(coffee, date(2025, 1, 7))
    d1 = add_date(coffee, date(2025, 3, 4))
    d2 = add_date(coffee, date(2025, 3, 11))
    cancelled = add_date(coffee, date(2025, 3, 18), status=Occurrence.Status.CANCELLED)
    d3 = add_date(jog, date(2025, 4, 1))
    after = add_date(coffee, date(2025, 7, 1))
    recovery = Role.objects.create(name="Test recovery", slug="t-recovery", community="recovery")
    wider = Role.objects.create(name="Test neighbour", slug="t-neighbour", community="wider")
    robin = ParticipantFactory(nickname="Robin", roles_consent_at=at(date(2024, 12, 1)))
    robin.roles.set([recovery])
    # Sasha's role was kept without consent: it must never count.
    sasha = ParticipantFactory(nickname="Sasha", roles_consent_at=None)
    sasha.roles.set([wider])
    kim = ParticipantFactory(nickname="Kim")
    for person, occurrence in [
        (robin, before),
        (robin, d1),
        (robin, d2),
        (sasha, d1),
        (kim, d3),
        (kim, after),
    ]:
        Attendance.objects.create(participant=person, occurrence=occurrence, method="scan")
    for occurrence in (d1, d1, d3):
        AnonymousCount.objects.create(occurrence=occurrence, source="door")
    return {
        "groups": {"cafe": cafe, "run": run, "probation": probation},
        "events": {"coffee": coffee, "jog": jog},
        "dates": {"before": before, "d1": d1, "d2": d2, "cancelled": cancelled, "d3": d3},
        "people": {"robin": robin, "sasha": sasha, "kim": kim},
    }

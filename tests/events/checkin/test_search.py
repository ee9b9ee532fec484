"""Nickname search at the door: by start of word, among the event's past participants only."""

import pytest

from events.checkin.models import Attendance
from events.checkin.services.attendance import participant_search
from tests.factories import OccurrenceFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

NICKNAMES = ["Rob", "Nat Roberts", "Nat from Eastfield", "Carol", "Mary-Rose", "ROBIN", "Jo"]


@pytest.fixture
def regulars(event, occurrence):
    last_week = OccurrenceFactory(event=event, start=occurrence.start.replace(year=2020))
    people = {name: ParticipantFactory(nickname=name) for name in NICKNAMES}
    for person in people.values():
        Attendance.objects.create(occurrence=last_week, participant=person, method="scan")
    return people


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Ro", ["Mary-Rose", "Nat Roberts", "Rob", "ROBIN"]),
        ("ro", ["Mary-Rose", "Nat Roberts", "Rob", "ROBIN"]),
        ("rob", ["Nat Roberts", "Rob", "ROBIN"]),
        ("East", ["Nat from Eastfield"]),
        ("field", []),  # inside a word
        ("ol", []),
        ("Nat R", ["Nat Roberts"]),
        ("J", []),  # too short to search
    ],
)
def test_search_matches_the_start_of_a_word(
    occurrence, organiser, regulars, query, found, django_assert_num_queries
):
    with django_assert_num_queries(0 if len(query) < 2 else 2):  # the search, its audit entry
        matches = participant_search(occurrence=occurrence, query=query, by=organiser)
    assert sorted((m["nickname"] for m in matches), key=str.lower) == sorted(found, key=str.lower)


def test_someone_who_never_came_to_this_event_is_not_found(occurrence, organiser, regulars):
    ParticipantFactory(nickname="Roxanne")
    assert participant_search(occurrence=occurrence, query="Rox", by=organiser) == []

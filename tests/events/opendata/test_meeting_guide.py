"""The Meeting Guide serialiser, field by field against the specification (no database)."""

import json
import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from events.opendata.meeting_guide import is_listed, meeting_entries, meeting_types, spec_day
from events.opendata.records import City, EventRecord, GroupRecord, VenueRecord
from events.schedule import Schedule

SPEC_TYPES = set(
    json.loads((Path(__file__).parent / "schemas/meeting_guide/types.json").read_text())
)
CITY = City(name="Northbridge", country="GB", root_url="https://city.example/")
TODAY = date(2026, 3, 1)
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
UPDATED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

LIBRARY = VenueRecord(
    pk=1,
    name="Northbridge Library",
    address_line_1="1 High Street",
    address_line_2="Upstairs, room 2",
    town="Northbridge",
    postcode="NB1 2AB",
    step_free=True,
    accessible_toilet=True,
)
GROUP = GroupRecord(
    pk=3, title="Northbridge Recovery Café", summary="", url="https://city.example/g/"
)


def weekly(**kwargs) -> Schedule:
    fields = {
        "start_date": date(2026, 1, 6),
        "start_time": time(19, 0),
        "end_time": time(20, 30),
        "frequency": "weekly",
        "weekdays": (1,),
    }
    return Schedule(**(fields | kwargs))


def event(**kwargs) -> EventRecord:
    fields = {
        "pk": 7,
        "uid": "6f1c8f0e-2b1d-4a57-9a0e-1d2f3c4b5a69",
        "title": "Tuesday Serenity",
        "summary": "A welcoming mutual-aid meeting.",
        "url": "https://city.example/groups/cafe/tuesday-serenity/",
        "schedule": weekly(),
        "group": GROUP,
        "venue": LIBRARY,
        "categories": (("mutual-aid-meetings", "Mutual-aid meetings"),),
        "updated": datetime(2026, 2, 10, 14, 32, 23, tzinfo=UTC),
        "welcomer": True,
    }
    return EventRecord(**(fields | kwargs))


def entries(*events):
    return meeting_entries(events, city=CITY, today=TODAY)


def check_against_spec(entry: dict) -> None:
    """The rules the specification states for every entry."""
    assert isinstance(entry["name"], str) and 0 < len(entry["name"]) <= 255
    slug = entry["slug"]
    assert isinstance(slug, str) and len(slug) <= 64 and re.fullmatch(r"[a-z0-9-]+", slug)
    assert entry["day"] in range(7)
    assert HHMM.match(entry["time"])
    if "end_time" in entry:
        assert HHMM.match(entry["end_time"])
    assert set(entry["types"]) <= SPEC_TYPES, set(entry["types"]) - SPEC_TYPES
    assert "<" not in entry["notes"]  # plain text, no HTML
    if "updated" in entry:
        assert UPDATED.match(entry["updated"])
    has_place = "formatted_address" in entry or {"address", "city", "postal_code"} <= set(entry)
    assert has_place, "the specification needs geographic information"


def test_weekly_meeting_field_by_field():
    [entry] = entries(event())
    check_against_spec(entry)
    assert entry == {
        "name": "Tuesday Serenity",
        "slug": "6f1c8f0e-2b1d-4a57-9a0e-1d2f3c4b5a69-tu",
        "day": 2,  # Tuesday: 0 is Sunday
        "time": "19:00",
        "end_time": "20:30",
        "timezone": "Europe/London",
        "types": ["BE", "EN", "O", "X", "XB"],
        "notes": "A welcoming mutual-aid meeting.\nUpstairs, room 2",
        "url": "https://city.example/groups/cafe/tuesday-serenity/",
        "updated": "2026-02-10 14:32:23",
        "group": "Northbridge Recovery Café",
        "location": "Northbridge Library",
        "address": "1 High Street",
        "city": "Northbridge",
        "postal_code": "NB1 2AB",
        "country": "GB",
        "approximate": "no",
        "entity": "Northbridge",
        "entity_url": "https://city.example/",
    }


def test_online_meeting_has_its_conference_url_and_an_approximate_place():
    [entry] = entries(event(venue=None, online_url="https://meet.example/abc-defg"))
    check_against_spec(entry)
    assert entry["conference_url"] == "https://meet.example/abc-defg"
    assert entry["formatted_address"] == "Northbridge, GB"
    assert entry["approximate"] == "yes"
    assert "address" not in entry and "X" not in entry["types"]


def test_closed_meeting_is_typed_closed_not_open():
    [entry] = entries(event(open_to="recovery"))
    check_against_spec(entry)
    assert "C" in entry["types"] and "O" not in entry["types"]


def test_a_meeting_on_two_weekdays_is_two_entries_with_their_own_stable_slugs():
    found = entries(event(schedule=weekly(weekdays=(0, 3))))
    for entry in found:
        check_against_spec(entry)
    assert [(e["day"], e["slug"][-3:]) for e in found] == [(1, "-mo"), (4, "-th")]
    assert len({e["slug"] for e in found}) == 2


def test_a_daily_meeting_is_listed_on_all_seven_days():
    found = entries(event(schedule=weekly(frequency="daily", weekdays=())))
    assert sorted(e["day"] for e in found) == list(range(7))


@pytest.mark.parametrize(
    ("schedule", "listed"),
    [
        (weekly(), True),
        (weekly(interval=2), False),  # fortnightly: left out, see the README
        (weekly(frequency="monthly", monthly_mode="weekday", monthly_nth=1), False),
        (weekly(frequency="once"), False),
        (weekly(frequency="daily", interval=3), False),
        (weekly(until=date(2026, 2, 1)), False),  # over
        (weekly(until=date(2026, 3, 1)), True),  # its last date is today
    ],
)
def test_only_weekly_series_that_are_not_over_are_listed(schedule, listed):
    assert is_listed(event(schedule=schedule), today=TODAY) is listed
    assert bool(entries(event(schedule=schedule))) is listed


def test_a_weekly_event_is_listed_only_when_chosen_or_a_mutual_aid_meeting():
    other = (("social-and-cafe", "Social and café"),)
    assert not is_listed(event(categories=other), today=TODAY)
    assert is_listed(event(categories=other, in_meeting_finders=True), today=TODAY)


@pytest.mark.parametrize(
    ("facts", "types"),
    [
        ({}, ["BE", "EN", "O", "X", "XB"]),
        ({"welcomer": False, "venue": None}, ["EN", "O"]),
        ({"open_to": "recovery"}, ["BE", "C", "EN", "X", "XB"]),
        ({"family_friendly": True}, ["BE", "CF", "EN", "O", "X", "XB"]),
        ({"language": "pl"}, ["BE", "O", "POL", "X", "XB"]),
        ({"language": "cy"}, ["BE", "O", "X", "XB"]),  # no reserved code: none invented
    ],
)
def test_types_come_from_our_facts_and_are_all_reserved_codes(facts, types):
    found = meeting_types(event(**facts))
    assert found == types
    assert set(found) <= SPEC_TYPES


@pytest.mark.parametrize(("weekday", "day"), [(0, 1), (1, 2), (5, 6), (6, 0)])
def test_day_zero_is_sunday(weekday, day):
    assert spec_day(weekday) == day


def test_no_last_names_anywhere():
    # Groups' contact people are never read into a record, so no field can carry them.
    assert not {"contact_name", "contact_1_name"} & set(EventRecord.__dataclass_fields__)
    assert not {"contact_name"} & set(GroupRecord.__dataclass_fields__)
    [entry] = entries(event())
    assert not any(key.startswith("contact_") for key in entry)


def test_bsl_a_multi_day_meeting_and_dates_off_are_said_in_the_notes():
    [entry] = entries(
        event(
            bsl=True,
            schedule=weekly(duration_days=1, excluded_dates=(date(2026, 12, 29),)),
        )
    )
    assert "British Sign Language" in entry["notes"]
    assert "more than one day" in entry["notes"] and "end_time" not in entry
    assert "Some dates are off" in entry["notes"]

"""The HSDS serialiser: schedules across the clocks changing, and schema-valid documents."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from events.opendata import hsds
from events.opendata.prices import price_amount
from events.opendata.records import City, EventRecord, GroupRecord, VenueRecord
from events.schedule import Schedule
from tests.events.opendata.hsds_schemas import assert_valid
from tests.events.opendata.hsds_schemas import hsds as hsds_schema
from tests.events.opendata.hsds_schemas import uk as uk_schema

LONDON = ZoneInfo("Europe/London")
CITY = City(name="Northbridge", country="GB", region="West Yorkshire", currency="GBP")
TODAY = date(2026, 1, 1)
VENUE = VenueRecord(
    pk=4,
    name="Library",
    address_line_1="1 High Street",
    address_line_2="",
    town="Northbridge",
    postcode="NB1 2AB",
    step_free=True,
    hearing_loop=True,
    access_notes="Lift to the first floor.",
    transport_notes="Bus 12 stops outside.",
)
GROUP = GroupRecord(
    pk=2, title="Recovery Café", summary="Tea and company.", url="https://x.example/g/"
)


def labels():
    return hsds.default_labels()


def make(schedule: Schedule, **kwargs) -> EventRecord:
    fields = {
        "pk": 1,
        "uid": "6f1c8f0e-2b1d-4a57-9a0e-1d2f3c4b5a69",
        "title": "Café night",
        "summary": "Tea, cake and good company.",
        "url": "https://x.example/groups/cafe/night/",
        "schedule": schedule,
        "group": GROUP,
        "venue": VENUE,
        "updated": datetime(2026, 1, 1, 9, tzinfo=UTC),
        "ical_url": "https://x.example/feeds/event/6f1c8f0e-2b1d-4a57-9a0e-1d2f3c4b5a69.ics",
    }
    return EventRecord(**(fields | kwargs))


def weekly(**kwargs) -> Schedule:
    fields = {
        "start_date": date(2026, 1, 6),
        "start_time": time(19, 0),
        "end_time": time(21, 0),
        "frequency": "weekly",
        "weekdays": (1,),
    }
    return Schedule(**(fields | kwargs))


def local_starts(record: dict) -> list[datetime]:
    """Expand one HSDS schedule record as a consumer would: its rule inside its dates, at
    opens_at with its offset; give each start in London time."""
    opens = time.fromisoformat(record["opens_at"])  # "19:00+01:00" keeps its offset
    parts = [f"FREQ={record['freq']}", f"INTERVAL={record['interval']}"]
    if "byday" in record:
        parts.append(f"BYDAY={record['byday']}")
    if "bymonthday" in record:
        parts.append(f"BYMONTHDAY={record['bymonthday']}")
    if "count" in record:
        parts.append(f"COUNT={record['count']}")
    if "until" in record:
        parts.append(f"UNTIL={record['until'].replace('-', '')}T235959")
    start = datetime.combine(date.fromisoformat(record["dtstart"]), time(opens.hour, opens.minute))
    rule = rrulestr(";".join(parts), dtstart=start)
    first = datetime.combine(date.fromisoformat(record["valid_from"]), time())
    last = datetime.combine(date.fromisoformat(record["valid_to"]), time.max)
    zone = opens.tzinfo
    assert zone.utcoffset(None) == timedelta(hours=record["timezone"])
    return [d.replace(tzinfo=zone).astimezone(LONDON) for d in rule.between(first, last, inc=True)]


def test_a_weekly_series_across_both_clock_changes_keeps_its_local_time():
    event = make(weekly(until=date(2026, 12, 31)))
    records = hsds.schedules(event, today=TODAY, labels=labels())

    # Winter, summer (from 29 March), winter again (from 25 October).
    assert [(r["valid_from"], r["valid_to"], r["timezone"]) for r in records] == [
        ("2026-01-06", "2026-03-28", 0),
        ("2026-03-29", "2026-10-24", 1),
        ("2026-10-25", "2026-12-31", 0),
    ]
    assert [r["opens_at"] for r in records] == ["19:00+00:00", "19:00+01:00", "19:00+00:00"]
    starts = [start for record in records for start in local_starts(record)]
    assert len(starts) == 52  # every Tuesday of 2026 from 6 January, none twice, none lost
    assert {(s.hour, s.minute) for s in starts} == {(19, 0)}
    assert {s.weekday() for s in starts} == {1}
    for record in records:
        assert record["freq"] == "WEEKLY" and record["byday"] == "TU"
        assert record["until"] == "2026-12-31" and record["dtstart"] == "2026-01-06"


def test_a_time_in_the_small_hours_changes_offset_on_the_right_day():
    # 00:30 on Sunday 29 March is before the change at 01:00: still winter time.
    event = make(
        weekly(
            start_date=date(2026, 3, 22),
            start_time=time(0, 30),
            end_time=time(1, 0),
            weekdays=(6,),
            until=date(2026, 4, 30),
        )
    )
    records = hsds.schedules(event, today=date(2026, 3, 1), labels=labels())
    assert [(r["valid_from"], r["timezone"]) for r in records] == [
        ("2026-03-22", 0),
        ("2026-03-30", 1),
    ]
    starts = [s for r in records for s in local_starts(r)]
    assert [s.date() for s in starts] == [date(2026, 3, d) for d in (22, 29)] + [
        date(2026, 4, d) for d in (5, 12, 19, 26)
    ]
    assert {(s.hour, s.minute) for s in starts} == {(0, 30)}


@pytest.mark.parametrize(
    ("schedule", "fields"),
    [
        (weekly(interval=2), {"freq": "WEEKLY", "interval": 2, "byday": "TU"}),
        (weekly(weekdays=(0, 3)), {"freq": "WEEKLY", "interval": 1, "byday": "MO,TH"}),
        (
            weekly(frequency="monthly", monthly_mode="weekday", monthly_nth=-1, weekdays=(4,)),
            {"freq": "MONTHLY", "byday": "-1FR"},
        ),
        (
            weekly(frequency="monthly", monthly_mode="day", start_date=date(2026, 1, 15)),
            {"freq": "MONTHLY", "bymonthday": "15"},
        ),
        (weekly(frequency="monthly", monthly_mode="last_day"), {"bymonthday": "-1"}),
        (
            weekly(frequency="daily", weekdays=()),
            {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU"},
        ),
        (weekly(count=10), {"count": 10}),
    ],
)
def test_rules_become_hsds_rule_fields(schedule, fields):
    found = hsds.rule_fields(schedule)
    assert found.items() >= fields.items()


@pytest.mark.parametrize(
    "schedule",
    [weekly(frequency="once"), weekly(frequency="daily", interval=3)],
)
def test_what_hsds_has_no_rule_for_is_written_date_by_date(schedule):
    assert hsds.rule_fields(schedule) is None
    records = hsds.schedules(make(schedule), today=TODAY, labels=labels())
    assert records and all("freq" not in r and r["valid_from"] == r["dtstart"] for r in records)
    assert {r["opens_at"][:5] for r in records} == {"19:00"}


def test_excluded_and_cancelled_dates_are_in_the_notes_and_extra_dates_are_records():
    event = make(
        weekly(extra_dates=(date(2026, 1, 10),), excluded_dates=(date(2026, 1, 13),)),
        cancelled_dates=(date(2026, 1, 20),),
    )
    records = hsds.schedules(event, today=TODAY, labels=labels())
    assert "13 January" in records[0]["notes"] and "20 January" in records[0]["notes"]
    assert [r for r in records if r["valid_from"] == "2026-01-10" and "freq" not in r]


def test_a_service_validates_against_hsds_and_the_uk_profile():
    event = make(weekly(), is_free=False, cost="£3, or pay what you can", bsl=True)
    document = hsds.service(event, city=CITY, today=TODAY, labels=labels())
    assert_valid(hsds_schema("service"), document)
    assert_valid(uk_schema("service"), document)
    assert document["id"] == event.uid
    assert document["cost_options"][0].items() >= {"currency": "GBP", "amount": 3.0}.items()
    [place] = document["service_at_locations"]
    [address] = place["location"]["addresses"]
    assert address["state_province"] == "West Yorkshire" and address["country"] == "GB"
    access = {a["description"] for a in place["location"]["accessibility"]}
    assert {"Step-free access", "Hearing loop", "More about access"} <= access


def test_the_schemas_do_refuse_a_bad_document():
    # So that "valid" means something: the nested address is checked through its $ref.
    document = hsds.service(make(weekly()), city=CITY, today=TODAY, labels=labels())
    del document["service_at_locations"][0]["location"]["addresses"][0]["state_province"]
    document["schedules"][0]["timezone"] = "Europe/London"  # HSDS wants a number
    for validator in (hsds_schema("service"), uk_schema("service")):
        messages = {e.message for e in validator.iter_errors(document)}
        assert "'state_province' is a required property" in messages
    assert any(
        "is not of type 'number'" in e.message for e in hsds_schema("service").iter_errors(document)
    )


def test_an_online_service_has_a_virtual_location():
    document = hsds.service(
        make(weekly(), venue=None, online_url="https://meet.example/x"),
        city=CITY,
        today=TODAY,
        labels=labels(),
    )
    assert_valid(hsds_schema("service"), document)
    [place] = document["service_at_locations"]
    assert place["location"]["location_type"] == "virtual"
    assert document["schedules"][0]["attending_type"] == "Online"


def test_the_list_form_validates_and_ids_are_stable():
    first = hsds.service(make(weekly()), city=CITY, today=TODAY, labels=labels(), full=False)
    assert_valid(uk_schema("service_list"), first)
    assert "schedules" not in first
    assert (
        hsds.organization(GROUP)["id"]
        == hsds.organization(GROUP)["id"]
        == hsds.entity_id("group", 2)
    )
    assert_valid(hsds_schema("organization"), hsds.organization(GROUP))
    assert_valid(hsds_schema("location"), hsds.venue_location(VENUE, city=CITY, labels=labels()))


def test_a_city_without_a_region_gives_the_town_as_state_province():
    location = hsds.venue_location(VENUE, city=City(name="N"), labels=labels())
    assert location["addresses"][0]["state_province"] == "Northbridge"


@pytest.mark.parametrize(
    ("total", "number", "per_page", "pages", "first", "last"),
    [(0, 1, 50, 1, True, True), (120, 1, 50, 3, True, False), (120, 3, 50, 3, False, True)],
)
def test_paging_follows_the_api_reference(total, number, per_page, pages, first, last):
    found = hsds.page([], total=total, number=number, per_page=per_page)
    assert (found["total_pages"], found["first_page"], found["last_page"]) == (pages, first, last)
    assert found["empty"] is (total == 0)


@pytest.mark.parametrize(
    ("cost", "amount"),
    [
        ("£3, or pay what you can", "3.00"),
        ("£2.50", "2.50"),
        ("3,50 €", "3.50"),
        ("Donations", None),
    ],
)
def test_price_amount(cost, amount):
    found = price_amount(cost)
    assert (str(found) if found is not None else None) == amount

"""events.ical: series become feeds that an independent parser expands to the right dates."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from events.ical import Override, Rule, Series, build_calendar, to_ics, vtimezone

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)


def series(**kwargs) -> Series:
    defaults = {
        "uid": "3f1c-test@irc",
        "title": "Recovery café",
        "start": datetime(2026, 1, 6, 19, 0),
        "end": datetime(2026, 1, 6, 21, 0),
    }
    return Series(**(defaults | kwargs))


def expand(items, start, end, **kwargs):
    """What recurring-ical-events makes of our feed: (local start, local end, status, summary)."""
    feed = to_ics(items, name="Test", stamp=STAMP, **kwargs)
    parsed = icalendar.Calendar.from_ical(feed)
    found = recurring_ical_events.of(parsed).between(start, end)
    rows = []
    for vevent in found:
        start_at = vevent["DTSTART"].dt
        end_at = vevent["DTEND"].dt
        rows.append(
            (
                start_at.astimezone(LONDON).replace(tzinfo=None),
                end_at.astimezone(LONDON).replace(tzinfo=None),
                str(vevent.get("STATUS", "")),
                str(vevent.get("SUMMARY")),
            )
        )
    return sorted(rows)


def tuesdays(first: date, last: date, hour=19):
    day, out = first, []
    while day <= last:
        out.append(datetime(day.year, day.month, day.day, hour))
        day += timedelta(days=7)
    return out


# (name, series fields, window start, window end, expected local starts)
CASES = [
    (
        "weekly across both clock changes",
        {"rules": (Rule("WEEKLY", byday=("TU",)),)},
        date(2026, 3, 17),
        date(2026, 11, 4),
        tuesdays(date(2026, 3, 17), date(2026, 11, 3)),
    ),
    (
        "every other week",
        {"rules": (Rule("WEEKLY", interval=2, byday=("TU",)),)},
        date(2026, 3, 1),
        date(2026, 4, 30),
        [datetime(2026, 3, 3, 19), datetime(2026, 3, 17, 19), datetime(2026, 3, 31, 19)]
        + [datetime(2026, 4, 14, 19), datetime(2026, 4, 28, 19)],
    ),
    (
        "weekly on two weekdays",
        {"rules": (Rule("WEEKLY", byday=("TU", "TH")),)},
        date(2026, 3, 23),
        date(2026, 4, 3),
        [datetime(2026, 3, 24, 19), datetime(2026, 3, 26, 19)]
        + [datetime(2026, 3, 31, 19), datetime(2026, 4, 2, 19)],
    ),
    (
        "the fifth Tuesday, only in months that have one",
        {
            "start": datetime(2026, 3, 31, 19),
            "end": datetime(2026, 3, 31, 21),
            "rules": (Rule("MONTHLY", byday=("5TU",)),),
        },
        date(2026, 1, 1),
        date(2026, 12, 31),
        [datetime(2026, 3, 31, 19), datetime(2026, 6, 30, 19), datetime(2026, 9, 29, 19)]
        + [datetime(2026, 12, 29, 19)],
    ),
    (
        "the last Friday of each month",
        {
            "start": datetime(2026, 1, 30, 19),
            "end": datetime(2026, 1, 30, 21),
            "rules": (Rule("MONTHLY", byday=("-1FR",)),),
        },
        date(2026, 1, 1),
        date(2026, 5, 1),
        [datetime(2026, 1, 30, 19), datetime(2026, 2, 27, 19), datetime(2026, 3, 27, 19)]
        + [datetime(2026, 4, 24, 19)],
    ),
    (
        "the last day of each month, short months included",
        {
            "start": datetime(2026, 1, 31, 10),
            "end": datetime(2026, 1, 31, 12),
            "rules": (Rule("MONTHLY", bymonthday=(-1,)),),
        },
        date(2026, 1, 1),
        date(2026, 5, 1),
        [datetime(2026, 1, 31, 10), datetime(2026, 2, 28, 10)]
        + [datetime(2026, 3, 31, 10), datetime(2026, 4, 30, 10)],
    ),
    (
        "monthly on the 31st skips months without one",
        {
            "start": datetime(2026, 1, 31, 10),
            "end": datetime(2026, 1, 31, 12),
            "rules": (Rule("MONTHLY", bymonthday=(31,)),),
        },
        date(2026, 1, 1),
        date(2026, 6, 1),
        [datetime(2026, 1, 31, 10), datetime(2026, 3, 31, 10), datetime(2026, 5, 31, 10)],
    ),
    (
        "a series that ends on a date includes that date",
        {"rules": (Rule("WEEKLY", byday=("TU",), until=date(2026, 4, 7)),)},
        date(2026, 3, 20),
        date(2026, 6, 1),
        [datetime(2026, 3, 24, 19), datetime(2026, 3, 31, 19), datetime(2026, 4, 7, 19)],
    ),
    (
        "a series that ends after a count",
        {"rules": (Rule("WEEKLY", byday=("TU",), count=3),)},
        date(2026, 1, 1),
        date(2026, 6, 1),
        [datetime(2026, 1, 6, 19), datetime(2026, 1, 13, 19), datetime(2026, 1, 20, 19)],
    ),
    (
        "excluded dates and extra dates",
        {
            "rules": (Rule("WEEKLY", byday=("TU",)),),
            "exdates": (datetime(2026, 3, 31, 19),),
            "rdates": (datetime(2026, 4, 2, 19),),
        },
        date(2026, 3, 23),
        date(2026, 4, 8),
        [datetime(2026, 3, 24, 19), datetime(2026, 4, 2, 19), datetime(2026, 4, 7, 19)],
    ),
    (
        "a one-off",
        {"start": datetime(2026, 9, 19, 11), "end": datetime(2026, 9, 19, 15)},
        date(2026, 1, 1),
        date(2026, 12, 31),
        [datetime(2026, 9, 19, 11)],
    ),
]


@pytest.mark.parametrize(
    ("fields", "window_start", "window_end", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_feed_expands_to_the_schedule(fields, window_start, window_end, expected):
    rows = expand([series(**fields)], window_start, window_end)
    assert [row[0] for row in rows] == expected


def test_weekly_rule_keeps_local_time_across_dst():
    rows = expand(
        [series(rules=(Rule("WEEKLY", byday=("TU",)),))], date(2026, 3, 24), date(2026, 11, 4)
    )
    parsed = icalendar.Calendar.from_ical(
        to_ics([series(rules=(Rule("WEEKLY", byday=("TU",)),))], name="T", stamp=STAMP)
    )
    instants = sorted(
        vevent["DTSTART"].dt.astimezone(UTC)
        for vevent in recurring_ical_events.of(parsed).between(date(2026, 3, 24), date(2026, 11, 4))
    )
    instants = [instant.hour for instant in instants]
    assert {row[0].hour for row in rows} == {19}
    # 19:00 GMT in winter is 19:00 UTC; 19:00 BST in summer is 18:00 UTC.
    assert instants[0] == 19 and instants[1] == 18  # 24 and 31 March
    # Clocks go back on 25 October: 20 October is still summer time, 27 October is not.
    assert instants[-3:] == [18, 19, 19]


def test_multi_day_event_keeps_its_end():
    rows = expand(
        [series(start=datetime(2026, 10, 24, 10), end=datetime(2026, 10, 25, 17))],
        date(2026, 10, 1),
        date(2026, 11, 1),
    )
    assert rows[0][:2] == (datetime(2026, 10, 24, 10), datetime(2026, 10, 25, 17))


def test_moved_and_cancelled_dates_are_overrides_of_the_series():
    item = series(
        rules=(Rule("WEEKLY", byday=("TU",)),),
        location="Northbridge Library",
        overrides=(
            Override(
                original_start=datetime(2026, 3, 31, 19),
                start=datetime(2026, 4, 1, 18),
                end=datetime(2026, 4, 1, 20),
                location="Town Hall",
            ),
            Override(original_start=datetime(2026, 10, 27, 19), cancelled=True, reason="Half-term"),
        ),
    )
    rows = expand([item], date(2026, 3, 24), date(2026, 11, 4))
    starts = [row[0] for row in rows]
    assert datetime(2026, 3, 31, 19) not in starts
    moved = rows[starts.index(datetime(2026, 4, 1, 18))]
    assert moved[1:3] == (datetime(2026, 4, 1, 20), "CONFIRMED")
    cancelled = rows[starts.index(datetime(2026, 10, 27, 19))]
    assert cancelled[2:] == ("CANCELLED", "Cancelled: Recovery café")
    assert [row[2] for row in rows].count("CANCELLED") == 1

    feed = to_ics([item], name="Test", stamp=STAMP).decode()
    assert "RECURRENCE-ID;TZID=Europe/London:20260331T190000" in feed
    assert "LOCATION:Town Hall" in feed
    assert "Why: Half-term" in feed


def test_cancelled_one_off_is_marked_cancelled_not_dropped():
    item = series(overrides=(Override(original_start=datetime(2026, 1, 6, 19), cancelled=True),))
    rows = expand([item], date(2026, 1, 1), date(2026, 2, 1))
    assert rows == [
        (
            datetime(2026, 1, 6, 19),
            datetime(2026, 1, 6, 21),
            "CANCELLED",
            "Cancelled: Recovery café",
        )
    ]


def test_until_is_written_in_utc_beside_a_tzid_start():
    # 30 June is in summer time: the last local second of that day is 22:59:59 UTC.
    feed = to_ics(
        [series(rules=(Rule("WEEKLY", byday=("TU",), until=date(2026, 6, 30)),))],
        name="T",
        stamp=STAMP,
    ).decode()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260630T225959Z;BYDAY=TU" in feed
    assert "DTSTART;TZID=Europe/London:20260106T190000" in feed


def test_calendar_has_name_refresh_interval_and_stamps():
    item = series(
        sequence=3,
        last_modified=datetime(2026, 1, 1, 12, tzinfo=UTC),
        categories=("Social and café",),
        organiser_name="Northbridge Recovery Café",
        organiser_email="hello@example.org",
        url="https://example.org/groups/cafe/tuesdays/",
    )
    cal = build_calendar([item], name="Northbridge events", stamp=STAMP, refresh=timedelta(hours=2))
    text = cal.to_ical().decode().replace("\r\n ", "")
    assert "X-WR-CALNAME:Northbridge events" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT2H" in text
    assert "X-PUBLISHED-TTL:PT2H" in text
    vevent = cal.events[0]
    assert str(vevent["UID"]) == "3f1c-test@irc"
    assert vevent["SEQUENCE"] == 3
    assert vevent["LAST-MODIFIED"].dt == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert vevent["DTSTAMP"].dt == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert str(vevent["ORGANIZER"]) == "mailto:hello@example.org"
    assert vevent["ORGANIZER"].params["CN"] == "Northbridge Recovery Café"
    assert "CATEGORIES:Social and café" in text


@pytest.mark.parametrize(
    ("tz_name", "observances"),
    [
        (
            "Europe/London",
            [
                ("DAYLIGHT", "-1SU", 3, "010000", "+0000", "+0100"),
                ("STANDARD", "-1SU", 10, "020000", "+0100", "+0000"),
            ],
        ),
        (
            "America/New_York",
            [
                ("DAYLIGHT", "2SU", 3, "020000", "-0500", "-0400"),
                ("STANDARD", "1SU", 11, "020000", "-0400", "-0500"),
            ],
        ),
    ],
)
def test_vtimezone_is_in_the_rrule_form(tz_name, observances):
    text = vtimezone(tz_name, 2025, 2027).to_ical().decode()
    assert "RDATE" not in text
    found = []
    for observance in vtimezone(tz_name, 2025, 2027).subcomponents:
        rrule = observance["RRULE"]
        found.append(
            (
                observance.name,
                rrule["BYDAY"][0],
                rrule["BYMONTH"][0],
                observance["DTSTART"].dt.strftime("%H%M%S"),
                observance["TZOFFSETFROM"].to_ical(),
                observance["TZOFFSETTO"].to_ical(),
            )
        )
        assert "UNTIL" not in rrule
    assert sorted(found) == sorted(observances)


def test_vtimezone_without_clock_changes_has_one_standard_observance():
    component = vtimezone("Asia/Tokyo", 2025, 2027)
    (observance,) = component.subcomponents
    assert observance.name == "STANDARD"
    assert observance["TZOFFSETTO"].to_ical() == "+0900"


def test_vtimezone_ends_a_rule_the_zone_stopped_using():
    # The USA moved its clock changes in 2007: the old rule ends, the new one runs on.
    component = vtimezone("America/New_York", 2005, 2009)
    daylight = [c for c in component.subcomponents if c.name == "DAYLIGHT"]
    assert [c["RRULE"]["BYDAY"][0] for c in daylight] == ["1SU", "2SU"]
    assert [c["RRULE"]["BYMONTH"][0] for c in daylight] == [4, 3]
    assert "UNTIL" in daylight[0]["RRULE"] and "UNTIL" not in daylight[1]["RRULE"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"freq": "HOURLY"}, "Unknown frequency"),
        ({"freq": "WEEKLY", "interval": 0}, "interval"),
        ({"freq": "WEEKLY", "byday": ("TUESDAY",)}, "Unknown weekday"),
        ({"freq": "MONTHLY", "bymonthday": (32,)}, "out of range"),
        ({"freq": "WEEKLY", "count": 3, "until": date(2026, 1, 1)}, "not both"),
    ],
)
def test_rule_refuses_what_rfc_5545_cannot_say(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Rule(**kwargs)


def test_text_is_escaped_and_lines_folded_so_parsers_read_it_back():
    title = 'Café; cake, and chat \\ with "friends"'
    description = "Line one.\nLine two: " + "ünïcödé " * 30
    item = series(
        title=title,
        description=description,
        location="Hall 2, 1 High St; Northbridge",
        organiser_name="Friends: of; the, Café",
        organiser_email="hello@example.org",
        categories=("Social, and café", "Arts"),
    )
    feed = to_ics([item], name="Northbridge; events, all", stamp=STAMP)
    assert all(len(line) <= 75 for line in feed.split(b"\r\n"))
    feed.decode("utf-8")  # folding never splits a character
    parsed = icalendar.Calendar.from_ical(feed)
    vevent = parsed.events[0]
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]) == description
    assert str(vevent["LOCATION"]) == "Hall 2, 1 High St; Northbridge"
    assert vevent["ORGANIZER"].params["CN"] == "Friends: of; the, Café"
    assert list(vevent["CATEGORIES"].cats) == ["Social, and café", "Arts"]
    assert b"\r\nNAME:Northbridge\\; events\\, all\r\n" in feed
    assert b"X-WR-CALNAME:Northbridge\\; events\\, all\r\n" in feed


def test_control_characters_are_dropped():
    feed = to_ics([series(title="Bad\x00 title\x1b")], name="T", stamp=STAMP)
    assert str(icalendar.Calendar.from_ical(feed).events[0]["SUMMARY"]) == "Bad title"


# What Unicode reads as the end of a line, besides "\n" (U+2028, U+2029, NEL, CR).
LINE_BREAKS = ["\u2028", "\u2029", "\x85", "\r", "\r\n"]
PROPERTY_LINE = re.compile(rb"^(?: |[A-Z][A-Z0-9-]*[;:])")


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=["LS", "PS", "NEL", "CR", "CRLF"])
def test_unicode_line_breaks_become_escaped_newlines(brk):
    """A title saying "Café<LS>DTSTART:20000101..." must not become a second property."""
    injected = f"Café{brk}DTSTART:20000101T000000Z{brk}X-EVIL:1"
    item = series(
        title=injected,
        description=f"One.{brk}Two.",
        location=f"Hall 2{brk}High St",
        organiser_name=f"Friends{brk}of the café",
        organiser_email="hello@example.org",
        categories=(f"Arts{brk}Crafts",),
        rules=(Rule("WEEKLY", byday=("TU",), count=3),),
        overrides=(
            Override(
                original_start=datetime(2026, 1, 13, 19),
                start=datetime(2026, 1, 13, 18),
                end=datetime(2026, 1, 13, 20),
                note=f"Earlier{brk}this week",
            ),
        ),
    )
    feed = to_ics([item], name=f"North{brk}bridge", stamp=STAMP, description=f"All{brk}of it")

    # The raw lines: none of these characters, and every line a property or a fold.
    for character in ("\u2028", "\u2029", "\x85"):
        assert character.encode() not in feed
    lines = feed.split(b"\r\n")
    assert lines[-1] == b""
    assert all(PROPERTY_LINE.match(line) for line in lines[:-1]), lines
    assert b"\nX-EVIL" not in feed.replace(b"\r\n ", b"")
    assert not [line for line in lines if line.startswith((b"X-EVIL", b"DTSTART:2000"))]

    # An independent parser reads the breaks back as "\n", and the dates are unchanged.
    parsed = icalendar.Calendar.from_ical(feed)
    master = next(e for e in parsed.events if "RECURRENCE-ID" not in e)
    assert str(master["SUMMARY"]) == "Café\nDTSTART:20000101T000000Z\nX-EVIL:1"
    assert str(master["DESCRIPTION"]).startswith("One.\nTwo.")
    assert str(master["LOCATION"]) == "Hall 2\nHigh St"
    assert master["ORGANIZER"].params["CN"] == "Friends of the café"
    assert "X-EVIL" not in master
    assert master["DTSTART"].dt.year == 2026
    found = recurring_ical_events.of(parsed).between(date(2025, 12, 1), date(2026, 3, 1))
    starts = sorted(e["DTSTART"].dt.astimezone(LONDON).replace(tzinfo=None) for e in found)
    assert starts == [
        datetime(2026, 1, 6, 19),
        datetime(2026, 1, 13, 18),
        datetime(2026, 1, 20, 19),
    ]


def test_other_control_characters_are_dropped_c1_too():
    feed = to_ics([series(title="Bad\x9b title\x80\x0b\x0c\x1c")], name="T", stamp=STAMP)
    assert str(icalendar.Calendar.from_ical(feed).events[0]["SUMMARY"]) == "Bad title"

"""Reading a group's calendar into our schedule fields: pure, table-driven, no database."""

from datetime import date, time

import pytest

from events import schedule as sched
from events.ics_import.parse import (
    MAX_BYTES,
    MAX_EVENTS,
    ImportError,
    plan_import,
)

from .sample import SAMPLE

TODAY = date(2026, 1, 1)


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + body + "END:VCALENDAR\r\n"
    return text.replace("\n        ", "\n").replace("\r\r", "\r").encode()


def event(uid="e@x", rule="", start="20260106T190000", end="20260106T210000", extra=""):
    lines = [
        f"UID:{uid}",
        "SUMMARY:Test event",
        f"DTSTART;TZID=Europe/London:{start}",
        f"DTEND;TZID=Europe/London:{end}",
    ]
    if rule:
        lines.append(f"RRULE:{rule}")
    if extra:
        lines.append(extra)
    return "\r\n".join(lines)


def only(data: bytes):
    plan = plan_import(data, today=TODAY)
    assert not plan.refused, plan.refused
    (item,) = plan.items
    return item


def refused(data: bytes) -> str:
    plan = plan_import(data, today=TODAY)
    assert not plan.items
    (refusal,) = plan.refused
    return refusal.reason


def test_the_sample_becomes_a_weekly_a_fortnightly_a_monthly_series_and_an_all_day_date():
    plan = plan_import(SAMPLE, today=TODAY)
    assert not plan.refused
    items = {item.uid: item for item in plan.items}
    cafe = items["cafe-weekly@example.org"]
    assert cafe.fields["frequency"] == sched.WEEKLY
    assert cafe.fields["weekdays"] == "TU"
    assert cafe.fields["excluded_dates"] == "2026-04-07"
    assert cafe.title == "Recovery cafe"
    assert cafe.summary == "Tea, toast and good company."
    assert cafe.location == "St Mark's Hall"
    moved, cancelled = cafe.changes
    assert (moved.original_date, moved.status, moved.new_date) == (
        date(2026, 3, 31),
        "moved",
        date(2026, 4, 1),
    )
    assert (moved.new_start_time, moved.new_end_time) == (time(18), time(20))
    assert (cancelled.original_date, cancelled.status) == (date(2026, 10, 27), "cancelled")
    assert cancelled.note == "The hall is closed for repairs."

    walk = items["walk-fortnightly@example.org"]
    assert (walk.fields["interval"], walk.fields["weekdays"]) == (2, "SA")
    # UNTIL 23:59:59 UTC on 31 December: the last Saturday it reaches is 26 December.
    assert (walk.fields["ends"], walk.fields["until"]) == (sched.ENDS_ON_DATE, date(2026, 12, 26))

    family = items["families-monthly@example.org"]
    assert family.fields["frequency"] == sched.MONTHLY
    assert family.fields["monthly_mode"] == sched.BY_WEEKDAY
    assert (family.fields["monthly_nth"], family.fields["weekdays"]) == (2, "TH")

    fun = items["fun-day@example.org"]
    assert fun.kind == "one-off" and fun.all_day
    assert (fun.fields["start_time"], fun.fields["end_time"]) == (time(0), time(23, 59))
    assert any("All day" in note for note in fun.notes)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=DAILY;INTERVAL=3", {"frequency": "daily", "interval": 3}),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", {"frequency": "weekly", "weekdays": "MO,TU,WE,TH,FR"}),
        ("FREQ=WEEKLY", {"frequency": "weekly", "weekdays": "TU"}),
        ("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10", {"weekdays": "TU,TH", "ends": "after_count"}),
        ("FREQ=MONTHLY", {"frequency": "monthly", "monthly_mode": "day"}),
        ("FREQ=MONTHLY;BYDAY=-1TU", {"monthly_mode": "weekday", "monthly_nth": -1}),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1", {"monthly_mode": "weekday", "monthly_nth": 1}),
        ("FREQ=YEARLY", {"frequency": "monthly", "interval": 12, "monthly_mode": "day"}),
        (
            "FREQ=YEARLY;BYMONTH=1;BYDAY=1TU",
            {"frequency": "monthly", "interval": 12, "monthly_nth": 1},
        ),
    ],
)
def test_rules_our_schedules_hold_become_their_fields(rule, expected):
    item = only(calendar(event(rule=rule)))
    assert {key: item.fields[key] for key in expected} == expected


def test_a_last_day_of_the_month_rule():
    item = only(
        calendar(
            event(rule="FREQ=MONTHLY;BYMONTHDAY=-1", start="20260131T190000", end="20260131T210000")
        )
    )
    assert item.fields["monthly_mode"] == sched.BY_LAST_DAY


@pytest.mark.parametrize(
    ("rule", "named"),
    [
        ("FREQ=MINUTELY", "every minute"),
        ("FREQ=HOURLY;INTERVAL=2", "every hour"),
        ("FREQ=SECONDLY;COUNT=5", "every second"),
        ("FREQ=DAILY;BYHOUR=9,17", "BYHOUR"),
        ("FREQ=MONTHLY;BYDAY=TU", "every such weekday"),
        ("FREQ=YEARLY;BYMONTH=3", "another month"),
        ("FREQ=WEEKLY;BYDAY=1TU", "within a month"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "another day of the month"),
        ("FREQ=MONTHLY;BYDAY=1TU,3TU", "every such weekday"),
        ("FREQ=WEEKLY;INTERVAL=99", "from 1 to 52"),
    ],
)
def test_a_rule_we_cannot_hold_is_named_and_left_out(rule, named):
    reason = refused(calendar(event(rule=rule)))
    assert named in reason
    if "every" in named or "BY" in named:
        assert rule.split(";")[0] in reason  # the rule itself is quoted


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("EXRULE:FREQ=MONTHLY", "EXRULE"),
        ("RRULE:FREQ=DAILY", "more than one rule"),
        ("RDATE;TZID=Europe/London:20260301T100000", "another time"),
        ("STATUS:CANCELLED", "cancelled"),
    ],
)
def test_other_things_we_cannot_hold_are_named(extra, named):
    assert named in refused(calendar(event(rule="FREQ=WEEKLY", extra=extra)))


def test_an_unknown_time_zone_is_named_not_guessed():
    data = calendar("UID:z\r\nSUMMARY:Z\r\nDTSTART;TZID=Mars/Olympus:20260106T190000")
    assert "Mars/Olympus" in refused(data)


def test_a_change_to_all_the_dates_after_one_is_refused():
    override = (
        "UID:e@x\r\nSUMMARY:Test event\r\n"
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:20260113T190000\r\n"
        "DTSTART;TZID=Europe/London:20260113T200000\r\nDTEND;TZID=Europe/London:20260113T220000"
    )
    assert "all the dates after it" in refused(calendar(event(rule="FREQ=WEEKLY"), override))


def test_a_change_to_a_date_the_series_does_not_have_is_refused():
    override = (
        "UID:e@x\r\nRECURRENCE-ID;TZID=Europe/London:20260114T190000\r\n"
        "DTSTART;TZID=Europe/London:20260114T200000\r\nDTEND;TZID=Europe/London:20260114T220000"
    )
    assert "2026-01-14" in refused(calendar(event(rule="FREQ=WEEKLY"), override))


def test_a_count_beyond_what_a_schedule_holds_becomes_its_last_date_and_says_so():
    item = only(calendar(event(rule="FREQ=DAILY;COUNT=600")))
    assert (item.fields["ends"], item.fields["until"]) == ("on_date", date(2027, 8, 28))
    assert any("600" in note for note in item.notes)


def test_a_start_the_rule_skips_is_still_a_date_as_rfc_5545_says():
    # DTSTART on a Monday, the rule on Tuesdays: the Monday is a date too.
    item = only(
        calendar(event(rule="FREQ=WEEKLY;BYDAY=TU", start="20260105T190000", end="20260105T210000"))
    )
    assert item.fields["extra_dates"] == "2026-01-05"


def test_an_exdate_that_is_no_date_of_the_series_leaves_nothing_out():
    item = only(
        calendar(event(rule="FREQ=WEEKLY", extra="EXDATE;TZID=Europe/London:20260114T190000"))
    )
    assert item.fields["excluded_dates"] == ""


def test_a_series_in_utc_keeps_utc_and_says_what_that_means():
    data = calendar(
        "UID:u\r\nSUMMARY:U\r\nDTSTART:20260106T190000Z\r\nDTEND:20260106T200000Z\r\n"
        "RRULE:FREQ=WEEKLY"
    )
    item = only(data)
    assert item.fields["time_zone"] == "UTC"
    assert any("UTC" in note for note in item.notes)


def test_a_one_off_in_utc_is_shown_in_local_time():
    data = calendar("UID:u\r\nSUMMARY:U\r\nDTSTART:20260706T180000Z\r\nDTEND:20260706T200000Z")
    item = only(data)
    assert (item.fields["time_zone"], item.fields["start_time"]) == ("Europe/London", time(19))


def test_a_multi_day_event_keeps_its_days():
    item = only(calendar(event(start="20260612T180000", end="20260614T160000")))
    assert (item.fields["duration_days"], item.fields["end_time"]) == (2, time(16))


def test_events_already_over_are_counted_not_imported():
    plan = plan_import(calendar(event(start="20250106T190000", end="20250106T210000")), today=TODAY)
    assert (plan.items, plan.refused, plan.past) == ([], [], 1)


def test_a_windows_time_zone_name_is_read():
    data = calendar(
        "UID:w\r\nSUMMARY:W\r\nDTSTART;TZID=GMT Standard Time:20260106T190000\r\n"
        "DTEND;TZID=GMT Standard Time:20260106T210000\r\nRRULE:FREQ=WEEKLY"
    )
    assert only(data).fields["time_zone"] == "Europe/London"


# ---- Hostile files: refused whole, with what to do next ---------------------------------


def test_a_huge_file_is_refused():
    data = calendar(event()) + b" " * MAX_BYTES
    with pytest.raises(ImportError, match="larger than 2 MB"):
        plan_import(data, today=TODAY)


def test_thousands_of_events_are_refused_before_reading_them():
    data = calendar(*(event(uid=f"e{n}") for n in range(MAX_EVENTS + 1)))
    with pytest.raises(ImportError, match="at most 1000"):
        plan_import(data, today=TODAY)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is not a calendar",
        b"<html><body>Sign in to Google</body></html>",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\n\xff\xfe\x00garbage\r\nEND:VCALENDAR\r\n",
    ],
)
def test_a_malformed_file_is_refused_clearly(data):
    with pytest.raises(ImportError) as raised:
        plan_import(data, today=TODAY)
    assert raised.value.message.endswith(".")


def test_an_event_that_cannot_be_read_is_named_not_a_crash():
    data = calendar(
        "UID:bad\r\nSUMMARY:Bad\r\nDTSTART;TZID=Europe/London:20260106T190000\r\n"
        "DTEND;TZID=Europe/London:20260106T210000\r\nRRULE:FREQ=WEEKLY;INTERVAL=x"
    )
    plan = plan_import(data, today=TODAY)
    assert [r.uid for r in plan.refused] == ["bad"]


def test_control_characters_and_a_uid_too_long_to_keep_are_made_safe():
    long_uid = "x" * 400
    data = calendar(event(uid=long_uid).replace("SUMMARY:Test event", "SUMMARY:Tea\x00 time\x07"))
    item = only(data)
    assert item.title == "Tea time"
    assert item.uid.startswith("uid-sha256:") and len(item.uid) <= 255
    assert only(data).uid == item.uid  # the same every time, so a re-import finds it

"""The pure schedule module: expansion, one-date changes, validation and the summary."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from events import schedule as sched
from events.schedule import Change, Schedule, ScheduleError

LONDON = "Europe/London"


def window(first: str, last: str) -> dict:
    return {
        "start": datetime.fromisoformat(first).replace(tzinfo=UTC),
        "end": datetime.fromisoformat(last).replace(tzinfo=UTC),
    }


def local_starts(schedule: Schedule, first="2026-01-01", last="2028-01-01") -> list[str]:
    return [
        s.original_start.strftime("%Y-%m-%d %H:%M")
        for s in sched.expand(schedule, **window(first, last))
    ]


def utc_hours(schedule: Schedule, first="2026-01-01", last="2028-01-01") -> list[str]:
    return [
        s.original_start.astimezone(UTC).strftime("%m-%d %H:%M")
        for s in sched.expand(schedule, **window(first, last))
    ]


TUESDAY_7PM = {"start_time": time(19), "end_time": time(21)}

CASES = [
    # (name, schedule, window, expected local starts)
    (
        "one-off",
        Schedule(start_date=date(2026, 6, 6), start_time=time(10), end_time=time(16)),
        ("2026-01-01", "2027-01-01"),
        ["2026-06-06 10:00"],
    ),
    (
        "weekly on Tuesday",
        Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), **TUESDAY_7PM),
        ("2026-01-01", "2026-02-01"),
        ["2026-01-06 19:00", "2026-01-13 19:00", "2026-01-20 19:00", "2026-01-27 19:00"],
    ),
    (
        "weekly from a start date that is not a chosen day",
        Schedule(date(2026, 1, 8), frequency="weekly", weekdays=(1,), **TUESDAY_7PM),
        ("2026-01-01", "2026-01-25"),
        ["2026-01-13 19:00", "2026-01-20 19:00"],
    ),
    (
        "every other week, Tuesday and Thursday",
        Schedule(date(2026, 1, 6), frequency="weekly", interval=2, weekdays=(1, 3), **TUESDAY_7PM),
        ("2026-01-01", "2026-02-05"),
        [
            "2026-01-06 19:00",
            "2026-01-08 19:00",
            "2026-01-20 19:00",
            "2026-01-22 19:00",
            "2026-02-03 19:00",
        ],
    ),
    (
        "every third day",
        Schedule(date(2026, 3, 1), frequency="daily", interval=3, **TUESDAY_7PM),
        ("2026-03-01", "2026-03-12"),
        ["2026-03-01 19:00", "2026-03-04 19:00", "2026-03-07 19:00", "2026-03-10 19:00"],
    ),
    (
        "monthly on the 31st skips short months",
        Schedule(date(2026, 1, 31), frequency="monthly", **TUESDAY_7PM),
        ("2026-01-01", "2026-06-01"),
        ["2026-01-31 19:00", "2026-03-31 19:00", "2026-05-31 19:00"],
    ),
    (
        "monthly on the last day",
        Schedule(date(2026, 1, 31), frequency="monthly", monthly_mode="last_day", **TUESDAY_7PM),
        ("2026-01-01", "2026-05-01"),
        ["2026-01-31 19:00", "2026-02-28 19:00", "2026-03-31 19:00", "2026-04-30 19:00"],
    ),
    (
        "monthly on the last day in a leap year",
        Schedule(date(2028, 2, 1), frequency="monthly", monthly_mode="last_day", **TUESDAY_7PM),
        ("2028-01-01", "2028-03-01"),
        ["2028-02-29 19:00"],
    ),
    (
        "the 5th Tuesday only in months that have one",
        Schedule(
            date(2026, 1, 1),
            frequency="monthly",
            monthly_mode="weekday",
            monthly_nth=5,
            weekdays=(1,),
            **TUESDAY_7PM,
        ),
        ("2026-01-01", "2027-01-01"),
        ["2026-03-31 19:00", "2026-06-30 19:00", "2026-09-29 19:00", "2026-12-29 19:00"],
    ),
    (
        "the second Saturday of every month",
        Schedule(
            date(2026, 1, 1),
            frequency="monthly",
            monthly_mode="weekday",
            monthly_nth=2,
            weekdays=(5,),
            start_time=time(10),
            end_time=time(12),
        ),
        ("2026-01-01", "2026-04-01"),
        ["2026-01-10 10:00", "2026-02-14 10:00", "2026-03-14 10:00"],
    ),
    (
        "the last Friday of every other month",
        Schedule(
            date(2026, 1, 1),
            frequency="monthly",
            interval=2,
            monthly_mode="weekday",
            monthly_nth=-1,
            weekdays=(4,),
            **TUESDAY_7PM,
        ),
        ("2026-01-01", "2026-07-01"),
        ["2026-01-30 19:00", "2026-03-27 19:00", "2026-05-29 19:00"],
    ),
    (
        "a series that ends on a date",
        Schedule(
            date(2026, 1, 6),
            frequency="weekly",
            weekdays=(1,),
            until=date(2026, 1, 20),
            **TUESDAY_7PM,
        ),
        ("2026-01-01", "2027-01-01"),
        ["2026-01-06 19:00", "2026-01-13 19:00", "2026-01-20 19:00"],
    ),
    (
        "a series that ends after a count",
        Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), count=2, **TUESDAY_7PM),
        ("2026-01-01", "2027-01-01"),
        ["2026-01-06 19:00", "2026-01-13 19:00"],
    ),
    (
        "an excluded date counts towards COUNT, as RFC 5545 does",
        Schedule(
            date(2026, 1, 6),
            frequency="weekly",
            weekdays=(1,),
            count=3,
            excluded_dates=(date(2026, 1, 13),),
            **TUESDAY_7PM,
        ),
        ("2026-01-01", "2027-01-01"),
        ["2026-01-06 19:00", "2026-01-20 19:00"],
    ),
    (
        "extra dates join, excluded dates leave",
        Schedule(
            date(2026, 12, 1),
            frequency="weekly",
            weekdays=(1,),
            extra_dates=(date(2026, 12, 24),),
            excluded_dates=(date(2026, 12, 22), date(2026, 12, 29)),
            **TUESDAY_7PM,
        ),
        ("2026-12-01", "2027-01-07"),
        [
            "2026-12-01 19:00",
            "2026-12-08 19:00",
            "2026-12-15 19:00",
            "2026-12-24 19:00",
            "2027-01-05 19:00",
        ],
    ),
    (
        "the window's start is honoured",
        Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), **TUESDAY_7PM),
        ("2026-03-01", "2026-03-12"),
        ["2026-03-03 19:00", "2026-03-10 19:00"],
    ),
]


@pytest.mark.parametrize(("name", "schedule", "span", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expansion(name, schedule, span, expected):
    assert local_starts(schedule, *span) == expected


def test_weekly_rule_keeps_local_time_across_dst_in_spring():
    # The clocks go forward on Sunday 29 March 2026: 19:00 stays 19:00 local.
    s = Schedule(date(2026, 3, 17), frequency="weekly", weekdays=(1,), **TUESDAY_7PM)
    assert local_starts(s, "2026-03-15", "2026-04-08") == [
        "2026-03-17 19:00",
        "2026-03-24 19:00",
        "2026-03-31 19:00",
        "2026-04-07 19:00",
    ]
    assert utc_hours(s, "2026-03-15", "2026-04-08") == [
        "03-17 19:00",
        "03-24 19:00",
        "03-31 18:00",
        "04-07 18:00",
    ]


def test_weekly_rule_keeps_local_time_across_dst_in_autumn():
    # The clocks go back on Sunday 25 October 2026.
    s = Schedule(date(2026, 10, 13), frequency="weekly", weekdays=(1,), **TUESDAY_7PM)
    assert utc_hours(s, "2026-10-10", "2026-11-04") == [
        "10-13 18:00",
        "10-20 18:00",
        "10-27 19:00",
        "11-03 19:00",
    ]


def test_a_time_the_clocks_skip_lands_after_the_gap():
    s = Schedule(date(2026, 3, 29), start_time=time(1, 30), end_time=time(3, 0))
    (slot,) = sched.expand(s, end=datetime(2027, 1, 1, tzinfo=UTC))
    assert slot.original_start.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert slot.original_start.strftime("%H:%M") == "02:30"


def test_multi_day_event_ends_days_later_in_local_time():
    s = Schedule(
        date(2026, 10, 23), start_time=time(18), end_time=time(17), duration_days=2
    )  # Friday to Sunday, across the clocks going back
    (slot,) = sched.expand(s, end=datetime(2027, 1, 1, tzinfo=UTC))
    assert slot.end.strftime("%Y-%m-%d %H:%M") == "2026-10-25 17:00"
    assert slot.end.astimezone(UTC).hour == 17
    assert slot.original_start.astimezone(UTC).hour == 17  # 18:00 BST


def test_changes_cancel_move_and_note_one_date_only():
    s = Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), **TUESDAY_7PM)
    slots = sched.expand(s, **window("2026-01-01", "2026-02-01"))
    planned = sched.apply_changes(
        slots,
        [
            Change(date(2026, 1, 13), "cancelled", note="The hall is closed."),
            Change(date(2026, 1, 20), "moved", new_date=date(2026, 1, 21), venue_id=7),
            Change(date(2026, 1, 27), "scheduled", note="Bring a friend."),
        ],
        s,
    )
    by_day = {p.original_start.date().isoformat(): p for p in planned}
    assert by_day["2026-01-06"].status == "scheduled"
    assert by_day["2026-01-13"].status == "cancelled"
    assert by_day["2026-01-13"].note == "The hall is closed."
    moved = by_day["2026-01-20"]
    assert moved.status == "moved"
    assert moved.start.strftime("%Y-%m-%d %H:%M") == "2026-01-21 19:00"
    assert moved.end.strftime("%Y-%m-%d %H:%M") == "2026-01-21 21:00"
    assert moved.venue_id == 7
    assert by_day["2026-01-27"].note == "Bring a friend."
    assert by_day["2026-01-27"].start == by_day["2026-01-27"].original_start
    assert len(planned) == 4


def test_moving_only_the_time_keeps_the_day():
    s = Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), **TUESDAY_7PM)
    slots = sched.expand(s, **window("2026-01-01", "2026-01-10"))
    (moved,) = sched.apply_changes(
        slots, [Change(date(2026, 1, 6), "moved", new_start_time=time(18))], s
    )
    assert moved.start.strftime("%Y-%m-%d %H:%M") == "2026-01-06 18:00"
    assert moved.end.strftime("%H:%M") == "21:00"


@pytest.mark.parametrize(
    ("schedule", "field", "words"),
    [
        (
            Schedule(date(2026, 1, 6), start_time=time(21), end_time=time(19)),
            "end_time",
            "ends before it starts",
        ),
        (
            Schedule(
                date(2026, 1, 6),
                frequency="weekly",
                weekdays=(1,),
                until=date(2026, 1, 1),
                **TUESDAY_7PM,
            ),
            "until",
            "ends before it starts",
        ),
        (
            Schedule(
                date(2026, 1, 7),
                frequency="weekly",
                weekdays=(1,),
                until=date(2026, 1, 11),
                **TUESDAY_7PM,
            ),
            None,
            "no dates at all",
        ),
        (
            Schedule(date(2026, 1, 6), excluded_dates=(date(2026, 1, 6),), **TUESDAY_7PM),
            None,
            "no dates at all",
        ),
        (
            Schedule(date(2026, 1, 6), frequency="weekly", interval=0, **TUESDAY_7PM),
            "interval",
            "from 1 to",
        ),
        (
            Schedule(date(2026, 1, 6), frequency="daily", count=100000, **TUESDAY_7PM),
            "count",
            "from 1 to",
        ),
        (
            Schedule(date(2026, 1, 6), frequency="daily", duration_days=2, **TUESDAY_7PM),
            "duration_days",
            "run into the next",
        ),
        (
            Schedule(date(2026, 1, 6), duration_days=90, **TUESDAY_7PM),
            "duration_days",
            "at most",
        ),
    ],
)
def test_impossible_schedules_are_refused_with_a_clear_message(schedule, field, words):
    with pytest.raises(ScheduleError) as error:
        sched.validate(schedule)
    assert words in error.value.message
    assert error.value.field == field


def test_no_schedule_gives_more_than_one_date_a_day():
    # The most a rule can express is one date a day, so "thousands a day" cannot be saved.
    s = Schedule(date(2026, 1, 1), frequency="daily", **TUESDAY_7PM)
    sched.validate(s)
    starts = sched.expand(s, **window("2026-01-01", "2027-01-01"))
    assert len(starts) == len({x.original_start.date() for x in starts}) == 365


@pytest.mark.parametrize(
    ("schedule", "summary"),
    [
        (
            Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), **TUESDAY_7PM),
            "Every Tuesday, 7 to 9pm, from 6 January",
        ),
        (
            Schedule(
                date(2026, 1, 6),
                frequency="weekly",
                interval=2,
                weekdays=(1, 3),
                start_time=time(11),
                end_time=time(13, 30),
            ),
            "Every other Tuesday and Thursday, 11am to 1:30pm, from 6 January",
        ),
        (
            Schedule(
                date(2026, 1, 1),
                frequency="monthly",
                monthly_mode="weekday",
                monthly_nth=-1,
                weekdays=(4,),
                start_time=time(10, 30),
                end_time=time(12),
                until=date(2026, 6, 30),
            ),
            "On the last Friday of every month, 10:30am to midday, from 30 January, until 30 June",
        ),
        (
            Schedule(date(2026, 1, 15), frequency="monthly", count=6, **TUESDAY_7PM),
            "On the 15th of every month, 7 to 9pm, from 15 January, 6 times",
        ),
        (
            Schedule(date(2026, 6, 6), start_time=time(10), end_time=time(16)),
            "Saturday 6 June, 10am to 4pm",
        ),
        (
            Schedule(date(2027, 7, 9), start_time=time(18), end_time=time(17), duration_days=2),
            "From Friday 9 July 2027, 6pm, to Sunday 11 July 2027, 5pm",
        ),
        (
            Schedule(
                date(2026, 12, 1),
                frequency="weekly",
                weekdays=(1,),
                excluded_dates=(date(2026, 12, 29),),
                **TUESDAY_7PM,
            ),
            "Every Tuesday, 7 to 9pm, from 1 December; not on 29 December",
        ),
    ],
)
def test_readable_summary(schedule, summary):
    assert sched.describe(schedule, today=date(2026, 1, 1)) == summary


def test_rrule_parts_for_feeds():
    s = Schedule(
        date(2026, 1, 6),
        frequency="weekly",
        interval=2,
        weekdays=(1, 3),
        until=date(2026, 3, 31),
        **TUESDAY_7PM,
    )
    parts = sched.rrule_parts(s)
    assert parts["FREQ"] == "WEEKLY"
    assert parts["INTERVAL"] == 2
    assert parts["BYDAY"] == ["TU", "TH"]
    # 19:00 BST on 31 March is 18:00 UTC: UNTIL is in UTC and covers the last date.
    assert parts["UNTIL"] == datetime(2026, 3, 31, 18, tzinfo=UTC)
    nth = Schedule(
        date(2026, 1, 1),
        frequency="monthly",
        monthly_mode="weekday",
        monthly_nth=5,
        weekdays=(1,),
        count=4,
        **TUESDAY_7PM,
    )
    assert sched.rrule_parts(nth) == {"FREQ": "MONTHLY", "BYDAY": ["5TU"], "COUNT": 4}
    assert sched.rrule_parts(Schedule(date(2026, 1, 1), **TUESDAY_7PM)) is None


def test_first_start_is_the_first_date_the_rule_gives():
    # Weeks count from the start date's week (as RFC 5545 counts from DTSTART's): the
    # Tuesday of that week has passed, so every other week lands on 20 January.
    s = Schedule(date(2026, 1, 8), frequency="weekly", interval=2, weekdays=(1,), **TUESDAY_7PM)
    assert sched.first_start(s).strftime("%Y-%m-%d %H:%M") == "2026-01-20 19:00"


def test_expansion_matches_dateutil_rrule_from_first_start():
    """An independent implementation of RFC 5545 agrees with ours, from first_start."""
    from dateutil.rrule import rrulestr

    s = Schedule(
        date(2026, 1, 8), frequency="weekly", interval=2, weekdays=(1, 4), count=20, **TUESDAY_7PM
    )
    dtstart = sched.first_start(s)
    parts = sched.rrule_parts(s)
    rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={','.join(parts['BYDAY'])};COUNT=20"
    theirs = list(rrulestr(rule, dtstart=dtstart.replace(tzinfo=None)))
    ours = [
        x.original_start.replace(tzinfo=None)
        for x in sched.expand(s, end=datetime(2030, 1, 1, tzinfo=UTC))
    ]
    assert ours == theirs


# ---- Property: our expansion is the RFC 5545 set an independent library expands to ----

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def schedules(draw):
    frequency = draw(st.sampled_from(["once", "daily", "weekly", "monthly"]))
    start = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    begins = time(draw(st.integers(0, 22)), draw(st.sampled_from([0, 15, 30, 45])))
    ends = time(23, 30)
    weekdays = tuple(sorted(draw(st.sets(st.integers(0, 6), max_size=3))))
    mode = draw(st.sampled_from(["day", "last_day", "weekday"]))
    nth = draw(st.sampled_from([1, 2, 3, 4, 5, -1]))
    if mode == "weekday":
        weekdays = weekdays[:1]
    ending = draw(st.sampled_from(["never", "until", "count"]))
    until = start + timedelta(days=draw(st.integers(0, 500))) if ending == "until" else None
    count = draw(st.integers(1, 40)) if ending == "count" else None
    extra = tuple(start + timedelta(days=d) for d in draw(st.sets(st.integers(0, 400), max_size=2)))
    excluded = tuple(
        start + timedelta(days=d) for d in draw(st.sets(st.integers(0, 400), max_size=3))
    )
    return Schedule(
        start_date=start,
        start_time=begins,
        end_time=ends,
        frequency=frequency,
        interval=draw(st.integers(1, 4)),
        weekdays=weekdays,
        monthly_mode=mode,
        monthly_nth=nth,
        until=until,
        count=count,
        extra_dates=extra,
        excluded_dates=excluded,
    )


def rfc_expansion(schedule: Schedule, end: datetime) -> list[datetime]:
    from dateutil.rrule import rruleset, rrulestr

    dates = rruleset()
    first = sched.first_start(schedule)
    parts = sched.rrule_parts(schedule)
    if first is not None:
        # The rule repeats the wall-clock start time: expand it in local time, as RFC 5545
        # does, so a first date in the spring gap (moved on an hour) does not shift the rest.
        first = datetime.combine(first.date(), schedule.start_time)
    if first is not None and parts is None:
        dates.rdate(first)
    elif first is not None:
        text = [f"FREQ={parts['FREQ']}", f"INTERVAL={parts.get('INTERVAL', 1)}"]
        if "BYDAY" in parts:
            text.append("BYDAY=" + ",".join(parts["BYDAY"]))
        if "BYMONTHDAY" in parts:
            text.append("BYMONTHDAY=" + ",".join(str(d) for d in parts["BYMONTHDAY"]))
        if "COUNT" in parts:
            text.append(f"COUNT={parts['COUNT']}")
        if "UNTIL" in parts:
            until = parts["UNTIL"].astimezone(schedule.zone).replace(tzinfo=None)
            text.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%S"))
        dates.rrule(rrulestr(";".join(text), dtstart=first))
    for day in schedule.extra_dates:
        dates.rdate(datetime.combine(day, schedule.start_time))
    for day in schedule.excluded_dates:
        dates.exdate(datetime.combine(day, schedule.start_time))
    # Then each wall-clock time becomes an instant; one in the spring gap moves on past it.
    found = (
        wall.replace(tzinfo=schedule.zone).astimezone(UTC)
        for wall in dates.between(
            datetime(2000, 1, 1), end.replace(tzinfo=None) + timedelta(days=1)
        )
    )
    return [moment for moment in found if moment < end]


# derandomize: the same 300 examples in every run, so CI does not go red by chance; the case
# a random run once found is kept in the test after this one.
@settings(max_examples=300, deadline=None, derandomize=True)
@given(schedules())
# Daily from a first start in the spring gap: the next days keep their own 01:00.
@example(
    Schedule(
        start_date=date(2025, 3, 30),
        start_time=time(1, 0),
        end_time=time(23, 30),
        frequency="daily",
        tz="Europe/London",
    )
)
def test_expansion_is_the_rfc_5545_set_from_first_start(schedule):
    end = datetime(2029, 1, 1, tzinfo=UTC)
    # As instants: a time the clocks skip is the same instant either way it is written.
    ours = [s.original_start.astimezone(UTC) for s in sched.expand(schedule, end=end)]
    assert ours == [d.astimezone(UTC) for d in rfc_expansion(schedule, end)]


FORTNIGHTLY_FROM_A_SUNDAY = Schedule(
    start_date=date(2025, 9, 7),
    start_time=time(0, 0),
    end_time=time(23, 30),
    duration_days=0,
    frequency="weekly",
    interval=2,
    weekdays=(1,),
    monthly_mode="day",
    monthly_nth=1,
    until=date(2025, 9, 9),
    count=None,
    extra_dates=(date(2025, 9, 8),),
    excluded_dates=(),
    tz="Europe/London",
)


# Found by a random run: the rule gives no date of its own (the first other Tuesday is after
# UNTIL), so it is left out; counted from the extra Monday it would give that Tuesday.
def test_every_other_week_from_a_sunday_with_an_extra_date_is_the_rfc_5545_set():
    test_expansion_is_the_rfc_5545_set_from_first_start.hypothesis.inner_test(
        FORTNIGHTLY_FROM_A_SUNDAY
    )

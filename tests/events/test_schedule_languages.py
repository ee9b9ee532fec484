"""The readable schedule in Welsh and Dutch: whole sentences, Django's dates, no English."""

from datetime import date, time

import pytest
from django.utils import translation

from events import schedule as sched
from events.schedule import Schedule

SEVEN_TO_NINE = {"start_time": time(19), "end_time": time(21)}
TODAY = date(2026, 1, 1)

CASES = {
    "weekly": Schedule(date(2026, 1, 6), frequency="weekly", weekdays=(1,), **SEVEN_TO_NINE),
    "every N weeks": Schedule(
        date(2026, 1, 6), frequency="weekly", interval=3, weekdays=(1, 3), **SEVEN_TO_NINE
    ),
    "every other week": Schedule(
        date(2026, 1, 6), frequency="weekly", interval=2, weekdays=(5,), **SEVEN_TO_NINE
    ),
    "monthly Nth weekday": Schedule(
        date(2026, 1, 1),
        frequency="monthly",
        monthly_mode="weekday",
        monthly_nth=2,
        weekdays=(0,),
        start_time=time(10, 30),
        end_time=time(12),
    ),
    "monthly last weekday": Schedule(
        date(2026, 1, 1),
        frequency="monthly",
        monthly_mode="weekday",
        monthly_nth=-1,
        weekdays=(4,),
        until=date(2026, 6, 30),
        **SEVEN_TO_NINE,
    ),
    "monthly on a date": Schedule(date(2026, 1, 15), frequency="monthly", count=6, **SEVEN_TO_NINE),
    "the last day": Schedule(
        date(2026, 1, 31), frequency="monthly", monthly_mode="last_day", **SEVEN_TO_NINE
    ),
    "multi-day": Schedule(
        date(2027, 7, 9), start_time=time(18), end_time=time(17), duration_days=2
    ),
    "once": Schedule(date(2026, 6, 6), start_time=time(10), end_time=time(16)),
    "ends after N": Schedule(
        date(2026, 1, 6), frequency="weekly", weekdays=(1,), count=2, **SEVEN_TO_NINE
    ),
    "exceptions": Schedule(
        date(2026, 12, 1),
        frequency="weekly",
        weekdays=(1,),
        excluded_dates=(date(2026, 12, 29),),
        extra_dates=(date(2026, 12, 31),),
        **SEVEN_TO_NINE,
    ),
}

# Welsh: a weekday after "ar" or "ail" would take a soft mutation ("ar ddydd Llun") that a
# name put into a sentence cannot; the phrasings avoid it where they can.
EXPECTED = {
    "cy": {
        "weekly": "Bob dydd Mawrth, 7 y.h. i 9 y.h., o 6 Ionawr",
        "every N weeks": "Bob 3 wythnos: dydd Mawrth a dydd Iau, 7 y.h. i 9 y.h., o 6 Ionawr",
        "every other week": "Dydd Sadwrn bob yn ail wythnos, 7 y.h. i 9 y.h., o 10 Ionawr",
        "monthly Nth weekday": "Ar yr ail dydd Llun o bob mis, 10:30 y.b. i canol dydd, o 12 Ionawr",
        "monthly last weekday": (
            "Ar y dydd Gwener olaf o bob mis, 7 y.h. i 9 y.h., o 30 Ionawr, tan 30 Mehefin"
        ),
        "monthly on a date": "Ar y 15fed o bob mis, 7 y.h. i 9 y.h., o 15 Ionawr, 6 gwaith",
        "the last day": "Ar y diwrnod olaf o bob mis, 7 y.h. i 9 y.h., o 31 Ionawr",
        "multi-day": "Dydd Gwener 9 Gorffennaf 2027, 6 y.h. – dydd Sul 11 Gorffennaf 2027, 5 y.h.",
        "once": "Dydd Sadwrn 6 Mehefin, 10 y.b. i 4 y.h.",
        "ends after N": "Bob dydd Mawrth, 7 y.h. i 9 y.h., o 6 Ionawr, 2 dro",
        "exceptions": (
            "Bob dydd Mawrth, 7 y.h. i 9 y.h., o 1 Rhagfyr; hefyd ar 31 Rhagfyr; nid ar 29 Rhagfyr"
        ),
    },
    "nl": {
        "weekly": "Elke dinsdag, 19:00 tot 21:00, vanaf 6 januari",
        "every N weeks": "Om de 3 weken op dinsdag en donderdag, 19:00 tot 21:00, vanaf 6 januari",
        "every other week": "Om de week op zaterdag, 19:00 tot 21:00, vanaf 10 januari",
        "monthly Nth weekday": (
            "Op de tweede maandag van elke maand, 10:30 tot 12:00, vanaf 12 januari"
        ),
        "monthly last weekday": (
            "Op de laatste vrijdag van elke maand, 19:00 tot 21:00, vanaf 30 januari, tot 30 juni"
        ),
        "monthly on a date": "Op de 15e van elke maand, 19:00 tot 21:00, vanaf 15 januari, 6 keer",
        "the last day": "Op de laatste dag van elke maand, 19:00 tot 21:00, vanaf 31 januari",
        "multi-day": "Van vrijdag 9 juli 2027, 18:00, tot zondag 11 juli 2027, 17:00",
        "once": "Zaterdag 6 juni, 10:00 tot 16:00",
        "ends after N": "Elke dinsdag, 19:00 tot 21:00, vanaf 6 januari, 2 keer",
        "exceptions": (
            "Elke dinsdag, 19:00 tot 21:00, vanaf 1 december; ook op 31 december;"
            " niet op 29 december"
        ),
    },
}


@pytest.mark.parametrize("language", ["cy", "nl"])
@pytest.mark.parametrize("case", list(CASES))
def test_readable_summary_in_each_language(language, case):
    with translation.override(language):
        assert sched.describe(CASES[case], today=TODAY) == EXPECTED[language][case]


@pytest.mark.parametrize("language", ["cy", "nl"])
def test_no_english_word_is_left_in_any_summary(language):
    english = {"Every", "every", "from", "until", "and", "Tuesday", "January", "times", "pm"}
    with translation.override(language):
        for schedule in CASES.values():
            words = set(sched.describe(schedule, today=TODAY).replace(",", " ").split())
            assert not words & english, sched.describe(schedule, today=TODAY)


def test_english_keeps_its_own_short_times():
    with translation.override("en-gb"):
        assert sched.describe(CASES["weekly"], today=TODAY) == (
            "Every Tuesday, 7 to 9pm, from 6 January"
        )
        assert sched.describe(CASES["monthly Nth weekday"], today=TODAY) == (
            "On the second Monday of every month, 10:30am to midday, from 12 January"
        )

"""The calendar page: list, month, filters, archive, errors and a constant query count."""

from datetime import date, time

import pytest
import time_machine

from events.models import Occurrence, OccurrenceChange
from events.services import occurrences_regenerate
from tests.factories import CategoryFactory, VenueFactory

NOW = "2026-03-20 12:00 +00:00"


@pytest.fixture
def city(make_group, make_event, calendar_page):
    with time_machine.travel(NOW, tick=False):
        runners = make_group(title="Forward Strides", slug="forward-strides")
        cafe = make_group(title="Lantern Café", slug="lantern-cafe")
        walks = CategoryFactory(name="Walks", slug="walks")
        quiz = make_event(
            runners,
            title="Tuesday run",
            venue=VenueFactory(name="Park", step_free=True),
            categories=[walks],
        )
        coffee = make_event(
            cafe,
            title="Coffee morning",
            frequency="weekly",
            weekdays="SA",
            start_time=time(10),
            end_time=time(12),
            is_free=False,
            cost="£2",
            family_friendly=True,
            venue=VenueFactory(name="Café", step_free=False),
            partners=[runners],
        )
    return {"runners": runners, "cafe": cafe, "walks": walks, "run": quiz, "coffee": coffee}


def get(client, query="", language=""):
    return client.get(f"{language}/events/{query}")


@time_machine.travel(NOW, tick=False)
def test_list_shows_upcoming_dates_grouped_by_day(client, city):
    response = get(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday 24 March 2026" in html
    assert "Saturday 21 March 2026" in html
    assert html.index("Saturday 21 March 2026") < html.index("Tuesday 24 March 2026")
    assert "Tuesday run" in html and "Coffee morning" in html


@time_machine.travel(NOW, tick=False)
def test_filters_by_group_including_co_hosted_events(client, city):
    html = get(client, "?group=lantern-cafe").content.decode()
    assert "Coffee morning" in html and "Tuesday run" not in html
    html = get(client, "?group=forward-strides").content.decode()
    assert "Coffee morning" in html and "Tuesday run" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?category=walks", "Tuesday run", "Coffee morning"),
        ("?fact=free", "Tuesday run", "Coffee morning"),
        ("?fact=family-friendly", "Coffee morning", "Tuesday run"),
        ("?fact=step-free", "Tuesday run", "Coffee morning"),
        ("?q=coffee", "Coffee morning", "Tuesday run"),
        ("?start=2026-03-24&end=2026-03-24", "Tuesday run", "Coffee morning"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_filters(client, city, query, shown, hidden):
    html = get(client, query).content.decode()
    assert shown in html
    assert hidden not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?group=nobody", "There is no group with that name"),
        ("?category=nonsense", "There is no kind of event with that name"),
        ("?fact=unicorns", "Please choose from the list"),
        ("?start=yesterday", "Please give the “From” date as a date"),
        ("?start=2026-03-10&end=2026-03-01", "before the “From” date"),
        ("?view=month&month=2026-13", "Please give the month"),
        ("?view=sideways", "Select a valid choice"),
        ("?q=" + "x" * 300, "fewer words"),
        ("?end=9999-12-31", "between the years 1900 and 2999"),
        ("?start=0001-01-01", "between the years 1900 and 2999"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_filter_values_get_a_clear_400(client, city, query, message):
    response = get(client, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Tuesday run" not in html


@time_machine.travel(NOW, tick=False)
def test_bad_page_number_is_not_an_error(client, city):
    assert get(client, "?page=abc").status_code == 200
    assert get(client, "?page=9999").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_empty_states_are_clear(client, calendar_page):
    assert "No events are coming up just now" in get(client).content.decode()
    assert "There are no past events" in get(client, "?when=past").content.decode()


@time_machine.travel(NOW, tick=False)
def test_no_match_offers_to_clear_the_filters(client, city):
    html = get(client, "?q=zebra").content.decode()
    assert "No events match your filters" in html


@time_machine.travel(NOW, tick=False)
def test_archive_lists_past_dates_newest_first(client, city):
    html = get(client, "?when=past").content.decode()
    assert "Past events" in html
    assert html.index("Tuesday 17 March 2026") < html.index("Tuesday 10 March 2026")
    assert "Tuesday 24 March 2026" not in html


@time_machine.travel(NOW, tick=False)
def test_cancelled_and_moved_dates_are_shown_plainly(client, city):
    run = city["run"]
    OccurrenceChange.objects.create(
        page=run, original_date=date(2026, 3, 24), status="cancelled", note="Storm warning."
    )
    OccurrenceChange.objects.create(
        page=run,
        original_date=date(2026, 3, 31),
        status="moved",
        new_date=date(2026, 4, 1),
        note="Moved for Easter.",
    )
    occurrences_regenerate(event=run)
    html = get(client).content.decode()
    assert "This date is cancelled." in html
    assert "Storm warning." in html
    assert "Moved from Tuesday 31 March, 7pm." in html  # the listings' time style
    assert "Wednesday 1 April 2026" in html


@time_machine.travel(NOW, tick=False)
def test_month_view_is_a_table_with_links_to_each_day(client, city):
    html = get(client, "?view=month&month=2026-04").content.decode()
    assert "<table" in html and "April 2026" in html
    assert 'href="?start=2026-04-07&amp;end=2026-04-07"' in html
    assert 'id="day-2026-04-07"' not in html  # the month does not list every date under it
    assert "March 2026" in html and "May 2026" in html  # month navigation


@time_machine.travel(NOW, tick=False)
def test_unpublished_events_are_not_listed(client, city):
    city["coffee"].unpublish()
    assert "Coffee morning" not in get(client).content.decode()


@pytest.mark.parametrize("language", ["", "/cy", "/nl"])
@time_machine.travel(NOW, tick=False)
def test_calendar_query_count_does_not_grow_with_events(
    client, city, make_event, django_assert_num_queries, language
):
    queries = QUERIES[language]
    get(client, language=language)  # warm caches (site root, settings)
    with django_assert_num_queries(queries) as first:
        get(client, language=language)
    for n in range(8):
        make_event(
            city["cafe"], title=f"Extra {n}", categories=[city["walks"]], partners=[city["runners"]]
        )
    with django_assert_num_queries(queries):
        get(client, language=language)
    with django_assert_num_queries(queries + 1):  # + the chosen group
        get(client, "?group=forward-strides&fact=free", language=language)
    assert first


# In each language the same, whatever the number of events: + Wagtail's lookup of the
# language's locale as it serves a page, + the page's translations (for the switcher and
# the hreflang alternates); in Welsh and Dutch + the home page's translation (Wagtail's
# routing, and the menu), looked for even where there is none.
QUERIES = {"": 18, "/cy": 20, "/nl": 20}


@time_machine.travel(NOW, tick=False)
def test_month_view_query_count_is_constant(client, city, make_event, django_assert_num_queries):
    get(client, "?view=month")
    with django_assert_num_queries(MONTH_QUERIES):
        get(client, "?view=month")
    for n in range(5):
        make_event(city["cafe"], title=f"Extra {n}")
    with django_assert_num_queries(MONTH_QUERIES):
        get(client, "?view=month")


MONTH_QUERIES = 15  # the grid only (+ the locale and translations, as QUERIES says)


def test_occurrences_are_stored_on_publish(city):
    assert Occurrence.objects.filter(event=city["run"]).exists()


@time_machine.travel(NOW, tick=False)
def test_local_times_hold_across_the_clocks_changing_both_ways(client, city):
    # The clocks go forward on 29 March 2026 and back on 25 October 2026.
    spring = get(client, "?start=2026-03-24&end=2026-03-31&q=run").content.decode()
    assert spring.count("7 to 9pm") == 2
    autumn = get(client, "?start=2026-10-20&end=2026-10-27&q=run").content.decode()
    assert autumn.count("7 to 9pm") == 2
    assert "Tuesday 27 October 2026" in autumn


@time_machine.travel(NOW, tick=False)
def test_the_month_links_each_day_to_its_own_list(client, city):
    html = get(client, "?view=month&month=2026-04&group=forward-strides").content.decode()
    assert "Choose a day to see them" in html
    assert "group=forward-strides&amp;start=2026-04-07&amp;end=2026-04-07" in html
    assert 'id="day-2026-04-07"' not in html

"""The public "our city in numbers": suppressed, cached, safe under a strict CSP."""

import re

import pytest
import time_machine
from django.core.cache import cache

from events.insights.models import InsightsSettings

URL = "/numbers/"


@pytest.fixture(autouse=True)
def _frozen_and_fresh():
    cache.clear()
    with time_machine.travel("2025-06-15 12:00 +0100", tick=False):
        yield
    cache.clear()


def test_small_numbers_are_hidden(client, small_city):
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    numbers = response.context["numbers"]
    # Three people with passes: below the default threshold of five.
    assert numbers.participants.suppressed
    assert numbers.attendances.suppressed
    assert b"Fewer people than we publish" in response.content
    for name in (b"Robin", b"Sasha", b"Kim"):
        assert name not in response.content


def test_the_threshold_is_a_site_setting(client, small_city, home_page):
    settings = InsightsSettings.for_site(home_page.get_site())
    settings.suppression_threshold = 2
    settings.save()
    numbers = client.get(URL, {"year": 2025}).context["numbers"]
    assert numbers.threshold == 2
    # Counts of people are rounded to the nearest 5; counts of events are exact.
    assert numbers.participants.value == 5  # three people
    assert numbers.attendances.value == 10  # eight, with the January date
    assert numbers.civic_events.value == 1


def test_figures_come_from_the_cache_the_second_time(
    client, small_city, django_assert_max_num_queries
):
    client.get(URL, {"year": 2025})
    # The site, its settings and the city settings; not the seven of the figures.
    with django_assert_max_num_queries(4):
        assert client.get(URL, {"year": 2025}).status_code == 200


def test_a_period_with_no_events(client, small_city):
    response = client.get(URL, {"year": 2021})
    assert response.status_code == 200
    assert response.context["numbers"].events.value == 0
    assert b"No events took place in this period yet" in response.content


@pytest.mark.parametrize("year", ["nineteen", "1800", "99999"])
def test_a_bad_year_gets_a_clear_message(client, small_city, year):
    response = client.get(URL, {"year": year})
    assert response.status_code == 400
    assert b"We could not show that period" in response.content


def test_no_inline_style_or_script(client, small_city):
    html = client.get(URL).content.decode()
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_linked_from_the_footer(client, small_city, home_page):
    html = client.get(home_page.url).content.decode()
    assert 'href="/numbers/"' in html

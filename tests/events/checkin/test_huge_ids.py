"""Check-in URLs with an absurd id answer 404, never 500 (finding 13 of issue 11, in part).

`/checkin/event/99999999999999999999999/poster/` used to overflow the database driver.
"""

import pytest
from django.urls import get_resolver

from events.checkin import urls as checkin_urls

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
# The largest id a 64-bit column holds still gets as far as the database: no such row.
BIGGEST = str(2**63 - 1)[:18]


def id_paths(number: str) -> list[str]:
    """Every check-in URL that takes an id, with `number` in its place."""
    paths = []
    for pattern in checkin_urls.urlpatterns:
        route = str(pattern.pattern)
        if "<id:pk>" in route:
            paths.append("/" + route.replace("<id:pk>", number))
    return paths


def test_every_id_in_the_check_in_urls_is_bounded():
    routes = [str(p.pattern) for p in checkin_urls.urlpatterns]
    assert not [r for r in routes if "<int:" in r]
    assert len(id_paths(HUGE)) >= 12
    assert get_resolver().resolve("/checkin/event/1/poster/").url_name == "poster"


@pytest.mark.parametrize("number", [HUGE, "٣", "9" * 19])
@pytest.mark.parametrize("user", ["anonymous", "organiser"])
def test_an_absurd_id_is_a_404_for_every_check_in_url(client, organiser, number, user):
    client.raise_request_exception = False
    if user == "organiser":
        client.force_login(organiser)
    for path in id_paths(number):
        for method in (client.get, client.post):
            assert method(path).status_code == 404, (method.__name__, path)


@pytest.mark.parametrize("user", ["anonymous", "organiser"])
def test_the_biggest_id_that_fits_finds_no_such_date(client, organiser, user):
    client.raise_request_exception = False
    if user == "organiser":
        client.force_login(organiser)
    for path in id_paths(BIGGEST):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code in (302, 403, 404, 405), (method.__name__, path)
            if response.status_code in (302, 403):  # refused before any lookup
                assert user == "anonymous", path

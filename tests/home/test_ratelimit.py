import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from home.ratelimit import parse_rate, ratelimit


@pytest.mark.parametrize(
    ("rate", "expected"), [("10/m", (10, 60)), ("5/h", (5, 3600)), ("3/10m", (3, 600))]
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


def test_the_request_over_the_limit_gets_a_friendly_429(db):
    @ratelimit("test-scope", "2/m")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    answers = [view(factory.post("/", REMOTE_ADDR="10.1.2.3")).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    # Another client is not affected, and reading is never limited.
    assert view(factory.post("/", REMOTE_ADDR="10.9.9.9")).status_code == 200
    assert view(factory.get("/", REMOTE_ADDR="10.1.2.3")).status_code == 200

"""Log-in guessing is stopped: per username and per client, in the shared cache."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from home.login_guard import PER_CLIENT, PER_USERNAME, _hash
from home.ratelimit import parse_rate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    user = UserFactory(username="priya", is_superuser=True, is_staff=True)
    user.set_password("the-right-password")
    user.save()
    return user


def attempt(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_logs_in_and_is_not_counted(client, staff):
    for _ in range(parse_rate(PER_USERNAME)[0] + 2):
        client.logout()
        assert attempt(client, "priya", "the-right-password").status_code == 302


def test_guessing_one_username_is_stopped_even_from_many_places(client, staff):
    limit = parse_rate(PER_USERNAME)[0]
    for n in range(limit):
        response = attempt(client, "priya", f"guess-{n}", address=f"198.51.100.{n}")
        assert response.status_code == 200  # the form again, with Wagtail's error
    blocked = attempt(client, "PRIYA ", "the-right-password", address="192.0.2.99")
    assert blocked.status_code == 429
    assert "too many attempts to log in" in blocked.content.decode()
    assert blocked["Retry-After"]
    assert "_auth_user_id" not in client.session  # not even the right password gets in


def test_one_client_guessing_many_usernames_is_stopped(client, staff):
    limit = parse_rate(PER_CLIENT)[0]
    for n in range(limit):
        assert attempt(client, f"user-{n}", "guess").status_code == 200
    assert attempt(client, "priya", "the-right-password").status_code == 429
    # Someone else, elsewhere, can still log in.
    other = attempt(client.__class__(), "priya", "the-right-password", address="192.0.2.1")
    assert other.status_code == 302


def test_the_block_lifts_when_the_window_has_passed(client, staff):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(parse_rate(PER_USERNAME)[0]):
            attempt(client, "priya", f"guess-{n}")
        assert attempt(client, "priya", "the-right-password").status_code == 429
        traveller.shift(timedelta(seconds=parse_rate(PER_USERNAME)[1] + 1))
        assert attempt(client, "priya", "the-right-password").status_code == 302


def test_neither_username_nor_address_is_kept_in_the_cache(client, staff):
    attempt(client, "priya", "wrong", address="203.0.113.7")
    keys = " ".join(str(k) for k in cache._cache)  # LocMemCache, in the test settings
    assert keys and "priya" not in keys and "203.0.113.7" not in keys
    assert _hash("priya") in keys


def test_the_private_page_login_and_password_reset_are_guarded_too(client, staff):
    for n in range(parse_rate(PER_CLIENT)[0]):
        client.post("/_util/login/", {"username": f"u{n}", "password": "x"})
    assert client.post("/_util/login/", {"username": "priya", "password": "x"}).status_code == 429
    cache.clear()
    for _ in range(parse_rate(PER_USERNAME)[0]):
        client.post("/admin/password_reset/", {"email": "priya@example.org"})
    blocked = client.post("/admin/password_reset/", {"email": "priya@example.org"})
    assert blocked.status_code == 429

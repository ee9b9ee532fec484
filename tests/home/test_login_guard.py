"""Log-in guessing is stopped, and nobody else can lock an account out cheaply."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from home.login_guard import (
    PER_CLIENT,
    PER_USERNAME,
    PER_USERNAME_AND_CLIENT,
    RESET_PER_CLIENT,
    RESET_PER_EMAIL,
    _hash,
)
from home.ratelimit import parse_rate
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
RIGHT = "the-right-password"
PAIR_LIMIT = parse_rate(PER_USERNAME_AND_CLIENT)[0]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    user = UserFactory(username="priya", is_superuser=True, is_staff=True)
    user.set_password(RIGHT)
    user.save()
    return user


def attempt(client, username, password, address="203.0.113.7", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def test_the_right_password_logs_in_and_is_not_counted(client, staff):
    for _ in range(parse_rate(PER_USERNAME)[0] + 2):
        client.logout()
        assert attempt(client, "priya", RIGHT).status_code == 302


def test_guessing_a_username_from_one_client_is_stopped(client, staff):
    for n in range(PAIR_LIMIT):
        assert attempt(client, "priya", f"guess-{n}").status_code == 200  # the form again
    blocked = attempt(client, "PRIYA ", RIGHT)
    assert blocked.status_code == 429
    assert "too many attempts to log in" in blocked.content.decode()
    assert "wait 15 minutes" in blocked.content.decode()
    assert int(blocked["Retry-After"]) == parse_rate(PER_USERNAME_AND_CLIENT)[1]
    assert "_auth_user_id" not in client.session  # not even the right password gets in


def test_a_lock_on_one_client_leaves_the_username_open_from_elsewhere(client, staff):
    """Someone else's failed log-ins do not lock staff out (up to the gentler limit)."""
    for n in range(PAIR_LIMIT + 40):  # the guesser keeps going once refused
        attempt(client, "priya", f"guess-{n}", address="198.51.100.66")
    assert attempt(client, "priya", RIGHT, address="198.51.100.66").status_code == 429
    assert attempt(Client(), "priya", RIGHT, address="192.0.2.10").status_code == 302


def test_guessing_one_username_from_many_places_meets_the_gentler_limit(client, staff):
    for n in range(parse_rate(PER_USERNAME)[0]):
        response = attempt(client, "priya", f"guess-{n}", address=f"198.51.100.{n}")
        assert response.status_code == 200
    refused = attempt(Client(), "priya", RIGHT, address="192.0.2.99")
    assert refused.status_code == 429
    assert "wait 60 minutes" in refused.content.decode()


def test_one_client_guessing_many_usernames_is_stopped(client, staff):
    for n in range(parse_rate(PER_CLIENT)[0]):
        assert attempt(client, f"user-{n}", "guess").status_code == 200
    assert attempt(client, "priya", RIGHT).status_code == 429
    # Someone else, elsewhere, can still log in.
    assert attempt(Client(), "priya", RIGHT, address="192.0.2.1").status_code == 302


def test_posts_without_a_csrf_token_do_not_count(staff):
    forger = Client(enforce_csrf_checks=True)
    for n in range(PAIR_LIMIT * 3):
        assert attempt(forger, "priya", f"guess-{n}").status_code == 403
    person = Client(enforce_csrf_checks=True)
    person.get(LOGIN, REMOTE_ADDR="203.0.113.7")  # sets the CSRF cookie, as a browser would
    token = person.cookies["csrftoken"].value
    assert attempt(person, "priya", RIGHT, HTTP_X_CSRFTOKEN=token).status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_lock(settings, staff):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    guesser = {"HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for n in range(parse_rate(PER_CLIENT)[0] + 5):
        attempt(Client(), f"user-{n}", "guess", address=proxy, **guesser)
    assert attempt(Client(), "priya", RIGHT, address=proxy, **guesser).status_code == 429
    staff_member = {"HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    assert attempt(Client(), "priya", RIGHT, address=proxy, **staff_member).status_code == 302


@pytest.mark.parametrize("store_name", ["local", "database"])
def test_the_lock_lasts_its_full_window_then_lifts(request, client, staff, store_name):
    """The 15-minute lock held for 5 minutes only when the database cache reset its expiry."""
    request.getfixturevalue(f"{store_name}_cache")
    window = parse_rate(PER_USERNAME_AND_CLIENT)[1]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(PAIR_LIMIT):
            attempt(client, "priya", f"guess-{n}")
        traveller.shift(timedelta(seconds=window - 2))
        assert attempt(client, "priya", RIGHT).status_code == 429
        traveller.shift(timedelta(seconds=3))
        assert attempt(client, "priya", RIGHT).status_code == 302


def test_neither_username_nor_address_is_kept_in_the_cache(client, staff):
    attempt(client, "priya", "wrong", address="203.0.113.7")
    keys = " ".join(str(k) for k in cache._cache)  # LocMemCache, in the test settings
    assert keys and "priya" not in keys and "203.0.113.7" not in keys
    assert _hash("priya") in keys


def test_the_private_page_login_and_password_reset_are_guarded_too(client, staff):
    for n in range(parse_rate(PER_CLIENT)[0]):
        client.post("/_util/login/", {"username": f"u{n}", "password": "x"})
    assert client.post("/_util/login/", {"username": "priya", "password": RIGHT}).status_code == 429
    cache.clear()
    for _ in range(parse_rate(RESET_PER_EMAIL)[0]):
        assert (
            client.post("/admin/password_reset/", {"email": "priya@example.org"}).status_code == 302
        )
    blocked = client.post("/admin/password_reset/", {"email": "priya@example.org"})
    assert blocked.status_code == 429
    cache.clear()
    for n in range(parse_rate(RESET_PER_CLIENT)[0]):
        client.post("/admin/password_reset/", {"email": f"{n}@example.org"})
    assert client.post("/admin/password_reset/", {"email": "x@example.org"}).status_code == 429


def test_password_reset_requests_do_not_lock_log_in(client, staff):
    for _ in range(parse_rate(RESET_PER_CLIENT)[0] + 5):
        client.post("/admin/password_reset/", {"email": "priya@example.org"})
    assert attempt(client, "priya", RIGHT, address="127.0.0.1").status_code == 302


# --- Concurrent log-ins, on real servers --------------------------------------------------

CONCURRENT = 30
ON_REAL_SERVERS = pytest.mark.parametrize(
    "store_name", [pytest.param("database", marks=pytest.mark.postgres), "redis"]
)


@ON_REAL_SERVERS
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_guesses_get_exactly_the_limit_and_no_more(request, store_name, staff):
    """30 concurrent log-ins once tried 29 wrong passwords and then let the right one in."""
    request.getfixturevalue(f"{store_name}_cache")

    def guess(n):
        return lambda: attempt(Client(), "priya", f"guess-{n}").status_code

    answers = run_concurrently([guess(n) for n in range(CONCURRENT)])
    assert answers.count(200) == PAIR_LIMIT  # exactly five passwords were checked
    assert answers.count(429) == CONCURRENT - PAIR_LIMIT
    assert attempt(Client(), "priya", RIGHT).status_code == 429


@ON_REAL_SERVERS
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sixth_log_in_while_five_guesses_are_checked_is_refused(
    request, store_name, staff, monkeypatch
):
    """Attempts count before the password is checked, so guesses in flight already count."""
    request.getfixturevalue(f"{store_name}_cache")
    checking, release = threading.Semaphore(0), threading.Event()
    check_password = ModelBackend.authenticate

    def slow_check(self, request, username=None, password=None, **kwargs):
        if password != RIGHT:
            checking.release()
            release.wait(timeout=20)
        return check_password(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_check)

    def guess():
        try:
            attempt(Client(), "priya", "a-guess")
        finally:
            connection.close()

    guesses = [threading.Thread(target=guess) for _ in range(PAIR_LIMIT)]
    for thread in guesses:
        thread.start()
    person = Client()
    try:
        for _ in range(PAIR_LIMIT):
            assert checking.acquire(timeout=20)  # five guesses counted, passwords being checked
        sixth = attempt(person, "priya", RIGHT)
    finally:
        release.set()
        for thread in guesses:
            thread.join()
    assert sixth.status_code == 429
    assert "_auth_user_id" not in person.session

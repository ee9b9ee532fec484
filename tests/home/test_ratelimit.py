"""Rate limits hold: exact atomic counts, full-length windows, one limit per real client."""

from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from home.models import RateLimitCounter
from home.ratelimit import (
    client_fingerprint,
    parse_rate,
    rate_limit_count,
    rate_limit_hit,
    rate_limits_purge_expired,
    ratelimit,
)
from tests.concurrency import run_concurrently

THREADS, EACH = 8, 50


def concurrently_on_every_store(test):
    """Run a threaded test on each store: the database one on PostgreSQL, with commits."""
    on_every_store = pytest.mark.parametrize(
        "store_name", ["local", pytest.param("database", marks=pytest.mark.postgres), "redis"]
    )
    return pytest.mark.django_db(transaction=True, serialized_rollback=True)(on_every_store(test))


@pytest.mark.parametrize(
    ("rate", "expected"), [("10/m", (10, 60)), ("5/h", (5, 3600)), ("3/10m", (3, 600))]
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


@pytest.fixture
def view():
    @ratelimit("test-scope", "2/m")
    def view(request):
        return HttpResponse("ok")

    return view


def test_the_request_over_the_limit_gets_a_friendly_429(db, local_cache, view):
    factory = RequestFactory()
    answers = [view(factory.post("/", REMOTE_ADDR="10.1.2.3")).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    # Another client is not affected, and reading is never limited.
    assert view(factory.post("/", REMOTE_ADDR="10.9.9.9")).status_code == 200
    assert view(factory.get("/", REMOTE_ADDR="10.1.2.3")).status_code == 200


def test_every_store_counts_exactly_and_refuses_past_the_limit(store):
    answers = [rate_limit_hit(scope="exact", ident="a", rate="5/m") for _ in range(7)]
    assert answers == [False] * 5 + [True] * 2
    assert rate_limit_count(scope="exact", ident="b", rate="5/m") == 1  # its own count


@pytest.mark.parametrize("store_name", ["local", "database"])
def test_a_window_lasts_its_full_length_then_starts_again(request, store_name):
    """A 1-hour limit is still there after 59 minutes (it lapsed after 5 with the old cache)."""
    request.getfixturevalue(f"{store_name}_cache")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert not rate_limit_hit(scope="story", ident="a", rate="1/h")
        traveller.shift(timedelta(minutes=30))
        assert rate_limit_hit(scope="story", ident="a", rate="1/h")  # a later hit
        traveller.shift(timedelta(minutes=29))  # does not stretch the window either
        assert rate_limit_count(scope="story", ident="a", rate="1/h") == 3
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert rate_limit_count(scope="story", ident="a", rate="1/h") == 1


def test_redis_keeps_the_window_s_full_expiry_and_never_resets_it(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    rate_limit_count(scope="story", ident="a", rate="5/h")
    (key,) = list(client.scan_iter(match=f"{redis_cache.key_prefix}:*"))
    first = client.pttl(key)
    assert 3_590_000 < first <= 3_600_000  # the hour, not the cache's default 300 s
    for _ in range(3):
        rate_limit_count(scope="story", ident="a", rate="5/h")
    assert int(client.get(key)) == 4
    assert client.pttl(key) <= first  # later hits leave the expiry alone


@concurrently_on_every_store
def test_concurrent_counts_are_exact(request, store_name):
    """8 threads x 50 counts make 400 (the database cache's incr() lost two thirds of them)."""
    request.getfixturevalue(f"{store_name}_cache")

    def count():
        return [rate_limit_count(scope="race", ident="one", rate="1000/h") for _ in range(EACH)]

    counts = sum(run_concurrently([count] * THREADS), [])
    assert sorted(counts) == list(range(1, THREADS * EACH + 1))  # every count seen once


@concurrently_on_every_store
def test_concurrent_requests_past_the_limit_never_reach_the_view(request, store_name):
    """60 concurrent wrong claim codes were all looked at (limit 20): now exactly 20 are."""
    request.getfixturevalue(f"{store_name}_cache")
    looked_at = []

    @ratelimit("claim", "20/10m")
    def claim(request):
        looked_at.append(1)
        return HttpResponse("not a code we know")

    def post():
        return claim(RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")).status_code

    answers = run_concurrently([post] * 60)
    assert answers.count(200) == len(looked_at) == 20
    assert answers.count(429) == 40


def test_expired_counter_rows_are_deleted_when_anything_is_counted(database_cache):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        rate_limit_count(scope="short", ident="a", rate="3/m")
        rate_limit_count(scope="long", ident="a", rate="3/h")
        assert RateLimitCounter.objects.count() == 2
        traveller.shift(timedelta(seconds=61))
        rate_limit_count(scope="other", ident="b", rate="3/h")
        assert RateLimitCounter.objects.count() == 2  # the minute's row has gone
        assert not RateLimitCounter.objects.filter(window_end__lte=timezone.now()).exists()


def test_expired_counter_rows_go_with_apply_retention(database_cache):
    from home.audit.retention import retention_apply

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(3):
            rate_limit_count(scope="short", ident=str(n), rate="3/m")
        rate_limit_count(scope="long", ident="a", rate="3/h")
        traveller.shift(timedelta(minutes=2))
        assert rate_limits_purge_expired() == 3
        assert list(RateLimitCounter.objects.values_list("hits", flat=True)) == [1]
        rate_limit_count(scope="short", ident="x", rate="3/m")
        traveller.shift(timedelta(minutes=2))
        report = retention_apply(now=timezone.now())
        assert report.rate_limit_counters_deleted == 1
        assert RateLimitCounter.objects.count() == 1  # the hour's row, still in its window


def test_a_counter_row_names_neither_the_client_nor_the_scope(database_cache):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    rate_limit_count(scope="checkin-pass", ident=client_fingerprint(request), rate="3/m")
    (row,) = RateLimitCounter.objects.all()
    assert "203.0.113" not in row.key and "checkin" not in row.key
    assert row.window_end > timezone.now()


class TestTheClientBehindTheProxy:
    def post(self, view, remote="10.0.0.1", **headers):
        return view(RequestFactory().post("/", REMOTE_ADDR=remote, headers=headers)).status_code

    def test_two_clients_behind_one_trusted_proxy_have_their_own_limits(
        self, settings, db, local_cache, view
    ):
        settings.TRUSTED_PROXY_COUNT = 1
        alice = {"X-Forwarded-For": "198.51.100.1"}
        bob = {"X-Forwarded-For": "198.51.100.2"}
        assert [self.post(view, **alice) for _ in range(3)] == [200, 200, 429]
        assert self.post(view, **bob) == 200

    def test_the_forwarded_header_can_be_the_one_the_proxy_writes(
        self, settings, db, local_cache, view
    ):
        settings.TRUSTED_PROXY_COUNT = 1
        settings.TRUSTED_PROXY_HEADER = "Forwarded"
        alice = {"Forwarded": 'for="[2001:db8:1::7]:4711";proto=https'}
        assert [self.post(view, **alice) for _ in range(3)] == [200, 200, 429]
        assert self.post(view, Forwarded="for=198.51.100.2") == 200

    def test_a_client_cannot_dodge_the_limit_by_writing_its_own_forwarded_for(
        self, settings, db, local_cache, view
    ):
        settings.TRUSTED_PROXY_COUNT = 1
        made_up = [{"X-Forwarded-For": f"192.0.2.{n}, 198.51.100.1"} for n in range(3)]
        assert [self.post(view, **headers) for headers in made_up] == [200, 200, 429]

    def test_with_no_trusted_proxy_a_spoofed_forwarded_for_is_ignored(
        self, settings, db, local_cache, view
    ):
        assert settings.TRUSTED_PROXY_COUNT == 0
        spoofed = [{"X-Forwarded-For": f"192.0.2.{n}"} for n in range(3)]
        assert [self.post(view, **headers) for headers in spoofed] == [200, 200, 429]

    def test_ipv6_addresses_count_by_their_slash_64(self, db, local_cache, view):
        same_64 = ["2001:db8:aa:1::1", "2001:db8:aa:1:ffff::2", "2001:db8:aa:1::3"]
        assert [self.post(view, remote=address) for address in same_64] == [200, 200, 429]
        assert self.post(view, remote="2001:db8:aa:2::1") == 200  # the next /64

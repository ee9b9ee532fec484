"""Benchmark the calendar page: median time and SQL query count at two sizes.

Seeds 200 events, measures, then seeds up to 1,000 events over 50 groups (60% recurring,
with cancelled and moved dates) and measures again: the query count must not grow with
the number of events. Dates are materialised the way publishing does it.

The database is a throwaway SQLite file, or, when DATABASE_URL is set, a throwaway test
database made next to it (Django's test-database machinery; it is dropped afterwards).

    .venv/bin/python bench/bench_calendar.py        # or: make bench

Target on the project's 2-core machine: the calendar page in 150 ms or less.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="irc-bench-calendar-")
USE_SERVER_DB = bool(os.environ.get("DATABASE_URL"))
if not USE_SERVER_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.test"

import manage  # noqa: E402, F401  (gives the `site` package its path; see manage.py)
import site.settings.test as bench_settings  # noqa: E402

# Measure with what production uses: the shared database cache, no DEBUG.
bench_settings.CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "irc_cache"}
}
bench_settings.DEBUG = False

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

EVENTS, GROUPS, RECURRING_SHARE = 1000, 50, 0.6
FIRST_SIZE = 200
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TARGET_MS = 150
PATHS = {
    "list": "/events/",
    "month": "/events/?view=month",
    "filtered": "/events/?category=social-and-cafe&fact=free&fact=step-free",
    "group": "/events/?group=group-3",
    "archive": "/events/?when=past",
}


class City:
    def __init__(self):
        from events.models import CalendarPage, Category, GroupIndexPage, GroupPage, Venue
        from home.models import HomePage

        self.rng = random.Random(7)
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Northbridge", slug="bench-home"))
        Site.objects.all().delete()
        Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
        home.add_child(instance=CalendarPage(title="What’s on", slug="events"))
        index = home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))
        self.venues = [
            Venue.objects.create(
                name=f"Venue {n}",
                address_line_1=f"{n} High Street",
                town="Northbridge",
                postcode="LS1 4AP",
                step_free=n % 3 != 0,
            )
            for n in range(20)
        ]
        self.categories = list(Category.objects.all())
        self.groups = [
            index.add_child(
                instance=GroupPage(
                    title=f"Group {n}",
                    slug=f"group-{n}",
                    summary="A friendly group.",
                    kind="community",
                )
            )
            for n in range(GROUPS)
        ]
        self.made = 0

    def grow_to(self, size: int) -> None:
        from events import schedule as sched
        from events.models import EventPage, OccurrenceChange
        from events.services import occurrences_regenerate

        rng, now, today = self.rng, timezone.now(), timezone.localdate()
        while self.made < size:
            n = self.made
            recurring = n % 5 < 3  # 60%
            start = (
                today - timedelta(days=rng.randrange(0, 200))
                if recurring
                else today + timedelta(days=rng.randrange(-60, 300))
            )
            fields = {
                "title": f"Event {n}",
                "slug": f"event-{n}",
                "summary": "Tea, company and a warm welcome for everyone.",
                "venue": rng.choice(self.venues),
                "start_date": start,
                "start_time": clock(rng.choice([10, 14, 18, 19]), rng.choice([0, 30])),
                "end_time": clock(21, 0),
                "is_free": n % 5 != 0,
                "cost": "" if n % 5 else "£3",
                "weekdays": WEEKDAYS[start.weekday()],
                "live": True,
                "first_published_at": now,
                "last_published_at": now,
            }
            if recurring:
                kind = n % 4
                fields["frequency"] = "monthly" if kind == 2 else "weekly"
                if kind == 1:
                    fields["interval"] = 2
                if kind == 2:
                    fields |= {"monthly_mode": "weekday", "monthly_nth": rng.choice([1, 2, -1])}
                if kind == 3:
                    fields |= {"ends": "on_date", "until": start + timedelta(days=365)}
            event = self.groups[n % GROUPS].add_child(instance=EventPage(**fields))
            event.categories.set(rng.sample(self.categories, 2))
            if n % 10 == 0:
                event.partner_groups.set([self.groups[(n + 7) % GROUPS]])
            if recurring:
                upcoming = sched.expand(event.schedule, start=now, end=now + timedelta(days=120))
                if len(upcoming) >= 3:
                    OccurrenceChange.objects.create(
                        page=event,
                        original_date=upcoming[0].original_start.date(),
                        status="cancelled",
                        note="The hall is closed for repairs.",
                    )
                    OccurrenceChange.objects.create(
                        page=event,
                        original_date=upcoming[2].original_start.date(),
                        status="moved",
                        new_start_time=clock(17, 0),
                        new_end_time=clock(19, 0),
                        new_venue=rng.choice(self.venues),
                    )
            occurrences_regenerate(event=event, now=now)
            self.made += 1


def measure(client: Client, path: str, repeats: int = 21) -> tuple[float, int, int]:
    times, queries, status = [], 0, 0
    client.get(path)  # warm
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
        status = response.status_code
    return statistics.median(times), queries, status


def report(city: City, client: Client) -> dict:
    from events.models import Occurrence

    dates = Occurrence.objects.count()
    print(f"\n{city.made} events, {dates} stored dates:")
    results = {}
    for name, path in PATHS.items():
        median_ms, queries, status = measure(client, path)
        assert status == 200, (path, status)
        results[name] = (median_ms, queries)
        verdict = "ok" if median_ms <= TARGET_MS else f"OVER the {TARGET_MS} ms target"
        print(f"  {name:<9} {path:<62} median {median_ms:6.1f} ms  {queries:3d} queries  {verdict}")
    return results


def main() -> None:
    old_name = None
    if USE_SERVER_DB:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        print(f"Using a throwaway database: {connection.settings_dict['NAME']}")
    else:
        print(f"Using a throwaway SQLite database in {WORKDIR}")
        call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    try:
        started = time.perf_counter()
        with transaction.atomic():
            city = City()
            city.grow_to(FIRST_SIZE)
        print(f"Seeded {FIRST_SIZE} events in {time.perf_counter() - started:.0f} s")
        client = Client()
        small = report(city, client)
        started = time.perf_counter()
        with transaction.atomic():
            city.grow_to(EVENTS)
        print(f"\nSeeded up to {EVENTS} events in {time.perf_counter() - started:.0f} s")
        large = report(city, client)
        grew = [name for name in PATHS if large[name][1] != small[name][1]]
        print(
            "\nQuery count "
            + (f"GREW for: {', '.join(grew)}" if grew else "is the same at both sizes (constant).")
        )
        slow = [name for name in PATHS if large[name][0] > TARGET_MS]
        print(
            f"Calendar page at {EVENTS} events: median {large['list'][0]:.1f} ms, "
            f"{large['list'][1]} queries (target {TARGET_MS} ms)."
            + (f" Over target: {', '.join(slow)}." if slow else "")
        )
    finally:
        if USE_SERVER_DB:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

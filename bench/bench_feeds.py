"""Benchmark the iCal feeds: the city feed's time and size, and a 304's time.

Seeds a throwaway SQLite database with 1,000 events over 50 groups (60% recurring, with
cancelled, moved and annotated dates), then answers requests through Django's full stack
(middleware included) with the production cache backend (the database).

Publishing an event stores its VEVENTs (events.FeedEntry), so "no cache" still reads those
stored entries; the figure for a feed that must build every entry (once, just after the
upgrade that added them) is printed too.

    .venv/bin/python bench/bench_feeds.py        # or: make bench

Targets on the project's 2-core machine: city feed 300 ms or less, a 304 in 10 ms or less.
"""

import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="irc-bench-feeds-")
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"

import manage  # noqa: E402, F401  (gives the `site` package its path; see manage.py)
import site.settings.test as bench_settings  # noqa: E402

# Measure with what production uses: the shared database cache, no DEBUG.
bench_settings.CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "irc_cache"}
}
bench_settings.DEBUG = False
# Seeding only: keeping the search index up to date would take most of the seeding time,
# and the feeds never search.
bench_settings.WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

EVENTS, GROUPS, RECURRING_SHARE = int(os.environ.get("BENCH_EVENTS", 1000)), 50, 0.6
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def seed() -> None:
    from events.models import (
        Category,
        EventPage,
        GroupIndexPage,
        GroupPage,
        OccurrenceChange,
        Venue,
    )
    from events.services import occurrences_regenerate
    from home.models import HomePage

    rng = random.Random(3)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Northbridge", slug="bench-home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    index = home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))
    venues = [
        Venue.objects.create(
            name=f"Venue {n}",
            address_line_1=f"{n} High Street",
            town="Northbridge",
            postcode="LS1 4AP",
            step_free=n % 3 != 0,
        )
        for n in range(20)
    ]
    categories = list(Category.objects.all())
    groups = [
        index.add_child(
            instance=GroupPage(
                title=f"Group {n}",
                slug=f"group-{n}",
                summary="A friendly group.",
                kind="community",
                contact_email=f"group{n}@example.org",
            )
        )
        for n in range(GROUPS)
    ]
    now = timezone.now()
    today = timezone.localdate()
    for n in range(EVENTS):
        recurring = n < EVENTS * RECURRING_SHARE
        start = (
            today - timedelta(days=rng.randrange(0, 200))
            if recurring
            else (today + timedelta(days=rng.randrange(1, 300)))
        )
        fields = {
            "title": f"Event {n}",
            "slug": f"event-{n}",
            "summary": "Tea, company and a warm welcome for everyone.",
            "venue": rng.choice(venues),
            "start_date": start,
            "start_time": clock(rng.choice([10, 14, 18, 19]), rng.choice([0, 30])),
            "end_time": clock(21, 0),
            "is_free": n % 5 != 0,
            "cost": "" if n % 5 else "£3",
            "live": True,
            "first_published_at": now,
            "last_published_at": now,
        }
        if recurring:
            kind = n % 4
            if kind == 0:
                fields |= {"frequency": "weekly", "weekdays": WEEKDAYS[start.weekday()]}
            elif kind == 1:
                fields |= {
                    "frequency": "weekly",
                    "interval": 2,
                    "weekdays": WEEKDAYS[start.weekday()],
                }
            elif kind == 2:
                fields |= {
                    "frequency": "monthly",
                    "monthly_mode": "weekday",
                    "monthly_nth": rng.choice([1, 2, 3, -1]),
                    "weekdays": WEEKDAYS[start.weekday()],
                }
            else:
                fields |= {
                    "frequency": "weekly",
                    "weekdays": WEEKDAYS[start.weekday()],
                    "ends": "on_date",
                    "until": start + timedelta(days=365),
                    "excluded_dates": (start + timedelta(days=7 * 8)).isoformat(),
                }
        event = groups[n % GROUPS].add_child(instance=EventPage(**fields))
        event.categories.set(rng.sample(categories, 2))
        if recurring:
            if n % 10 == 0:
                event.partner_groups.set([groups[(n + 7) % GROUPS]])
            step = {0: 7, 1: 14, 2: 35, 3: 7}[n % 4]
            first = start + timedelta(days=step * 3)
            first = next(
                d for d in (first + timedelta(days=i) for i in range(40)) if _is_date_of(event, d)
            )
            second = next(
                d
                for d in (first + timedelta(days=step + i) for i in range(40))
                if _is_date_of(event, d)
            )
            OccurrenceChange.objects.create(
                page=event,
                original_date=first,
                status="cancelled",
                note="The hall is closed for repairs.",
            )
            OccurrenceChange.objects.create(
                page=event,
                original_date=second,
                status="moved",
                new_start_time=clock(17, 0),
                new_end_time=clock(19, 0),
                new_venue=rng.choice(venues),
            )
        event.save()  # ParentalManyToManyFields are written when the page is saved
        # The stored dates the calendar lists (and a filtered view's feed follows), four
        # months ahead: enough for the filtered feed, and quicker to seed than eighteen.
        occurrences_regenerate(event=event, horizon=timedelta(days=120))


def _is_date_of(event, day: date) -> bool:
    from events import schedule as sched

    begins = sched.local_start(event.schedule, day)
    return bool(sched.expand(event.schedule, start=begins, end=begins + timedelta(seconds=1)))


def timed(client, path, repeats, headers=None, before=None):
    times, queries, response = [], [], None
    for _ in range(repeats):
        if before:
            before()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, headers=headers or {})
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return statistics.median(times), max(queries), response


def publish_one_event() -> None:
    """An organiser edits one event and publishes it (which rewrites its stored feed entry)."""
    from events.models import EventPage

    event = EventPage.objects.order_by("?").first()
    event.summary = f"Edited at {time.time()}"
    event.save_revision().publish()


def forget_entries() -> None:
    """As just after the upgrade that adds stored entries: every feed must build them all."""
    from events.models import FeedEntry

    cache.clear()
    FeedEntry.objects.all().delete()


def main() -> None:
    print(f"Seeding a throwaway database in {WORKDIR} ...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with transaction.atomic(), disable_reference_index_auto_update():
        seed()
    print(f"Seeded {EVENTS} events over {GROUPS} groups in {time.perf_counter() - started:.0f} s")
    from events.feeds import feed_entries_write
    from events.models import EventPage

    started = time.perf_counter()
    feed_entries_write(EventPage.objects.all())  # what publishing each event did, at once
    print(f"Stored their feed entries in {(time.perf_counter() - started) * 1000:.0f} ms")

    client = Client()
    client.get("/feeds/events.ics")  # warm imports, the site-root cache and zoneinfo

    city = "/feeds/events.ics"
    cold_ms, cold_queries, response = timed(client, city, 7, before=cache.clear)
    assert response.status_code == 200, response.status_code
    body = response.content
    vevents = body.count(b"BEGIN:VEVENT")
    overrides = body.count(b"RECURRENCE-ID")
    edited_ms, edited_queries, edited = timed(client, city, 7, before=publish_one_event)
    assert edited["ETag"] != response["ETag"]
    warm_ms, warm_queries, response = timed(client, city, 21)
    etag = response["ETag"]
    nm_ms, nm_queries, not_modified = timed(client, city, 101, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304, not_modified.status_code
    ims_ms, _, since = timed(
        client, city, 101, headers={"If-Modified-Since": response["Last-Modified"]}
    )
    assert since.status_code == 304
    unstored_ms, unstored_queries, _ = timed(client, city, 5, before=forget_entries)
    group_ms, _, group = timed(client, "/feeds/groups/group-3.ics", 7, before=cache.clear)
    filtered_ms, _, filtered = timed(
        client, "/feeds/events.ics?category=social-and-cafe&fact=free", 5, before=cache.clear
    )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{os.cpu_count()} CPUs, load average {load:.1f} while measuring")
    rows = [
        ("City feed, no cache (entries stored)", cold_ms, cold_queries, "target <= 300 ms"),
        ("City feed, one event just published", edited_ms, edited_queries, "target <= 300 ms"),
        ("City feed, unchanged (body cached)", warm_ms, warm_queries, ""),
        ("304 for If-None-Match", nm_ms, nm_queries, "target <= 10 ms"),
        ("304 for If-Modified-Since", ims_ms, None, "target <= 10 ms"),
        (f"One group's feed ({len(group.content) / 1024:.0f} KiB)", group_ms, None, ""),
        (f"A filtered view's feed ({len(filtered.content) / 1024:.0f} KiB)", filtered_ms, None, ""),
    ]
    rows.insert(
        5, ("City feed, no stored entry (once, after upgrading)", unstored_ms, unstored_queries, "")
    )
    for label, ms, queries, target in rows:
        counted = f"{queries:3d} queries" if queries is not None else " " * 11
        print(f"{label:50s} {ms:8.1f} ms median  {counted}  {target}")
    print(
        f"City feed size: {len(body) / 1024:.0f} KiB: {vevents} VEVENTs"
        f" ({overrides} RECURRENCE-ID overrides) for {EVENTS} events"
    )


if __name__ == "__main__":
    main()

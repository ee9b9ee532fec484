"""Benchmark the open data: /meetings.json and pages of /openreferral/..., at two sizes.

The same city as bench/bench_calendar.py (its seeding is reused: 200, then 1,000 events over
50 groups, 60% recurring, with cancelled and moved dates), with every event ticked for
meeting-finder apps so that every weekly one is in /meetings.json; the median time and the SQL query count of each answer: the count must not grow with the
number of events.

    .venv/bin/python bench/bench_opendata.py        # or: make bench

Target on the project's 2-core machine: /meetings.json and an HSDS services page in 150 ms.
"""

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Sets up Django on a throwaway database, as that benchmark does (see its docstring).
import bench_calendar  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

# The page-5 probe answers 400 at the small size: no log line for each of its repeats.
logging.getLogger("django.request").setLevel(logging.CRITICAL)

TARGET_MS = 150
PATHS = {
    "meetings": "/meetings.json",
    "services": "/openreferral/services",
    "services-full": "/openreferral/services?full=true",
    "service-page-5": "/openreferral/services?page=5&full=true",
    "organizations": "/openreferral/organizations",
    "locations": "/openreferral/locations",
}
TARGETED = ("meetings", "services", "services-full")


def list_every_event_in_meeting_finders() -> None:
    """The most /meetings.json can hold: every weekly event listed (as if a group chose it)."""
    from events.models import EventPage

    EventPage.objects.update(in_meeting_finders=True)


def report(city, client: Client) -> dict:
    list_every_event_in_meeting_finders()
    print(f"\n{city.made} events:")
    results = {}
    for name, path in PATHS.items():
        median_ms, queries, status = bench_calendar.measure(client, path)
        if status == 400 and "page=" in path:  # not that many pages at the small size
            print(f"  {name:<15} {path:<42} (no such page yet)")
            continue
        assert status == 200, (path, status)
        results[name] = (median_ms, queries)
        verdict = ""
        if name in TARGETED:
            verdict = "ok" if median_ms <= TARGET_MS else f"OVER the {TARGET_MS} ms target"
        print(
            f"  {name:<15} {path:<42} median {median_ms:6.1f} ms  {queries:3d} queries  {verdict}"
        )
    meetings = len(client.get(PATHS["meetings"]).json())
    print(f"  ({meetings} entries in /meetings.json)")
    return results


def main() -> None:
    old_name = None
    if bench_calendar.USE_SERVER_DB:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        print(f"Using a throwaway database: {connection.settings_dict['NAME']}")
    else:
        print(f"Using a throwaway SQLite database in {bench_calendar.WORKDIR}")
        call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    try:
        started = time.perf_counter()
        with transaction.atomic():
            city = bench_calendar.City()
            city.grow_to(bench_calendar.FIRST_SIZE)
        print(f"Seeded {bench_calendar.FIRST_SIZE} events in {time.perf_counter() - started:.0f} s")
        client = Client()
        small = report(city, client)
        started = time.perf_counter()
        with transaction.atomic():
            city.grow_to(bench_calendar.EVENTS)
        print(
            f"\nSeeded up to {bench_calendar.EVENTS} events in {time.perf_counter() - started:.0f} s"
        )
        large = report(city, client)
        grew = [name for name in small if large[name][1] != small[name][1]]
        print(
            "\nQuery count "
            + (f"GREW for: {', '.join(grew)}" if grew else "is the same at both sizes (constant).")
        )
        for name in TARGETED:
            print(
                f"{PATHS[name]} at {bench_calendar.EVENTS} events: median {large[name][0]:.1f} ms, "
                f"{large[name][1]} queries (target {TARGET_MS} ms)."
            )
    finally:
        if bench_calendar.USE_SERVER_DB:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark the city feed against its floor, alternated in one run, as ratios.

Seeds a throwaway SQLite database with 1,000 events over 50 groups (60% recurring, with
cancelled, moved and annotated dates), then answers requests through Django's full stack
(middleware included) with the production cache backends (the database, and each
process's memory for built feed bodies).

The floor is a bare view (below, mounted by this script's own URLconf) that joins the stored
VEVENT texts of live events from one query; its body is asserted byte-identical to ours.
Each round publishes one event, then times ours and the floor for the first request after
that publish, a repeated request and a 304, and prints both times and their ratio; the
medians of the ratios close the run. Ratios, not milliseconds, are what compare across a
noisy shared machine.

    .venv/bin/python bench/bench_feeds.py        # or: make bench
    BENCH_ROUNDS=5 BENCH_EVENTS=200 .venv/bin/python bench/bench_feeds.py   # a quick look

Targets at 1,000 events: first request after a publish <= 2x the floor, repeated <= 1.5x,
a 304 <= 2x.
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
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "irc_cache"},
    **{name: value for name, value in bench_settings.CACHES.items() if name != "default"},
}
bench_settings.DEBUG = False
# Ours and the floor side by side: this script's URLconf mounts the floor before the site's.
bench_settings.ROOT_URLCONF = "__main__"
# Seeding only: keeping the search index up to date would take most of the seeding time,
# and the feeds never search.
bench_settings.WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
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


def publish_one_event() -> None:
    """An organiser edits one event and publishes it (which rewrites its stored feed entry)."""
    from events.models import EventPage

    event = EventPage.objects.order_by("?").first()
    event.summary = f"Edited at {time.time()}"
    event.save_revision().publish()


# --- The floor: the least a feed can do, through the same middleware and test client ------


def floor_feed(request):
    """The stored VEVENT texts of live events, joined, from one query; 304 from one more.

    No page privacy, no cache, no validator beyond the newest written entry: the bare
    minimum a feed of stored entries costs. Its body must be byte-identical to ours.
    """
    from django.db.models import Max
    from django.http import HttpResponse, HttpResponseNotModified

    from events import ical
    from events import schedule as sched
    from events.models import FeedEntry

    entries = FeedEntry.objects.filter(event__live=True)
    if "HTTP_IF_NONE_MATCH" in request.META:
        newest = entries.aggregate(newest=Max("written_at"))["newest"]
        if request.META["HTTP_IF_NONE_MATCH"] == f'"{newest.isoformat()}"':
            return HttpResponseNotModified()
    rows = list(entries.order_by("event_id").values_list("tz", "years", "text", "written_at"))
    stamp = max(row[3] for row in rows)
    body = ical.calendar_text(
        [
            ical.Fragment(tz=tz, years=tuple(int(y) for y in years.split(",") if y), text=text)
            for tz, years, text, _written in rows
            if text
        ],
        name=FLOOR_HEADER["name"],
        description=FLOOR_HEADER["description"],
        stamp=stamp,
        refresh=FLOOR_HEADER["refresh"],
        default_tz=sched.DEFAULT_TZ,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = f'"{stamp.isoformat()}"'
    return response


FLOOR_HEADER: dict = {}
FLOOR = "/bench-floor/events.ics"
CITY = "/feeds/events.ics"


def _urlpatterns():
    from django.urls import include, path

    return [path(FLOOR.lstrip("/"), floor_feed), path("", include("site.urls"))]


def one(client, path, headers=None) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(path, headers=headers or {})
    return (time.perf_counter() - started) * 1000, response


def best_of(client, path, repeats, headers=None) -> float:
    return statistics.median(one(client, path, headers)[0] for _ in range(repeats))


def main() -> None:
    print(f"Seeding a throwaway database in {WORKDIR} ...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with transaction.atomic(), disable_reference_index_auto_update():
        seed()
    print(f"Seeded {EVENTS} events over {GROUPS} groups in {time.perf_counter() - started:.0f} s")
    from events.feeds import REFRESH, feed_entries_write
    from events.models import EventPage

    started = time.perf_counter()
    feed_entries_write(EventPage.objects.all())  # what publishing each event did, at once
    print(f"Stored their feed entries in {(time.perf_counter() - started) * 1000:.0f} ms")

    client = Client()
    ours = client.get(CITY)  # warm imports, the site-root cache, zoneinfo, the city's settings
    assert ours.status_code == 200, ours.status_code
    from icalendar import Calendar

    header = Calendar.from_ical(ours.content)
    FLOOR_HEADER.update(
        name=str(header["NAME"]), description=str(header["DESCRIPTION"]), refresh=REFRESH
    )
    floor = client.get(FLOOR)
    assert floor.content == ours.content, "the floor's body must be byte-identical to ours"
    with CaptureQueriesContext(connection) as captured:
        client.get(FLOOR)
    floor_queries = len(captured)

    rounds = int(os.environ.get("BENCH_ROUNDS", 15))
    paths = ("first request after a publish", "repeated", "304")
    ratios: dict[str, list[float]] = {name: [] for name in paths}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    print(f"\n{rounds} rounds, ours and the floor alternated (ms; repeated and 304: median of 5)")
    print(f"{'round':>5}  {'path':32s} {'ours':>8} {'floor':>8} {'ratio':>6}")
    for number in range(1, rounds + 1):
        publish_one_event()
        ours_ms, ours = one(client, CITY)
        floor_ms, floor = one(client, FLOOR)
        assert ours.status_code == floor.status_code == 200
        assert ours.content == floor.content, "the floor's body must be byte-identical to ours"
        measured = {"first request after a publish": (ours_ms, floor_ms)}
        # Alternate which goes first, so neither always meets a warmer machine.
        order = [(CITY, None), (FLOOR, None)]
        if number % 2:
            order.reverse()
        found = {where: best_of(client, where, 5) for where, _ in order}
        measured["repeated"] = (found[CITY], found[FLOOR])
        ours_tag, floor_tag = {"If-None-Match": ours["ETag"]}, {"If-None-Match": floor["ETag"]}
        assert client.get(CITY, headers=ours_tag).status_code == 304
        assert client.get(FLOOR, headers=floor_tag).status_code == 304
        tagged = [(CITY, ours_tag), (FLOOR, floor_tag)]
        if number % 2:
            tagged.reverse()
        found = {where: best_of(client, where, 5, tag) for where, tag in tagged}
        measured["304"] = (found[CITY], found[FLOOR])
        for name, (ours_ms, floor_ms) in measured.items():
            ratios[name].append(ours_ms / floor_ms)
            times[name].append((ours_ms, floor_ms))
            print(
                f"{number:5d}  {name:32s} {ours_ms:8.1f} {floor_ms:8.1f} {ours_ms / floor_ms:6.2f}"
            )

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"\n{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    targets = {"first request after a publish": 2.0, "repeated": 1.5, "304": 2.0}
    print(f"{'path':32s} {'ours':>8} {'floor':>8} {'median ratio':>13}  target")
    for name in paths:
        ours_median = statistics.median(t[0] for t in times[name])
        floor_median = statistics.median(t[1] for t in times[name])
        ratio = statistics.median(ratios[name])
        print(
            f"{name:32s} {ours_median:8.1f} {floor_median:8.1f} {ratio:13.2f}  <= {targets[name]}"
        )
    with CaptureQueriesContext(connection) as captured:
        client.get(CITY)
    body = ours.content
    print(
        f"City feed: {len(body) / 1024:.0f} KiB, {body.count(b'BEGIN:VEVENT')} VEVENTs for"
        f" {EVENTS} events; {len(captured)} queries repeated (the floor: {floor_queries})"
    )


urlpatterns = _urlpatterns() if __name__ == "__main__" else []

if __name__ == "__main__":
    main()

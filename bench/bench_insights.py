"""Benchmark: the community figures with a big city's attendance history.

Seeds a throwaway database (a SQLite file under /tmp by default; with DATABASE_URL set, a
fresh test database on that server, dropped afterwards) with 50 groups, 100 weekly events,
two years of dates (~10,000), 10,000 participants and 200,000 attendances, then times,
through the Django test client:

- the council's dashboard for the last year (logged in as the council; target < 1 s);
- the public "our city in numbers" page once its figures are cached (target < 300 ms).

Run with `make bench` or `.venv/bin/python bench/bench_insights.py`.
"""

import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import manage  # noqa: E402, F401  (makes the `site` package importable)

SQLITE_FILE = Path(tempfile.gettempdir()) / "bench_insights.sqlite3"
USE_SERVER = bool(os.environ.get("DATABASE_URL"))
# BENCH_REUSE=1 keeps the seeded SQLite file for the next run (to profile, say).
REUSE = os.environ.get("BENCH_REUSE") == "1" and not USE_SERVER
SEEDED = REUSE and SQLITE_FILE.exists()
if not USE_SERVER:
    if not SEEDED:
        SQLITE_FILE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.test"

import django  # noqa: E402

django.setup()
warnings.filterwarnings("ignore", message="No directory at")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

GROUPS = 50
EVENTS_PER_GROUP = 2
PARTICIPANTS = 10_000
ATTENDANCES = 200_000
WEEKS = 104
RUNS = 7
SEED = 6


def seed():
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    from events.checkin.models import AnonymousCount, Attendance, Participant, Role
    from events.models import EventPage, GroupIndexPage, GroupKind, GroupPage, Occurrence
    from home.models import HomePage

    rng = random.Random(SEED)
    root = Page.get_first_root_node()
    home = HomePage(title="Bench City", slug="bench-city")
    root.add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    index = GroupIndexPage(title="Groups", slug="groups")
    home.add_child(instance=index)

    kinds = list(GroupKind.values)
    groups = []
    for i in range(GROUPS):
        group = GroupPage(title=f"Group {i:02d}", slug=f"group-{i:02d}", summary="A group.")
        group.kind = kinds[i % len(kinds)]
        index.add_child(instance=group)
        groups.append(group)
    events = []
    for group in groups:
        for j in range(EVENTS_PER_GROUP):
            event = EventPage(
                title=f"{group.title} event {j}",
                slug=f"event-{j}",
                summary="An event.",
                start_date=timezone.localdate() - timedelta(weeks=WEEKS),
                frequency="weekly",
            )
            group.add_child(instance=event)
            events.append(event)
    through = EventPage.partner_groups.through
    through.objects.bulk_create(
        through(eventpage_id=event.pk, grouppage_id=rng.choice(groups).pk)
        for event in events
        if rng.random() < 0.2
    )

    now = timezone.now()
    occurrences = []
    for e, event in enumerate(events):
        first = now - timedelta(weeks=WEEKS, hours=e)
        for week in range(WEEKS):
            start = first + timedelta(weeks=week)
            occurrences.append(
                Occurrence(
                    event=event, original_start=start, start=start, end=start + timedelta(hours=2)
                )
            )
    Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    by_group: dict[int, list[int]] = {g.pk: [] for g in groups}
    for pk, group_id in Occurrence.objects.values_list("pk", "event__group_id"):
        by_group[group_id].append(pk)

    roles = list(Role.objects.all())
    Participant.objects.bulk_create(
        (
            Participant(
                nickname=f"Person {i}",
                roles_consent_at=now if rng.random() < 0.7 else None,
            )
            for i in range(PARTICIPANTS)
        ),
        batch_size=2000,
    )
    people = list(Participant.objects.values_list("pk", "roles_consent_at"))
    role_link = Participant.roles.through
    role_link.objects.bulk_create(
        (
            role_link(participant_id=pk, role_id=role.pk)
            for pk, consent in people
            if consent
            for role in rng.sample(roles, k=rng.choice([1, 1, 2]))
        ),
        batch_size=5000,
    )

    group_ids = list(by_group)
    per_person = ATTENDANCES // PARTICIPANTS
    batch = []
    for pk, _consent in people:
        home_group = rng.choice(group_ids)
        pool = by_group[home_group]
        if rng.random() < 0.3:
            pool = sorted(set(pool) | set(by_group[rng.choice(group_ids)]))
        for occurrence_id in rng.sample(pool, k=min(per_person, len(pool))):
            batch.append(Attendance(participant_id=pk, occurrence_id=occurrence_id, method="scan"))
        if len(batch) >= 20_000:
            Attendance.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Attendance.objects.bulk_create(batch, batch_size=5000)
    AnonymousCount.objects.bulk_create(
        (
            AnonymousCount(occurrence_id=pk, source="door")
            for pks in by_group.values()
            for pk in pks
            for _ in range(rng.choice([0, 0, 1, 2]))
        ),
        batch_size=5000,
    )
    return get_user_model().objects.create_superuser("bench-council", "c@example.org", "x")


def timed(client, url, runs=RUNS):
    """Give the median wall-clock and CPU seconds of GETting `url`, and the last response."""
    times, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), statistics.median(cpu), response


def fast_sqlite(sender, connection, **kwargs):
    # A throwaway file: no need to wait for the disk on every write while seeding.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")


def main():
    from django.db.backends.signals import connection_created

    connection_created.connect(fast_sqlite)
    from events.checkin.models import Attendance, Participant
    from events.insights.figures import compute
    from events.insights.forms import default_period
    from events.insights.selectors import period_dataset
    from events.models import Occurrence

    began = time.perf_counter()
    if USE_SERVER:
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    elif not SEEDED:
        call_command("migrate", verbosity=0)
    try:
        print(f"migrated in {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        if SEEDED:
            from django.contrib.auth import get_user_model

            council = get_user_model().objects.get(username="bench-council")
        else:
            council = seed()
        seeded = time.perf_counter() - began
        print(
            f"seeded {Attendance.objects.count():,} attendances, "
            f"{Participant.objects.count():,} participants, "
            f"{Occurrence.objects.count():,} dates on {connection.vendor} in {seeded:.1f} s"
        )
        db_cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "irc_cache",
            }
        }
        with override_settings(CACHES=db_cache):
            call_command("createcachetable", verbosity=0)
            client = Client()
            client.force_login(council)
            start, end = default_period()
            url = f"/admin/insights/?start={start}&end={end}"
            client.get(url)  # warm-up: connections, templates
            dashboard, dashboard_cpu, _response = timed(client, url)
            figures = compute(period_dataset(start, end))
            print(
                f"a year ({start} to {end}): {figures.occurrences:,} dates, "
                f"{figures.attendances:,} attendances, {figures.participants:,} participants, "
                f"{figures.multi_group_participants:,} in two or more groups, "
                f"{len(figures.network):,} links between groups"
            )
            print(
                f"council dashboard, a year: median {dashboard * 1000:.0f} ms "
                f"(CPU {dashboard_cpu * 1000:.0f} ms; target < 1000 ms)"
            )

            public = Client()
            began = time.perf_counter()
            assert public.get("/numbers/").status_code == 200
            cold = time.perf_counter() - began
            cached, cached_cpu, _response = timed(public, "/numbers/", runs=RUNS * 2)
            print(f"public page, first (uncached): {cold * 1000:.0f} ms")
            print(
                f"public page, cached: median {cached * 1000:.0f} ms "
                f"(CPU {cached_cpu * 1000:.0f} ms; target < 300 ms)"
            )
            print(f"load average while timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        if USE_SERVER:
            connection.creation.destroy_test_db(test_name, verbosity=0)
        elif not REUSE:
            connection.close()
            SQLITE_FILE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()

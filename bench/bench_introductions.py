"""Benchmark warm introductions: a navigator's list, the scanner's expected list, and the
figures for a year, with 20,000 introductions over two years.

The database is a throwaway SQLite file, or, when DATABASE_URL is set, a throwaway test
database made next to it (dropped afterwards).

    .venv/bin/python bench/bench_introductions.py

Targets: the navigator's list under 200 ms; the expected list in a fixed number of
queries however many are expected; the figures for a year under 1 s.
"""

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="irc-bench-introductions-")
USE_SERVER_DB = bool(os.environ.get("DATABASE_URL"))
if not USE_SERVER_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.test"

import manage  # noqa: E402, F401  (gives the `site` package its path; see manage.py)
import site.settings.test as bench_settings  # noqa: E402

bench_settings.DEBUG = False

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SEED = 14
INTRODUCTIONS = 20_000
GROUPS = 12
PARTICIPANTS = 9_000
WEEKS = 104
RUNS = 7


def seed():
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    from events.checkin.models import Attendance, Participant
    from events.introductions.models import Introduction
    from events.introductions.services import navigator_organisation_create
    from events.models import EventPage, GroupIndexPage, GroupKind, GroupPage, Occurrence
    from home.models import HomePage

    rng = random.Random(SEED)  # noqa: S311  (bench data)
    root = Page.get_first_root_node()
    home = HomePage(title="Bench City", slug="bench-city")
    root.add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    index = GroupIndexPage(title="Groups", slug="groups")
    home.add_child(instance=index)
    kinds = [GroupKind.COMMUNITY, GroupKind.MUTUAL_AID, GroupKind.SPORT_ARTS]
    groups, events = [], []
    for i in range(GROUPS):
        group = GroupPage(title=f"Group {i:02d}", slug=f"group-{i:02d}", summary="A group.")
        group.kind = kinds[i % len(kinds)]
        index.add_child(instance=group)
        groups.append(group)
        event = EventPage(title=f"Group {i} weekly", slug="weekly", summary="Weekly.",
                          start_date=timezone.localdate() - timedelta(weeks=WEEKS))  # fmt: skip
        group.add_child(instance=event)
        events.append(event)
    organisations = []
    for slug, kind in [("probation", GroupKind.PROBATION), ("health", GroupKind.HEALTH),
                       ("council", GroupKind.COUNCIL), ("peers", GroupKind.LIVED_EXPERIENCE)]:  # fmt: skip
        page = GroupPage(title=f"Navigators {slug}", slug=f"nav-{slug}", summary="Navigators.")
        page.kind = kind
        index.add_child(instance=page)
        organisations.append(navigator_organisation_create(organisation=page))
    now = timezone.now()
    first = now - timedelta(weeks=WEEKS - 2)
    Occurrence.objects.bulk_create(
        Occurrence(event=event, original_start=s, start=s, end=s + timedelta(hours=2))
        for e, event in enumerate(events)
        for week in range(WEEKS)
        for s in [first + timedelta(weeks=week, hours=e)]
    )
    dates = list(Occurrence.objects.values_list("pk", "event_id", "start"))
    by_event = {}
    for pk, event_id, start in dates:
        by_event.setdefault(event_id, []).append((pk, start))
    Participant.objects.bulk_create(
        (Participant(nickname=f"Person {i}") for i in range(PARTICIPANTS)), batch_size=2000
    )
    people = list(Participant.objects.values_list("pk", flat=True))
    intros, attended = [], set()
    for n in range(INTRODUCTIONS):
        pk, event_id, start = rng.choice(dates)
        person = rng.choice(people)
        came = rng.random() < 0.6
        intros.append(
            Introduction(
                organisation=organisations[n % 4 if n % 3 else 0],
                occurrence_id=pk,
                participant_id=person,
                chosen_name=f"Person {person}",
                note="Likes tea.",
                consent_text="I agree.",
                consented_at=start - timedelta(days=3),
                created=start - timedelta(days=3),
                share_other_groups=rng.random() < 0.5,
                submission=uuid.uuid4(),
                came_at=start if came and start < now else None,
            )
        )
        if came and start < now:
            attended.add((pk, person))
            if rng.random() < 0.4:
                later = [
                    d for d, s in by_event[event_id] if start < s <= start + timedelta(weeks=8)
                ]
                if later:
                    attended.add((rng.choice(later), person))
            if rng.random() < 0.2:
                other, _e, _s = rng.choice(dates)
                attended.add((other, person))
    Introduction.objects.bulk_create(intros, batch_size=2000)
    Attendance.objects.bulk_create(
        (Attendance(occurrence_id=o, participant_id=p, method="scan") for o, p in attended),
        batch_size=5000,
    )
    navigator = get_user_model().objects.create_user("bench-navigator", "n@example.org", "x")
    navigator.groups.add(organisations[0].navigators)
    return navigator


def timed(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main():
    from events.introductions.figures import compute
    from events.introductions.models import Introduction
    from events.introductions.selectors import expected_at, figure_rows
    from events.models import Occurrence

    if USE_SERVER_DB:
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        began = time.perf_counter()
        navigator = seed()
        print(
            f"seeded {Introduction.objects.count():,} introductions on {connection.vendor} "
            f"in {time.perf_counter() - began:.1f} s"
        )
        client = Client()
        client.force_login(navigator)
        client.get("/introductions/")  # warm-up

        def listing():
            response = client.get("/introductions/")
            assert response.status_code == 200
            return response

        median, _response = timed(listing)
        with CaptureQueriesContext(connection) as queries:
            listing()
        print(
            f"navigator's list (50 of theirs): median {median * 1000:.0f} ms, "
            f"{len(queries)} queries (target < 200 ms)"
        )
        busiest = (
            Occurrence.objects.order_by("-introductions__pk").values_list("pk", flat=True).first()
        )
        occurrence = Occurrence.objects.get(pk=busiest)
        with CaptureQueriesContext(connection) as queries:
            rows = expected_at(occurrence)
        print(f"expected list at one date: {len(rows)} people in {len(queries)} query")
        today = timezone.localdate()
        start, end = today.replace(year=today.year - 1), today

        def figures():
            return compute(figure_rows(start=start, end=end), threshold=5)

        median, result = timed(figures, runs=3)
        print(f"figures for a year: median {median * 1000:.0f} ms (target < 1000 ms)")
        print(
            f"  made {result.made.value:,}; came {result.came_share.value}%; came back "
            f"{result.came_back.value:,}; other groups {result.bridging.value:,} of "
            f"{result.bridging_base.value:,} asked; linking {result.linking.value:,}"
        )
        print(f"  by kind: { {k: c.value for k, c in result.made_by_kind.items()} }")
        print(f"load average while timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        if USE_SERVER_DB:
            connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()

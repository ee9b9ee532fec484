"""Benchmark importing a group's calendar of 500 events (issue 16: under 10 s).

Seeds a throwaway SQLite database with one group and its organiser, writes a calendar of
``BENCH_EVENTS`` events as a calendar app exports one (weekly, fortnightly and monthly series
with excluded, moved and cancelled dates, one-offs and all-day dates, in Europe/London), then
times, through Django's full stack as the organiser: the upload and its preview, the
confirmation that makes the drafts, and a second import of the same file (which changes
nothing). Each is timed ``BENCH_ROUNDS`` times on a fresh group; the medians are printed.

    .venv/bin/python bench/bench_ics_import.py        # or: make bench
    BENCH_EVENTS=100 BENCH_ROUNDS=1 .venv/bin/python bench/bench_ics_import.py
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="irc-bench-import-")
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"

import manage  # noqa: E402, F401  (gives the `site` package its path; see manage.py)
import site.settings.test as bench_settings  # noqa: E402

bench_settings.DEBUG = False

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", 500))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar(n_events: int, today: date) -> bytes:
    """An exported calendar: 60% series (with changed dates), the rest one-offs."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//Group calendar//EN"]
    for n in range(n_events):
        first = today + timedelta(days=1 + n % 60)
        stamp = first.strftime("%Y%m%d")
        hour = (10, 14, 18, 19)[n % 4]
        uid = f"bench-{n}@example.org"
        when = f"DTSTART;TZID=Europe/London:{stamp}T{hour:02d}0000"
        until = f"DTEND;TZID=Europe/London:{stamp}T{hour + 2:02d}0000"
        head = [f"UID:{uid}", f"SUMMARY:Event {n}", "DESCRIPTION:Tea and a warm welcome."]
        head += ["LOCATION:Community hall, High Street"]
        kind = n % 10
        if kind < 6:
            day = DAYS[first.weekday()]
            rule = {
                0: f"FREQ=WEEKLY;BYDAY={day}",
                1: f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
                2: f"FREQ=MONTHLY;BYDAY={min((first.day - 1) // 7 + 1, 4)}{day}",
                3: f"FREQ=WEEKLY;BYDAY={day};COUNT=20",
                4: "FREQ=DAILY;INTERVAL=3",
                5: f"FREQ=WEEKLY;BYDAY={day}",
            }[kind]
            if kind == 2 and (first.day - 1) // 7 + 1 > 4:
                rule = f"FREQ=WEEKLY;BYDAY={day}"
            step = {0: 7, 1: 14, 3: 7, 4: 3, 5: 7}.get(kind)
            lines += ["BEGIN:VEVENT", *head, when, until, f"RRULE:{rule}"]
            if step:
                skipped = (first + timedelta(days=2 * step)).strftime("%Y%m%d")
                lines.append(f"EXDATE;TZID=Europe/London:{skipped}T{hour:02d}0000")
            lines.append("END:VEVENT")
            if step:
                moved = first + timedelta(days=3 * step)
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{uid}",
                    f"SUMMARY:Event {n}",
                    f"RECURRENCE-ID;TZID=Europe/London:{moved:%Y%m%d}T{hour:02d}0000",
                    f"DTSTART;TZID=Europe/London:{moved:%Y%m%d}T{hour - 1:02d}0000",
                    f"DTEND;TZID=Europe/London:{moved:%Y%m%d}T{hour + 1:02d}0000",
                    "END:VEVENT",
                ]
        elif kind == 9:
            nxt = (first + timedelta(days=1)).strftime("%Y%m%d")
            lines += ["BEGIN:VEVENT", *head, f"DTSTART;VALUE=DATE:{stamp}"]
            lines += [f"DTEND;VALUE=DATE:{nxt}", "END:VEVENT"]
        else:
            lines += ["BEGIN:VEVENT", *head, when, until, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def seed():
    from events.models import GroupIndexPage
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Northbridge", slug="bench-home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    return home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))


def new_group(index, n):
    from django.contrib.auth import get_user_model

    from events.models import GroupPage

    group = index.add_child(
        instance=GroupPage(
            title=f"Group {n}", slug=f"group-{n}", summary="A group.", kind="community"
        )
    )
    group.refresh_from_db()
    user = get_user_model().objects.create_user(f"organiser-{n}", password="x")
    user.groups.add(group.organisers)
    client = Client()
    client.force_login(user)
    return group, client


def timed(action):
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    # Counted as they run (Django's own query log keeps only the last 9,000).
    with connection.execute_wrapper(counter):
        began = time.perf_counter()
        response = action()
        seconds = time.perf_counter() - began
    return response, seconds, count[0]


def main():
    from events.ics_import.models import ImportedEvent
    from events.models import EventPage

    setup_test_environment()  # the test client then gives each response's context
    print(f"Migrating a throwaway database in {WORKDIR} ...", flush=True)
    call_command("migrate", verbosity=0)
    index = seed()
    data = calendar(EVENTS, timezone.localdate())
    print(f"A calendar of {EVENTS} events, {len(data) / 1024:.0f} KB.")
    start, confirm = reverse("ics_import:start"), reverse("ics_import:confirm")
    figures = {"preview": [], "confirm": [], "again": []}
    for n in range(ROUNDS):
        group, client = new_group(index, n)

        def upload(group=group, client=client):
            return client.post(
                start,
                {"group": str(group.pk), "file": SimpleUploadedFile("cal.ics", data)},
            )

        response, seconds, queries = timed(upload)
        assert response.status_code == 200, response.status_code
        assert not response.context["plan"].refused, response.context["plan"].refused[:3]
        figures["preview"].append((seconds, queries))
        pending = str(response.context["confirm"].initial["pending"])
        response, seconds, queries = timed(
            lambda client=client, pending=pending: client.post(confirm, {"pending": pending})
        )
        assert response.status_code == 302, response.status_code
        made = EventPage.objects.child_of(group).count()
        assert made == EVENTS == ImportedEvent.objects.filter(group=group).count(), made
        figures["confirm"].append((seconds, queries))

        def again(upload=upload, client=client):
            pending = str(upload().context["confirm"].initial["pending"])
            return client.post(confirm, {"pending": pending})

        response, seconds, queries = timed(again)
        assert EventPage.objects.child_of(group).count() == EVENTS
        figures["again"].append((seconds, queries))
        print(
            f"round {n + 1}: preview {figures['preview'][-1][0]:.2f} s, "
            f"confirm {figures['confirm'][-1][0]:.2f} s, "
            f"second import {figures['again'][-1][0]:.2f} s",
            flush=True,
        )
    labels = {
        "preview": "upload and preview",
        "confirm": "confirm (make the drafts)",
        "again": "second import (preview and confirm, nothing changes)",
    }
    total = [p[0] + c[0] for p, c in zip(figures["preview"], figures["confirm"], strict=True)]
    print(f"\nImporting {EVENTS} events, median of {ROUNDS} rounds:")
    for key, label in labels.items():
        seconds = statistics.median(s for s, _q in figures[key])
        queries = statistics.median(q for _s, q in figures[key])
        print(f"  {label}: {seconds:.2f} s ({queries:.0f} queries)")
    print(
        f"  whole first import (preview + confirm): {statistics.median(total):.2f} s "
        f"(target: under 10 s)"
    )


if __name__ == "__main__":
    main()

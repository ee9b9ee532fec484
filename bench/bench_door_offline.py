"""Benchmark the door without signal: from a decoded code to its answer on screen (run by
`make bench`; target under 100 ms).

Makes a throwaway SQLite database with one date on now, an organiser and passes (some
already in, some regulars), serves it with Django's runserver (development settings, so
the static files are served too), then drives the machine's Chromium with Playwright: logs
in, opens the scanner with signal (the service worker keeps it, offline.json is kept in
IndexedDB), turns the signal off and scans BENCH_DOOR_SCANS passes through the code field,
the path a USB scanner takes and the camera joins once it has decoded a code. The page
marks each decoded code and each answer written (performance.mark; window.doorTimings);
printed are the median, 95th centile and worst of "written" (the answer in the page) and
"painted" (after the next frame was drawn). Then the signal comes back and the time for the
queue to be sent is printed too. Everything is removed afterwards.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from throwaway_postgres import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCANS = int(os.environ.get("BENCH_DOOR_SCANS", "60"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TARGET_MS = 100
PASSWORD = "bench-door"  # noqa: S105

PREPARE = r"""
import json, sys
from datetime import date, timedelta
import manage, django
django.setup()
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page
from events.models import EventPage, GroupIndexPage, GroupPage, Occurrence
from events.checkin.models import Attendance, Participant, Pass
from home.models import HomePage

n = int(sys.argv[1])
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="Bench", slug="bench-door"))
index = home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))
group = index.add_child(instance=GroupPage(title="Bench Café", slug="bench-cafe", summary="x",
                                           kind="community"))
group.refresh_from_db()
event = group.add_child(instance=EventPage(title="Door night", slug="door-night", summary="x",
                                           start_date=date(2020, 1, 7)))
now = timezone.now()
today = Occurrence.objects.create(event=event, original_start=now, start=now,
                                  end=now + timedelta(hours=2))
earlier = Occurrence.objects.create(event=event, original_start=now - timedelta(days=7),
                                    start=now - timedelta(days=7),
                                    end=now - timedelta(days=7, hours=-2))
user = get_user_model().objects.create_user("bench-door", password=sys.argv[2])
user.groups.add(group.organisers)
people = Participant.objects.bulk_create(Participant(nickname=f"P{i}") for i in range(n))
passes = Pass.objects.bulk_create(Pass(participant=p, created_by="self") for p in people)
# A sixth already in tonight, a third regulars: the page answers all three ways.
Attendance.objects.bulk_create(Attendance(occurrence=today, participant=p, method="scan")
                               for p in people[: n // 6])
Attendance.objects.bulk_create(Attendance(occurrence=earlier, participant=p, method="scan")
                               for p in people[n // 6 : n // 2])
print(json.dumps({"occurrence": today.pk, "tokens": [p.token for p in passes],
                  "already": n // 6}))
"""


def centile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not start.")


def drive(base, data):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 412, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(base + "/admin/login/")
        page.fill("input[name=username]", "bench-door")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_url("**/admin/")
        scanner = f"{base}/checkin/o/{data['occurrence']}/scan/"
        page.goto(scanner)
        page.evaluate("window.doorReady")
        for _ in range(150):
            kept = page.evaluate(
                """async () => {
                    const reg = await navigator.serviceWorker.getRegistration();
                    const cache = await caches.open("door-pages");
                    return !!(reg && reg.active &&
                              await cache.match(location.origin + location.pathname,
                                                {ignoreVary: true}));
                }"""
            )
            if kept:
                break
            page.wait_for_timeout(200)
        context.set_offline(True)
        for n, token in enumerate(data["tokens"], start=1):
            page.fill("#scan-code", f"{base}/pass/p/{token}/")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "n => document.querySelector('[data-waiting-count]').textContent === String(n)",
                arg=n,
            )
        page.wait_for_timeout(300)  # the last answer's frame
        timings = page.evaluate("() => window.doorTimings")
        started = time.perf_counter()
        context.set_offline(False)
        page.wait_for_function(
            "() => document.querySelector('[data-waiting-box]').hidden", timeout=120_000
        )
        synced = time.perf_counter() - started
        statuses = page.eval_on_selector_all(
            "[data-queue-list] li", "items => items.map(i => i.dataset.status)"
        )
        browser.close()
    return timings, synced, statuses


def main():
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not installed at {CHROMIUM}; run `bash .ci/system-deps`.")
    with tempfile.TemporaryDirectory(prefix="irc-door-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "SECRET_KEY": "bench-door-" + os.urandom(16).hex(),
            "MEDIA_ROOT": f"{tmp}/media",
        }
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        out = subprocess.run(
            [PYTHON, "-c", PREPARE, str(SCANS), PASSWORD],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://localhost:{port}"  # a secure context, as the service worker needs
            wait_for(base + "/checkin/manifest.webmanifest")
            timings, synced, statuses = drive(base, data)
        finally:
            server.terminate()
            server.wait(timeout=10)
    written = [t["shown_ms"] for t in timings]
    painted = [t["painted_ms"] for t in timings if t["painted_ms"] is not None]
    print(f"offline scans: {len(written)} (Chromium headless, {os.cpu_count()} cores shared)")
    for name, values in (("decoded -> answer written", written), ("decoded -> painted", painted)):
        print(
            f"{name:>26}: median {statistics.median(values):6.1f} ms, "
            f"p95 {centile(values, 0.95):6.1f} ms, worst {max(values):6.1f} ms "
            f"(target < {TARGET_MS} ms)"
        )
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"back online: {len(statuses)} queued scans sent in {synced:.2f} s: {counts}")
    ok = centile(painted, 0.95) < TARGET_MS and counts.get("checked_in") == SCANS - data["already"]
    print("OK" if ok else "MISSED THE TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

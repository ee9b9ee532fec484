"""Benchmark the door scanner's JSON endpoint under load (run by `make bench`).

Starts a throwaway PostgreSQL server and gunicorn (several workers, production settings) on
spare loopback ports, then 50 concurrent clients send 10,000 scans, a fifth of them the same
pass for the same date sent at the same moment by a second client. Prints scans per
second, p50 and p99 latency, and the attendance count against the number of distinct
(occurrence, pass) pairs: any duplicate is a failure. Everything is removed afterwards.

Environment knobs: BENCH_SCANS (10000), BENCH_CLIENTS (50), BENCH_WORKERS (cores x 2),
BENCH_THREADS (gunicorn threads per worker, 1 = sync workers).
"""

import http.client
import json
import os
import queue
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCANS = int(os.environ.get("BENCH_SCANS", "10000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
REPEAT_SHARE = 0.2
DATES = 5
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 2) * 2)))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
TARGETS = {"scans_per_second": 300, "p99_ms": 100}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args):
    if os.getuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Postgres:
    """A throwaway PostgreSQL server on loopback, as .ci/run starts one."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            sys.exit("PostgreSQL is not installed; run `bash .ci/system-deps`.")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="irc-bench-pg."))
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")

    def __enter__(self):
        subprocess.run(
            as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.dir / "data"),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c max_connections=200 -c shared_buffers=128MB"
        )
        subprocess.run(
            as_postgres(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.dir / "data"),
                    "-l",
                    str(self.dir / "log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc):
        subprocess.run(
            as_postgres(
                [str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop"]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def prepare(env) -> dict:
    """Migrate, then make a group, dates on now, an organiser's session and the passes."""
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    script = r"""
import json, sys
from datetime import date, timedelta
import manage, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from wagtail.models import Page
from events.models import EventPage, GroupIndexPage, GroupPage, Occurrence
from events.checkin.models import Participant, Pass
from home.models import HomePage

n_passes, n_dates = int(sys.argv[1]), int(sys.argv[2])
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="Bench", slug="bench"))
index = home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))
group = index.add_child(instance=GroupPage(title="Bench Café", slug="bench-cafe", summary="x",
                                           kind="community"))
group.refresh_from_db()
now = timezone.now()
dates = []
for i in range(n_dates):
    event = group.add_child(instance=EventPage(title=f"Session {i}", slug=f"session-{i}",
                                               summary="x", start_date=date(2020, 1, 7)))
    dates.append(Occurrence.objects.create(event=event, original_start=now, start=now,
                                           end=now + timedelta(hours=2)).pk)
user = get_user_model().objects.create_user("bench-organiser", password="x")
user.groups.add(group.organisers)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
people = Participant.objects.bulk_create(Participant(nickname=f"P{i}") for i in range(n_passes))
passes = Pass.objects.bulk_create(Pass(participant=p, created_by="self") for p in people)
print(json.dumps({"session": session.session_key, "dates": dates,
                  "tokens": [p.token for p in passes]}))
"""
    out = subprocess.run(
        [PYTHON, "-c", script, str(SCANS), str(DATES)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def plan(data) -> tuple[list[tuple[int, str]], int]:
    """Give the scans in sending order, and how many distinct (date, pass) pairs they hold.

    A repeat sits right after its original, so two clients send it at the same moment.
    """
    rng = random.Random(4)
    repeats = int(SCANS * REPEAT_SHARE)
    unique = SCANS - repeats
    pairs = [(rng.choice(data["dates"]), token) for token in data["tokens"][:unique]]
    repeated = set(rng.sample(range(unique), repeats))
    order = []
    for i, pair in enumerate(pairs):
        order.append(pair)
        if i in repeated:
            order.append(pair)
    return order, len(set(pairs))


def run_load(port, session, scans):
    csrf = "b" * 32  # an unmasked secret: cookie and header must match
    cookie = f"sessionid={session}; csrftoken={csrf}"
    jobs: queue.Queue = queue.Queue()
    for job in scans:
        jobs.put(job)
    latencies, outcomes, statuses = [], {}, {}
    lock = threading.Lock()
    start_gate = threading.Barrier(CLIENTS + 1)

    def client():
        connection = None
        start_gate.wait()
        while True:
            try:
                occurrence, token = jobs.get_nowait()
            except queue.Empty:
                break
            body = json.dumps({"code": f"http://127.0.0.1:{port}/pass/p/{token}/"})
            headers = {
                "Content-Type": "application/json",
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "Accept": "application/json",
            }
            began = time.perf_counter()
            for attempt in range(3):
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request("POST", f"/checkin/o/{occurrence}/scan.json", body, headers)
                    response = connection.getresponse()
                    payload = response.read()
                    if response.getheader("Connection", "").lower() == "close":
                        connection.close()
                        connection = None
                    break
                except (ConnectionError, http.client.HTTPException, OSError):
                    if connection:
                        connection.close()
                    connection = None
                    if attempt == 2:
                        raise
            elapsed = time.perf_counter() - began
            try:
                outcome = json.loads(payload).get("outcome", "?")
            except ValueError:
                outcome = "unreadable"
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, outcomes, statuses


def count_attendance(env) -> tuple[int, int]:
    script = (
        "import manage, django; django.setup()\n"
        "from django.db.models import Count\n"
        "from events.checkin.models import Attendance\n"
        "pairs = Attendance.objects.values('occurrence', 'participant').annotate(n=Count('id'))\n"
        "print(Attendance.objects.count(), pairs.filter(n__gt=1).count())\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    total, duplicated = out.stdout.split()
    return int(total), int(duplicated)


def wait_for(port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def main():
    with Postgres() as database_url:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "site.settings.production",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "600",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": str(WORKERS),
            "LOG_LEVEL": "ERROR",
        }
        data = prepare(env)
        scans, distinct = plan(data)
        log_fd, log_path = tempfile.mkstemp(prefix="irc-bench-gunicorn.", suffix=".log")
        args = [
            str(Path(PYTHON).with_name("gunicorn")),
            "site.wsgi",
            "--access-logfile",
            "/dev/null",
        ]
        if THREADS > 1:
            args += ["--threads", str(THREADS)]
        server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log_fd, stderr=log_fd)
        try:
            wait_for(port)
            # Warm every worker (imports, connections) on a date outside the measurement.
            warm = [(data["dates"][0], data["tokens"][-1])] * (WORKERS * 20)
            run_load(port, data["session"], warm)
            count_warm = 1  # the warm-up's one attendance
            seconds, latencies, outcomes, statuses = run_load(port, data["session"], scans)
        finally:
            server.terminate()
            server.wait(timeout=30)
        total, duplicated = count_attendance(env)
        total -= count_warm
        os.close(log_fd)
        os.unlink(log_path)

    latencies.sort()
    rate = len(latencies) / seconds
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(
        f"check-in scans: {len(latencies)} by {CLIENTS} clients, "
        f"{int(REPEAT_SHARE * 100)}% repeats sent at the same moment"
    )
    print(f"  gunicorn: {WORKERS} workers x {THREADS} thread(s), PostgreSQL on loopback")
    print(f"  scans/s:  {rate:.0f}   (target >= {TARGETS['scans_per_second']})")
    print(f"  p50:      {p50:.1f} ms")
    print(f"  p99:      {p99:.1f} ms   (target <= {TARGETS['p99_ms']} ms)")
    print(f"  answers:  {dict(sorted(outcomes.items()))}  HTTP {dict(sorted(statuses.items()))}")
    print(
        f"  attendance rows: {total}   distinct (occurrence, pass) pairs: {distinct}   "
        f"duplicated pairs: {duplicated}"
    )
    if total != distinct or duplicated or outcomes.get("checked_in") != distinct:
        sys.exit("FAIL: attendance does not match the distinct pairs scanned")


if __name__ == "__main__":
    main()

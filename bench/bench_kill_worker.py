"""Kill a gunicorn worker in the middle of a check-in load: nothing acknowledged is lost or doubled.

Run by `make bench`. Starts a throwaway PostgreSQL server and gunicorn (several workers,
production settings) on spare loopback ports, logs an organiser in through the real log-in
form (session and CSRF token), then clients scan passes through the scanner's JSON endpoint,
some passes twice. Part-way through, one worker is killed with SIGKILL; gunicorn starts a
new one and the clients retry whatever failed, as the scanner page does. Then it checks that
every acknowledged check-in (a 2xx "checked in" or "already checked in") has exactly one
attendance row, and that no (date, person) pair has two. Prints the figures and stops
everything.

Environment knobs: KILL_SCANS (1500), KILL_CLIENTS (12), KILL_WORKERS (4), KILL_AT (0.3:
the share of scans answered before the kill).
"""

import http.client
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from throwaway_postgres import Postgres, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCANS = int(os.environ.get("KILL_SCANS", "1500"))
CLIENTS = int(os.environ.get("KILL_CLIENTS", "12"))
WORKERS = int(os.environ.get("KILL_WORKERS", "4"))
KILL_AT = float(os.environ.get("KILL_AT", "0.3"))
REPEAT_SHARE = 0.15
RETRIES = 8
PASSWORD = "bench-organiser-password"


SEED = r"""
import json, sys
from datetime import date, timedelta
import manage, django
django.setup()
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site
from events.models import EventPage, GroupIndexPage, GroupPage, Occurrence
from events.checkin.models import Participant, Pass
from home.models import HomePage

n_passes, password = int(sys.argv[1]), sys.argv[2]
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="Bench", slug="bench"))
Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "127.0.0.1",
                              "port": 80, "root_page": home})
index = home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))
group = index.add_child(instance=GroupPage(title="Bench Café", slug="bench-cafe", summary="x",
                                           kind="community"))
group.refresh_from_db()
event = group.add_child(instance=EventPage(title="Drop-in", slug="drop-in", summary="x",
                                           start_date=date(2020, 1, 7)))
now = timezone.now()
occurrence = Occurrence.objects.create(event=event, original_start=now, start=now,
                                       end=now + timedelta(hours=2))
user = get_user_model().objects.create_user("bench-organiser", password=password)
user.groups.add(group.organisers)
people = Participant.objects.bulk_create(Participant(nickname=f"P{i}") for i in range(n_passes))
passes = Pass.objects.bulk_create(Pass(participant=p, created_by="self") for p in people)
print(json.dumps({"occurrence": occurrence.pk,
                  "passes": [[p.token, p.participant_id] for p in passes]}))
"""


def manage(env, *args, script=None, argv=()):
    command = [PYTHON, "-c", script, *argv] if script else [PYTHON, "manage.py", *args]
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout


def cookies_from(response) -> dict:
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _eq, rest = value.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
    return found


def log_in(port) -> dict:
    """Log in through the admin's real log-in view; give the session and CSRF cookies.

    The CSRF secret is made here (cookie and form field must match), as a browser would get
    it from the form; the form page itself needs collected static files, which this
    throwaway server has not got.
    """
    csrf = "k" * 32
    jar = {"csrftoken": csrf}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urlencode(
        {"username": "bench-organiser", "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    )
    connection.request(
        "POST",
        "/admin/login/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
    )
    response = connection.getresponse()
    response.read()
    jar.update(cookies_from(response))
    connection.close()
    if response.status != 302 or "sessionid" not in jar:
        sys.exit(f"log-in failed: HTTP {response.status}")
    return jar


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


class Load:
    """Clients that scan, retry what fails, and remember what was acknowledged."""

    def __init__(self, port, jar, occurrence, scans):
        self.port, self.occurrence = port, occurrence
        self.headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "X-CSRFToken": jar["csrftoken"],
        }
        self.jobs: queue.Queue = queue.Queue()
        for job in scans:
            self.jobs.put(job)
        self.lock = threading.Lock()
        self.requests = self.retries = self.answered = 0
        self.acknowledged: set[str] = set()
        self.outcomes: dict[str, int] = {}
        self.failures: list[str] = []

    def scan(self, connection, token):
        body = json.dumps({"code": token})
        connection.request("POST", f"/checkin/o/{self.occurrence}/scan.json", body, self.headers)
        response = connection.getresponse()
        return response.status, response.read()

    def client(self):
        connection = None
        while True:
            try:
                token = self.jobs.get_nowait()
            except queue.Empty:
                break
            for attempt in range(RETRIES):
                with self.lock:
                    self.requests += 1
                    self.retries += attempt > 0
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    status, payload = self.scan(connection, token)
                except (ConnectionError, http.client.HTTPException, OSError):
                    if connection:
                        connection.close()
                    connection = None
                    time.sleep(0.05 * (attempt + 1))
                    continue
                if status >= 500:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                outcome = json.loads(payload).get("outcome", "?")
                with self.lock:
                    self.answered += 1
                    self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
                    if 200 <= status < 300 and outcome in ("checked_in", "already"):
                        self.acknowledged.add(token)
                    else:
                        self.failures.append(f"HTTP {status} {outcome}")
                break
            else:
                with self.lock:
                    self.failures.append("gave up after retries")

    def run(self, kill):
        threads = [threading.Thread(target=self.client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        kill(self)
        for thread in threads:
            thread.join()


def attendance_check(env, occurrence, participant_of, acknowledged):
    script = (
        "import json, sys, manage, django; django.setup()\n"
        "from django.db.models import Count\n"
        "from events.checkin.models import Attendance\n"
        "rows = Attendance.objects.filter(occurrence_id=int(sys.argv[1]))\n"
        "per = rows.values('participant_id').annotate(n=Count('id'))\n"
        "print(json.dumps({str(r['participant_id']): r['n'] for r in per}))\n"
    )
    per_participant = json.loads(manage(env, script=script, argv=[str(occurrence)]))
    rows = sum(per_participant.values())
    duplicates = sum(n - 1 for n in per_participant.values() if n > 1)
    lost = sum(1 for t in acknowledged if per_participant.get(str(participant_of[t]), 0) == 0)
    return rows, duplicates, lost


def main() -> int:
    with Postgres() as database_url:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "site.settings.production",
            "SECRET_KEY": "kill-bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": str(WORKERS),
            "LOG_LEVEL": "ERROR",
            # One organiser scans as fast as the server answers: past the limit for real doors.
            "CHECKIN_SCAN_RATE": "100000/m",
        }
        manage(env, "migrate", "--no-input", "-v0")
        data = json.loads(manage(env, script=SEED, argv=[str(SCANS), PASSWORD]).splitlines()[-1])
        participant_of = dict(data["passes"])
        rng = random.Random(7)
        tokens = [token for token, _pk in data["passes"]]
        repeats = rng.sample(tokens, int(len(tokens) * REPEAT_SHARE))
        scans = tokens + repeats
        rng.shuffle(scans)

        server = subprocess.Popen(
            [str(Path(PYTHON).with_name("gunicorn")), "site.wsgi", "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        killed = []
        try:
            deadline = time.time() + 60
            while len(worker_pids(server.pid)) < WORKERS and time.time() < deadline:
                time.sleep(0.2)
            while time.time() < deadline:
                try:
                    jar = log_in(port)
                    break
                except (ConnectionError, OSError):
                    time.sleep(0.3)
            else:
                sys.exit("gunicorn did not start")

            def kill(load):
                target = int(len(scans) * KILL_AT)
                while load.answered < target and any(t.is_alive() for t in threading.enumerate()):
                    time.sleep(0.01)
                    if load.jobs.empty():
                        break
                victim = worker_pids(server.pid)[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

            began = time.perf_counter()
            load = Load(port, jar, data["occurrence"], scans)
            load.run(kill)
            seconds = time.perf_counter() - began
            respawned = len(worker_pids(server.pid)) == WORKERS
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        rows, duplicates, lost = attendance_check(
            env, data["occurrence"], participant_of, load.acknowledged
        )

    print(
        f"kill-a-worker check-in: {len(scans)} scans ({len(repeats)} repeats) by {CLIENTS} "
        f"clients, {WORKERS} gunicorn workers, PostgreSQL on loopback, {seconds:.1f} s"
    )
    print(f"  worker killed (SIGKILL): pid {killed[0]} after {KILL_AT:.0%} of scans")
    print(f"  gunicorn replaced it:    {'yes' if respawned else 'no'}")
    print(f"  requests sent:           {load.requests}   retries: {load.retries}")
    print(f"  answers:                 {dict(sorted(load.outcomes.items()))}")
    print(f"  acknowledged check-ins:  {len(load.acknowledged)} of {len(tokens)} passes")
    print(f"  attendance rows:         {rows}")
    print(f"  duplicates:              {duplicates}")
    print(f"  lost:                    {lost}")
    if load.failures:
        print(f"  failures:                {load.failures[:5]}")
    ok = (
        not duplicates
        and not lost
        and not load.failures
        and rows == len(load.acknowledged) == len(tokens)
        and killed
    )
    print("  result:                  " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

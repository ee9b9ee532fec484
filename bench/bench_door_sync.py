"""Benchmark the offline door's sync: 500 queued scans from 5 phones sent to gunicorn + PostgreSQL.

Starts a throwaway PostgreSQL server and gunicorn (production settings, gunicorn.conf.py's
workers) on spare loopback ports. Five phones, each with 100 scans queued offline for one
date, and overlapping (each phone scanned 30 of the passes the next phone scanned too), come
back online at the same moment and send their queues to sync.json in batches, all five at
once. Prints the time to send them all, the attendance count against the distinct passes
(any duplicate is a failure), and then sends one phone's whole queue again (a retry) to
check it changes nothing. Everything is removed afterwards.

Environment knobs: BENCH_SYNC_BATCH (scans per request, 25; the page sends at most 100),
BENCH_WORKERS (gunicorn.conf.py's default).
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_checkin import server_pids, wait_for
from throwaway_postgres import Postgres, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEVICES = 5
PER_DEVICE = 100
OVERLAP = 30  # passes each phone shares with the next
BATCH = int(os.environ.get("BENCH_SYNC_BATCH", "25"))
WORKERS = os.environ.get("BENCH_WORKERS", "")
TARGET_SECONDS = 5


def prepare(env) -> dict:
    """Migrate, then make a group, a date on now, one organiser per phone, and the passes."""
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
from events.checkin.permissions import scanner_ticket_issue
from home.models import HomePage

n_passes, n_devices = int(sys.argv[1]), int(sys.argv[2])
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="Bench", slug="bench"))
index = home.add_child(instance=GroupIndexPage(title="Groups", slug="groups"))
group = index.add_child(instance=GroupPage(title="Bench Café", slug="bench-cafe", summary="x",
                                           kind="community"))
group.refresh_from_db()
now = timezone.now()
event = group.add_child(instance=EventPage(title="Park session", slug="park",
                                           summary="x", start_date=date(2020, 1, 7)))
occurrence = Occurrence.objects.create(event=event, original_start=now - timedelta(hours=1),
                                       start=now - timedelta(hours=1), end=now + timedelta(hours=1))
session = SessionStore()
organisers = []
for i in range(n_devices):
    user = get_user_model().objects.create_user(f"bench-organiser-{i}", password="x")
    user.groups.add(group.organisers)
    organisers.append(user)
session[SESSION_KEY] = str(organisers[0].pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = organisers[0].get_session_auth_hash()
session.create()
people = Participant.objects.bulk_create(Participant(nickname=f"P{i}") for i in range(n_passes))
passes = Pass.objects.bulk_create(Pass(participant=p, created_by="self") for p in people)
tickets = [scanner_ticket_issue(user, occurrence, session_key=session.session_key)
           for user in organisers]
print(json.dumps({"session": session.session_key, "occurrence": occurrence.pk,
                  "tickets": tickets, "tokens": [p.token for p in passes]}))
"""
    distinct = DEVICES * (PER_DEVICE - OVERLAP)
    out = subprocess.run(
        [PYTHON, "-c", script, str(distinct), str(DEVICES)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def queues(tokens, port) -> list[list[dict]]:
    """Each phone's queue: 100 scans, the last 30 of them passes the next phone scanned too."""
    now = datetime.now(UTC)
    step = PER_DEVICE - OVERLAP
    made = []
    for device in range(DEVICES):
        queue = []
        for i in range(PER_DEVICE):
            token = tokens[(device * step + i) % len(tokens)]
            queue.append(
                {
                    "nonce": uuid.uuid4().hex,
                    "code": f"http://127.0.0.1:{port}/pass/p/{token}/",
                    "scanned_at": (
                        now - timedelta(minutes=50) + timedelta(seconds=20 * i)
                    ).isoformat(),
                }
            )
        made.append(queue)
    return made


def send(port, occurrence, session, ticket, device, queue, answers, errors):
    """Send one phone's queue in batches on one kept-alive connection, as the page does."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for start in range(0, len(queue), BATCH):
            body = json.dumps({"device": device, "scans": queue[start : start + BATCH]})
            headers = {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Cookie": f"sessionid={session}",
                "X-Scanner-Ticket": ticket,
            }
            for attempt in range(2):
                try:
                    connection.request("POST", f"/checkin/o/{occurrence}/sync.json", body, headers)
                    response = connection.getresponse()
                    payload = response.read()
                    break
                except (http.client.HTTPException, ConnectionError):
                    connection.close()  # the server closed the kept connection: reconnect
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    if attempt:
                        raise
            if response.status != 200:
                errors.append((response.status, payload[:200]))
                continue
            answers.extend(json.loads(payload)["results"])
    except Exception as error:  # noqa: BLE001  (reported)
        errors.append(repr(error))
    finally:
        connection.close()


def send_all(port, data, made) -> tuple[float, list, list]:
    answers, errors = [[] for _ in made], []
    threads = [
        threading.Thread(
            target=send,
            args=(
                port,
                data["occurrence"],
                data["session"],
                data["tickets"][i],
                f"phone-{i}",
                queue,
                answers[i],
                errors,
            ),
        )
        for i, queue in enumerate(made)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, answers, errors


def count(env) -> tuple[int, int, int, int]:
    script = (
        "import manage, django; django.setup()\n"
        "from django.db.models import Count\n"
        "from events.checkin.models import Attendance, DoorScan, ScanLog\n"
        "pairs = Attendance.objects.values('occurrence', 'participant').annotate(n=Count('id'))\n"
        "print(Attendance.objects.count(), pairs.filter(n__gt=1).count(),"
        " DoorScan.objects.count(), ScanLog.objects.count())\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return tuple(int(v) for v in out.stdout.split())


def same_answers(again, first) -> bool:
    """The same status for every nonce ("seen" may have grown: another phone's scans)."""
    return [(a["nonce"], a["status"]) for a in again] == [(a["nonce"], a["status"]) for a in first]


def main():
    load_before = f"{os.getloadavg()[0]:.1f}"
    with Postgres(max_connections=100) as database_url:
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
            "LOG_LEVEL": "ERROR",
        }
        if WORKERS:
            env["WEB_CONCURRENCY"] = WORKERS
        data = prepare(env)
        made = queues(data["tokens"], port)
        distinct = len({scan["code"] for queue in made for scan in queue})
        log_fd, log_path = tempfile.mkstemp(prefix="irc-bench-gunicorn.", suffix=".log")
        args = [
            str(Path(PYTHON).with_name("gunicorn")),
            "site.wsgi",
            "--access-logfile",
            "/dev/null",
        ]
        server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log_fd, stderr=log_fd)
        try:
            wait_for(port)
            workers = len(server_pids(server.pid)) - 1
            # Warm the workers (imports, connections) with an empty batch each.
            for _ in range(2 * max(workers, 1)):
                warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                warm.request(
                    "POST",
                    f"/checkin/o/{data['occurrence']}/sync.json",
                    json.dumps({"device": "warm", "scans": []}),
                    {
                        "Content-Type": "application/json",
                        "Cookie": f"sessionid={data['session']}",
                        "X-Scanner-Ticket": data["tickets"][0],
                    },
                )
                warm.getresponse().read()
                warm.close()
            seconds, answers, errors = send_all(port, data, made)
            after_first = count(env)
            retry_began = time.perf_counter()
            retry_answers, retry_errors = [], []
            send(
                port,
                data["occurrence"],
                data["session"],
                data["tickets"][0],
                "phone-0",
                made[0],
                retry_answers,
                retry_errors,
            )
            retry_seconds = time.perf_counter() - retry_began
            after_retry = count(env)
        except Exception:
            print(Path(log_path).read_text()[-3000:], file=sys.stderr)  # what gunicorn said
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
            os.close(log_fd)
            os.unlink(log_path)

    statuses = {}
    for phone in answers:
        for answer in phone:
            statuses[answer["status"]] = statuses.get(answer["status"], 0) + 1
    attendance, duplicated, door_scans, _log = after_first
    total = sum(len(queue) for queue in made)
    print(
        f"door sync: {total} queued scans from {DEVICES} phones "
        f"({OVERLAP} passes of each shared with the next), batches of {BATCH}, all at once"
    )
    print(f"  gunicorn: {workers} workers, PostgreSQL on loopback (durable commits)")
    print(
        f"  load average before/after: {load_before} / {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores (other work on the machine slows every figure)"
    )
    print(f"  time to send them all: {seconds:.2f} s   (target < {TARGET_SECONDS} s)")
    print(f"  answers: {dict(sorted(statuses.items()))}   errors: {errors[:3]}")
    print(
        f"  attendance rows: {attendance}   distinct passes: {distinct}   "
        f"duplicated pairs: {duplicated}   nonces recorded: {door_scans}"
    )
    print(
        f"  phone-0's queue sent again: {retry_seconds:.2f} s, "
        f"answers the same: {same_answers(retry_answers, answers[0])}, "
        f"changed nothing: {after_retry == after_first}"
    )
    if (
        errors
        or retry_errors
        or attendance != distinct
        or duplicated
        or door_scans != total
        or statuses.get("checked_in") != distinct
        or after_retry != after_first
        or not same_answers(retry_answers, answers[0])
    ):
        sys.exit("FAIL: the sync doubled, lost or changed something")


if __name__ == "__main__":
    main()

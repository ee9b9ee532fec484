"""Benchmark the door scanner's JSON endpoint against its floor, alternated in rounds.

Starts a throwaway PostgreSQL server and gunicorn (production settings, gunicorn.conf.py's
workers) on spare loopback ports. The same gunicorn also serves the scan's floor
(bench/checkin_floor.py: a bare view doing one INSERT ... ON CONFLICT DO NOTHING, mounted
before every layer of the site). Each round, 50 concurrent clients send BENCH_SCANS scans to
ours and as many to the floor (which goes first alternates), a fifth of them the same pass
for the same date sent at the same moment by a second client, each system on passes of its
own. Per round it prints scans per second, p50 and p99 latency and server CPU per scan
(gunicorn + PostgreSQL) of both, with ours / floor; the medians of the per-round ratios close
the run, with the machine's load. Ratios, not scans per second, are what compare across a
noisy shared machine. Any pass recorded twice, by either, is a failure.

Environment knobs: BENCH_ROUNDS (5), BENCH_SCANS (4000 per system per round), BENCH_CLIENTS
(50), BENCH_WORKERS (gunicorn.conf.py's default: two per core and one more), BENCH_THREADS
(gunicorn threads per worker, 1 = sync workers, as gunicorn.conf.py runs them),
BENCH_SCAN_RATE (each organiser's scan rate limit, 6000/m).

Targets: ours >= 0.8x the floor's throughput, p99 <= 1.2x the floor's.
"""

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throwaway_postgres import Postgres, free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SCANS = int(os.environ.get("BENCH_SCANS", "4000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
REPEAT_SHARE = 0.2
DATES = 5
WORKERS = os.environ.get("BENCH_WORKERS", "")  # empty: as gunicorn.conf.py decides
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
SCAN_RATE = os.environ.get("BENCH_SCAN_RATE", "6000/m")
TARGETS = {"throughput": 0.8, "p99": 1.2}  # ours / floor
UNIQUE = SCANS - int(SCANS * REPEAT_SHARE)  # passes one system uses in one round
OURS = "/checkin/o/{occurrence}/scan.json"
FLOOR = "/bench-floor/{occurrence}/scan.json"


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
from events.checkin.permissions import scanner_ticket_issue
# One organiser (and scanner ticket) per client, as at a door with several scanners; every
# client sends the one session cookie above, the session the tickets are issued to.
organisers = [user] + [
    get_user_model().objects.create_user(f"bench-organiser-{i}", password="x")
    for i in range(1, int(sys.argv[3]))
]
for organiser in organisers[1:]:
    organiser.groups.add(group.organisers)
tickets = [
    {pk: scanner_ticket_issue(organiser, Occurrence(pk=pk), session_key=session.session_key)
     for pk in dates}
    for organiser in organisers
]
print(json.dumps({"session": session.session_key, "dates": dates, "tickets": tickets,
                  "tokens": [p.token for p in passes]}))
"""
    out = subprocess.run(
        [PYTHON, "-c", script, str(ROUNDS * 2 * UNIQUE + 1), str(2 * DATES), str(CLIENTS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def plan(dates, tokens, seed) -> tuple[list[tuple[int, str]], int]:
    """Give the scans of `tokens` at `dates` in sending order, and how many distinct pairs.

    A repeat sits right after its original, so two clients send it at the same moment.
    """
    rng = random.Random(seed)
    repeats = SCANS - len(tokens)
    pairs = [(rng.choice(dates), token) for token in tokens]
    repeated = set(rng.sample(range(len(tokens)), repeats))
    order = []
    for i, pair in enumerate(pairs):
        order.append(pair)
        if i in repeated:
            order.append(pair)
    return order, len(set(pairs))


def run_load(port, session, scans, tickets, path=OURS):
    """Send the scans from CLIENTS concurrent clients; give (seconds, latencies, answers, codes).

    `tickets` holds each organiser's scanner tickets by date; client i is organiser i.

    Each client is a scanner page: one connection kept alive from scan to scan, as a browser
    keeps it (opened again whenever the server closes it, as gunicorn's sync workers do after
    every answer). asyncio on raw sockets keeps the load generator light, so it takes little
    of the CPU the server needs on this same machine.
    """
    csrf = "b" * 32  # an unmasked CSRF secret: cookie and header must match
    head = (  # the floor's requests carry the same headers: the same bytes to read
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/json\r\n"
        f"Cookie: sessionid={session}; csrftoken={csrf}\r\n"
        f"X-CSRFToken: {csrf}\r\n"
        "X-Scanner-Ticket: {ticket}\r\n"
        "Content-Length: {length}\r\n\r\n"
    )
    latencies, outcomes, statuses = [], {}, {}

    async def exchange(stream, request):
        """Send one request and read its answer; give (status, body, whether to keep open)."""
        reader, writer = stream
        writer.write(request)
        header = (await reader.readuntil(b"\r\n\r\n")).lower()
        length = int(header.partition(b"content-length:")[2].split(b"\r\n", 1)[0] or -1)
        body = await (reader.readexactly(length) if length >= 0 else reader.read())
        keep = length >= 0 and b"connection: close" not in header
        return int(header[9:12]), body, keep

    async def one(stream, occurrence, token, own_tickets):
        body = json.dumps({"code": f"http://127.0.0.1:{port}/pass/p/{token}/"}).encode()
        ticket = own_tickets[str(occurrence)]  # this client's organiser's, for the date
        request = (
            head.format(occurrence=occurrence, ticket=ticket, length=len(body)).encode() + body
        )
        began = time.perf_counter()
        if stream is None:
            stream = await asyncio.open_connection("127.0.0.1", port)
        try:
            status, answer, keep = await exchange(stream, request)
        except (asyncio.IncompleteReadError, ConnectionError):
            # The server closed the kept connection as we reused it: send again on a new one.
            stream[1].close()
            stream = await asyncio.open_connection("127.0.0.1", port)
            status, answer, keep = await exchange(stream, request)
        latencies.append(time.perf_counter() - began)
        statuses[status] = statuses.get(status, 0) + 1
        try:
            outcome = json.loads(answer).get("outcome", "?")
        except ValueError:
            outcome = "unreadable"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if not keep:
            stream[1].close()
            stream = None
        return stream

    async def client(jobs, own_tickets):
        stream = None
        while jobs:
            occurrence, token = jobs.pop()
            stream = await one(stream, occurrence, token, own_tickets)
        if stream is not None:
            stream[1].close()

    async def main():
        jobs = list(reversed(scans))  # pop() from the end keeps the planned order
        began = time.perf_counter()
        await asyncio.gather(*(client(jobs, tickets[i % len(tickets)]) for i in range(CLIENTS)))
        return time.perf_counter() - began

    seconds = asyncio.run(main())
    return seconds, latencies, outcomes, statuses


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


def cpu_seconds(pids) -> float:
    """Give the CPU time (user + system) the processes and their children have used."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / tick


def server_pids(*parents) -> list[int]:
    """The given processes (gunicorn's master, our PostgreSQL's postmaster) and children."""
    pids = list(parents)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if ppid in parents:
            pids.append(int(stat.parent.name))
    return pids


def wait_for(port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def measure(port, data, scans, path, web, database) -> dict:
    """Send one system's scans of one round; give its figures."""
    web_before, database_before = cpu_seconds(web), cpu_seconds(database)
    client_before = time.process_time()
    seconds, latencies, outcomes, statuses = run_load(
        port, data["session"], scans, data["tickets"], path
    )
    web_cpu = (cpu_seconds(web) - web_before) / len(scans)
    database_cpu = (cpu_seconds(database) - database_before) / len(scans)
    latencies.sort()
    return {
        "rate": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "cpu": (web_cpu + database_cpu) * 1000,
        "web_cpu": web_cpu * 1000,
        "database_cpu": database_cpu * 1000,
        "client_cpu": (time.process_time() - client_before) / len(scans) * 1000,
        "outcomes": outcomes,
        "statuses": statuses,
        "load": os.getloadavg()[0],
    }


def main():
    load_before = os.getloadavg()
    postgres = Postgres(max_connections=200, options="-c shared_buffers=128MB")
    pg_dir = postgres.dir
    with postgres as database_url:
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
            # Each of the clients scans as fast as the server answers, far past the site's
            # per-organiser limit for real doors (CHECKIN_SCAN_RATE, 600/m): raise it, so the
            # check still runs on every scan (over more rows than at a real door) and passes.
            "CHECKIN_SCAN_RATE": SCAN_RATE,
        }
        if WORKERS:
            env["WEB_CONCURRENCY"] = WORKERS
        data = prepare(env)
        tokens = data["tokens"]
        log_fd, log_path = tempfile.mkstemp(prefix="irc-bench-gunicorn.", suffix=".log")
        args = [
            str(Path(PYTHON).with_name("gunicorn")),
            "site.wsgi",
            "--access-logfile",
            "/dev/null",
        ]
        if THREADS > 1:
            args += ["--threads", str(THREADS)]
        # The site's production settings with the floor's middleware first (bench/).
        server_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "checkin_floor_settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])),
        }
        server = subprocess.Popen(args, cwd=ROOT, env=server_env, stdout=log_fd, stderr=log_fd)
        rounds, expected = [], 0
        try:
            wait_for(port)
            # Warm every worker (imports, connections, prepared statements) for both, on
            # dates and a pass outside the measurement: one attendance each.
            # Each system has dates of its own: neither counts the other's attendance.
            own_dates = {"ours": data["dates"][:DATES], "floor": data["dates"][DATES:]}
            for path, date in ((OURS, own_dates["ours"][0]), (FLOOR, own_dates["floor"][0])):
                run_load(port, data["session"], [(date, tokens[-1])] * 200, data["tickets"], path)
            count_warm = 2
            postmaster = int((pg_dir / "data" / "postmaster.pid").read_text().split()[0])
            web, database = server_pids(server.pid), server_pids(postmaster)
            workers = len(web) - 1
            print(
                f"check-in scans, ours against the floor: {ROUNDS} rounds x {SCANS} scans each "
                f"by {CLIENTS} clients, {int(REPEAT_SHARE * 100)}% repeats sent at the same "
                f"moment\n  gunicorn: {workers} workers x {THREADS} thread(s), PostgreSQL on "
                f"loopback; {CLIENTS} organisers, one per client; scan rate limit {SCAN_RATE} "
                f"per organiser\n  load average before: {load_before[0]:.2f} "
                f"{load_before[1]:.2f} {load_before[2]:.2f} on {os.cpu_count()} cores",
                flush=True,
            )
            print(
                f"\n{'round':>5} {'system':6} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
                f"{'CPU ms':>7} {'load':>5}"
            )
            for number in range(ROUNDS):
                base = number * 2 * UNIQUE
                systems = {
                    "ours": (OURS, tokens[base : base + UNIQUE]),
                    "floor": (FLOOR, tokens[base + UNIQUE : base + 2 * UNIQUE]),
                }
                order = ["ours", "floor"] if number % 2 else ["floor", "ours"]
                figures = {}
                for name in order:
                    path, own = systems[name]
                    seed = number * 2 + (name == "floor")
                    scans, distinct = plan(own_dates[name], own, seed=seed)
                    expected += distinct
                    found = figures[name] = measure(port, data, scans, path, web, database)
                    found["distinct"] = distinct
                    if found["outcomes"].get("checked_in") != distinct:
                        log = Path(log_path).read_text()[-3000:]
                        sys.exit(
                            f"FAIL: {name} answered {found['outcomes']} (HTTP "
                            f"{found['statuses']}) for {distinct} pairs; gunicorn's log:\n{log}"
                        )
                for name in ("ours", "floor"):
                    f = figures[name]
                    print(
                        f"{number + 1:5d} {name:6} {f['rate']:8.0f} {f['p50']:7.1f} "
                        f"{f['p99']:7.1f} {f['cpu']:7.2f} {f['load']:5.2f}"
                    )
                ours, floor = figures["ours"], figures["floor"]
                ratio = {
                    "throughput": ours["rate"] / floor["rate"],
                    "p99": ours["p99"] / floor["p99"],
                    "cpu": ours["cpu"] / floor["cpu"],
                }
                print(
                    f"{'':5} {'ratio':6} {ratio['throughput']:8.2f} {'':7} {ratio['p99']:7.2f} "
                    f"{ratio['cpu']:7.2f}",
                    flush=True,
                )
                rounds.append((figures, ratio))
        finally:
            server.terminate()
            server.wait(timeout=30)
        total, duplicated = count_attendance(env)
        total -= count_warm
        os.close(log_fd)
        os.unlink(log_path)

    def median(name, key):
        return statistics.median(figures[name][key] for figures, _ in rounds)

    def ratio(key):
        return statistics.median(r[key] for _, r in rounds)

    load = os.getloadavg()
    print(
        f"\nmedians of {ROUNDS} rounds; load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"{'':22} {'ours':>8} {'floor':>8} {'ours/floor':>11}  target")
    print(
        f"{'scans/s':22} {median('ours', 'rate'):8.0f} {median('floor', 'rate'):8.0f} "
        f"{ratio('throughput'):11.2f}  >= {TARGETS['throughput']}"
    )
    print(f"{'p50 ms':22} {median('ours', 'p50'):8.1f} {median('floor', 'p50'):8.1f}")
    print(
        f"{'p99 ms':22} {median('ours', 'p99'):8.1f} {median('floor', 'p99'):8.1f} "
        f"{ratio('p99'):11.2f}  <= {TARGETS['p99']}"
    )
    print(
        f"{'server CPU ms per scan':22} {median('ours', 'cpu'):8.2f} "
        f"{median('floor', 'cpu'):8.2f} {ratio('cpu'):11.2f}"
    )
    print(
        f"  of which gunicorn / PostgreSQL: ours {median('ours', 'web_cpu'):.2f} / "
        f"{median('ours', 'database_cpu'):.2f} ms, floor {median('floor', 'web_cpu'):.2f} / "
        f"{median('floor', 'database_cpu'):.2f} ms; load generator (this process) "
        f"{median('ours', 'client_cpu'):.2f} ms per scan"
    )
    last = rounds[-1][0]
    print(
        f"  ours' answers in the last round: {dict(sorted(last['ours']['outcomes'].items()))} "
        f"HTTP {dict(sorted(last['ours']['statuses'].items()))}"
    )
    print(
        f"  attendance rows: {total}   distinct (date, pass) pairs scanned: {expected}   "
        f"duplicated pairs: {duplicated}"
    )
    if total != expected or duplicated:
        sys.exit("FAIL: attendance does not match the distinct pairs scanned")


if __name__ == "__main__":
    main()

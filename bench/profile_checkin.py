"""Profile one door scan, ours and the floor's, in one process (cProfile): where time goes.

Makes the same throwaway PostgreSQL server and data as bench/bench_checkin.py, then calls
the WSGI application directly (no gunicorn, no sockets, one request at a time) for
BENCH_SCANS scans of ours and as many of the floor, and prints, for each, the CPU per scan
and the functions that take the most of it. Not a benchmark: a map of the remaining cost.

    .venv/bin/python bench/profile_checkin.py
    BENCH_SCANS=1000 PROFILE_LINES=40 .venv/bin/python bench/profile_checkin.py
"""

import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("BENCH_ROUNDS", "1")
os.environ.setdefault("BENCH_SCANS", "2000")

import bench_checkin as bench  # noqa: E402
from throwaway_postgres import Postgres  # noqa: E402

import manage  # noqa: E402, F401  (the `site` package's path; see manage.py)

LINES = int(os.environ.get("PROFILE_LINES", "30"))


def environ_for(path, body, session, ticket):
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": "application/json",
        "HTTP_COOKIE": f"sessionid={session}; csrftoken={'b' * 32}",
        "HTTP_X_CSRFTOKEN": "b" * 32,
        "HTTP_X_SCANNER_TICKET": ticket,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }


def main():
    with Postgres(max_connections=50) as database_url:
        env = {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "checkin_floor_settings",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "ERROR",
            "CHECKIN_SCAN_RATE": "100000/m",
        }
        os.environ.update(env)
        data = bench.prepare(
            {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "site.settings.production"}
        )
        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        application = get_wsgi_application()
        tokens, ticket = data["tokens"], data["tickets"][0]
        answers = {}

        def start_response(status, headers):
            answers[status] = answers.get(status, 0) + 1

        unique = bench.UNIQUE
        for name, template, own, dates in (
            ("ours", bench.OURS, tokens[:unique], data["dates"][: bench.DATES]),
            ("floor", bench.FLOOR, tokens[unique : 2 * unique], data["dates"][bench.DATES :]),
        ):
            scans, _ = bench.plan(dates, own, seed=1)
            requests = []
            for occurrence, token in scans:
                body = json.dumps({"code": f"http://127.0.0.1/pass/p/{token}/"}).encode()
                path = template.format(occurrence=occurrence)
                requests.append((path, body, ticket[str(occurrence)]))
            for path, body, own_ticket in requests[:50]:  # warm: imports, prepared statements
                b"".join(
                    application(
                        environ_for(path, body, data["session"], own_ticket), start_response
                    )
                )
            answers.clear()
            profile = cProfile.Profile()
            began = time.process_time()
            profile.enable()
            for path, body, own_ticket in requests[50:]:
                b"".join(
                    application(
                        environ_for(path, body, data["session"], own_ticket), start_response
                    )
                )
            profile.disable()
            cpu = (time.process_time() - began) / (len(requests) - 50) * 1000
            print(
                f"\n=== {name}: {cpu:.2f} ms of this process's CPU per scan (profiled), {answers}"
            )
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(LINES)
            stats.sort_stats("tottime").print_stats(LINES)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT generic_plans, custom_plans, left(statement, 60) "
                    "FROM pg_prepared_statements"
                )
                for generic, custom, statement in cursor.fetchall():
                    print(f"prepared: {generic} generic plans, {custom} custom: {statement}...")
        explain(data, tokens[2 * unique :])


def explain(data, spare):
    """PostgreSQL's own account of one door scan statement (a new pass, then a repeat)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from events.checkin.door_sql import DOOR_SCAN_SQL
    from events.checkin.services.scanning import _scan_window

    ticket = data["tickets"][0][str(data["dates"][0])]
    limit, since = _scan_window(timezone.now())
    params = {
        "occurrence": data["dates"][0],
        "organiser": int(ticket.split(".", 1)[0]),
        "generation": 0,
        "pass_id": spare[0].split(":", 1)[0],
        "now": timezone.now(),
        "method": "scan",
        "limit": limit,
        "since": since,
    }
    for label in ("a new pass", "the same pass again"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, SETTINGS) " + DOOR_SCAN_SQL, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n=== EXPLAIN ANALYZE of the door scan statement, {label}:\n{plan}")


if __name__ == "__main__":
    main()

"""The door scan's floor, for bench/bench_checkin.py: the least a scan can cost.

A bare view, answered by the first middleware (so before every layer of the site), that
records one attendance with one ``INSERT … ON CONFLICT DO NOTHING`` and answers whether it
was new. No signature check, no ticket, no rate limit, no scan log, no window, no counts:
what is left when every protection is taken away. It runs in the same gunicorn, on the same
PostgreSQL connection settings, through the same prepared-statement runner as the real scan
(events.checkin.door_sql._door_query), so the two differ only in the work they do.

Mounted only by the benchmark's settings (``checkin_floor_settings``), never by the site.
"""

import json

from django.http import JsonResponse
from django.utils import timezone

PREFIX = "/bench-floor/"

FLOOR_SQL = """
INSERT INTO checkin_attendance (occurrence_id, participant_id, checked_in_at, method)
SELECT %(occurrence)s, participant_id, %(now)s, 'scan'
FROM checkin_pass WHERE token_id = %(pass_id)s
ON CONFLICT (occurrence_id, participant_id) DO NOTHING
RETURNING checked_in_at
"""


def floor_scan(request, occurrence: int) -> JsonResponse:
    """Record the pass named by the scanned link at the date; answer checked_in or already."""
    from events.checkin.door_sql import _door_query  # PostgreSQL only, as the real scan

    code = json.loads(request.body)["code"]
    pass_id = code.rstrip("/").rsplit("/", 1)[-1].split(":", 1)[0]
    row = _door_query(
        FLOOR_SQL, {"occurrence": occurrence, "pass_id": pass_id, "now": timezone.now()}
    )
    response = JsonResponse({"outcome": "checked_in" if row else "already"})
    # As ours (and CommonMiddleware) sets it: else gunicorn sends the answer chunked.
    response["Content-Length"] = str(len(response.content))
    return response


class FloorMiddleware:
    """Answers ``POST /bench-floor/<date>/scan.json`` before any other layer; passes the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(PREFIX):
            return floor_scan(request, int(request.path_info[len(PREFIX) :].split("/", 1)[0]))
        return self.get_response(request)

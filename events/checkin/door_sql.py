"""The door scan of a pass on PostgreSQL: its SQL text and the cursor that runs it, nothing else.

`services.scanning._scan_pass_postgresql` gives the parameters and reads the answer.
"""

import re

from django.db import InterfaceError, OperationalError, connection

from .services.windows import _window_minutes

# A door scan of a pass on PostgreSQL, in one statement (one round trip, one transaction):
# the hot path of the door scanner, where the ORM's three or four queries cost more CPU than
# everything else in the request. It does exactly what `_scan_pass_orm` does.
#
# Every part of a WITH statement reads the same snapshot, taken as the statement starts, so
# `before` is the state before this scan. The attendance INSERT leans on the unique
# (occurrence, participant) constraint: ON CONFLICT DO NOTHING waits for a concurrent scan
# of the same pass that has not committed yet, and then inserts nothing. That scan's row is
# not in our snapshot, so the statement answers "already" without its time, and
# `_scan_pass_postgresql` reads the time (and fresh counts) in a second, rare query.
# Exactly one ScanLog row is written whenever the date exists; nothing when it does not, nor
# when the organiser is over CHECKIN_SCAN_RATE (their recent log rows say so). Outside the
# date's check-in window (its site's CheckinSettings, read in the same statement) nothing
# but that log row is written.
DOOR_SCAN_SQL = """
WITH occurrence AS (
    SELECT
        id,
        start - interval '1 minute' * {opens} AS opens_at,
        "end" + interval '1 minute' * {closes} AS closes_at
    FROM events_occurrence WHERE id = %(occurrence)s
),
organiser AS (  -- may_scan: active, and (with a ticket) its generation is still current
    SELECT auth_user.id, auth_user.is_active AND (
        %(generation)s::integer IS NULL
        OR coalesce(tickets.generation, 0) = %(generation)s::integer
    ) AS may_scan
    FROM auth_user
    LEFT JOIN checkin_scannerticketgeneration tickets ON tickets.user_id = auth_user.id
    WHERE auth_user.id = %(organiser)s::integer
),
recent AS (  -- the organiser's latest scans, counted no further than the limit
    SELECT count(*) AS scans FROM (
        SELECT FROM checkin_scanlog
        WHERE organiser_id = %(organiser)s::integer AND at > %(since)s
        LIMIT %(limit)s
    ) latest
),
held AS (
    SELECT pass.participant_id, pass.revoked_at, participant.nickname
    FROM checkin_pass pass
    JOIN checkin_participant participant ON participant.id = pass.participant_id
    WHERE pass.token_id = %(pass_id)s
),
before AS (
    SELECT
        (SELECT attendance.checked_in_at
         FROM checkin_attendance attendance JOIN held USING (participant_id)
         WHERE attendance.occurrence_id = %(occurrence)s) AS already_at,
        (SELECT attendance.id
         FROM checkin_attendance attendance JOIN held USING (participant_id)
         WHERE attendance.occurrence_id = %(occurrence)s) AS already_id,
        (SELECT count(*) FROM checkin_attendance
         WHERE occurrence_id = %(occurrence)s) AS attendance,
        (SELECT count(*) FROM checkin_anonymouscount WHERE occurrence_id = %(occurrence)s)
        + coalesce((SELECT people FROM checkin_erasedcount
                    WHERE occurrence_id = %(occurrence)s), 0) AS anonymous
),
verdict AS (
    SELECT CASE
        WHEN (SELECT scans FROM recent) >= %(limit)s THEN 'rate_limited'
        WHEN %(organiser)s::integer IS NOT NULL
             AND NOT EXISTS (SELECT FROM organiser WHERE may_scan) THEN 'refused'
        WHEN %(now)s < (SELECT opens_at FROM occurrence) THEN 'not_yet'
        WHEN %(now)s > (SELECT closes_at FROM occurrence) THEN 'closed'
        WHEN NOT EXISTS (SELECT FROM held) THEN 'unknown'
        WHEN (SELECT revoked_at FROM held) IS NOT NULL THEN 'revoked'
        WHEN (SELECT already_at FROM before) IS NOT NULL THEN 'already'
        ELSE 'new'
    END AS result
),
inserted AS (
    INSERT INTO checkin_attendance
        (occurrence_id, participant_id, checked_in_at, method, recorded_by_id)
    SELECT occurrence.id, held.participant_id, %(now)s, %(method)s, (SELECT id FROM organiser)
    FROM occurrence, held, verdict
    WHERE verdict.result = 'new'
    ON CONFLICT (occurrence_id, participant_id) DO NOTHING
    RETURNING id, checked_in_at
),
outcome AS (
    SELECT CASE
        WHEN result <> 'new' THEN result
        WHEN EXISTS (SELECT FROM inserted) THEN 'checked_in'
        ELSE 'already'
    END AS result
    FROM verdict
),
logged AS (
    INSERT INTO checkin_scanlog (at, occurrence_id, result, method, organiser_id)
    SELECT %(now)s, occurrence.id, outcome.result, %(method)s, (SELECT id FROM organiser)
    FROM occurrence, outcome
    WHERE outcome.result <> 'rate_limited'
)
SELECT
    EXISTS (SELECT FROM occurrence),
    outcome.result,
    (SELECT nickname FROM held),
    coalesce((SELECT checked_in_at FROM inserted), before.already_at),
    before.attendance,
    before.anonymous,
    (SELECT opens_at FROM occurrence),
    (SELECT closes_at FROM occurrence),
    coalesce((SELECT id FROM inserted), before.already_id),
    -- whether an introduction waits for this person at this date (events.introductions),
    -- so the arrival is announced without a further query when none does
    EXISTS (SELECT FROM introductions_introduction introduction JOIN held USING (participant_id)
            WHERE introduction.occurrence_id = %(occurrence)s AND introduction.came_at IS NULL)
FROM outcome, before
"""


def _compact(sql: str) -> str:
    """The statement without its comments and runs of spaces: the same SQL, shorter.

    psycopg keeps what it learnt from parsing a statement's text (where its parameters are)
    only for texts of up to 4 KB (psycopg._queries.MAX_CACHED_STATEMENT_LENGTH); the door
    scan's statement with its comments is longer, and parsing it again took a tenth of a
    millisecond of every scan. No string literal here holds "--" or a run of spaces.
    """
    sql = re.sub(r"--[^\n]*", "", sql)
    return re.sub(r"\s+", " ", sql).strip()


_opens, _closes = _window_minutes("events_occurrence.event_id")
DOOR_SCAN_SQL = _compact(DOOR_SCAN_SQL.replace("{opens}", _opens).replace("{closes}", _closes))

# After losing the race above: the winner's time and the counts, now that it has committed.
DOOR_SCAN_RACE_LOST_SQL = """
SELECT
    (SELECT checked_in_at FROM checkin_attendance
     WHERE occurrence_id = %(occurrence)s AND participant_id = (
         SELECT participant_id FROM checkin_pass WHERE token_id = %(pass_id)s)),
    (SELECT count(*) FROM checkin_attendance WHERE occurrence_id = %(occurrence)s),
    (SELECT count(*) FROM checkin_anonymouscount WHERE occurrence_id = %(occurrence)s)
    + coalesce((SELECT people FROM checkin_erasedcount WHERE occurrence_id = %(occurrence)s), 0),
    (SELECT id FROM checkin_attendance
     WHERE occurrence_id = %(occurrence)s AND participant_id = (
         SELECT participant_id FROM checkin_pass WHERE token_id = %(pass_id)s))
"""
DOOR_SCAN_RACE_LOST_SQL = _compact(DOOR_SCAN_RACE_LOST_SQL)


def _door_query(sql: str, params: dict) -> tuple:
    """Run one of the door scan's statements on PostgreSQL and give its one row.

    Two things make this cheaper than `connection.cursor()`, on the busiest path there is:

    - A psycopg server-binding cursor. Django's cursors put the parameters into the SQL text,
      so the server plans every statement afresh, and planning DOOR_SCAN_SQL costs more than
      running it; with the parameters sent apart, psycopg prepares the statement once it has
      run `prepare_threshold` times on a connection (see DATABASES in settings), and then
      PostgreSQL plans it once per connection.
    - No health check. Django would first check a reused connection with a `SELECT 1` of
      its own (CONN_HEALTH_CHECKS), a round trip per scan. Instead, when the connection turns
      out to have died since the last request (PostgreSQL restarted, say), this reconnects
      and runs the statement once more. A statement that failed so did not commit (or, in
      the rare case the connection died just after it committed, the second run answers
      "already" and adds a second log entry: still one attendance).

    While queries are logged (DEBUG, or a test counting them) Django's own cursor is used,
    so the log shows the SQL with its values.
    """
    # Only on PostgreSQL: the backend module needs psycopg, which SQLite installs lack.
    from django.db.backends.postgresql.base import ServerBindingCursor

    if connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    def run():
        connection.ensure_connection()
        with connection.make_cursor(ServerBindingCursor(connection.connection)) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    try:
        return run()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block or not connection.connection.broken:
            raise
    connection.close()
    return run()

"""Check-in services: recording attendance, anonymous counts, passes and participants' rights.

Each function here writes; each does it in one transaction, so a failure leaves nothing
half-written.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from events.models import EventPage, Occurrence
from home.audit.models import AuditEvent
from home.audit.services import audit_record
from home.council import is_council
from home.ratelimit import parse_rate

from . import window as checkin_windows
from .models import (
    AnonymousCount,
    Attendance,
    CheckinSettings,
    ErasedCount,
    Method,
    Participant,
    Pass,
    ScanLog,
    ScannerTicketGeneration,
)
from .tokens import Kind, claim_code, read_scanned
from .window import CheckinWindow, State

Result = ScanLog.Result
RATE_LIMITED = "rate_limited"  # an answer, never logged: the scan was not looked at


class Outcome(enum.Enum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    INVALID = "invalid"


@dataclass(frozen=True)
class ScanResult:
    """The answer to one scan: checked in, already checked in (when), or not valid (why)."""

    outcome: Outcome
    reason: str  # a ScanLog.Result value
    nickname: str = ""
    checked_in_at: datetime | None = None
    other_event: str = ""  # the event a poster code belongs to
    counts: dict | None = None  # the running counts, when the scan learnt them on the way
    window: CheckinWindow | None = None  # the date's check-in window, when it was shut

    @property
    def ok(self) -> bool:
        return self.outcome is not Outcome.INVALID

    @property
    def message(self) -> str:
        if self.reason in (Result.NOT_YET, Result.CLOSED) and self.window:
            return self.window.refusal(State(self.reason))
        if self.outcome is Outcome.CHECKED_IN:
            return _("%(name)s is checked in. Welcome!") % {"name": self.nickname}
        if self.outcome is Outcome.ALREADY:
            when = time_format(timezone.localtime(self.checked_in_at), "H:i")
            return _("%(name)s was already checked in at %(time)s.") % {
                "name": self.nickname,
                "time": when,
            }
        return {
            Result.MALFORMED: _(
                "That is not a check-in pass. Please try again or search by nickname."
            ),
            Result.FORGED: _("This pass is not valid: it was not made here or is damaged."),
            Result.UNKNOWN: _("This pass no longer exists. Offer a new pass or a +1."),
            Result.REVOKED: _("This pass was replaced by a newer one. Ask for the new pass."),
            Result.OTHER_EVENT: _("This is the poster code for %(event)s, a different event.")
            % {"event": self.other_event},
            Result.NOT_A_PASS: _("This is this event's poster code, not a personal pass."),
            Result.REFUSED: _("You cannot check people in for this event."),
            RATE_LIMITED: _(
                "There have been a great many scans from your account in the last minute. "
                "Please wait a minute, then scan again."
            ),
        }.get(self.reason, _("This pass is not valid."))

    def as_json(self) -> dict:
        return {
            "outcome": self.outcome.value,
            "reason": self.reason,
            "nickname": self.nickname,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "message": self.message,
        }


class CheckinNotOpen(Exception):
    """The date is outside its check-in window; nothing was recorded."""

    def __init__(self, window: CheckinWindow, state: State):
        super().__init__(state.value)
        self.window = window
        self.state = state

    @property
    def message(self) -> str:
        return self.window.refusal(self.state)


class ScanRateLimited(Exception):
    """The organiser scanned more than CHECKIN_SCAN_RATE allows; nothing was recorded."""

    @property
    def result(self) -> ScanResult:
        """The answer to show for the scan."""
        return ScanResult(outcome=Outcome.INVALID, reason=RATE_LIMITED)


def _scan_window(now) -> tuple[int, datetime]:
    """Give (how many scans an organiser may make, since when they count)."""
    limit, seconds = parse_rate(settings.CHECKIN_SCAN_RATE)
    return limit, now - timedelta(seconds=seconds)


def _log(*, occurrence_id, result, organiser_id, method) -> None:
    ScanLog.objects.create(
        occurrence_id=occurrence_id, result=result, organiser_id=organiser_id, method=method
    )


def _invalid(*, occurrence_id, reason, organiser_id, method, counts, **extra) -> ScanResult:
    _log(occurrence_id=occurrence_id, result=reason, organiser_id=organiser_id, method=method)
    return ScanResult(outcome=Outcome.INVALID, reason=reason, counts=counts, **extra)


def _organiser_id(scanned_by) -> int | None:
    """The id of the signed-in organiser who scanned, or None."""
    return scanned_by.pk if scanned_by and scanned_by.is_authenticated else None


def _with_total(attendance: int, anonymous: int) -> dict:
    return {"attendance": attendance, "anonymous": anonymous, "total": attendance + anonymous}


def _count(model, occurrence):
    """A subquery counting the model's rows at `occurrence` (a pk or an OuterRef)."""
    return Coalesce(
        Subquery(
            model.objects.filter(occurrence=occurrence)
            .order_by()
            .values("occurrence")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _anonymous(occurrence):
    """How many people came to `occurrence` with no record: the +1s and the erased."""
    erased = ErasedCount.objects.filter(occurrence=occurrence).values("people")[:1]
    return ExpressionWrapper(
        _count(AnonymousCount, occurrence) + Coalesce(Subquery(erased), 0),
        output_field=IntegerField(),
    )


def _window_minutes_sql(field: str, default: int, event_id: str) -> str:
    """SQL giving one of CheckinSettings' minutes for the site holding the event `event_id`.

    `event_id` is an SQL expression (a column of the outer query). The site is the one whose
    root is the nearest ancestor of the event's page, as Wagtail's Page.get_site() finds it;
    the default applies where that site has not saved its settings. Plain SQL that SQLite
    and PostgreSQL both read, so the door scan's one statement and the ORM path share it.
    """
    # Every part is this module's own (a column name, a table name, a number): no input.
    return f"""coalesce((
        SELECT settings.{field}
        FROM wagtailcore_page page
        JOIN wagtailcore_page root ON substr(page.path, 1, length(root.path)) = root.path
        JOIN wagtailcore_site site ON site.root_page_id = root.id
        LEFT JOIN {CheckinSettings._meta.db_table} settings ON settings.site_id = site.id
        WHERE page.id = {event_id}
        ORDER BY length(root.path) DESC, site.is_default_site DESC
        LIMIT 1
    ), {int(default)})"""  # noqa: S608


def _window_minutes(event_id: str) -> tuple[str, str]:
    """SQL for (minutes check-in opens before the start, closes after the end)."""
    return (
        _window_minutes_sql("opens_minutes_before", checkin_windows.OPENS_MINUTES_BEFORE, event_id),
        _window_minutes_sql("closes_minutes_after", checkin_windows.CLOSES_MINUTES_AFTER, event_id),
    )


def _window_annotations() -> tuple[RawSQL, RawSQL]:
    """The minutes of `_window_minutes` for a query on Occurrence."""
    opens, closes = _window_minutes('"events_occurrence"."event_id"')
    return RawSQL(opens, ()), RawSQL(closes, ())  # noqa: S611  (no input in it)


def checkin_window_minutes(*, event_id: int) -> tuple[int, int]:
    """Give (minutes check-in opens before a date, closes after it) for an event (one query)."""
    opens, closes = _window_minutes("%s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {opens}, {closes}", [event_id, event_id])
        return cursor.fetchone()


def occurrence_window(occurrence: Occurrence) -> CheckinWindow:
    """Give the date's check-in window, by its site's CheckinSettings (one query)."""
    opens, closes = checkin_window_minutes(event_id=occurrence.event_id)
    return checkin_windows.checkin_window(
        start=occurrence.start,
        end=occurrence.end,
        opens_minutes_before=opens,
        closes_minutes_after=closes,
    )


def checkin_require_open(*, occurrence: Occurrence, now=None) -> CheckinWindow:
    """Give the date's check-in window; raise CheckinNotOpen when it is shut now."""
    window = occurrence_window(occurrence)
    state = window.state(now or timezone.now())
    if state is not State.OPEN:
        raise CheckinNotOpen(window, state)
    return window


@dataclass(frozen=True)
class _ScanPlace:
    event_id: int
    organiser_id: int | None  # None when no organiser was named, or they no longer exist
    refused: bool  # an organiser was named and is no longer active (or no longer exists)
    counts: dict
    window: CheckinWindow
    state: State  # of the window, now


def _scan_place(
    occurrence_id: int, organiser_id: int | None, ticket_generation: int | None = None
) -> _ScanPlace:
    """Give the date's event, whether the organiser may still scan, the running counts,
    and whether the date is open for check-in now.

    With `ticket_generation` (a scanner ticket's) the organiser's tickets must still be of
    that generation. One query (two when an organiser is named: their recent scans). Raises
    Occurrence.DoesNotExist when there is no such date, and ScanRateLimited.
    """
    if organiser_id is not None:
        limit, since = _scan_window(timezone.now())
        recent = ScanLog.objects.filter(organiser_id=organiser_id, at__gt=since)[:limit]
        if recent.count() >= limit:
            raise ScanRateLimited
    organiser = get_user_model().objects.filter(pk=organiser_id)
    generation = ScannerTicketGeneration.objects.filter(user_id=organiser_id)
    event_id, active, current, attendance, anonymous, start, end, opens, closes = (
        Occurrence.objects.filter(pk=occurrence_id)
        .values_list(
            "event_id",
            Subquery(organiser.values("is_active")[:1]),
            Coalesce(Subquery(generation.values("generation")[:1]), 0),
            _count(Attendance, occurrence_id),
            _anonymous(occurrence_id),
            "start",
            "end",
            *_window_annotations(),
        )
        .get()
    )
    revoked = ticket_generation is not None and current != ticket_generation
    window = checkin_windows.checkin_window(
        start=start, end=end, opens_minutes_before=opens, closes_minutes_after=closes
    )
    return _ScanPlace(
        event_id=event_id,
        organiser_id=organiser_id if active is not None else None,
        refused=organiser_id is not None and (not active or revoked),
        counts=_with_total(attendance, anonymous),
        window=window,
        state=window.state(timezone.now()),
    )


def _attend_and_log(
    *, occurrence_id, participant, method, organiser_id, already_at=None, counts=None
) -> ScanResult:
    """Get or create the attendance, and log the scan with it.

    This is get_or_create written out so a scan costs as few round trips as possible: the
    caller has usually read any existing attendance already (`already_at`); otherwise the
    attendance and its log entry are inserted in one transaction, and when the database
    refuses the insert (IntegrityError: another scanner, or a retry of this request, won the
    race) the winner's attendance is read and the answer is "already". Either way there is
    one attendance per participant per occurrence.
    """
    if already_at is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    occurrence_id=occurrence_id,
                    participant=participant,
                    method=method,
                    recorded_by_id=organiser_id,
                )
                _log(
                    occurrence_id=occurrence_id,
                    result=Result.CHECKED_IN,
                    organiser_id=organiser_id,
                    method=method,
                )
            if counts is not None:
                counts = _with_total(counts["attendance"] + 1, counts["anonymous"])
            return ScanResult(
                outcome=Outcome.CHECKED_IN,
                reason=Result.CHECKED_IN,
                nickname=participant.nickname,
                checked_in_at=attendance.checked_in_at,
                counts=counts,
            )
        except IntegrityError:
            already_at = (
                Attendance.objects.filter(occurrence_id=occurrence_id, participant=participant)
                .values_list("checked_in_at", flat=True)
                .get()
            )
            counts = None  # the winner changed them: count afresh
    _log(
        occurrence_id=occurrence_id, result=Result.ALREADY, organiser_id=organiser_id, method=method
    )
    return ScanResult(
        outcome=Outcome.ALREADY,
        reason=Result.ALREADY,
        nickname=participant.nickname,
        checked_in_at=already_at,
        counts=counts,
    )


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
    RETURNING checked_in_at
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
    (SELECT closes_at FROM occurrence)
FROM outcome, before
"""
_opens, _closes = _window_minutes("events_occurrence.event_id")
DOOR_SCAN_SQL = DOOR_SCAN_SQL.replace("{opens}", _opens).replace("{closes}", _closes)

# After losing the race above: the winner's time and the counts, now that it has committed.
DOOR_SCAN_RACE_LOST_SQL = """
SELECT
    (SELECT checked_in_at FROM checkin_attendance
     WHERE occurrence_id = %(occurrence)s AND participant_id = (
         SELECT participant_id FROM checkin_pass WHERE token_id = %(pass_id)s)),
    (SELECT count(*) FROM checkin_attendance WHERE occurrence_id = %(occurrence)s),
    (SELECT count(*) FROM checkin_anonymouscount WHERE occurrence_id = %(occurrence)s)
    + coalesce((SELECT people FROM checkin_erasedcount WHERE occurrence_id = %(occurrence)s), 0)
"""


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


def _scan_pass_postgresql(
    *, occurrence_id, pass_id, organiser_id, method, ticket_generation
) -> ScanResult:
    now = timezone.now()
    limit, since = _scan_window(now)
    params = {
        "occurrence": occurrence_id,
        "organiser": organiser_id,
        "generation": ticket_generation,
        "pass_id": pass_id,
        "now": now,
        "method": method,
        "limit": limit,
        "since": since,
    }
    found, result, nickname, checked_in_at, attendance, anonymous, opens_at, closes_at = (
        _door_query(DOOR_SCAN_SQL, params)
    )
    if not found:
        raise Occurrence.DoesNotExist
    if result == RATE_LIMITED:
        raise ScanRateLimited
    if result in (Result.NOT_YET, Result.CLOSED):
        return ScanResult(
            outcome=Outcome.INVALID,
            reason=result,
            counts=_with_total(attendance, anonymous),
            window=CheckinWindow(opens_at=opens_at, closes_at=closes_at),
        )
    if result == Result.ALREADY and checked_in_at is None:
        checked_in_at, attendance, anonymous = _door_query(DOOR_SCAN_RACE_LOST_SQL, params)
    elif result == Result.CHECKED_IN:
        attendance += 1
    counts = _with_total(attendance, anonymous)
    if result == Result.CHECKED_IN:
        outcome = Outcome.CHECKED_IN
    elif result == Result.ALREADY:
        outcome = Outcome.ALREADY
    else:
        return ScanResult(outcome=Outcome.INVALID, reason=result, counts=counts)
    return ScanResult(
        outcome=outcome,
        reason=result,
        nickname=nickname,
        checked_in_at=checked_in_at,
        counts=counts,
    )


def _scan_pass_orm(
    *, occurrence_id, pass_id, organiser_id, method, ticket_generation
) -> ScanResult:
    """The same as DOOR_SCAN_SQL, in portable queries (SQLite has no INSERT inside WITH)."""
    place = _scan_place(occurrence_id, organiser_id, ticket_generation)
    organiser_id = place.organiser_id
    if place.refused or place.state is not State.OPEN:
        return _invalid(
            occurrence_id=occurrence_id,
            reason=Result.REFUSED if place.refused else place.state.value,
            organiser_id=organiser_id,
            method=method,
            counts=place.counts,
            window=place.window,
        )
    found = (
        Pass.objects.filter(token_id=pass_id)
        .select_related("participant")
        .only("revoked_at", "participant__nickname")
        .annotate(
            already_at=Subquery(
                Attendance.objects.filter(
                    occurrence_id=occurrence_id, participant=OuterRef("participant")
                ).values("checked_in_at")[:1]
            )
        )
        .first()
    )
    if found is None or found.revoked_at is not None:
        return _invalid(
            occurrence_id=occurrence_id,
            reason=Result.UNKNOWN if found is None else Result.REVOKED,
            organiser_id=organiser_id,
            method=method,
            counts=place.counts,
        )
    return _attend_and_log(
        occurrence_id=occurrence_id,
        participant=found.participant,
        method=method,
        organiser_id=organiser_id,
        already_at=found.already_at,
        counts=place.counts,
    )


# Above this a number cannot be a row's id (PostgreSQL would refuse it outright).
MAX_ID = 2**63 - 1


def checkin_scan(
    *,
    occurrence_id: int,
    token: str,
    organiser_id: int | None,
    method=Method.SCAN,
    ticket_generation: int | None = None,
) -> ScanResult:
    """Check in whoever holds `token` (a pass URL or bare token) at the date `occurrence_id`.

    Gives a ScanResult with the running counts. Idempotent: a second scan, a retried request,
    or two scanners at once all end with one attendance. Every call adds one entry to the
    scan log. `organiser_id` names who scans (None for nobody in particular); an organiser
    who is no longer active is refused ("refused"), so a scanner ticket stops working the
    moment its holder is deactivated; so is one whose `ticket_generation` (the scanner
    ticket's) is no longer the organiser's current one (they logged out, or left a group:
    permissions.scanner_tickets_revoke). Raises Occurrence.DoesNotExist when there is no such
    date, and ScanRateLimited when the organiser has scanned more than CHECKIN_SCAN_RATE
    allows (a runaway script, not a busy door); either way it logs nothing.

    A genuine pass token is the door scanner's hot path: on PostgreSQL it is one statement.
    """
    if not 0 < occurrence_id <= MAX_ID:
        raise Occurrence.DoesNotExist
    scanned = read_scanned(token)
    if scanned.kind is Kind.PASS and not scanned.error:
        scan_pass = _scan_pass_postgresql if connection.vendor == "postgresql" else _scan_pass_orm
        return scan_pass(
            occurrence_id=occurrence_id,
            pass_id=scanned.value,
            organiser_id=organiser_id,
            method=method,
            ticket_generation=ticket_generation,
        )
    # Not a pass of ours: nothing is written but the log entry saying why.
    place = _scan_place(occurrence_id, organiser_id, ticket_generation)
    invalid = {
        "occurrence_id": occurrence_id,
        "organiser_id": place.organiser_id,
        "method": method,
        "counts": place.counts,
    }
    if place.refused:
        return _invalid(reason=Result.REFUSED, **invalid)
    if place.state is not State.OPEN:
        return _invalid(reason=place.state.value, window=place.window, **invalid)
    if scanned.error:
        return _invalid(reason=scanned.error.value, **invalid)
    if scanned.value == str(place.event_id):
        return _invalid(reason=Result.NOT_A_PASS, **invalid)
    title = EventPage.objects.filter(pk=scanned.value).values_list("title", flat=True).first()
    return _invalid(reason=Result.OTHER_EVENT, other_event=title or _("another event"), **invalid)


def checkin_record(
    *, occurrence: Occurrence, token: str, scanned_by, method=Method.SCAN
) -> ScanResult:
    """Check in whoever holds `token` at `occurrence`, scanned by a user (or None).

    See `checkin_scan`, which this calls with the user's id.
    """
    organiser_id = _organiser_id(scanned_by)
    return checkin_scan(
        occurrence_id=occurrence.pk, token=token, organiser_id=organiser_id, method=method
    )


def checkin_participant(*, occurrence: Occurrence, participant: Participant, scanned_by, method):
    """Check in a participant found by nickname or given a pass at the door; give a ScanResult.

    Outside the date's check-in window the answer is "not valid" (not yet, or closed), and
    only the scan log hears of it.
    """
    organiser_id = _organiser_id(scanned_by)
    try:
        checkin_require_open(occurrence=occurrence)
    except CheckinNotOpen as shut:
        return _invalid(
            occurrence_id=occurrence.pk,
            reason=shut.state.value,
            organiser_id=organiser_id,
            method=method,
            counts=None,
            window=shut.window,
        )
    return _attend_and_log(
        occurrence_id=occurrence.pk,
        participant=participant,
        method=method,
        organiser_id=organiser_id,
    )


def anonymous_count_add(*, occurrence: Occurrence, source: str, nonce: str | None) -> bool:
    """Count one more person with no record; give False when this nonce was counted already.

    Raises CheckinNotOpen outside the date's check-in window.
    """
    checkin_require_open(occurrence=occurrence)
    return _anonymous_count_create(occurrence=occurrence, source=source, nonce=nonce)


def _anonymous_count_create(*, occurrence, source, nonce) -> bool:
    try:
        with transaction.atomic():
            AnonymousCount.objects.create(occurrence=occurrence, source=source, nonce=nonce or None)
    except IntegrityError:
        return False
    return True


def _require_council(user) -> None:
    if not is_council(user):
        raise PermissionDenied("Only the council can correct a date's record.")


@transaction.atomic
def attendance_correct(
    *, occurrence: Occurrence, participant: Participant, by, reason: str
) -> ScanResult:
    """Record that a participant came to a date, outside its check-in window; council only.

    The one way to add to who came once a date has closed (or before it opens). The scan log
    says it was a correction and by whom; the audit log keeps the reason. Raises
    PermissionDenied for anyone but the council.
    """
    _require_council(by)
    result = _attend_and_log(
        occurrence_id=occurrence.pk,
        participant=participant,
        method=Method.CORRECTION,
        organiser_id=by.pk,
    )
    audit_record(
        user=by,
        action=AuditEvent.Action.CORRECT_ATTENDANCE,
        target=occurrence,
        detail=(
            f"{result.outcome.value}: participant {participant.pk}. {' '.join(reason.split())}"
        ),
    )
    return result


@transaction.atomic
def anonymous_count_correct(*, occurrence: Occurrence, people: int, by, reason: str) -> int:
    """Count `people` more with no record at a date, outside its window; council only.

    Logged as `attendance_correct` is; gives how many were counted.
    """
    _require_council(by)
    AnonymousCount.objects.bulk_create(
        AnonymousCount(occurrence=occurrence, source=AnonymousCount.Source.CORRECTION)
        for _person in range(people)
    )
    ScanLog.objects.bulk_create(
        ScanLog(
            occurrence=occurrence,
            result=Result.CHECKED_IN,
            organiser=by,
            method=Method.CORRECTION,
        )
        for _person in range(people)
    )
    audit_record(
        user=by,
        action=AuditEvent.Action.CORRECT_ATTENDANCE,
        target=occurrence,
        detail=f"+{people} with no record. {' '.join(reason.split())}",
    )
    return people


def occurrence_counts(occurrence: Occurrence) -> dict:
    """Give {"attendance": n, "anonymous": n, "total": n} for one occurrence, in one query."""
    attendance, anonymous = (
        Occurrence.objects.filter(pk=occurrence.pk)
        .values_list(_count(Attendance, OuterRef("pk")), _anonymous(OuterRef("pk")))
        .get()
    )
    return _with_total(attendance, anonymous)


@transaction.atomic
def participant_create(
    *, nickname: str, email: str = "", roles=(), consent: bool = False, issued_by=None
) -> Pass:
    """Make a participant and their first pass; give the pass. Roles need consent."""
    participant = Participant.objects.create(
        nickname=nickname.strip(),
        email=email.strip(),
        roles_consent_at=timezone.now() if consent and roles else None,
    )
    if consent and roles:
        participant.roles.set(roles)
    return Pass.objects.create(
        participant=participant,
        created_by=Pass.CreatedBy.ORGANISER if issued_by else Pass.CreatedBy.SELF,
        issued_by=issued_by,
    )


@transaction.atomic
def pass_replace(*, participant: Participant, issued_by=None) -> Pass:
    """Revoke every pass the participant holds and give them a new one."""
    participant.passes.active().update(revoked_at=timezone.now())
    return Pass.objects.create(
        participant=participant,
        created_by=Pass.CreatedBy.ORGANISER if issued_by else Pass.CreatedBy.SELF,
        issued_by=issued_by,
    )


class Claim(enum.Enum):
    KEPT = "kept"  # the code was right: keep the pass in this browser
    NEW_CODE = "new_code"  # ... and the pass now has a new code, which only this browser shows
    WRONG = "wrong"  # not this pass's code
    USED = "used"  # the organiser's printed code, already used once
    REVOKED = "revoked"  # the pass was replaced


def pass_claim(*, held: Pass, code: str) -> Claim:
    """Check the code typed to keep a pass in a browser (and open its record); give a Claim.

    A pass made at the door carries a code the organiser who printed it saw too. That code
    works once: the first claim moves the pass to a new code that only the holder's browser
    ever shows, so what the organiser saw opens nothing from then on. Of two claims racing
    with the printed code, only one wins.
    """
    if held.is_revoked:
        return Claim.REVOKED
    typed = code.strip().upper()
    if typed != held.claim_code:
        first = claim_code(held.token_id)
        used = held.created_by == Pass.CreatedBy.ORGANISER and held.claim_generation > 0
        return Claim.USED if used and typed == first else Claim.WRONG
    if not held.code_seen_by_organiser:
        return Claim.KEPT
    moved = Pass.objects.filter(pk=held.pk, claim_generation=held.claim_generation).update(
        claim_generation=held.claim_generation + 1
    )
    if not moved:
        return Claim.USED
    held.claim_generation += 1
    return Claim.NEW_CODE


@transaction.atomic
def participant_update(
    *, participant: Participant, nickname: str, email: str, roles, consent: bool
) -> Participant:
    """Change a participant's details; without consent every role is forgotten."""
    participant.nickname = nickname.strip()
    participant.email = email.strip()
    if consent and roles:
        if participant.roles_consent_at is None:
            participant.roles_consent_at = timezone.now()
        participant.roles.set(roles)
    else:
        participant.roles_consent_at = None
        participant.roles.clear()
    participant.save()
    return participant


def _username(user) -> str | None:
    return user.get_username() if user else None


def _audit_entries_about(participant: Participant, attendances) -> list[dict]:
    """The audit log's entries about the participant: their record itself (a door pass made
    for them), and staff seeing, exporting or searching a list they were on.
    """
    Action = AuditEvent.Action
    lists = {Action.VIEW_ATTENDANCE, Action.EXPORT_ATTENDANCE}
    # Since when each list held them: a date's once they were checked in there; an event's
    # (its CSV of every date) once they first came to it; a nickname search at any date of
    # an event looks among everyone who came to it before.
    on_date = {str(a.occurrence_id): a.checked_in_at for a in attendances}
    on_event: dict[str, datetime] = {}
    for a in attendances:
        event = str(a.occurrence.event_id)
        on_event[event] = min(on_event.get(event, a.checked_in_at), a.checked_in_at)
    searched: dict[str, datetime] = {}
    labels = {
        ("events.eventpage", str(a.occurrence.event_id)): a.occurrence.event.title
        for a in attendances
    }
    dates = Occurrence.objects.filter(event_id__in=on_event).values_list(
        "pk", "event_id", "start", "event__title"
    )
    for pk, event_id, start, title in dates:
        searched[str(pk)] = on_event[str(event_id)]
        labels["events.occurrence", str(pk)] = (
            f"{title}, {timezone.localtime(start).date():%Y-%m-%d}"
        )
    me = participant._meta.label_lower
    labels[me, str(participant.pk)] = "your record"

    def holds_them(entry) -> bool:
        if entry.object_type == me:
            return True
        if entry.object_type == "events.eventpage":
            since = on_event.get(entry.object_id) if entry.action in lists else None
        elif entry.action == Action.SEARCH_NICKNAMES:
            since = searched.get(entry.object_id)
        else:
            since = on_date.get(entry.object_id) if entry.action in lists else None
        return since is not None and entry.at >= since

    candidates = AuditEvent.objects.filter(
        Q(object_type=me, object_id=str(participant.pk))
        | Q(object_type="events.occurrence", object_id__in=set(on_date) | set(searched))
        | Q(object_type="events.eventpage", object_id__in=list(on_event))
    ).order_by("at", "pk")
    return [
        {
            "at": entry.at.isoformat(),
            "who": entry.username,
            "what": entry.get_action_display(),
            "about": labels.get((entry.object_type, entry.object_id), ""),
            "detail": entry.detail,
        }
        for entry in candidates
        if holds_them(entry)
    ]


def participant_export(*, participant: Participant) -> dict:
    """Give everything we hold about a participant, as plain data for a JSON download.

    Their details, every pass (and who made it at the door), every attendance (and who
    checked them in), and what the audit log says about them (who saw them on a list).
    """
    attendances = list(
        participant.attendances.select_related("occurrence__event", "recorded_by").order_by(
            "occurrence__start"
        )
    )
    return {
        "nickname": participant.nickname,
        "email": participant.email,
        "created": participant.created.isoformat(),
        "roles": [role.name for role in participant.roles.all()],
        "roles_consent_at": (
            participant.roles_consent_at.isoformat() if participant.roles_consent_at else None
        ),
        "passes": [
            {
                "created": p.created.isoformat(),
                "created_by": p.created_by,
                "issued_by": _username(p.issued_by),
                "revoked_at": p.revoked_at.isoformat() if p.revoked_at else None,
            }
            for p in participant.passes.select_related("issued_by").order_by("created")
        ],
        "attendance": [
            {
                "event": a.occurrence.event.title,
                "date": a.occurrence.start.isoformat(),
                "checked_in_at": a.checked_in_at.isoformat(),
                "how": a.method,
                "recorded_by": _username(a.recorded_by),
            }
            for a in attendances
        ],
        "audit": _audit_entries_about(participant, attendances),
    }


@transaction.atomic
def attendance_erase(*, attendances) -> int:
    """Delete these attendances, keeping only how many people came to each date.

    Gives how many were erased. The counts are one number per date (ErasedCount), added to
    in place: nothing is left that says which dates one person came to.
    """
    per_date = attendances.order_by().values("occurrence_id").annotate(n=Count("pk"))
    by_number: dict[int, list[int]] = {}
    for row in per_date:
        by_number.setdefault(row["n"], []).append(row["occurrence_id"])
    dates = [pk for pks in by_number.values() for pk in pks]
    if not dates:
        return 0
    ErasedCount.objects.bulk_create(
        [ErasedCount(occurrence_id=pk) for pk in dates], ignore_conflicts=True
    )
    for number, pks in by_number.items():
        ErasedCount.objects.filter(occurrence_id__in=pks).update(people=F("people") + number)
    return Attendance.objects.filter(pk__in=attendances.values("pk")).delete()[0]


@transaction.atomic
def participant_erase(*, participant: Participant) -> int:
    """Delete a participant's record; their attendance stays only in each date's count.

    Gives how many attendances were erased.
    """
    erased = attendance_erase(attendances=participant.attendances.all())
    participant.delete()
    return erased

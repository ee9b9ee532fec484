"""Recording attendance: scans at the door, check-in by nickname or door pass, anonymous counts,
the council's corrections, and the running counts of a date.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, ExpressionWrapper, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from events.models import EventPage, Occurrence
from home.audit.models import AuditEvent
from home.audit.services import audit_record
from home.council import is_council
from home.ratelimit import parse_rate

from .. import window as checkin_windows
from ..door_sql import DOOR_SCAN_RACE_LOST_SQL, DOOR_SCAN_SQL, _door_query
from ..models import (
    AnonymousCount,
    Attendance,
    ErasedCount,
    Method,
    Participant,
    Pass,
    ScanLog,
    ScannerTicketGeneration,
)
from ..signals import attendance_recorded
from ..tokens import Kind, read_scanned
from ..window import CheckinWindow, State
from .windows import CheckinNotOpen, _window_annotations, checkin_require_open

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
    attendance_id: int | None = None  # the attendance checked in (or already there), for undo
    introduction: str = ""  # who introduced the person who just arrived (signals.py)

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
        message = self.message
        if self.introduction:
            message = f"{message} {self.introduction}"
        return {
            "outcome": self.outcome.value,
            "reason": self.reason,
            "nickname": self.nickname,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "message": message,
            "attendance": self.attendance_id,
            "introduction": self.introduction,
        }


def _announce(**kwargs) -> str:
    """Tell the receivers of `attendance_recorded`; give the first sentence one gave back."""
    for _receiver, said in attendance_recorded.send(sender=Attendance, **kwargs):
        if said:
            return str(said)
    return ""


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


def _log(*, occurrence_id, result, organiser_id, method, at=None) -> None:
    ScanLog.objects.create(
        occurrence_id=occurrence_id,
        result=result,
        organiser_id=organiser_id,
        method=method,
        at=at or timezone.now(),
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
    *,
    occurrence_id,
    participant,
    method,
    organiser_id,
    already_at=None,
    already_id=None,
    counts=None,
    at=None,
) -> ScanResult:
    """Get or create the attendance, and log the scan with it.

    This is get_or_create written out so a scan costs as few round trips as possible: the
    caller has usually read any existing attendance already (`already_at`); otherwise the
    attendance and its log entry are inserted in one transaction, and when the database
    refuses the insert (IntegrityError: another scanner, or a retry of this request, won the
    race) the winner's attendance is read and the answer is "already". Either way there is
    one attendance per participant per occurrence. `at` (default now) is when the scan was
    made: a scan sent later from a phone's queue keeps the phone's time.
    """
    at = at or timezone.now()
    if already_at is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    occurrence_id=occurrence_id,
                    participant=participant,
                    method=method,
                    recorded_by_id=organiser_id,
                    checked_in_at=at,
                )
                _log(
                    occurrence_id=occurrence_id,
                    result=Result.CHECKED_IN,
                    organiser_id=organiser_id,
                    method=method,
                    at=at,
                )
            if counts is not None:
                counts = _with_total(counts["attendance"] + 1, counts["anonymous"])
            return ScanResult(
                outcome=Outcome.CHECKED_IN,
                reason=Result.CHECKED_IN,
                nickname=participant.nickname,
                checked_in_at=attendance.checked_in_at,
                counts=counts,
                attendance_id=attendance.pk,
                introduction=_announce(
                    occurrence_id=occurrence_id, participant_id=participant.pk, expected=None
                ),
            )
        except IntegrityError:
            already_id, already_at = (
                Attendance.objects.filter(occurrence_id=occurrence_id, participant=participant)
                .values_list("pk", "checked_in_at")
                .get()
            )
            counts = None  # the winner changed them: count afresh
    _log(
        occurrence_id=occurrence_id,
        result=Result.ALREADY,
        organiser_id=organiser_id,
        method=method,
        at=at,
    )
    return ScanResult(
        outcome=Outcome.ALREADY,
        reason=Result.ALREADY,
        nickname=participant.nickname,
        checked_in_at=already_at,
        counts=counts,
        attendance_id=already_id,
    )


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
    (
        found,
        result,
        nickname,
        checked_in_at,
        attendance,
        anonymous,
        opens_at,
        closes_at,
        attendance_id,
        introduced,
    ) = _door_query(DOOR_SCAN_SQL, params)
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
        checked_in_at, attendance, anonymous, attendance_id = _door_query(
            DOOR_SCAN_RACE_LOST_SQL, params
        )
    elif result == Result.CHECKED_IN:
        attendance += 1
    counts = _with_total(attendance, anonymous)
    introduction = ""
    if result == Result.CHECKED_IN:
        outcome = Outcome.CHECKED_IN
        introduction = _announce(
            occurrence_id=occurrence_id, pass_id=pass_id, participant_id=None, expected=introduced
        )
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
        attendance_id=attendance_id,
        introduction=introduction,
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
            ),
            already_id=Subquery(
                Attendance.objects.filter(
                    occurrence_id=occurrence_id, participant=OuterRef("participant")
                ).values("pk")[:1]
            ),
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
        already_id=found.already_id,
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


def scan_refusal_log(*, occurrence_id: int, user) -> None:
    """Log a scan at an existing date by a signed-in user who may not scan there."""
    ScanLog.objects.create(occurrence_id=occurrence_id, result=Result.REFUSED, organiser=user)

"""The door without signal: what a scanner page keeps to judge passes offline, the sync of its
queued scans, and undoing a check-in.

What the page keeps (`offline_pack`) holds no pass id and no name: only digests of pass ids,
keyed with a random salt of the date's own (`DoorSalt`). The client makes the same digest of
a pass it scans, so it can say "was already in" or "a regular" at once, and nothing on a lost
phone can be turned back into a pass, nor tried against another date.

Pass id: the rule the scanner page follows to read a pass id out of a scanned code (the
client cannot check a signature, the key is the server's; the sync checks it):

1. Trim the scanned text. Empty, or longer than 500 characters: not a pass.
2. If it contains "/", it is a URL: take its path, URL-decoded; it must start with
   "/pass/p/" (a poster's "/checkin/e/..." is not a pass); the token is what follows, with
   any "/" at either end stripped. Otherwise the whole text is the token.
3. The token must match ``^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{20,64}$`` (as
   `tokens.TOKEN_RE`); the pass id is the part before the ":".
4. digest = the first 16 characters of the lowercase hex HMAC-SHA256, keyed with the UTF-8
   bytes of the salt text exactly as offline.json gives it, of the UTF-8 bytes of the pass id.

`pass_id_of` and `pass_digest` below are exactly that rule (tests/events/checkin/
test_offline.py holds a test vector the client can check itself against).
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from events.models import Occurrence
from home.council import is_council

from ..models import Attendance, DoorSalt, DoorScan, Method, Pass, ScanLog
from ..tokens import MAX_SCAN_LENGTH, TOKEN_RE, Kind, read_scanned
from ..window import CheckinWindow, State
from . import scanning
from .windows import occurrence_window

Result = ScanLog.Result
PASS_PREFIX = "/pass/p/"  # noqa: S105  (a path, not a secret)
DIGEST_LENGTH = 16  # hex characters: 64 bits, so two passes of one date never collide
NONCE_RE = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
MAX_DEVICE_LENGTH = 64
MAX_BATCH = 100
# How long after a date's check-in closes its queued scans may still arrive: a phone that lost
# signal in a park hall may reach it again only at home. Past that, only the council adds.
SYNC_GRACE = timedelta(hours=48)
# A phone's clock may be a little ahead of ours; a scan from further ahead is not believed.
CLOCK_SKEW = timedelta(minutes=5)
# Whose earlier dates make someone a regular of a group (within the attendance retention).
REGULARS_SINCE = timedelta(days=183)
MAX_REGULARS = 5000
# The same pass seen again by the same phone this soon is the same scan, not a second arrival.
REPEAT_SECONDS = 5


def pass_id_of(text: str) -> str | None:
    """Give the pass id a scanner page reads out of a scanned code (no signature check)."""
    text = (text or "").strip()
    if not text or len(text) > MAX_SCAN_LENGTH:
        return None
    if "/" in text:
        path = unquote(urlsplit(text).path)
        if not path.startswith(PASS_PREFIX):
            return None
        text = path[len(PASS_PREFIX) :].strip("/")
    if not TOKEN_RE.match(text):
        return None
    return text.split(":", 1)[0]


def pass_digest(salt: str, pass_id: str) -> str:
    """Give the digest of a pass id under one date's salt (see the module's docstring)."""
    mac = hmac.new(salt.encode(), pass_id.encode(), hashlib.sha256).hexdigest()
    return mac[:DIGEST_LENGTH]


def door_salt(*, occurrence: Occurrence) -> str:
    """Give the date's salt, made the first time it is asked for."""
    salt, _made = DoorSalt.objects.get_or_create(occurrence_id=occurrence.pk)
    return salt.salt


def _digests(salt: str, pass_ids) -> list[str]:
    return sorted({pass_digest(salt, pass_id) for pass_id in pass_ids})


def offline_pack(*, occurrence: Occurrence, now: datetime | None = None) -> dict:
    """Give what a scanner page keeps to judge passes without signal (see the module's
    docstring): the date and its window, the salt, and digests of the passes already in and
    of the group's regulars. Five queries."""
    now = now or timezone.now()
    window = occurrence_window(occurrence)
    salt = door_salt(occurrence=occurrence)
    active = Pass.objects.active()
    checked_in = active.filter(participant__attendances__occurrence=occurrence).values_list(
        "token_id", flat=True
    )
    event = occurrence.event
    earlier = (
        Q(participant__attendances__occurrence__event__group_id=event.group_id)
        if event.group_id
        else Q(participant__attendances__occurrence__event_id=event.pk)
    )
    regulars = (
        active.filter(
            earlier,
            participant__attendances__occurrence__start__gte=now - REGULARS_SINCE,
        )
        .exclude(participant__attendances__occurrence=occurrence)
        .values_list("token_id", flat=True)
        .distinct()[:MAX_REGULARS]
    )
    return {
        "occurrence": {
            "id": occurrence.pk,
            "title": event.title,
            "starts_at": occurrence.start.isoformat(),
            "ends_at": occurrence.end.isoformat(),
            "opens_at": window.opens_at.isoformat(),
            "closes_at": window.closes_at.isoformat(),
        },
        "salt": salt,
        "checked_in": _digests(salt, checked_in),
        "regulars": _digests(salt, regulars),
        "counts": scanning.occurrence_counts(occurrence),
    }


# What a sync answers per scan.
CHECKED_IN, ALREADY, REFUSED = "checked_in", "already", "refused"


@dataclass(frozen=True)
class SyncItem:
    """One queued scan as the page sent it, read; `error` says why it could not be."""

    nonce: str | None
    code: str = ""
    scanned_at: datetime | None = None
    error: str = ""


def _read_item(raw) -> SyncItem:
    if not isinstance(raw, dict):
        return SyncItem(nonce=None, error=_("This scan could not be read."))
    nonce = raw.get("nonce")
    nonce = nonce if isinstance(nonce, str) and NONCE_RE.match(nonce) else None
    code, scanned_at = raw.get("code"), raw.get("scanned_at")
    try:
        moment = parse_datetime(scanned_at) if isinstance(scanned_at, str) else None
    except ValueError:
        moment = None
    if (
        nonce is None
        or not isinstance(code, str)
        or len(code) > MAX_SCAN_LENGTH
        or moment is None
        or timezone.is_naive(moment)
    ):
        return SyncItem(nonce=nonce, error=_("This scan could not be read."))
    return SyncItem(nonce=nonce, code=code, scanned_at=moment)


def _outside_window_message(window: CheckinWindow, scanned_at: datetime) -> str:
    return _(
        "This pass was scanned at %(time)s, outside this date's check-in time "
        "(%(opens)s to %(closes)s), so it was not counted. Only the council can add it now."
    ) % {
        "time": time_format(timezone.localtime(scanned_at), "H:i"),
        "opens": time_format(timezone.localtime(window.opens_at), "H:i"),
        "closes": time_format(timezone.localtime(window.closes_at), "H:i"),
    }


def _late_message() -> str:
    return _(
        "This scan was sent more than two days after check-in for this date closed, so it "
        "was not counted. Only the council can add it now."
    )


def _future_message() -> str:
    return _(
        "The phone's clock says this scan was made later than now. Please check the phone's "
        "date and time, then scan again."
    )


def _undone_message() -> str:
    return _("This check-in was undone.")


@dataclass
class _Answer:
    nonce: str | None
    status: str
    message: str
    nickname: str = ""
    attendance_id: int | None = None

    def as_json(self, seen: dict) -> dict:
        answer = {"nonce": self.nonce, "status": self.status, "message": self.message}
        if self.nickname:
            answer["nickname"] = self.nickname
        if self.attendance_id is not None:
            answer["attendance"] = self.attendance_id
            answer["seen"] = seen.get(self.attendance_id, 1)
        return answer


def _status(reason: str) -> str:
    return {Result.CHECKED_IN: CHECKED_IN, Result.ALREADY: ALREADY}.get(reason, REFUSED)


def _replay(row: DoorScan, window: CheckinWindow) -> _Answer:
    """The answer a nonce was given the first time, as it stands now."""
    if row.undone_at is not None:
        return _Answer(nonce=row.nonce, status=REFUSED, message=_undone_message())
    attendance = row.attendance
    if row.result in (Result.CHECKED_IN, Result.ALREADY):
        if attendance is None:  # erased since (by them, or by retention)
            return _Answer(nonce=row.nonce, status=_status(row.result), message="")
        result = scanning.ScanResult(
            outcome=scanning.Outcome(row.result),
            reason=row.result,
            nickname=attendance.participant.nickname,
            checked_in_at=attendance.checked_in_at,
        )
        return _Answer(
            nonce=row.nonce,
            status=_status(row.result),
            message=result.message,
            nickname=result.nickname,
            attendance_id=attendance.pk,
        )
    if row.result in (Result.NOT_YET, Result.CLOSED):
        message = _outside_window_message(window, row.scanned_at)
    else:
        message = scanning.ScanResult(outcome=scanning.Outcome.INVALID, reason=row.result).message
    return _Answer(nonce=row.nonce, status=REFUSED, message=message)


@dataclass(frozen=True)
class _Batch:
    """What every scan of one batch is judged against, read once for the batch."""

    occurrence: Occurrence
    window: CheckinWindow
    now: datetime
    passes: dict  # token_id -> Pass, with its participant's nickname
    present: dict  # participant id -> (attendance id, checked in at), for who is in already
    device: str
    organiser_id: int | None


def _judge(item: SyncItem, batch: _Batch) -> tuple[str, _Answer]:
    """Record one readable queued scan (attendance and scan-log entry, as an online scan);
    give (the scan log's result, the answer). Call inside a transaction."""
    occurrence, window, now = batch.occurrence, batch.window, batch.now
    passes, present, organiser_id = batch.passes, batch.present, batch.organiser_id
    state = window.state(item.scanned_at)
    if item.scanned_at > now + CLOCK_SKEW:
        reason, message = Result.MALFORMED, _future_message()
    elif state is not State.OPEN:
        reason, message = state.value, _outside_window_message(window, item.scanned_at)
    elif now > window.closes_at + SYNC_GRACE:
        reason, message = Result.CLOSED, _late_message()
    else:
        reason = message = None
    scanned = read_scanned(item.code)
    held = passes.get(scanned.value) if scanned.kind is Kind.PASS and not scanned.error else None
    if reason is None and held is not None and held.revoked_at is None:
        already_id, already_at = present.get(held.participant_id, (None, None))
        result = scanning._attend_and_log(
            occurrence_id=occurrence.pk,
            participant=held.participant,
            method=Method.OFFLINE,
            organiser_id=organiser_id,
            at=item.scanned_at,
            already_at=already_at,
            already_id=already_id,
        )
        return result.reason, _Answer(
            nonce=item.nonce,
            status=_status(result.reason),
            message=result.message,
            nickname=result.nickname,
            attendance_id=result.attendance_id,
        )
    if reason is None:
        if scanned.kind is Kind.PASS and not scanned.error:
            reason = Result.UNKNOWN if held is None else Result.REVOKED
        elif scanned.error:
            reason = scanned.error.value
        elif scanned.value == str(occurrence.event_id):
            reason = Result.NOT_A_PASS
        else:
            reason = Result.OTHER_EVENT
        message = scanning.ScanResult(
            outcome=scanning.Outcome.INVALID,
            reason=reason,
            other_event=_("another event"),
        ).message
    scanning._log(
        occurrence_id=occurrence.pk,
        result=reason,
        organiser_id=organiser_id,
        method=Method.OFFLINE,
        at=min(item.scanned_at, now),
    )
    return reason, _Answer(nonce=item.nonce, status=REFUSED, message=message)


def _seen(attendance_ids) -> dict[int, int]:
    """How many times each attendance's pass was scanned for its date, as far as we know: its
    recorded scans, and one more if it was made some other way (an online scan without a
    nonce, a nickname search)."""
    rows = (
        DoorScan.objects.filter(attendance_id__in=attendance_ids)
        .values("attendance_id")
        .annotate(
            scans=Count("pk"),
            made=Count("pk", filter=Q(result=Result.CHECKED_IN)),
        )
    )
    seen = dict.fromkeys(attendance_ids, 1)
    for row in rows:
        seen[row["attendance_id"]] = row["scans"] + (0 if row["made"] else 1)
    return seen


def door_sync(
    *, occurrence: Occurrence, device: str, scans: list, organiser_id: int | None
) -> list[dict]:
    """Record a batch of scans queued on a phone; give one answer per scan, in order.

    Each nonce is recorded once: a scan whose nonce is known answers as it did the first time
    and writes nothing (so a batch sent again changes nothing). Each readable scan is judged
    by the phone's time: inside the date's check-in window it checks in as a scan at the door
    would (one attendance per pass per date, whichever phones scanned it: the later ones are
    "already"); outside it is refused with the reason. A scan that cannot be read is refused
    without touching the others. Each scan is its own transaction, so two phones syncing at
    once wait on each other's row, never on a whole batch, and never deadlock.
    """
    now = timezone.now()
    window = occurrence_window(occurrence)
    items = [_read_item(raw) for raw in scans[:MAX_BATCH]]
    nonces = {item.nonce for item in items if item.nonce}
    known = {
        row.nonce: row
        for row in DoorScan.objects.filter(nonce__in=nonces).select_related(
            "attendance__participant"
        )
    }
    pass_ids = set()
    for item in items:
        scanned = read_scanned(item.code) if not item.error else None
        if scanned and scanned.kind is Kind.PASS and not scanned.error:
            pass_ids.add(scanned.value)
    passes = {
        held.token_id: held
        for held in Pass.objects.filter(token_id__in=pass_ids)
        .select_related("participant")
        .only("token_id", "revoked_at", "participant__nickname")
    }
    # Who is in already, so their scans need not try an insert the database would refuse
    # (one that arrives meanwhile still is refused, and answered "already" all the same).
    present = {
        participant_id: (pk, at)
        for participant_id, pk, at in Attendance.objects.filter(
            occurrence=occurrence,
            participant_id__in=[held.participant_id for held in passes.values()],
        ).values_list("participant_id", "pk", "checked_in_at")
    }
    batch = _Batch(
        occurrence=occurrence,
        window=window,
        now=now,
        passes=passes,
        present=present,
        device=device,
        organiser_id=organiser_id,
    )
    answers: list[_Answer] = []
    this_batch: dict[str, _Answer] = {}
    for item in items:
        if item.error:
            answers.append(_Answer(nonce=item.nonce, status=REFUSED, message=item.error))
        elif item.nonce in this_batch:
            answers.append(this_batch[item.nonce])
        elif item.nonce in known:
            answers.append(_replay(known[item.nonce], window))
        else:
            answers.append(_sync_one(item, batch))
        if item.nonce and not item.error:
            this_batch[item.nonce] = answers[-1]
    seen = _seen({a.attendance_id for a in answers if a.attendance_id is not None})
    return [answer.as_json(seen) for answer in answers]


def _sync_one(item: SyncItem, batch: _Batch) -> _Answer:
    """Judge and record one scan in its own transaction; give its _Answer."""
    try:
        with transaction.atomic():
            reason, answer = _judge(item, batch)
            DoorScan.objects.create(
                nonce=item.nonce,
                device=batch.device,
                source=DoorScan.Source.OFFLINE,
                scanned_at=item.scanned_at,
                received_at=batch.now,
                occurrence=batch.occurrence,
                result=reason,
                attendance_id=answer.attendance_id,
                organiser_id=batch.organiser_id,
            )
    except IntegrityError:
        # The same nonce was recorded meanwhile (this batch, sent again before the first
        # answer came): everything above was rolled back; answer as that one did.
        row = DoorScan.objects.select_related("attendance__participant").get(nonce=item.nonce)
        return _replay(row, batch.window)
    return answer


class UndoRefused(Exception):
    """Nothing was undone; `status` (403, 404, 409) and `message` say why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@transaction.atomic
def attendance_undo(
    *, occurrence: Occurrence, by, nonce: str | None = None, attendance_id: int | None = None
) -> None:
    """Undo a check-in at the date, named by its scan's nonce or the attendance's id.

    Only the organiser who recorded it, or the council, and only while the date is open for
    check-in. The attendance is deleted, so every count stays honest (it was a mistake, not
    someone who came); the scan log says it was undone and by whom, and a scan sent again
    with the same nonce answers "undone" rather than checking them in again. Raises
    UndoRefused.
    """
    attendances = Attendance.objects.select_for_update().filter(occurrence=occurrence)
    if nonce is not None:
        row = DoorScan.objects.filter(nonce=nonce, occurrence=occurrence).first()
        attendance_id = row.attendance_id if row else None
    attendance = attendances.filter(pk=attendance_id).first() if attendance_id else None
    if attendance is None:
        raise UndoRefused(
            404, _("That check-in was not found for this date. It may have been undone already.")
        )
    if attendance.recorded_by_id != by.pk and not is_council(by):
        raise UndoRefused(
            403, _("Only the organiser who checked this person in, or the council, can undo it.")
        )
    window = occurrence_window(occurrence)
    state = window.state(timezone.now())
    if state is not State.OPEN:
        raise UndoRefused(409, window.refusal(state))
    DoorScan.objects.filter(attendance=attendance).update(undone_at=timezone.now())
    method = attendance.method
    attendance.delete()
    scanning._log(
        occurrence_id=occurrence.pk, result=Result.UNDONE, organiser_id=by.pk, method=method
    )


def undo_message() -> str:
    return _("Check-in undone. They are no longer counted for this date.")


def online_scan_remember(
    *,
    occurrence_id: int,
    nonce: str,
    device: str,
    result: "scanning.ScanResult",
    organiser_id: int | None,
) -> None:
    """Record an online scan's nonce, so a retry of it, or the same scan sent later from the
    queue, answers the same and adds nothing. A nonce already recorded is left as it is."""
    DoorScan.objects.bulk_create(
        [
            DoorScan(
                nonce=nonce,
                device=device,
                source=DoorScan.Source.ONLINE,
                scanned_at=timezone.now(),
                occurrence_id=occurrence_id,
                result=result.reason,
                attendance_id=result.attendance_id,
                organiser_id=organiser_id,
            )
        ],
        ignore_conflicts=True,
    )


def online_scan_repeat(
    *, occurrence_id: int, nonce: str | None, device: str, attendance_id: int | None
) -> bool:
    """Give whether an "already" answer is really the same scan again: this nonce recorded
    before, or this phone's own scan of this pass moments ago (REPEAT_SECONDS)."""
    if not nonce and not (device and attendance_id):
        return False
    since = timezone.now() - timedelta(seconds=REPEAT_SECONDS)
    same = Q(nonce=nonce) if nonce else Q(pk__in=[])
    if device and attendance_id:
        same |= Q(device=device, attendance_id=attendance_id, received_at__gte=since)
    return DoorScan.objects.filter(same, occurrence_id=occurrence_id).exists()

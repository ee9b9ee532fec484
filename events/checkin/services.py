"""Check-in services: recording attendance, anonymous counts, passes and participants' rights.

Each function here writes; each does it in one transaction, so a failure leaves nothing
half-written.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from events.models import EventPage, Occurrence

from .models import AnonymousCount, Attendance, Method, Participant, Pass, ScanLog
from .tokens import Kind, read_scanned

Result = ScanLog.Result


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

    @property
    def ok(self) -> bool:
        return self.outcome is not Outcome.INVALID

    @property
    def message(self) -> str:
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
        }.get(self.reason, _("This pass is not valid."))

    def as_json(self) -> dict:
        return {
            "outcome": self.outcome.value,
            "reason": self.reason,
            "nickname": self.nickname,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "message": self.message,
        }


def _invalid(occurrence, reason, scanned_by, method, **extra) -> ScanResult:
    ScanLog.objects.create(
        occurrence=occurrence, result=reason, organiser=scanned_by, method=method
    )
    return ScanResult(outcome=Outcome.INVALID, reason=reason, **extra)


def _counts_before(occurrence) -> dict:
    """Annotations giving the occurrence's running counts, for the query we make anyway."""

    def count(model):
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

    return {"attendance_before": count(Attendance), "anonymous_before": count(AnonymousCount)}


def _log(occurrence, result, scanned_by, method):
    ScanLog.objects.create(
        occurrence=occurrence, result=result, organiser=scanned_by, method=method
    )


def _attend_and_log(
    *, occurrence, participant, method, scanned_by, already_at=None, counts=None
) -> ScanResult:
    """Get or create the attendance, and log the scan with it.

    This is get_or_create written out so a scan costs as few round trips as possible: the
    caller has usually read any existing attendance already (`already_at`); otherwise the
    attendance and its log entry are inserted in one transaction, and when the database
    refuses the insert (IntegrityError: another scanner, or a retry of this request, won the
    race) the winner's attendance is read and the answer is "already". Either way there is
    one attendance per participant per occurrence.
    """
    organiser = scanned_by if scanned_by and scanned_by.is_authenticated else None
    if already_at is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    occurrence=occurrence,
                    participant=participant,
                    method=method,
                    recorded_by=organiser,
                )
                _log(occurrence, Result.CHECKED_IN, organiser, method)
            if counts is not None:
                counts = counts | {"attendance": counts["attendance"] + 1}
                counts["total"] = counts["attendance"] + counts["anonymous"]
            return ScanResult(
                outcome=Outcome.CHECKED_IN,
                reason=Result.CHECKED_IN,
                nickname=participant.nickname,
                checked_in_at=attendance.checked_in_at,
                counts=counts,
            )
        except IntegrityError:
            already_at = (
                Attendance.objects.filter(occurrence=occurrence, participant=participant)
                .values_list("checked_in_at", flat=True)
                .get()
            )
            counts = None  # the winner changed them: count afresh
    _log(occurrence, Result.ALREADY, organiser, method)
    return ScanResult(
        outcome=Outcome.ALREADY,
        reason=Result.ALREADY,
        nickname=participant.nickname,
        checked_in_at=already_at,
        counts=counts,
    )


def checkin_record(*, occurrence: Occurrence, token: str, scanned_by, method=Method.SCAN):
    """Check in whoever holds `token` (a pass URL or bare token) at `occurrence`.

    Gives a ScanResult. Idempotent: a second scan, a retried request, or two scanners at once
    all end with one attendance. Every call adds one entry to the scan log. Lean on purpose
    (the door scanner's hot path): one query finds the pass, any attendance it already has
    here and the running counts; a new check-in is then one short transaction.
    """
    organiser = scanned_by if scanned_by and scanned_by.is_authenticated else None
    scanned = read_scanned(token)
    if scanned.error:
        return _invalid(occurrence, scanned.error.value, organiser, method)
    if scanned.kind is Kind.POSTER:
        if scanned.value == str(occurrence.event_id):
            return _invalid(occurrence, Result.NOT_A_PASS, organiser, method)
        title = EventPage.objects.filter(pk=scanned.value).values_list("title", flat=True).first()
        return _invalid(
            occurrence,
            Result.OTHER_EVENT,
            organiser,
            method,
            other_event=title or _("another event"),
        )
    found = (
        Pass.objects.filter(token_id=scanned.value)
        .select_related("participant")
        .only("revoked_at", "participant__nickname")
        .annotate(
            already_at=Subquery(
                Attendance.objects.filter(
                    occurrence=occurrence, participant=OuterRef("participant")
                ).values("checked_in_at")[:1]
            ),
            **_counts_before(occurrence),
        )
        .first()
    )
    if found is None:
        return _invalid(occurrence, Result.UNKNOWN, organiser, method)
    if found.revoked_at is not None:
        return _invalid(occurrence, Result.REVOKED, organiser, method)
    counts = {"attendance": found.attendance_before, "anonymous": found.anonymous_before}
    counts["total"] = counts["attendance"] + counts["anonymous"]
    return _attend_and_log(
        occurrence=occurrence,
        participant=found.participant,
        method=method,
        scanned_by=organiser,
        already_at=found.already_at,
        counts=counts,
    )


def checkin_participant(*, occurrence: Occurrence, participant: Participant, scanned_by, method):
    """Check in a participant found by nickname or given a pass at the door; give a ScanResult."""
    return _attend_and_log(
        occurrence=occurrence, participant=participant, method=method, scanned_by=scanned_by
    )


def anonymous_count_add(*, occurrence: Occurrence, source: str, nonce: str | None) -> bool:
    """Count one more person with no record; give False when this nonce was counted already."""
    try:
        with transaction.atomic():
            AnonymousCount.objects.create(occurrence=occurrence, source=source, nonce=nonce or None)
    except IntegrityError:
        return False
    return True


def occurrence_counts(occurrence: Occurrence) -> dict:
    """Give {"attendance": n, "anonymous": n, "total": n} for one occurrence, in one query."""

    def count(model):
        return Coalesce(
            Subquery(
                model.objects.filter(occurrence=OuterRef("pk"))
                .order_by()
                .values("occurrence")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    attendance, anonymous = (
        Occurrence.objects.filter(pk=occurrence.pk)
        .values_list(count(Attendance), count(AnonymousCount))
        .get()
    )
    return {"attendance": attendance, "anonymous": anonymous, "total": attendance + anonymous}


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


def participant_export(*, participant: Participant) -> dict:
    """Give everything we hold about a participant, as plain data for a JSON download."""
    attendances = participant.attendances.select_related("occurrence__event").order_by(
        "occurrence__start"
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
                "revoked_at": p.revoked_at.isoformat() if p.revoked_at else None,
            }
            for p in participant.passes.order_by("created")
        ],
        "attendance": [
            {
                "event": a.occurrence.event.title,
                "date": a.occurrence.start.isoformat(),
                "checked_in_at": a.checked_in_at.isoformat(),
                "how": a.method,
            }
            for a in attendances
        ],
    }


@transaction.atomic
def participant_erase(*, participant: Participant) -> int:
    """Delete a participant's record; their attendance stays only as anonymous counts.

    Gives how many attendances became anonymous counts.
    """
    occurrence_ids = list(participant.attendances.values_list("occurrence_id", flat=True))
    AnonymousCount.objects.bulk_create(
        AnonymousCount(occurrence_id=pk, source=AnonymousCount.Source.ERASED)
        for pk in occurrence_ids
    )
    participant.delete()
    return len(occurrence_ids)


def participants_purge_inactive(*, days: int, now=None) -> int:
    """Erase participants not seen for `days` days (attendance stays as anonymous counts).

    "Seen" is their latest check-in, or when they took their pass if they never came.
    Gives how many records were erased.
    """
    from django.db.models import Max
    from django.db.models.functions import Greatest

    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = Participant.objects.annotate(
        seen=Greatest("created", Coalesce(Max("attendances__checked_in_at"), "created"))
    ).filter(seen__lt=cutoff)
    erased = 0
    for participant in stale.iterator():
        participant_erase(participant=participant)
        erased += 1
    return erased

"""A participant's life here: making, claiming and replacing passes, their details, and their
rights to see everything held about them (export) and to have it erased.
"""

import enum
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from events.models import Occurrence
from home.audit.models import AuditEvent
from home.audit.services import audit_record

from ..models import Attendance, ErasedCount, Participant, Pass
from ..tokens import claim_code


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


# Other apps that hold data about a participant add their part of the export here, from
# their AppConfig.ready(): {key in the export: function(participant) -> list of dicts}. So
# check-in need not import them (events.introductions adds "introductions").
EXPORT_SECTIONS: dict = {}


def participant_export(*, participant: Participant) -> dict:
    """Give everything we hold about a participant, as plain data for a JSON download.

    Their details, every pass (and who made it at the door), every attendance (and who
    checked them in, and each scan a scanner page sent for it), and what the audit log says about them (who saw them on a list).
    """
    attendances = list(
        participant.attendances.select_related("occurrence__event", "recorded_by")
        .prefetch_related("door_scans")
        .order_by("occurrence__start")
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
                # Each time a scanner page sent a scan of their pass for that date.
                "door_scans": [
                    {
                        "scanned_at": scan.scanned_at.isoformat(),
                        "received_at": scan.received_at.isoformat(),
                        "how": scan.source,
                    }
                    for scan in a.door_scans.all()
                ],
            }
            for a in attendances
        ],
        "audit": _audit_entries_about(participant, attendances),
    } | {key: section(participant) for key, section in EXPORT_SECTIONS.items()}


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


def door_pass_create(*, nickname: str, issued_by) -> Pass:
    """Make a pass at the door for someone without a phone; the audit log says who made it."""
    held = participant_create(nickname=nickname, issued_by=issued_by)
    audit_record(user=issued_by, action=AuditEvent.Action.DOOR_PASS, target=held.participant)
    return held

"""What organisers and the council see of who came: each look is written to the audit log,
so a participant's export can say who saw them on a list.
"""

from django.db.models import Exists, OuterRef, Q

from home.audit.models import AuditEvent
from home.audit.services import audit_record

from ..models import Attendance, Participant


def attendance_view(*, occurrence, by):
    """Give who came to one date (nicknames and times, never emails), and log the look."""
    audit_record(user=by, action=AuditEvent.Action.VIEW_ATTENDANCE, target=occurrence)
    return (
        Attendance.objects.filter(occurrence=occurrence)
        .select_related("participant")
        .only("checked_in_at", "method", "participant__nickname")
        .order_by("checked_in_at")
    )


def attendance_export(*, occurrences, target, by):
    """Give the rows of the attendance CSV of `occurrences`, and log the export of `target`
    (the one date, or the event whose dates they are)."""
    audit_record(user=by, action=AuditEvent.Action.EXPORT_ATTENDANCE, target=target)
    return (
        Attendance.objects.filter(occurrence__in=occurrences)
        .order_by("occurrence__start", "checked_in_at")
        .values_list(
            "occurrence__event__title",
            "occurrence__start",
            "participant__nickname",
            "checked_in_at",
            "method",
        )
    )


# What may stand between two words of a nickname.
WORD_BREAKS = (" ", "-", "'", "(", ".", "_", "/")


def nickname_starts_word(query: str) -> Q:
    """A filter: a word of the nickname starts with `query` (any case)."""
    starts = Q(nickname__istartswith=query)
    for mark in WORD_BREAKS:
        starts |= Q(nickname__icontains=mark + query)
    return starts


def participant_search(*, occurrence, query: str, by) -> list[dict]:
    """Give up to ten of the event's past participants with a word of their nickname starting
    with `query` (two characters at least; never searched by email), each with whether they
    are here; a search is logged.

    By start of word, as people look a name up: "Ro" finds "Rob" and "Nat Roberts", not
    "Carol" nor "Nat from Eastfield".
    """
    if len(query) < 2:
        return []
    here = Attendance.objects.filter(occurrence=occurrence, participant=OuterRef("pk"))
    matches = list(
        Participant.objects.regulars_of(occurrence.event)
        .filter(nickname_starts_word(query))
        .annotate(here=Exists(here))
        .order_by("nickname", "pk")
        .values("pk", "nickname", "here")[:10]
    )
    audit_record(
        user=by,
        action=AuditEvent.Action.SEARCH_NICKNAMES,
        target=occurrence,
        detail=f"{len(matches)} found",
    )
    return matches

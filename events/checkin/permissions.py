"""Who may scan for an event and see its attendance: the one place that decides.

The organisers of the event's host group (``EventPage.group``), the organisers of any group
co-hosting it (``EventPage.partner_groups``), and the council (`home.council`: superusers
and members of Wagtail's "Moderators" group). Every check-in view asks `can_manage_event`
(or, where a view fetches the occurrence anyway, `with_can_manage`, the same rule as a
subquery); listings use `manageable_events`.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import BooleanField, Exists, F, OuterRef, Q, Value

from events.models import EventPage, GroupPage
from home.council import COUNCIL_GROUP, is_council

from .models import ScannerTicketGeneration
from .tokens import ScannerTicket, read_scanner_ticket, sign_scanner_ticket


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _deciding_groups(user, group_id, event_id):
    """The user's auth groups that let them manage the event: council, host or co-host."""
    return Group.objects.filter(user=user).filter(
        Q(name=COUNCIL_GROUP)
        | Q(group_page__pk=group_id)
        | Q(group_page__cohosted_events__pk=event_id)
    )


def can_manage_event(user, event) -> bool:
    """Give whether the user may scan for this event and see who came (one query at most)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return _deciding_groups(user, event.group_id, event.pk).exists()


def with_can_manage(occurrences, user):
    """Annotate each occurrence with `can_manage`: the rule above, inside the same query."""
    if not _active(user):
        return occurrences.annotate(can_manage=Value(False, output_field=BooleanField()))
    if user.is_superuser:
        return occurrences.annotate(can_manage=Value(True, output_field=BooleanField()))
    return occurrences.annotate(
        can_manage=Exists(_deciding_groups(user, OuterRef("event__group_id"), OuterRef("event_id")))
    )


def organised_groups(user):
    """Give the GroupPages whose organisers the user is one of."""
    return GroupPage.objects.filter(organisers__user=user)


def manageable_events(user):
    """Give the EventPages the user may scan for and see attendance of."""
    if not _active(user):
        return EventPage.objects.none()
    if is_council(user):
        return EventPage.objects.all()
    groups = organised_groups(user).values("pk")
    return EventPage.objects.filter(Q(group__in=groups) | Q(partner_groups__in=groups)).distinct()


# The scanner page carries a signed ticket, issued only after `can_manage_event` said yes,
# so each scan need not look up the session, the user and the permission again (the door
# scanner's hot path). It names one user, one occurrence, the session it was issued to and
# the generation of the user's tickets, and expires quickly; the page asks for a fresh one
# well before then, with the full check each time. A ticket dies with its session: a scan
# must come with the same session cookie (compared, not looked up), and logging out, leaving
# an auth group or losing superuser status moves the user's tickets on a generation
# (signals.py), which the scan checks in the same query as everything else.
SCANNER_TICKET_AGE = 30 * 60


def session_key_of(request) -> str | None:
    """The session key the browser sent (the cookie), without loading the session."""
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME)


def scanner_ticket_issue(user, occurrence, *, session_key) -> str:
    """Give a scanner ticket; call only once `can_manage_event(user, occurrence.event)`."""
    generation = (
        ScannerTicketGeneration.objects.filter(user=user)
        .values_list("generation", flat=True)
        .first()
    )
    return sign_scanner_ticket(user.pk, occurrence.pk, generation or 0, session_key)


def scanner_ticket_read(
    ticket: str | None, occurrence_id: int, *, session_key
) -> ScannerTicket | None:
    """Give who a ticket is for if it is genuine, unexpired, for this date and this session.

    Whether its generation is still current is for the scan's own query to say
    (`services.scanning.checkin_scan`).
    """
    return read_scanner_ticket(
        ticket or "", occurrence_id, max_age=SCANNER_TICKET_AGE, session_key=session_key
    )


def scanner_tickets_revoke(*, user_ids) -> None:
    """Move these users' scanner tickets on a generation: every ticket they hold stops."""
    user_ids = [pk for pk in user_ids if pk is not None]
    if not user_ids:
        return
    with transaction.atomic():
        ScannerTicketGeneration.objects.bulk_create(
            [ScannerTicketGeneration(user_id=pk) for pk in user_ids], ignore_conflicts=True
        )
        ScannerTicketGeneration.objects.filter(user_id__in=user_ids).update(
            generation=F("generation") + 1
        )

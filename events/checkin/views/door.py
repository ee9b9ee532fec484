"""The door without signal: what the scanner page keeps, the sync of its queue, and undo.

JSON in and out (the contract is the door client's: DOOR_CONTRACT.md). Each is for the
event's organisers and the council, as the scanner is: the scanner page's ticket (in the
X-Scanner-Ticket header, which no other site can make a browser send) or the session (with
its CSRF token) says who asks. Bad input is a 400 JSON answer, never a 500.
"""

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from events.models import Occurrence
from home.converters import parse_id

from ..models import ScannerTicketGeneration
from ..permissions import scanner_ticket_read, session_key_of
from ..services import offline
from ..services.scanning import occurrence_counts
from .managed import Refused, _managed_occurrence
from .scanner import _read_json_body

MAX_SYNC_BODY = 64 * 1024
MAX_UNDO_BODY = 2048


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _ticket_user(request, pk):
    """The organiser a genuine, current scanner ticket names, or None."""
    ticket = scanner_ticket_read(
        request.headers.get("X-Scanner-Ticket"), pk, session_key=session_key_of(request)
    )
    if ticket is None:
        return None
    user = get_user_model().objects.filter(pk=ticket.user_id, is_active=True).first()
    if user is None:
        return None
    current = (
        ScannerTicketGeneration.objects.filter(user=user)
        .values_list("generation", flat=True)
        .first()
    )
    return user if (current or 0) == ticket.generation else None


def _csrf_refusal(request):
    """CSRF's answer for a request authenticated by its session (None when it passes)."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


def door_json(view):
    """Call `view(request, occurrence, user)` for who may scan this date, else answer JSON.

    With a genuine scanner ticket the ticket says who (the permission was checked when it
    was issued, and a ticket stops working when its holder logs out, leaves a group or is
    deactivated); otherwise the session does, with its CSRF token on a POST, and the whole
    permission check.
    """

    @never_cache
    @csrf_exempt  # checked below for the session; a ticket in a header needs none
    def wrapped(request, pk):
        user = _ticket_user(request, pk)
        try:
            if user is not None:
                occurrence = Occurrence.objects.select_related("event").filter(pk=pk).first()
                if occurrence is None:
                    raise Refused(404, _("There is no such date. Go back to the attendance list."))
            else:
                if (
                    request.method == "POST"
                    and request.user.is_authenticated
                    and _csrf_refusal(request) is not None
                ):
                    raise Refused(
                        403, _("This page is out of date. Please reload it and try again.")
                    )
                occurrence = _managed_occurrence(request, pk)
                user = request.user
            return view(request, occurrence, user)
        except Refused as refused:
            status = 403 if refused.status == 401 else refused.status
            return _error(status, refused.message)

    return wrapped


def _read_body(request, limit: int) -> dict:
    return _read_json_body(
        request,
        limit=limit,
        too_big=_("That is too much to send at once. Please send fewer scans."),
    )


@require_GET
@door_json
def offline_json(request, occurrence, user):
    """What the scanner page keeps to judge passes without signal (no pass id, no name)."""
    return JsonResponse(offline.offline_pack(occurrence=occurrence))


@require_POST
@door_json
def sync_json(request, occurrence, user):
    """Scans queued on a phone without signal, sent in a batch: one answer per scan."""
    data = _read_body(request, MAX_SYNC_BODY)
    device, scans = data.get("device"), data.get("scans")
    if not isinstance(device, str) or not device.strip() or len(device) > offline.MAX_DEVICE_LENGTH:
        return _error(400, _("The scanner did not say which phone it is. Please reload the page."))
    if not isinstance(scans, list):
        return _error(400, _("No scans were sent. Please try again."))
    if len(scans) > offline.MAX_BATCH:
        return _error(
            413,
            _("At most %(n)s scans can be sent at once. Please send fewer.")
            % {"n": offline.MAX_BATCH},
        )
    results = offline.door_sync(
        occurrence=occurrence, device=device.strip(), scans=scans, organiser_id=user.pk
    )
    return JsonResponse({"results": results, "counts": occurrence_counts(occurrence)})


@require_POST
@door_json
def undo_json(request, occurrence, user):
    """Undo a mistaken check-in, named by its scan's nonce or its attendance id."""
    data = _read_body(request, MAX_UNDO_BODY)
    nonce = data.get("nonce")
    attendance_id = parse_id(str(data.get("attendance", "")))
    if not (isinstance(nonce, str) and offline.NONCE_RE.match(nonce)):
        nonce = None
    if nonce is None and attendance_id is None:
        return _error(400, _("Say which check-in to undo. Please reload the page and try again."))
    try:
        offline.attendance_undo(
            occurrence=occurrence, by=user, nonce=nonce, attendance_id=attendance_id
        )
    except offline.UndoRefused as refused:
        return _error(refused.status, refused.message)
    return JsonResponse(
        {
            "undone": True,
            "message": offline.undo_message(),
            "counts": occurrence_counts(occurrence),
        }
    )

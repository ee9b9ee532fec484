"""The door: the scanner page and its JSON, nickname search, +1s and passes made at the door."""

import dataclasses
import json
import uuid

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Occurrence
from home.converters import parse_id

from ..forms import DoorPassForm
from ..models import AnonymousCount, Method, Participant, ScanLog
from ..permissions import is_council, scanner_ticket_issue, scanner_ticket_read, session_key_of
from ..services import offline
from ..services.attendance import participant_search
from ..services.lifecycle import door_pass_create
from ..services.scanning import (
    Outcome,
    ScanRateLimited,
    anonymous_count_add,
    checkin_participant,
    checkin_record,
    checkin_scan,
    occurrence_counts,
    scan_refusal_log,
)
from ..services.windows import CheckinNotOpen, checkin_require_open, occurrence_window
from .managed import (
    ASKED,
    JSON,
    Refused,
    _managed_occurrence,
    _refused_json,
    _wants_json,
    managed_occurrence,
)
from .passes import _card_context

MAX_SCAN_BODY = 2048


def _scanner_context(request, occurrence, **extra) -> dict:
    window = occurrence_window(occurrence)
    return {
        "occurrence": occurrence,
        "window_shut": window.refusal(window.state(timezone.now())),
        "council": is_council(request.user),
        "ticket": scanner_ticket_issue(
            request.user, occurrence, session_key=session_key_of(request)
        ),
        "event": occurrence.event,
        "counts": occurrence_counts(occurrence),
        "nonce": uuid.uuid4().hex,
        "door_form": DoorPassForm(),
        **extra,
    }


def _answer(request, occurrence, as_json, *, status=200, **context):
    """Answer the scanner's script in JSON (`as_json()` makes it) or, without it, the page."""
    if _wants_json(request):
        return JsonResponse(as_json(), status=status)
    return render(
        request,
        "checkin/scanner.html",
        _scanner_context(request, occurrence, **context),
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@managed_occurrence()
def scanner(request, occurrence):
    """The scanner page; also takes a plain form POST (a code) when JavaScript is off."""
    result = None
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        if len(code) > 500:
            code = ""
        try:
            result = checkin_record(occurrence=occurrence, token=code, scanned_by=request.user)
            status = 200 if result.ok else 422
        except ScanRateLimited as limited:
            result, status = limited.result, 429
    return render(
        request,
        "checkin/scanner.html",
        _scanner_context(request, occurrence, result=result),
        status=status,
    )


def _read_json_body(request, *, limit=MAX_SCAN_BODY, too_big=None) -> dict:
    """Give the request's JSON object (or its form fields); raise Refused if it is bigger
    than `limit` bytes (saying `too_big`) or cannot be read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise Refused(413, too_big or _("That request is too big to be a scan."))
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, _("That request could not be read. Please scan again.")) from None
        if not isinstance(data, dict):
            raise Refused(400, _("That request could not be read. Please scan again."))
        return data
    return request.POST.dict()


def _scan_code(request) -> tuple[str, dict]:
    """Give the scanned code and the whole body (which may carry a nonce and a device)."""
    data = _read_json_body(request)
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        raise Refused(400, _("No code was sent. Please scan again."))
    return code, data


def _nonce_and_device(data: dict) -> tuple[str | None, str]:
    nonce, device = data.get("nonce"), data.get("device")
    nonce = nonce if isinstance(nonce, str) and offline.NONCE_RE.match(nonce) else None
    device = device[: offline.MAX_DEVICE_LENGTH] if isinstance(device, str) else ""
    return nonce, device


def _remember(pk, data, result, organiser_id):
    """With the page's nonce: keep it (a retry, or the same scan sent later from the queue,
    then adds nothing), and answer a repeat of the same scan as it was first answered.

    The same pass seen again by the same phone within a few seconds (held in front of the
    camera) is the same scan, not a second arrival: green again, marked "repeat", never
    amber. Gives (the result to answer, whether it is a repeat).
    """
    nonce, device = _nonce_and_device(data)
    if nonce is None or not result.ok:
        return result, False
    if result.outcome is Outcome.ALREADY and offline.online_scan_repeat(
        occurrence_id=pk, nonce=nonce, device=device, attendance_id=result.attendance_id
    ):
        first = dataclasses.replace(
            result, outcome=Outcome.CHECKED_IN, reason=Outcome.CHECKED_IN.value
        )
        return first, True
    offline.online_scan_remember(
        occurrence_id=pk, nonce=nonce, device=device, result=result, organiser_id=organiser_id
    )
    return result, False


@never_cache
@require_POST
def scan_json(request, pk):
    """The scanner's JSON endpoint: one code in, one unmistakable answer out.

    With the scanner page's ticket (the door's hot path) a pass is one query on PostgreSQL,
    and ScannerTicketMiddleware has spared the request the session, user and CSRF layers: the
    ticket, in a header no other site can make a browser send, is the credential. Without
    one, the session and the permission are checked as for any organiser page.
    """
    ticket = getattr(request, "scanner_ticket", None) or scanner_ticket_read(
        request.headers.get("X-Scanner-Ticket"), pk, session_key=session_key_of(request)
    )
    try:
        if ticket:
            organiser_id = ticket.user_id
            code, data = _scan_code(request)
            try:
                result = checkin_scan(
                    occurrence_id=pk,
                    token=code,
                    organiser_id=ticket.user_id,
                    ticket_generation=ticket.generation,
                )
            except Occurrence.DoesNotExist:
                raise Refused(
                    404, _("There is no such date. Go back to the attendance list.")
                ) from None
        else:
            occurrence = _managed_occurrence(request, pk, lean=True)
            organiser_id = request.user.pk
            code, data = _scan_code(request)
            result = checkin_record(occurrence=occurrence, token=code, scanned_by=request.user)
    except Refused as refused:
        if refused.status == 403:
            # Only reached for a date that exists and a logged-in user who may not scan it.
            scan_refusal_log(occurrence_id=pk, user=request.user)
        return _refused_json(refused)
    except ScanRateLimited as limited:
        response = _refused_json(Refused(429, limited.result.message))
        response["Retry-After"] = "60"
        return response
    # A ticket whose organiser is no longer active, or whose tickets were revoked, is refused
    # as a session would be.
    refused = result.reason == ScanLog.Result.REFUSED
    status = 200 if result.ok else 403 if refused else 422
    result, repeat = _remember(pk, data, result, organiser_id)
    counts = result.counts or occurrence_counts(Occurrence(pk=pk))
    return JsonResponse(result.as_json() | {"counts": counts, "repeat": repeat}, status=status)


@never_cache
@require_GET
@managed_occurrence(refuse=JSON, lean=True)
def scanner_ticket(request, occurrence):
    """A fresh scanner ticket for the open scanner page (with the full permission check)."""
    ticket = scanner_ticket_issue(request.user, occurrence, session_key=session_key_of(request))
    return JsonResponse({"ticket": ticket})


@never_cache
@require_GET
@managed_occurrence(refuse=ASKED)
def search(request, occurrence):
    """Find this event's past participants by nickname (never by email)."""
    query = request.GET.get("q", "").strip()[:40]
    matches = participant_search(occurrence=occurrence, query=query, by=request.user)
    return _answer(
        request,
        occurrence,
        lambda: {
            "results": [
                {"id": m["pk"], "nickname": m["nickname"], "here": m["here"]} for m in matches
            ]
        },
        query=query,
        matches=matches,
    )


@never_cache
@require_POST
@managed_occurrence(refuse=ASKED)
def checkin_by_search(request, occurrence):
    """Check in a participant picked from the nickname search."""
    data = _read_json_body(request)
    participant_id = parse_id(str(data.get("participant", "")))
    participant = (
        Participant.objects.regulars_of(occurrence.event).filter(pk=participant_id).first()
        if participant_id is not None
        else None
    )
    if participant is None:
        raise Refused(404, _("That person was not found for this event. Try scanning instead."))
    result = checkin_participant(
        occurrence=occurrence,
        participant=participant,
        scanned_by=request.user,
        method=Method.SEARCH,
    )
    status = 200 if result.ok else 422
    return _answer(
        request,
        occurrence,
        lambda: result.as_json() | {"counts": occurrence_counts(occurrence)},
        status=status,
        result=result,
    )


@never_cache
@require_POST
@managed_occurrence(refuse=ASKED)
def plus_one(request, occurrence):
    """Count one person who wants no record. A retried request (same nonce) counts once."""
    data = _read_json_body(request)
    nonce = str(data.get("nonce", ""))[:40] or None
    try:
        counted = anonymous_count_add(
            occurrence=occurrence, source=AnonymousCount.Source.DOOR, nonce=nonce
        )
    except CheckinNotOpen as shut:
        outcome, message, status = "invalid", shut.message, 422
    else:
        outcome = "counted" if counted else "already"
        message = _("+1 counted. Welcome!") if counted else _("That +1 was already counted.")
        status = 200 if counted else 409
    return _answer(
        request,
        occurrence,
        lambda: {"outcome": outcome, "message": message, "counts": occurrence_counts(occurrence)},
        status=status,
        plus_one_message=message,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@managed_occurrence()
def door_pass(request, occurrence):
    """Make a pass at the door for someone without a phone, check them in, and print it."""
    form = DoorPassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Nobody is made a pass (and checked in) at a date that is not open.
        try:
            checkin_require_open(occurrence=occurrence)
        except CheckinNotOpen as shut:
            form.add_error(None, shut.message)
    if request.method == "POST" and form.is_valid():
        held = door_pass_create(nickname=form.cleaned_data["nickname"], issued_by=request.user)
        result = checkin_participant(
            occurrence=occurrence,
            participant=held.participant,
            scanned_by=request.user,
            method=Method.DOOR,
        )
        context = _card_context(request, held) | {
            "occurrence": occurrence,
            "result": result,
            "door": True,
        }
        return render(request, "checkin/pass_card.html", context)
    return render(
        request,
        "checkin/door_pass.html",
        {"form": form, "occurrence": occurrence},
        status=400 if request.method == "POST" else 200,
    )

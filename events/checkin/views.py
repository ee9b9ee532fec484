"""Check-in views: participants' passes and records, the scanner, self check-in, attendance.

Views parse the request, call one selector or service, and render. Who may scan for an
event and see its attendance is decided in permissions.py and nowhere else.
"""

import json
import re
import uuid
from datetime import timedelta

from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import EventPage, Occurrence
from home.audit.models import AuditEvent
from home.audit.services import audit_record
from home.converters import parse_id
from home.ratelimit import ratelimit

from . import services
from .exports import attendance_csv
from .forms import ClaimForm, DoorPassForm, PassForm, RolesMixin
from .models import AnonymousCount, Attendance, Method, Participant, Pass, ScanLog
from .permissions import (
    can_manage_event,
    manageable_events,
    scanner_ticket_issue,
    scanner_ticket_user_id,
    with_can_manage,
)
from .qr import qr_png, qr_svg
from .tokens import claim_code, sign_poster, unsign_pass, unsign_poster

PASS_COOKIE = "irc_pass"  # noqa: S105  (a cookie name and a salt, not secrets)
PASS_COOKIE_SALT = "irc.checkin.cookie"  # noqa: S105
PASS_COOKIE_AGE = 2 * 365 * 24 * 3600
MAX_SCAN_BODY = 2048
# Self check-in opens this long before a date starts.
SELF_CHECKIN_OPENS = timedelta(hours=1)
SELF_CHECKIN_PATH = re.compile(r"/checkin/e/[A-Za-z0-9_\-]+:[A-Za-z0-9_\-]+/")


# Passes held by this browser ----------------------------------------------------------


def pass_from_cookie(request) -> Pass | None:
    """Give the active pass this browser holds, if any."""
    token = request.get_signed_cookie(PASS_COOKIE, default=None, salt=PASS_COOKIE_SALT)
    if not token:
        return None
    pass_id, error = unsign_pass(token)
    if error:
        return None
    return Pass.objects.active().select_related("participant").filter(token_id=pass_id).first()


def remember_pass(request, response, held: Pass):
    response.set_signed_cookie(
        PASS_COOKIE,
        held.token,
        salt=PASS_COOKIE_SALT,
        max_age=PASS_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def pass_url(request, held: Pass) -> str:
    return request.build_absolute_uri(reverse("checkin:pass_landing", args=[held.token]))


def _card_context(request, held: Pass) -> dict:
    url = pass_url(request, held)
    return {
        "held": held,
        "participant": held.participant,
        "qr": qr_svg(
            url,
            label=_("QR code of the check-in pass for %(name)s")
            % {"name": held.participant.nickname},
        ),
        "png_url": reverse("checkin:pass_png", args=[held.token]),
        "claim_code": claim_code(held.token_id),
    }


def _need_pass(request):
    held = pass_from_cookie(request)
    if held is None:
        return None, redirect("checkin:pass_start")
    return held, None


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("checkin-pass", "20/10m")
def pass_start(request):
    """Get a pass: a nickname is all it takes."""
    held = pass_from_cookie(request)
    form = PassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        held = services.participant_create(
            nickname=form.cleaned_data["nickname"],
            email=form.cleaned_data["email"],
            roles=form.cleaned_data["roles"],
            consent=form.cleaned_data["consent"],
        )
        # Back to the poster's check-in page they came from; nowhere else.
        target = request.GET.get("next", "")
        response = redirect(target if SELF_CHECKIN_PATH.fullmatch(target) else "checkin:pass_mine")
        return remember_pass(request, response, held)
    status = 400 if request.method == "POST" else 200
    return render(request, "checkin/pass_start.html", {"form": form, "held": held}, status=status)


@never_cache
@require_GET
def pass_mine(request):
    """Show the pass this browser holds: the card to scan, save or print."""
    held, response = _need_pass(request)
    if response:
        return response
    return render(request, "checkin/pass_card.html", _card_context(request, held))


@require_GET
def pass_png(request, token):
    """Give the QR code of a pass as a PNG to save to a phone (no personal data in it)."""
    pass_id, error = unsign_pass(token)
    if error or not Pass.objects.filter(token_id=pass_id).exists():
        raise Http404
    response = HttpResponse(
        qr_png(request.build_absolute_uri(reverse("checkin:pass_landing", args=[token]))),
        content_type="image/png",
    )
    response["Content-Disposition"] = 'attachment; filename="check-in-pass.png"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("checkin-claim", "20/10m")
def pass_landing(request, token):
    """Where a pass's QR code leads: says what it is, and lets its holder keep it here.

    Keeping it asks for the code printed under the QR code, which a scanner never sees, so
    an organiser who scanned a pass cannot open its holder's record.
    """
    pass_id, error = unsign_pass(token)
    found = None if error else Pass.objects.filter(token_id=pass_id).first()
    if found is None:
        return render(request, "checkin/pass_landing.html", {"invalid": True}, status=404)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if found.is_revoked:
            form.add_error(None, _("This pass was replaced by a newer one, so it cannot be kept."))
        elif form.cleaned_data["code"].strip().upper() != claim_code(found.token_id):
            form.add_error(
                "code", _("That code does not match this pass. Please check it and try again.")
            )
        else:
            return remember_pass(request, redirect("checkin:pass_mine"), found)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "checkin/pass_landing.html",
        {"form": form, "revoked": found.is_revoked},
        status=status,
    )


@never_cache
@require_POST
def pass_replace(request):
    """Revoke this browser's pass (lost or shared) and give a new one."""
    held, response = _need_pass(request)
    if response:
        return response
    new = services.pass_replace(participant=held.participant)
    return remember_pass(request, redirect("checkin:pass_mine"), new)


@never_cache
@require_POST
def pass_forget(request):
    """Stop this browser holding the pass (the pass itself still works)."""
    response = redirect("checkin:pass_start")
    response.delete_cookie(PASS_COOKIE, samesite="Lax")
    return response


class ConsentForm(RolesMixin):
    pass


@never_cache
@require_http_methods(["GET", "POST"])
def record_mine(request):
    """The participant's own record: where they have been, and their consent."""
    held, response = _need_pass(request)
    if response:
        return response
    participant = held.participant
    initial = {"roles": participant.roles.all(), "consent": bool(participant.roles_consent_at)}
    form = ConsentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.participant_update(
            participant=participant,
            nickname=participant.nickname,
            email=participant.email,
            roles=form.cleaned_data["roles"],
            consent=form.cleaned_data["consent"],
        )
        return redirect(reverse("checkin:record_mine") + "?saved=1")
    attendances = participant.attendances.select_related("occurrence__event").order_by(
        "-occurrence__start"
    )
    return render(
        request,
        "checkin/participant_record.html",
        {
            "participant": participant,
            "attendances": attendances,
            "form": form,
            "saved": "saved" in request.GET,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
def record_download(request):
    """Everything we hold about the participant, as JSON."""
    held, response = _need_pass(request)
    if response:
        return response
    data = services.participant_export(participant=held.participant)
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-check-in-record.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def record_delete(request):
    """Delete the participant's record; what they came to stays only as anonymous counts."""
    held, response = _need_pass(request)
    if response:
        return response
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return render(request, "checkin/participant_delete.html", {"error": True}, status=400)
        services.participant_erase(participant=held.participant)
        response = render(request, "checkin/participant_deleted.html")
        response.delete_cookie(PASS_COOKIE, samesite="Lax")
        return response
    return render(request, "checkin/participant_delete.html", {"participant": held.participant})


# Organisers: the scanner and attendance ---------------------------------------------------


class Refused(Exception):
    def __init__(self, status, message):
        self.status = status
        self.message = message


def _managed_occurrence(request, pk, *, lean=False) -> Occurrence:
    """Give the occurrence if the user may manage its event, else raise Refused.

    One query: the occurrence, its event, and the permission rule as a subquery. `lean`
    skips loading the event page (the scan endpoint needs only ids).
    """
    if not request.user.is_authenticated:
        raise Refused(401, _("Please log in as an organiser first."))
    occurrences = Occurrence.objects.filter(pk=pk)
    if lean:
        occurrences = occurrences.only("id", "event_id")
    else:
        occurrences = occurrences.select_related("event")
    occurrence = with_can_manage(occurrences, request.user).first()
    if occurrence is None:
        raise Refused(404, _("There is no such date. Go back to the attendance list and pick one."))
    if not occurrence.can_manage:
        raise Refused(403, _("Only this event's organisers and the council can do this."))
    return occurrence


def _refused_page(request, refused: Refused):
    if refused.status == 401:
        return redirect_to_login(request.get_full_path())
    return render(
        request, "checkin/refused.html", {"message": refused.message}, status=refused.status
    )


def _refused_json(refused: Refused):
    return JsonResponse(
        {"outcome": "refused", "message": refused.message},
        status=403 if refused.status == 401 else refused.status,
    )


def _scanner_context(occurrence, user, **extra) -> dict:
    return {
        "occurrence": occurrence,
        "ticket": scanner_ticket_issue(user, occurrence),
        "event": occurrence.event,
        "counts": services.occurrence_counts(occurrence),
        "nonce": uuid.uuid4().hex,
        "door_form": DoorPassForm(),
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def scanner(request, pk):
    """The scanner page; also takes a plain form POST (a code) when JavaScript is off."""
    try:
        occurrence = _managed_occurrence(request, pk)
    except Refused as refused:
        return _refused_page(request, refused)
    result = None
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        if len(code) > 500:
            code = ""
        try:
            result = services.checkin_record(
                occurrence=occurrence, token=code, scanned_by=request.user
            )
            status = 200 if result.ok else 422
        except services.ScanRateLimited as limited:
            result, status = limited.result, 429
    return render(
        request,
        "checkin/scanner.html",
        _scanner_context(occurrence, request.user, result=result),
        status=status,
    )


def _read_json_body(request) -> dict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_SCAN_BODY:
        raise Refused(413, _("That request is too big to be a scan."))
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, _("That request could not be read. Please scan again.")) from None
        if not isinstance(data, dict):
            raise Refused(400, _("That request could not be read. Please scan again."))
        return data
    return request.POST.dict()


def _scan_code(request) -> str:
    data = _read_json_body(request)
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        raise Refused(400, _("No code was sent. Please scan again."))
    return code


@never_cache
@require_POST
def scan_json(request, pk):
    """The scanner's JSON endpoint: one code in, one unmistakable answer out.

    With the scanner page's ticket (the door's hot path) a pass is one query on PostgreSQL,
    and ScannerTicketMiddleware has spared the request the session, user and CSRF layers: the
    ticket, in a header no other site can make a browser send, is the credential. Without
    one, the session and the permission are checked as for any organiser page.
    """
    organiser_id = getattr(request, "scanner_organiser_id", None) or scanner_ticket_user_id(
        request.headers.get("X-Scanner-Ticket"), pk
    )
    try:
        if organiser_id:
            code = _scan_code(request)
            try:
                result = services.checkin_scan(
                    occurrence_id=pk, token=code, organiser_id=organiser_id
                )
            except Occurrence.DoesNotExist:
                raise Refused(
                    404, _("There is no such date. Go back to the attendance list.")
                ) from None
        else:
            occurrence = _managed_occurrence(request, pk, lean=True)
            code = _scan_code(request)
            result = services.checkin_record(
                occurrence=occurrence, token=code, scanned_by=request.user
            )
    except Refused as refused:
        if refused.status == 403:
            # Only reached for a date that exists and a logged-in user who may not scan it.
            ScanLog.objects.create(
                occurrence_id=pk, result=ScanLog.Result.REFUSED, organiser=request.user
            )
        return _refused_json(refused)
    except services.ScanRateLimited as limited:
        response = _refused_json(Refused(429, limited.result.message))
        response["Retry-After"] = "60"
        return response
    # A ticket whose organiser is no longer active is refused as a session would be.
    refused = result.reason == ScanLog.Result.REFUSED
    status = 200 if result.ok else 403 if refused else 422
    counts = result.counts or services.occurrence_counts(Occurrence(pk=pk))
    return JsonResponse(result.as_json() | {"counts": counts}, status=status)


@never_cache
@require_GET
def scanner_ticket(request, pk):
    """A fresh scanner ticket for the open scanner page (with the full permission check)."""
    try:
        occurrence = _managed_occurrence(request, pk, lean=True)
    except Refused as refused:
        return _refused_json(refused)
    return JsonResponse({"ticket": scanner_ticket_issue(request.user, occurrence)})


@never_cache
@require_GET
def search(request, pk):
    """Find this event's past participants by nickname (never by email)."""
    try:
        occurrence = _managed_occurrence(request, pk)
    except Refused as refused:
        return _refused_json(refused) if _wants_json(request) else _refused_page(request, refused)
    query = request.GET.get("q", "").strip()[:40]
    matches = []
    if len(query) >= 2:
        here = Attendance.objects.filter(occurrence=occurrence, participant=OuterRef("pk"))
        matches = list(
            Participant.objects.regulars_of(occurrence.event)
            .filter(nickname__icontains=query)
            .annotate(here=Exists(here))
            .order_by("nickname", "pk")
            .values("pk", "nickname", "here")[:10]
        )
        audit_record(
            user=request.user,
            action=AuditEvent.Action.SEARCH_NICKNAMES,
            target=occurrence,
            detail=f"{len(matches)} found",
        )
    if _wants_json(request):
        return JsonResponse(
            {
                "results": [
                    {"id": m["pk"], "nickname": m["nickname"], "here": m["here"]} for m in matches
                ]
            }
        )
    return render(
        request,
        "checkin/scanner.html",
        _scanner_context(occurrence, request.user, query=query, matches=matches),
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@require_POST
def checkin_by_search(request, pk):
    """Check in a participant picked from the nickname search."""
    try:
        occurrence = _managed_occurrence(request, pk)
        data = _read_json_body(request)
        participant_id = parse_id(str(data.get("participant", "")))
        participant = (
            Participant.objects.regulars_of(occurrence.event).filter(pk=participant_id).first()
            if participant_id is not None
            else None
        )
        if participant is None:
            raise Refused(404, _("That person was not found for this event. Try scanning instead."))
    except Refused as refused:
        return _refused_json(refused) if _wants_json(request) else _refused_page(request, refused)
    result = services.checkin_participant(
        occurrence=occurrence,
        participant=participant,
        scanned_by=request.user,
        method=Method.SEARCH,
    )
    if _wants_json(request):
        return JsonResponse(result.as_json() | {"counts": services.occurrence_counts(occurrence)})
    return render(
        request, "checkin/scanner.html", _scanner_context(occurrence, request.user, result=result)
    )


@never_cache
@require_POST
def plus_one(request, pk):
    """Count one person who wants no record. A retried request (same nonce) counts once."""
    try:
        occurrence = _managed_occurrence(request, pk)
        data = _read_json_body(request)
    except Refused as refused:
        return _refused_json(refused) if _wants_json(request) else _refused_page(request, refused)
    nonce = str(data.get("nonce", ""))[:40] or None
    counted = services.anonymous_count_add(
        occurrence=occurrence, source=AnonymousCount.Source.DOOR, nonce=nonce
    )
    message = _("+1 counted. Welcome!") if counted else _("That +1 was already counted.")
    counts = services.occurrence_counts(occurrence)
    if _wants_json(request):
        return JsonResponse(
            {"outcome": "counted" if counted else "already", "message": message, "counts": counts},
            status=200 if counted else 409,
        )
    return render(
        request,
        "checkin/scanner.html",
        _scanner_context(occurrence, request.user, plus_one_message=message),
        status=200 if counted else 409,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def door_pass(request, pk):
    """Make a pass at the door for someone without a phone, check them in, and print it."""
    try:
        occurrence = _managed_occurrence(request, pk)
    except Refused as refused:
        return _refused_page(request, refused)
    form = DoorPassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        held = services.participant_create(
            nickname=form.cleaned_data["nickname"], issued_by=request.user
        )
        audit_record(user=request.user, action=AuditEvent.Action.DOOR_PASS, target=held.participant)
        result = services.checkin_participant(
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


@never_cache
@require_GET
def attendance(request, pk):
    """Who came to one date: nicknames and times, never emails."""
    try:
        occurrence = _managed_occurrence(request, pk)
    except Refused as refused:
        return _refused_page(request, refused)
    audit_record(user=request.user, action=AuditEvent.Action.VIEW_ATTENDANCE, target=occurrence)
    rows = (
        Attendance.objects.filter(occurrence=occurrence)
        .select_related("participant")
        .only("checked_in_at", "method", "participant__nickname")
        .order_by("checked_in_at")
    )
    return render(
        request,
        "checkin/attendance.html",
        {
            "occurrence": occurrence,
            "event": occurrence.event,
            "rows": rows,
            "counts": services.occurrence_counts(occurrence),
        },
    )


def _csv_response(filename, occurrences):
    rows = (
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
    response = HttpResponse(attendance_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
def attendance_csv_occurrence(request, pk):
    try:
        occurrence = _managed_occurrence(request, pk)
    except Refused as refused:
        return _refused_page(request, refused)
    audit_record(user=request.user, action=AuditEvent.Action.EXPORT_ATTENDANCE, target=occurrence)
    return _csv_response(f"attendance-{occurrence.pk}.csv", [occurrence])


@never_cache
@require_GET
def attendance_csv_event(request, pk):
    """Every date of one event the user manages, as CSV."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = get_object_or_404(EventPage, pk=pk)
    if not can_manage_event(request.user, event):
        return _refused_page(
            request, Refused(403, _("Only this event's organisers and the council can do this."))
        )
    audit_record(user=request.user, action=AuditEvent.Action.EXPORT_ATTENDANCE, target=event)
    return _csv_response(f"attendance-{event.slug}.csv", Occurrence.objects.filter(event=event))


@never_cache
@require_GET
def dashboard(request):
    """The organiser's attendance area: recent and coming dates of the events they manage."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    occurrences = (
        Occurrence.objects.filter(
            event__in=manageable_events(request.user),
            start__gte=now - timedelta(days=35),
            start__lte=now + timedelta(days=14),
        )
        .select_related("event")
        .order_by("event__title", "start")
    )
    return render(request, "checkin/dashboard.html", {"occurrences": occurrences, "now": now})


# Posters and self check-in ---------------------------------------------------------------


def _next_occurrence(event, now):
    return (
        Occurrence.objects.filter(event=event, end__gte=now)
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by("start")
        .first()
    )


def _open_occurrence(event, now):
    return (
        Occurrence.objects.filter(event=event, start__lte=now + SELF_CHECKIN_OPENS, end__gte=now)
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by("start")
        .first()
    )


@require_GET
def poster(request, pk):
    """A printable A4 poster for an event with a QR code for self check-in."""
    event = get_object_or_404(EventPage.objects.live(), pk=pk)
    url = request.build_absolute_uri(reverse("checkin:self_checkin", args=[sign_poster(event.pk)]))
    return render(
        request,
        "checkin/poster.html",
        {
            "event": event,
            "next": _next_occurrence(event, timezone.now()),
            "qr": qr_svg(url, label=_("QR code to check in to %(event)s") % {"event": event.title}),
            "url": url,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("checkin-self", "60/10m")
def self_checkin(request, token):
    """A participant checks themselves in from the event's poster."""
    event_id = unsign_poster(token)
    event = EventPage.objects.live().filter(pk=event_id).first() if event_id else None
    if event is None:
        return render(request, "checkin/self_checkin.html", {"invalid": True}, status=404)
    now = timezone.now()
    occurrence = _open_occurrence(event, now)
    held = pass_from_cookie(request)
    context = {
        "event": event,
        "occurrence": occurrence,
        "held": held,
        "token": token,
        "next": None if occurrence else _next_occurrence(event, now),
        "counted": None,
        "nonce": uuid.uuid4().hex,
    }
    if request.method == "GET":
        return render(request, "checkin/self_checkin.html", context)

    posted = request.POST.get("occurrence", "")
    if occurrence is None or posted != str(occurrence.pk):
        other = (
            Occurrence.objects.filter(pk=parse_id(posted)).select_related("event").first()
            if parse_id(posted) is not None
            else None
        )
        if other and other.event_id != event.pk:
            context["error"] = _(
                "That check-in was for a different event, %(event)s. Please scan this event's poster again."
            ) % {"event": other.event.title}
        else:
            context["error"] = _(
                "Check-in for that date is not open now. Please scan the poster again when it starts."
            )
        return render(request, "checkin/self_checkin.html", context, status=400)
    action = request.POST.get("action")
    if action == "pass" and held is not None:
        context["result"] = services.checkin_participant(
            occurrence=occurrence, participant=held.participant, scanned_by=None, method=Method.SELF
        )
    elif action == "anonymous":
        cookie = f"irc_counted_{occurrence.pk}"
        counted = request.COOKIES.get(cookie) != "1" and services.anonymous_count_add(
            occurrence=occurrence,
            source=AnonymousCount.Source.SELF,
            nonce=str(request.POST.get("nonce", ""))[:40] or None,
        )
        context["counted"] = counted
        response = render(
            request, "checkin/self_checkin.html", context, status=200 if counted else 409
        )
        response.set_cookie(
            cookie,
            "1",
            max_age=24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    else:
        context["error"] = _("Please choose one of the buttons below.")
        return render(request, "checkin/self_checkin.html", context, status=400)
    return render(request, "checkin/self_checkin.html", context)

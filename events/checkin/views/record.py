"""The participant's own record: where they have been, their consent, download and deletion."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..forms import RolesMixin
from ..services import lifecycle
from .passes import PASS_COOKIE, _need_pass


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
        lifecycle.participant_update(
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
    data = lifecycle.participant_export(participant=held.participant)
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-check-in-record.json"'
    return response


def _readable(value):
    """A date and time from the export's ISO text, as a datetime the page can format."""
    return parse_datetime(value) if isinstance(value, str) else value


@never_cache
@require_GET
def record_print(request):
    """The same record as the JSON download, as a page to read or print."""
    held, response = _need_pass(request)
    if response:
        return response
    data = lifecycle.participant_export(participant=held.participant)
    for key in ("created", "roles_consent_at"):
        data[key] = _readable(data[key])
    for rows, keys in (
        (data["passes"], ("created", "revoked_at")),
        (data["attendance"], ("date", "checked_in_at")),
        (data["audit"], ("at",)),
    ):
        for row in rows:
            for key in keys:
                row[key] = _readable(row[key])
    return render(request, "checkin/participant_record_print.html", {"record": data})


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
        lifecycle.participant_erase(participant=held.participant)
        response = render(request, "checkin/participant_deleted.html")
        response.delete_cookie(PASS_COOKIE, samesite="Lax")
        return response
    return render(request, "checkin/participant_delete.html", {"participant": held.participant})

"""Organisers' access to a date: the one check, and the refusals it answers with."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from events.models import Occurrence

from ..permissions import (
    with_can_manage,
)


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


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


PAGE = "page"  # a refusal is a page (or, when not logged in, the log-in page)
JSON = "json"  # a refusal is JSON
ASKED = "asked"  # JSON when the request asks for it, else a page


def managed_occurrence(*, refuse=PAGE, lean=False):
    """Call the view with the date `pk` names, as `occurrence`, if the user may manage its
    event (see `_managed_occurrence`, and `lean`).

    Otherwise, and whenever the view itself raises Refused, answer with the refusal: a page,
    JSON, or whichever the request asks for (`refuse`).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, pk):
            try:
                return view(request, _managed_occurrence(request, pk, lean=lean))
            except Refused as refused:
                if refuse == JSON or (refuse == ASKED and _wants_json(request)):
                    return _refused_json(refused)
                return _refused_page(request, refused)

        return wrapped

    return decorator

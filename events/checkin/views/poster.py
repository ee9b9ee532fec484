"""Posters and self check-in from them."""

import uuid

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from events.models import EventPage, Occurrence
from home.converters import parse_id
from home.ratelimit import client_fingerprint, rate_limit_hit, ratelimit

from ..models import AnonymousCount, Method
from ..qr import qr_svg
from ..services import scanning
from ..services.windows import CheckinNotOpen, checkin_window_minutes, occurrence_window
from ..tokens import sign_poster, unsign_poster
from ..window import State
from .passes import pass_from_cookie


def _public_event(pk):
    """The live event anyone may see, or None: a page with privacy (a password, a log-in or
    a group, on it or above it) has no public poster or self check-in at all."""
    return EventPage.objects.visible().filter(pk=pk).first()


@require_GET
def poster(request, pk):
    """A printable A4 poster for an event with a QR code for self check-in."""
    event = _public_event(pk)
    if event is None:
        raise Http404
    url = request.build_absolute_uri(reverse("checkin:self_checkin", args=[sign_poster(event.pk)]))
    return render(
        request,
        "checkin/poster.html",
        {
            "event": event,
            "next": Occurrence.objects.next_for_event(event, timezone.now()),
            "qr": qr_svg(url, label=_("QR code to check in to %(event)s") % {"event": event.title}),
            "url": url,
        },
    )


def _self_count(request, occurrence, context):
    """Count the person on the poster's page with no record: once a browser, and a few a
    connection (a browser without cookies could otherwise count itself again and again)."""
    cookie = f"irc_counted_{occurrence.pk}"
    if request.COOKIES.get(cookie) == "1":
        counted = False
    elif rate_limit_hit(
        scope=f"checkin-self-count:{occurrence.pk}",
        ident=client_fingerprint(request),
        rate=settings.CHECKIN_SELF_COUNT_RATE,
    ):
        context["error"] = _(
            "Several people have already been counted with no name from this connection. "
            "Please ask an organiser at the door to count you in."
        )
        return render(request, "checkin/self_checkin.html", context, status=429)
    else:
        try:
            counted = scanning.anonymous_count_add(
                occurrence=occurrence,
                source=AnonymousCount.Source.SELF,
                nonce=str(request.POST.get("nonce", ""))[:40] or None,
            )
        except CheckinNotOpen as shut:
            context["error"] = shut.message
            return render(request, "checkin/self_checkin.html", context, status=400)
    context["counted"] = counted
    response = render(request, "checkin/self_checkin.html", context, status=200 if counted else 409)
    response.set_cookie(
        cookie,
        "1",
        max_age=24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("checkin-self", "60/10m")
def self_checkin(request, token):
    """A participant checks themselves in from the event's poster."""
    event_id = unsign_poster(token)
    event = _public_event(event_id) if event_id else None
    if event is None:
        return render(request, "checkin/self_checkin.html", {"invalid": True}, status=404)
    now = timezone.now()
    opens, closes = checkin_window_minutes(event_id=event.pk)
    occurrence = Occurrence.objects.open_for_checkin(
        event, now, opens_minutes_before=opens, closes_minutes_after=closes
    )
    upcoming = None if occurrence else Occurrence.objects.next_for_event(event, now)
    held = pass_from_cookie(request)
    context = {
        "event": event,
        "occurrence": occurrence,
        "held": held,
        "token": token,
        "next": upcoming,
        "opens": occurrence_window(upcoming).refusal(State.NOT_YET) if upcoming else "",
        "counted": None,
        "nonce": uuid.uuid4().hex,
    }
    if request.method == "GET":
        return render(request, "checkin/self_checkin.html", context)

    posted = request.POST.get("occurrence", "")
    if occurrence is None or posted != str(occurrence.pk):
        other = (
            Occurrence.objects.filter(pk=parse_id(posted), event__in=EventPage.objects.visible())
            .select_related("event")
            .first()
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
        context["result"] = scanning.checkin_participant(
            occurrence=occurrence, participant=held.participant, scanned_by=None, method=Method.SELF
        )
    elif action == "anonymous":
        return _self_count(request, occurrence, context)
    else:
        context["error"] = _("Please choose one of the buttons below.")
        return render(request, "checkin/self_checkin.html", context, status=400)
    return render(request, "checkin/self_checkin.html", context)

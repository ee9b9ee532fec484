"""Passes held by this browser: getting one, keeping it, replacing and forgetting it."""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from home.ratelimit import ratelimit

from ..forms import ClaimForm, PassForm
from ..models import Pass
from ..qr import qr_png, qr_svg
from ..services import lifecycle
from ..tokens import unsign_pass

PASS_COOKIE = "irc_pass"  # noqa: S105  (a cookie name and a salt, not secrets)
PASS_COOKIE_SALT = "irc.checkin.cookie"  # noqa: S105
PASS_COOKIE_AGE = 2 * 365 * 24 * 3600
SELF_CHECKIN_PATH = re.compile(r"/checkin/e/[A-Za-z0-9_\-]+:[A-Za-z0-9_\-]+/")


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
        "claim_code": held.claim_code,
    }


CLAIM_ERRORS = {
    lifecycle.Claim.REVOKED: (
        None,
        _lazy("This pass was replaced by a newer one, so it cannot be kept."),
    ),
    lifecycle.Claim.WRONG: (
        "code",
        _lazy("That code does not match this pass. Please check it and try again."),
    ),
    lifecycle.Claim.USED: (
        "code",
        _lazy(
            "This code has been used already: this pass is now kept on another phone or "
            "computer, and only there can it open the record. If that was not you, please get "
            "a new pass and tell the council (see the privacy notice)."
        ),
    ),
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
        held = lifecycle.participant_create(
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
    context = _card_context(request, held) | {"new_code": "new_code" in request.GET}
    return render(request, "checkin/pass_card.html", context)


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
    an organiser who scanned a pass cannot open its holder's record; and the code of a pass
    printed at the door works once (services.lifecycle.pass_claim), so nor can the organiser who
    printed it, once its holder has kept it.
    """
    pass_id, error = unsign_pass(token)
    found = None if error else Pass.objects.filter(token_id=pass_id).first()
    if found is None:
        return render(request, "checkin/pass_landing.html", {"invalid": True}, status=404)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        claim = lifecycle.pass_claim(held=found, code=form.cleaned_data["code"])
        if claim is lifecycle.Claim.KEPT:
            return remember_pass(request, redirect("checkin:pass_mine"), found)
        if claim is lifecycle.Claim.NEW_CODE:
            target = reverse("checkin:pass_mine") + "?new_code=1"
            return remember_pass(request, redirect(target), found)
        form.add_error(*CLAIM_ERRORS[claim])
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
    new = lifecycle.pass_replace(participant=held.participant)
    return remember_pass(request, redirect("checkin:pass_mine"), new)


@never_cache
@require_POST
def pass_forget(request):
    """Stop this browser holding the pass (the pass itself still works)."""
    response = redirect("checkin:pass_start")
    response.delete_cookie(PASS_COOKIE, samesite="Lax")
    return response

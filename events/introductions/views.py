"""Navigators' pages (make and follow introductions), the person's invitation, and their say."""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.checkin.qr import qr_svg
from events.checkin.views.passes import pass_from_cookie, pass_url
from events.filters import FilterError, parse_filters_and_form
from events.models import GroupPage, Occurrence

from . import selectors, services
from .forms import IntroductionForm
from .invitation import invitation_context, invitation_ics
from .models import Introduction, WelcomeDuty

DATES_SHOWN = 20


def _refused(request, message, status=403):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "introductions/refused.html", {"message": message}, status=status)


def _navigator_only(view):
    def wrapped(request, *args, **kwargs):
        organisations = list(selectors.navigator_organisations(request.user))
        if not organisations:
            return _refused(
                request,
                _("Only navigators can make introductions. Ask the council to add you."),
            )
        request.navigator_organisations = organisations
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@require_GET
@_navigator_only
def follow_up(request):
    """The navigator's introductions: invited, came, not yet, came back, other groups."""
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    per_page = 50
    rows = selectors.follow_up_list(
        user=request.user, limit=per_page + 1, offset=(page - 1) * per_page
    )
    return render(
        request,
        "introductions/follow_up.html",
        {
            "introductions": rows[:per_page],
            "page": page,
            "has_next": len(rows) > per_page,
            "now": timezone.now(),
        },
    )


def _pick_context(request) -> dict:
    try:
        filters, form = parse_filters_and_form(request.GET)
        dates = Occurrence.objects.calendar(filters).exclude(status=Occurrence.Status.CANCELLED)
        dates = dates.listing_rows(0, DATES_SHOWN)
    except FilterError as error:
        form, dates = error.form, []
    return {
        "filter_form": form,
        "dates": dates,
        "groups": GroupPage.objects.live().public().order_by("title").only("pk", "title"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@_navigator_only
def make(request):
    """Choose a date (calendar filters, or a group's next date), then the person's details."""
    organisation = request.navigator_organisations[0]
    if request.method == "GET":
        group = request.GET.get("group", "")
        if group.isdigit():
            upcoming = selectors.next_date_of_group(int(group))
            if upcoming is None:
                context = _pick_context(request) | {
                    "message": _("That group has no date coming up. Please choose another.")
                }
                return render(request, "introductions/pick.html", context, status=404)
            return redirect(reverse("introductions:make") + f"?occurrence={upcoming.pk}")
        chosen = request.GET.get("occurrence", "")
        again = selectors.again_from(request.GET.get("again", ""), request.navigator_organisations)
        if again is not None and not chosen.isdigit():
            upcoming = selectors.next_date_of_group(again.occurrence.event.group_id)
            if upcoming is not None:
                chosen = str(upcoming.pk)
        if not chosen.isdigit():
            return render(request, "introductions/pick.html", _pick_context(request))
        form = IntroductionForm(
            initial={
                "occurrence": int(chosen),
                "submission": uuid.uuid4(),
                "chosen_name": again.chosen_name if again else "",
                "pass_code": "",
            }
        )
        status = 200
    else:
        form = IntroductionForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.introduction_make(
                    organisation=organisation,
                    navigator=request.user,
                    occurrence_id=data["occurrence"],
                    chosen_name=data["chosen_name"],
                    note=data["note"],
                    consent=data["consent"],
                    share_other_groups=data["share_other_groups"],
                    pass_code=data["pass_code"],
                    submission=data["submission"],
                    again=selectors.again_from(
                        request.POST.get("again", ""), request.navigator_organisations
                    ),
                )
            except services.IntroductionError as error:
                form.add_error(None, error.message)
            else:
                target = reverse("introductions:detail", args=[made.introduction.pk])
                return redirect(target + ("?made=1" if made.new else "?again=1"))
    chosen = form["occurrence"].value()
    occurrence = (
        Occurrence.objects.filter(pk=chosen).select_related("event__group").first()
        if str(chosen).isdigit()
        else None
    )
    if occurrence is None:
        context = _pick_context(request) | {
            "message": _("That date was not found. Please choose one from the list.")
        }
        return render(request, "introductions/pick.html", context, status=404)
    return render(
        request,
        "introductions/make.html",
        {
            "form": form,
            "occurrence": occurrence,
            "again": request.GET.get("again", "") or request.POST.get("again", ""),
            "consent_wording": services.consent_wording(
                occurrence=occurrence, organisation=organisation
            ),
            "other_groups_wording": services.other_groups_wording(organisation=organisation),
        },
        status=status,
    )


def _seen(request, pk) -> Introduction:
    introduction = (
        Introduction.objects.filter(pk=pk)
        .select_related("occurrence__event", "organisation__organisation")
        .first()
    )
    if introduction is None or not selectors.can_see_introduction(request.user, introduction):
        raise PermissionError
    return introduction


@never_cache
@require_GET
def detail(request, pk):
    """One introduction, for its navigators, the date's organisers and mentor, the council."""
    try:
        introduction = _seen(request, pk)
    except PermissionError:
        return _refused(
            request,
            _("This introduction is not one you can see. Go back to your list of introductions."),
        )
    row = selectors.with_outcomes(Introduction.objects.filter(pk=introduction.pk)).first()
    return render(
        request,
        "introductions/detail.html",
        {
            "introduction": row,
            "invitation_url": request.build_absolute_uri(
                reverse("introductions:invitation", args=[row.invitation_id])
            ),
            "made": "made" in request.GET,
            "double": "again" in request.GET,
            "navigator": any(
                o.pk == row.organisation_id for o in selectors.navigator_organisations(request.user)
            ),
            "now": timezone.now(),
        },
    )


def _by_invitation(invitation_id) -> Introduction:
    introduction = (
        Introduction.objects.filter(invitation_id=invitation_id, participant__isnull=False)
        .select_related("occurrence__event__group", "occurrence__event__venue", "occurrence__venue")
        .first()
    )
    if introduction is None:
        raise Http404(_("This invitation has ended or the link is not complete."))
    return introduction


def _invitation(request, invitation_id, template):
    introduction = _by_invitation(invitation_id)
    context = invitation_context(introduction)
    held = context["held"]
    if held is not None:
        url = pass_url(request, held)
        context["qr"] = qr_svg(
            url, label=_("QR code of the check-in pass for %(name)s") % {"name": held.participant}
        )
        context["pass_url"] = url
        context["png_url"] = reverse("checkin:pass_png", args=[held.token])
    return render(request, template, context)


@never_cache
@require_GET
def invitation(request, invitation_id):
    """The person's invitation: what, when, where, who will meet them, and their pass."""
    return _invitation(request, invitation_id, "introductions/invitation.html")


@never_cache
@require_GET
def card(request, invitation_id):
    """The invitation as a card to print."""
    return _invitation(request, invitation_id, "introductions/card.html")


@never_cache
@require_GET
def ics(request, invitation_id):
    """A calendar file for the introduced date."""
    introduction = _by_invitation(invitation_id)
    body = invitation_ics(
        introduction, url=request.build_absolute_uri(introduction.occurrence.event.url or "/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitation.ics"'
    return response


@never_cache
@require_POST
def stop_sharing(request, pk):
    """The person stops the sharing of one introduction, from their own record."""
    held = pass_from_cookie(request)
    if held is None:
        return redirect("checkin:pass_start")
    introduction = held.participant.introductions.filter(pk=pk).first()
    if introduction is None:
        return render(
            request,
            "introductions/refused.html",
            {"message": _("That introduction is not in your record. Go back to your record.")},
            status=404,
        )
    services.introduction_stop_sharing(introduction=introduction)
    return redirect(reverse("checkin:record_mine") + "?stopped=1")


@never_cache
@require_http_methods(["GET", "POST"])
def mentors(request, pk):
    """A group's organisers mark members as peer mentors (first name; named only if agreed)."""
    group = GroupPage.objects.filter(pk=pk).first()
    if group is None:
        raise Http404(_("There is no such group."))
    if not selectors.may_manage_mentors(request.user, group):
        return _refused(request, _("Only this group's organisers and the council can do this."))
    members = (
        list(
            get_user_model()
            .objects.filter(groups=group.organisers_id, is_active=True)
            .order_by("username")
        )
        if group.organisers_id
        else []
    )
    error = ""
    if request.method == "POST":
        member = next((m for m in members if str(m.pk) == request.POST.get("user")), None)
        first_name = request.POST.get("first_name", "").strip()
        if member is None or not first_name or len(first_name) > 40:
            error = _("Please choose a member and give their first name (40 letters at most).")
        elif request.POST.get("consent") != "on":
            error = _("Please ask them first, and tick the box once they agree to mentor.")
        else:
            services.peer_mentor_mark(
                group=group,
                user=member,
                first_name=first_name,
                named=request.POST.get("named") == "on",
            )
            return redirect(reverse("introductions:mentors", args=[group.pk]) + "?saved=1")
    return render(
        request,
        "introductions/mentors.html",
        {
            "group": group,
            "members": members,
            "mentors": list(group.peer_mentors.select_related("user").order_by("first_name")),
            "error": error,
            "saved": "saved" in request.GET,
        },
        status=400 if error else 200,
    )


@never_cache
@require_GET
def welcome(request):
    """A peer mentor's dates: take welcome duty, and see who is expected where they welcome."""
    roles = list(selectors.mentoring(request.user))
    if not roles:
        return _refused(request, _("This page is for peer mentors. Ask your group's organisers."))
    now = timezone.now()
    dates = list(
        Occurrence.objects.visible()
        .filter(event__group__in=[r.group_id for r in roles])
        .upcoming(now)
        .exclude(status=Occurrence.Status.CANCELLED)
        .select_related("event")[:12]
    )
    mine = set(
        WelcomeDuty.objects.filter(mentor__in=roles, occurrence__in=dates).values_list(
            "occurrence_id", flat=True
        )
    )
    expected = {}
    for introduction in Introduction.objects.expected_at_any(sorted(mine)).select_related(
        "organisation__organisation"
    ):
        expected.setdefault(introduction.occurrence_id, []).append(introduction)
    rows = [(d, d.pk in mine, expected.get(d.pk, [])) for d in dates]
    return render(request, "introductions/welcome.html", {"rows": rows})


@never_cache
@require_POST
def take_duty(request, pk):
    """The mentor says "I'll be at the door" for this date."""
    occurrence = Occurrence.objects.filter(pk=pk).select_related("event").first()
    role = (
        selectors.mentoring(request.user).filter(group_id=occurrence.event.group_id).first()
        if occurrence
        else None
    )
    if role is None:
        return _refused(request, _("You can take welcome duty only at your own group's dates."))
    services.welcome_duty_take(mentor=role, occurrence=occurrence)
    return redirect("introductions:welcome")

"""Who came: the organiser's dashboard, a date's list, CSV exports and the council's corrections."""

from datetime import timedelta

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from events.models import EventPage, Occurrence

from ..exports import attendance_csv
from ..forms import CorrectionForm
from ..permissions import (
    can_manage_event,
    is_council,
    manageable_events,
)
from ..services import attendance as attendance_services
from ..services import scanning
from .managed import Refused, _refused_page, managed_occurrence


@never_cache
@require_http_methods(["GET", "POST"])
@managed_occurrence()
def correct(request, occurrence):
    """The council corrects a date's record, whenever it is: a pass that was not scanned, or
    people counted with no record. Each correction is logged, with its reason."""
    if not is_council(request.user):
        raise Refused(403, _("Only the council can correct a date's record."))
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    done = []
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if form.participant:
            done.append(
                scanning.attendance_correct(
                    occurrence=occurrence,
                    participant=form.participant,
                    by=request.user,
                    reason=reason,
                ).message
            )
        if people := form.cleaned_data["people"]:
            scanning.anonymous_count_correct(
                occurrence=occurrence, people=people, by=request.user, reason=reason
            )
            done.append(_("%(n)s counted with no record.") % {"n": people})
        form = CorrectionForm()
    return render(
        request,
        "checkin/correction.html",
        {
            "form": form,
            "occurrence": occurrence,
            "done": done,
            "counts": scanning.occurrence_counts(occurrence),
        },
        status=400 if request.method == "POST" and not done else 200,
    )


@never_cache
@require_GET
@managed_occurrence()
def attendance(request, occurrence):
    """Who came to one date: nicknames and times, never emails."""
    rows = attendance_services.attendance_view(occurrence=occurrence, by=request.user)
    return render(
        request,
        "checkin/attendance.html",
        {
            "occurrence": occurrence,
            "event": occurrence.event,
            "rows": rows,
            "counts": scanning.occurrence_counts(occurrence),
        },
    )


def _csv_response(request, filename, occurrences, target):
    rows = attendance_services.attendance_export(
        occurrences=occurrences, target=target, by=request.user
    )
    response = HttpResponse(attendance_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
@managed_occurrence()
def attendance_csv_occurrence(request, occurrence):
    return _csv_response(request, f"attendance-{occurrence.pk}.csv", [occurrence], occurrence)


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
    return _csv_response(
        request, f"attendance-{event.slug}.csv", Occurrence.objects.filter(event=event), event
    )


@never_cache
@require_GET
def dashboard(request):
    """The organiser's attendance area: today's dates first, then the coming ones, then the
    past ones (the latest first), each with how many came, for the events they manage."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    occurrences = list(
        attendance_services.occurrences_with_counts(
            Occurrence.objects.filter(
                event__in=manageable_events(request.user),
                start__gte=now - timedelta(days=35),
                start__lte=now + timedelta(days=14),
            )
        )
        .select_related("event")
        .order_by("start", "event__title", "pk")
    )
    today = timezone.localdate(now)
    on_today = [o for o in occurrences if timezone.localdate(o.start) == today]
    coming = [o for o in occurrences if timezone.localdate(o.start) > today]
    past = [o for o in reversed(occurrences) if timezone.localdate(o.start) < today]
    events = sorted({o.event for o in occurrences}, key=lambda event: (event.title, event.pk))
    return render(
        request,
        "checkin/dashboard.html",
        {
            "sections": [
                (_("Today"), "today", on_today),
                (_("Coming up"), "coming", coming),
                (_("Earlier"), "earlier", past),
            ],
            "any": bool(occurrences),
            "events": events,
            "now": now,
        },
    )

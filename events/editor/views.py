"""The editor's live schedule preview: the summary and next dates for unsaved fields."""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from .. import schedule as sched
from ..forms import DATE_FORMATS, DateListField, schedule_errors, schedule_from_data
from ..models import EventPage
from .preview import BRITISH_DATE, date_label, schedule_preview, series_dates


class ScheduleFieldsForm(forms.Form):
    """The editor's schedule fields as the browser sends them (names as on the page)."""

    start_date = forms.DateField(input_formats=DATE_FORMATS)
    start_time = forms.TimeField()
    end_time = forms.TimeField()
    duration_days = forms.IntegerField(required=False, min_value=0)
    frequency = forms.ChoiceField(choices=[(f, f) for f in sched.FREQUENCIES])
    interval = forms.IntegerField(required=False, min_value=1)
    weekdays = forms.MultipleChoiceField(
        required=False, choices=[(c, c) for c in sched.WEEKDAY_CODES]
    )
    monthly_mode = forms.ChoiceField(required=False, choices=[(m, m) for m in sched.MONTHLY_MODES])
    monthly_nth = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(str(n), n) for n in sched.NTH_CHOICES]
    )
    ends = forms.ChoiceField(
        required=False,
        choices=[(e, e) for e in (sched.ENDS_NEVER, sched.ENDS_ON_DATE, sched.ENDS_AFTER_COUNT)],
    )
    until = forms.DateField(required=False, input_formats=DATE_FORMATS)
    count = forms.IntegerField(required=False, min_value=1)
    extra_dates = DateListField(required=False)
    excluded_dates = DateListField(required=False)

    def clean_weekdays(self):
        return ",".join(self.cleaned_data["weekdays"])


def schedule_preview_json(request):
    """Give {"summary", "dates": [{"value", "label"}], "series": [...]} or {"error"}."""
    form = ScheduleFieldsForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"error": _("Fill in the first date, the times and how often to see the dates.")}
        )
    errors = schedule_errors(form.cleaned_data)
    if errors:
        return JsonResponse({"error": " ".join(str(m) for m in errors.values())})
    schedule = schedule_from_data(form.cleaned_data)
    preview = schedule_preview(schedule)
    return JsonResponse(
        {
            "summary": preview["summary"],
            "dates": [
                {"label": date_label(p.start, schedule.zone), "status": p.status}
                for p in preview["dates"]
            ],
            "series": [
                {"value": d.isoformat(), "label": date_format(d, BRITISH_DATE)}
                for d in series_dates(schedule)
            ],
        }
    )


def approved_message(page) -> str:
    """What the moderator reads once an event is approved, wherever they approved it."""
    return _("Approved: “%(title)s” is published and residents can see its dates.") % {
        "title": page.title
    }


class EventWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action, saying plainly that approving worked.

    The dashboard's "Awaiting your review" panel approves through this view (in a modal),
    not through the edit view whose `after_edit_page` hook says it there.
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if self.action_name == "approve":
            self.task_state.refresh_from_db()
            if self.task_state.status == self.task_state.STATUS_APPROVED:
                messages.success(request, approved_message(self.object))
        return response


class EventPageViewSet(PageViewSet):
    """Event pages' admin views: Wagtail's own, with the approval confirmed."""

    model = EventPage
    workflow_action_view_class = EventWorkflowActionView

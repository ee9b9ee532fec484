"""Forms: the event editor's schedule checks, and the public "propose an event" form.

This module imports no models at the top, because the EventPage model uses EventPageForm.
"""

import re
from datetime import UTC, date, datetime, timedelta

from django import forms
from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

from home.fields import BoundedModelMultipleChoiceField

from . import schedule as sched
from .editor.preview import BRITISH_DATE

WEEKDAY_CHOICES = list(zip(sched.WEEKDAY_CODES, sched.WEEKDAY_NAMES, strict=True))
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date_text(text: str) -> list[date]:
    """Give the dates in `text` (commas, spaces or new lines between them).

    Raises forms.ValidationError naming the first one that is not a date.
    """
    dates = []
    for token in re.split(r"[\s,;]+", text or ""):
        if not token:
            continue
        for fmt in DATE_FORMATS:
            try:
                dates.append(datetime.strptime(token, fmt).date())  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("“%(value)s” is not a date. Please write dates like 24/12/2026, one a line."),
                params={"value": token},
                code="invalid_date",
            )
    return sorted(set(dates))


class DateListField(forms.CharField):
    """Dates typed one a line; stored as ISO dates, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, str) and re.fullmatch(r"[\d\-\s]*", value):
            return "\n".join(d.strftime("%d/%m/%Y") for d in parse_date_text(value))
        return value

    def clean(self, value):
        value = super().clean(value)
        return "\n".join(d.isoformat() for d in parse_date_text(value))


class WeekdaysField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        if isinstance(value, str):
            return [c for c in value.split(",") if c]
        return value

    def clean(self, value):
        return ",".join(super().clean(value))


def schedule_from_data(data: dict, tz: str = sched.DEFAULT_TZ) -> sched.Schedule:
    """Give the pure Schedule for a form's cleaned data (the fields EventPage stores)."""
    return sched.Schedule.from_fields(
        start_date=data["start_date"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        duration_days=data.get("duration_days"),
        frequency=data.get("frequency") or sched.ONCE,
        interval=data.get("interval"),
        weekdays=data.get("weekdays") or "",
        monthly_mode=data.get("monthly_mode") or sched.BY_DAY,
        monthly_nth=int(data.get("monthly_nth") or 1),
        ends=data.get("ends") or sched.ENDS_NEVER,
        until=data.get("until"),
        count=data.get("count"),
        extra_dates=data.get("extra_dates") or "",
        excluded_dates=data.get("excluded_dates") or "",
        time_zone=tz,
    )


def schedule_errors(data: dict, tz: str = sched.DEFAULT_TZ) -> dict[str | None, str]:
    """Give {field or None: message} for an impossible schedule; empty when it is fine."""
    if any(data.get(name) is None for name in ("start_date", "start_time", "end_time")):
        return {}
    if data.get("ends") == "on_date" and not data.get("until"):
        return {"until": _("Please give the last date, or choose “Keeps going”.")}
    if data.get("ends") == "after_count" and not data.get("count"):
        return {"count": _("Please give the number of dates, or choose “Keeps going”.")}
    try:
        sched.validate(schedule_from_data(data, tz))
    except sched.ScheduleError as error:
        return {error.field if error.field in sched.SCHEDULE_FIELDS else None: error.message}
    return {}


class SeriesDateSelect(forms.Select):
    """A list of the series' dates that still shows a chosen date the list lacks."""

    def format_value(self, value):
        if isinstance(value, date):
            value = value.isoformat()
        return super().format_value(value)

    def optgroups(self, name, value, attrs=None):
        known = {str(v) for v, _label in self.choices}
        for chosen in value:
            if chosen and chosen not in known:
                try:
                    label = formats.date_format(date.fromisoformat(chosen), BRITISH_DATE)
                except ValueError:
                    label = chosen
                self.choices = [*self.choices, (chosen, label)]
        return super().optgroups(name, value, attrs)


class EventPageForm(WagtailAdminPageForm):
    """The event editor: refuses impossible schedules with a clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "weekdays" in self.fields:
            old = self.fields["weekdays"]
            self.fields["weekdays"] = WeekdaysField(
                choices=WEEKDAY_CHOICES, required=False, label=old.label, help_text=old.help_text
            )
        for name in ("extra_dates", "excluded_dates"):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = DateListField(
                    required=False, label=old.label, help_text=old.help_text
                )
        if "start_date" in self.fields:
            self.fields["start_date"].required = True
        for name in ("start_date", "until"):
            if name in self.fields:
                # Dates typed the British way (24/12/2026) as the date picker shows them.
                self.fields[name].input_formats = DATE_FORMATS
        if "partner_groups" in self.fields:
            self._cohosts_without_self()
        if "occurrence_changes" in self.formsets:
            self._changes_pick_from_series()

    def _cohosts_without_self(self):
        """Co-hosts as checkboxes, never listing the group the event belongs to."""
        field = self.fields["partner_groups"]
        host = self.instance.group_id or getattr(self.parent_page, "pk", None)
        if host:
            field.queryset = field.queryset.exclude(pk=host)
        field.queryset = field.queryset.order_by("title")
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)

    def _changes_pick_from_series(self):
        """ "Date it changes" lists the series' own dates (a saved rule); else a date input.

        The script in static/js/admin/schedule.js keeps the list in step with the fields
        as they are edited; ``is_valid`` still checks each date is one of the series'.
        """
        from .editor.preview import series_dates

        choices = None
        if getattr(self.instance, "start_date", None):
            choices = [("", _("Choose one of its dates"))] + [
                (d.isoformat(), formats.date_format(d, BRITISH_DATE))
                for d in series_dates(self.instance.schedule)
            ]

        def prepare(form):
            for name in ("original_date", "new_date"):
                form.fields[name].input_formats = DATE_FORMATS
            if choices:
                form.fields["original_date"].widget = SeriesDateSelect(choices=choices)

        formset = self.formsets["occurrence_changes"]
        add_fields = formset.add_fields

        def add_fields_prepared(form, index):
            add_fields(form, index)
            prepare(form)

        formset.add_fields = add_fields_prepared
        if "forms" in formset.__dict__:  # forms built already: prepare them too
            for form in formset.forms:
                prepare(form)

    def clean(self):
        cleaned = super().clean()
        tz = getattr(self.instance, "time_zone", None) or sched.DEFAULT_TZ
        for field, message in schedule_errors(cleaned, tz).items():
            self.add_error(field, message)
        if cleaned.get("is_free") is False and not cleaned.get("cost"):
            self.add_error("cost", _("Please say what it costs, or tick “free”."))
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        if not valid or "occurrence_changes" not in self.formsets:
            return valid
        # Each one-date change must be on a date the schedule gives.
        schedule = schedule_from_data(
            self.cleaned_data, getattr(self.instance, "time_zone", None) or sched.DEFAULT_TZ
        )
        latest = max(
            [*(f.cleaned_data.get("original_date") or date.min for f in self._live_changes())]
            or [date.min]
        )
        horizon = datetime.combine(latest + timedelta(days=1), datetime.min.time(), UTC)
        days = {s.original_start.date() for s in sched.expand(schedule, end=horizon)}
        seen = set()
        for form in self._live_changes():
            day = form.cleaned_data.get("original_date")
            if day is None:
                continue
            if day not in days:
                form.add_error(
                    "original_date",
                    _(
                        "%(day)s is not one of this event's dates. Please pick a date the "
                        "schedule gives."
                    )
                    % {"day": sched.format_date(day, weekday=True)},
                )
                valid = False
            elif day in seen:
                form.add_error("original_date", _("This date already has a change above."))
                valid = False
            seen.add(day)
        return valid

    def _live_changes(self):
        formset = self.formsets["occurrence_changes"]
        return [
            f
            for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]


class HoneypotField(forms.CharField):
    """A field people never see; a form with it filled in came from a robot."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})


class EventProposalForm(forms.Form):
    """What a group without an organiser account tells the council about an event."""

    # forms/field.html marks the fields that are not required "(optional)".
    mark_optional = True

    your_name = forms.CharField(max_length=100, label=gettext_lazy("Your name"))
    your_email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        help_text=gettext_lazy("Only the council sees this, to reply to you."),
    )
    group_name = forms.CharField(max_length=150, label=gettext_lazy("Your group’s name"))
    title = forms.CharField(max_length=120, label=gettext_lazy("Name of the event"))
    summary = forms.CharField(
        max_length=250,
        label=gettext_lazy("In a sentence or two, what is it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        max_length=3000,
        required=False,
        label=gettext_lazy("Anything else people should know"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    start_date = forms.DateField(
        label=gettext_lazy("Date"),
        help_text=gettext_lazy("For example 24/12/2026. For a regular event, the first date."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=gettext_lazy("Ends at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    repeats = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=[
            ("once", gettext_lazy("Just once")),
            ("weekly", gettext_lazy("Every week on that day")),
            ("fortnightly", gettext_lazy("Every other week on that day")),
            ("monthly", gettext_lazy("Every month on that date")),
        ],
    )
    venue_details = forms.CharField(
        max_length=500,
        label=gettext_lazy("Where"),
        help_text=gettext_lazy("The place and its address, and anything about access."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    categories = BoundedModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("What kind of event"),
        widget=forms.CheckboxSelectMultiple,
    )
    is_free = forms.BooleanField(required=False, initial=True, label=gettext_lazy("It is free"))
    alcohol_free = forms.BooleanField(
        required=False, initial=True, label=gettext_lazy("It is alcohol-free")
    )
    family_friendly = forms.BooleanField(
        required=False, label=gettext_lazy("Children and families are welcome")
    )
    # Robots fill in every field; people never see this one.
    website_address = HoneypotField(required=False, label=gettext_lazy("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = apps.get_model("events", "Category").objects.all()

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website_address"))

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("That date has passed. Please choose a date to come."))
        return day

    def clean(self):
        cleaned = super().clean()
        begins, ends = cleaned.get("start_time"), cleaned.get("end_time")
        if begins and ends and ends <= begins:
            self.add_error(
                "end_time", _("The event ends before it starts. Please check the times.")
            )
        return cleaned

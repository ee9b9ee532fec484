from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Longer periods are refused: the figures are for reading, not for mining.
MAX_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)


def default_period(today: date | None = None) -> tuple[date, date]:
    """Give the twelve months up to today: from the first of the month eleven months ago."""
    today = today or timezone.localdate()
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


class PeriodForm(forms.Form):
    """The period and group of the dashboard (a GET form)."""

    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    group = forms.TypedChoiceField(
        label=_("Group"), coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args, groups, allow_city: bool, **kwargs):
        """`groups`: (id, title) the user may choose; `allow_city`: may choose "whole city"."""
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole city"))] if allow_city else []
        self.fields["group"].choices = choices + [(str(pk), title) for pk, title in groups]
        self.fields["group"].required = not allow_city

    def clean(self):
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            raise forms.ValidationError(_("The end of the period comes before its start."))
        if start < EARLIEST:
            raise forms.ValidationError(_("Please choose a period from the year 2000 onwards."))
        if (end - start) > timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Please choose a period of three years or less."))
        data["start"], data["end"] = start, end
        return data


class CityPeriodForm(forms.Form):
    """The public page's period: the last twelve months, or one calendar year."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def period(self) -> tuple[date, date]:
        year = self.cleaned_data.get("year")
        if not year:
            return default_period()
        return date(year, 1, 1), date(year, 12, 31)

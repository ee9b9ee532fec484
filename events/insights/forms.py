from datetime import date, timedelta

from django import forms
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

# Longer periods are refused: the figures are for reading, not for mining.
MAX_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)


def last_complete_day(today: date | None = None) -> date:
    """Give the last day of the last month that is over (figures never count a month still
    filling up: two readings minutes apart could otherwise be subtracted)."""
    today = today or timezone.localdate()
    return today.replace(day=1) - timedelta(days=1)


def months_back(first: date, months: int) -> date:
    """Give the first of the month `months` months before the month starting `first`."""
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def default_period(today: date | None = None) -> tuple[date, date]:
    """Give the last twelve complete months: from the first of the month a year ago to the
    last day of last month."""
    end = last_complete_day(today)
    return months_back(end.replace(day=1), 11), end


def previous_period(start: date, end: date) -> tuple[date, date] | None:
    """Give the same number of whole months just before start..end, or None before 2000."""
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
    before_start = months_back(start.replace(day=1), months)
    if before_start < EARLIEST:
        return None
    return before_start, start - timedelta(days=1)


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


class PeriodForm(forms.Form):
    """The period and group of the dashboard (a GET form): whole months that are over."""

    start = forms.DateField(
        label=_("From (the first day of a month)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    end = forms.DateField(
        label=_("To (the last day of a month)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    group = forms.TypedChoiceField(
        label=_("Group"), coerce=int, required=False, empty_value=None, choices=()
    )
    strength = forms.IntegerField(
        label=_("Draw links of at least this many shared people"),
        min_value=1,
        max_value=10_000,
        required=False,
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
        if start.day != 1 or not is_month_end(end):
            # A figure for a day or a week could be about one person at one date.
            raise forms.ValidationError(
                _(
                    "Please choose whole calendar months, from the first day of a month to "
                    "the last day of a month (at least one month): figures for a shorter "
                    "time could be about one person."
                )
            )
        last = last_complete_day()
        if end > last:
            raise forms.ValidationError(
                _(
                    "Figures cover only months that are over. Please choose a period that "
                    "ends by %(day)s."
                )
                % {"day": dateformat.format(last, "j F Y")}
            )
        data["start"], data["end"] = start, end
        return data


class CityPeriodForm(forms.Form):
    """The public page's period: the last twelve complete months, or one calendar year
    (only its months that are over)."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > last_complete_day().year:
            raise forms.ValidationError(_("No month of that year is over yet."))
        return year

    def period(self) -> tuple[date, date]:
        year = self.cleaned_data.get("year")
        if not year:
            return default_period()
        return date(year, 1, 1), min(date(year, 12, 31), last_complete_day())


def city_years(today: date | None = None) -> list[int]:
    """Give the years the public page offers: the last three with a month that is over."""
    last = last_complete_day(today).year
    return [last - 2, last - 1, last]

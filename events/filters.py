"""The calendar's filters, parsed from a GET query: one place for pages and feeds.

    filters = parse_filters(request.GET)      # raises FilterError (with .form) when bad
    Occurrence.objects.calendar(filters)      # the matching dates, listing data included

`CalendarFilters.query_string()` gives the query back (for links and feed URLs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .schedule import MAX_DURATION_DAYS

if TYPE_CHECKING:
    from .models import Category, GroupPage

# (value in the URL, label, the query it adds)
FACTS = [
    ("free", gettext_lazy("Free"), Q(event__is_free=True)),
    ("alcohol-free", gettext_lazy("Alcohol-free"), Q(event__alcohol_free=True)),
    ("family-friendly", gettext_lazy("Family-friendly"), Q(event__family_friendly=True)),
    ("open-to-everyone", gettext_lazy("Open to everyone"), Q(event__open_to="everyone")),
    ("bsl", gettext_lazy("British Sign Language"), Q(event__bsl=True)),
    ("welcomer", gettext_lazy("Someone meets newcomers"), Q(event__welcomer=True)),
    (
        "step-free",
        gettext_lazy("Step-free access"),
        Q(venue__step_free=True) | Q(venue__isnull=True, event__venue__step_free=True),
    ),
    (
        "accessible-toilet",
        gettext_lazy("Accessible toilet"),
        Q(venue__accessible_toilet=True)
        | Q(venue__isnull=True, event__venue__accessible_toilet=True),
    ),
    (
        "hearing-loop",
        gettext_lazy("Hearing loop"),
        Q(venue__hearing_loop=True) | Q(venue__isnull=True, event__venue__hearing_loop=True),
    ),
    (
        "quiet-space",
        gettext_lazy("Quiet space"),
        Q(venue__quiet_space=True) | Q(venue__isnull=True, event__venue__quiet_space=True),
    ),
    ("online", gettext_lazy("Online"), ~Q(event__online_url="")),
]
FACT_QUERIES = {value: query for value, _label, query in FACTS}
UPCOMING, PAST = "upcoming", "past"
LIST, MONTH = "list", "month"
MAX_WORDS = 100
# A query may name each fact more than once (links add to links), but not without end: each
# one is a condition in the SQL, and thousands of them overflow the database's parser.
MAX_FACT_VALUES = 50


class FilterError(ValueError):
    """Filter values that cannot be used; `form` holds the errors to show."""

    def __init__(self, form: CalendarFilterForm):
        super().__init__(form.errors.as_text())
        self.form = form


class FactField(forms.MultipleChoiceField):
    """The facts ticked: each one once, however often the query repeats it, up to a limit."""

    def to_python(self, value):
        values = super().to_python(value)
        if len(values) > MAX_FACT_VALUES:
            raise forms.ValidationError(
                _(
                    "That link asks for too many things at once. Please tick what you need "
                    "on the calendar again (at most %(n)s choices)."
                )
                % {"n": MAX_FACT_VALUES},
                code="too_many",
            )
        return list(dict.fromkeys(values))


class CalendarFilterForm(forms.Form):
    """The calendar's GET form. Every field is optional."""

    q = forms.CharField(
        required=False, max_length=MAX_WORDS, label=gettext_lazy("Words"), strip=True
    )
    # The querysets are set in __init__: this module reads no models, so the models (and the
    # calendar page) can import it without a circle.
    group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        label=gettext_lazy("Group"),
        empty_label=gettext_lazy("Any group"),
    )
    category = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        label=gettext_lazy("Kind of event"),
        empty_label=gettext_lazy("Any kind"),
    )
    fact = FactField(
        choices=[(value, label) for value, label, _q in FACTS],
        required=False,
        label=gettext_lazy("Only show events that are"),
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(
        required=False,
        label=gettext_lazy("From"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        required=False,
        label=gettext_lazy("To"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    when = forms.ChoiceField(
        choices=[(UPCOMING, gettext_lazy("Coming up")), (PAST, gettext_lazy("Past events"))],
        required=False,
        widget=forms.HiddenInput,
    )
    view = forms.ChoiceField(
        choices=[(LIST, gettext_lazy("List")), (MONTH, gettext_lazy("Month"))],
        required=False,
        widget=forms.HiddenInput,
    )
    month = forms.CharField(required=False, widget=forms.HiddenInput)

    field_errors = {
        "group": gettext_lazy("There is no group with that name. Please choose one from the list."),
        "category": gettext_lazy(
            "There is no kind of event with that name. Please choose from the list."
        ),
        "fact": gettext_lazy("Please choose from the list of what events can offer."),
        "start": gettext_lazy("Please give the “From” date as a date, for example 2026-12-24."),
        "end": gettext_lazy("Please give the “To” date as a date, for example 2026-12-31."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group_page = apps.get_model("events", "GroupPage")
        self.fields["group"].queryset = (
            group_page.objects.live().public().only("pk", "title", "slug").order_by("title")
        )
        self.fields["category"].queryset = apps.get_model("events", "Category").objects.all()
        for name, message in self.field_errors.items():
            self.fields[name].error_messages.update(
                {
                    "invalid_choice": message,
                    "invalid": message,
                    "invalid_list": message,
                }
            )
        self.fields["q"].error_messages["max_length"] = _(
            "Please search with fewer words (at most %(n)s letters)."
        ) % {"n": MAX_WORDS}

    def clean_month(self):
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}", value):
            raise forms.ValidationError(_("Please give the month as year and month: 2026-12."))
        year, month = (int(x) for x in value.split("-"))
        if not (1 <= month <= 12 and 1900 < year < 3000):
            raise forms.ValidationError(_("Please give the month as year and month: 2026-12."))
        return date(year, month, 1)

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not date(1900, 1, 1) <= day <= date(2999, 12, 31):
                self.add_error(name, _("Please choose a date between the years 1900 and 2999."))
                cleaned[name] = None
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The “To” date is before the “From” date. Please swap them."))
        return cleaned


@dataclass(frozen=True)
class CalendarFilters:
    """What a resident asked the calendar for."""

    q: str = ""
    group: GroupPage | None = None
    category: Category | None = None
    facts: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    when: str = UPCOMING
    view: str = LIST
    month: date | None = None
    now: datetime | None = field(default=None, compare=False)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.group or self.category or self.facts or self.start or self.end)

    @property
    def is_past(self) -> bool:
        return self.when == PAST

    def apply(self, queryset):
        """Filter a queryset of Occurrence by everything except the month view's month."""
        now = self.now or timezone.now()
        # Subqueries rather than joins, so no DISTINCT over thousands of rows.
        if self.group is not None:
            queryset = queryset.for_group(self.group)
        if self.category is not None:
            queryset = queryset.for_category(self.category)
        for fact in self.facts:
            queryset = queryset.filter(FACT_QUERIES[fact])
        for word in self.q.split()[:10]:
            queryset = queryset.filter(
                Q(event__title__icontains=word)
                | Q(event__summary__icontains=word)
                | Q(event__group__title__icontains=word)
            )
        zone = timezone.get_current_timezone()
        if self.start:
            queryset = queryset.filter(start__gte=datetime.combine(self.start, time(), zone))
        if self.end:
            after = datetime.combine(self.end + timedelta(days=1), time(), zone)
            queryset = queryset.filter(start__lt=after)
        if self.view == MONTH:
            return queryset.order_by("start", "pk")
        # The bound on `start` lets the database walk the start index from now on, not
        # from the first date ever (a date lasts at most MAX_DURATION_DAYS + 1 days).
        earliest = now - timedelta(days=MAX_DURATION_DAYS + 1)
        if self.is_past:
            return queryset.filter(start__lt=now, end__lt=now).order_by("-start", "-pk")
        return queryset.filter(start__gte=earliest, end__gte=now).order_by("start", "pk")

    def month_range(self) -> tuple[date, date]:
        """Give the first day of the month shown and of the month after."""
        first = self.month or timezone.localdate().replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following

    def params(self, **overrides) -> dict:
        """Give the query as a dict (for links), with `overrides` applied."""
        values = {
            "q": self.q,
            "group": self.group.slug if self.group else "",
            "category": self.category.slug if self.category else "",
            "fact": list(self.facts),
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "when": self.when if self.when != UPCOMING else "",
            "view": self.view if self.view != LIST else "",
            "month": self.month.strftime("%Y-%m") if self.month else "",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value}

    def query_string(self, **overrides) -> str:
        """Give the query (without "?"), for links and feed URLs."""
        return urlencode(self.params(**overrides), doseq=True)


def filters_from_form(form: CalendarFilterForm, now: datetime | None = None) -> CalendarFilters:
    data = form.cleaned_data
    return CalendarFilters(
        q=data.get("q") or "",
        group=data.get("group"),
        category=data.get("category"),
        facts=tuple(data.get("fact") or ()),
        start=data.get("start"),
        end=data.get("end"),
        when=data.get("when") or UPCOMING,
        view=data.get("view") or LIST,
        month=data.get("month"),
        now=now,
    )


def parse_filters(query: QueryDict | dict, now: datetime | None = None) -> CalendarFilters:
    """Give the filters in a GET query, or raise FilterError whose form holds clear errors."""
    return parse_filters_and_form(query, now)[0]


def parse_filters_and_form(
    query: QueryDict | dict, now: datetime | None = None
) -> tuple[CalendarFilters, CalendarFilterForm]:
    """Like parse_filters, also giving the bound form (to show it again)."""
    if not isinstance(query, QueryDict):
        data = QueryDict(mutable=True)
        for key, value in query.items():
            data.setlist(key, value if isinstance(value, list | tuple) else [value])
        query = data
    form = CalendarFilterForm(query)
    if not form.is_valid():
        raise FilterError(form)
    return filters_from_form(form, now=now), form

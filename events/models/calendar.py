import calendar as pycalendar
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .. import schedule as sched

PER_PAGE = 30
MONTH_LIST_LIMIT = 150
MAX_PAGES = 1000


def month_weeks(first: date) -> list[list[date | None]]:
    """Give the month's weeks (Monday first), with None for days of other months."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[d if d.month == first.month else None for d in week] for week in weeks]


def by_day(occurrences) -> list[tuple[date, list]]:
    """Give (local date, occurrences) pairs, in the order given."""
    return [
        (day, list(items))
        for day, items in groupby(occurrences, key=lambda o: timezone.localtime(o.start).date())
    ]


class CalendarPage(Page):
    """The city's calendar at /events/: every upcoming date, as a list or a month."""

    introduction = models.TextField(
        blank=True,
        max_length=600,
        verbose_name=_("introduction"),
        help_text=_("A welcoming sentence or two above the calendar."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("calendar page")

    def serve(self, request, *args, **kwargs):
        from ..filters import FilterError, parse_filters_and_form

        try:
            filters, form = parse_filters_and_form(request.GET)
        except FilterError as error:
            # Bad filter values: the page with clear errors and nothing listed, as a 400.
            context = self.get_context(request, *args, **kwargs)
            context.update({"form": error.form, "filters": None, "has_errors": True})
            context.update(self._choices(error.form))
            return TemplateResponse(request, self.get_template(request), context, status=400)
        request.calendar_filters = filters
        request.calendar_form = form
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = getattr(request, "calendar_filters", None)
        if filters is None:
            return context
        from ..filters import MONTH
        from .events import Occurrence

        context["filters"] = filters
        context["form"] = request.calendar_form
        context.update(self._choices(request.calendar_form))
        context["view_links"] = [
            (
                _("Coming up"),
                "?" + filters.query_string(view="", when="", month=""),
                filters.view != MONTH and not filters.is_past,
            ),
            (
                _("Month by month"),
                "?" + filters.query_string(view=MONTH, when=""),
                filters.view == MONTH,
            ),
            (
                _("Past events"),
                "?" + filters.query_string(view="", when="past", month=""),
                filters.view != MONTH and filters.is_past,
            ),
        ]
        occurrences = filters.apply(Occurrence.objects.visible())
        if filters.view == MONTH:
            context.update(self._month_context(filters, occurrences))
        else:
            context.update(self._list_context(request, occurrences))
        return context

    @staticmethod
    def _choices(form) -> dict:
        # Lists, so the template's loops need no extra COUNT query.
        return {
            "group_choices": list(iter(form.fields["group"].choices)),
            "category_choices": list(iter(form.fields["category"].choices)),
        }

    def _list_context(self, request, occurrences) -> dict:
        # No COUNT(*): over tens of thousands of stored dates it costs more than the page
        # itself. One more row than shown says whether there is a later page.
        try:
            number = min(max(1, int(request.GET.get("page", 1))), MAX_PAGES)
        except ValueError:
            number = 1
        offset = (number - 1) * PER_PAGE
        rows = occurrences.listing_rows(offset, PER_PAGE + 1)
        return {
            "page_number": number,
            "has_previous": number > 1,
            "has_next": len(rows) > PER_PAGE,
            "first_shown": offset + 1,
            "days": by_day(rows[:PER_PAGE]),
        }

    def _month_context(self, filters, occurrences) -> dict:
        first, following = filters.month_range()
        zone = timezone.get_current_timezone()
        in_month = occurrences.filter(
            start__gte=datetime.combine(first, time(), zone),
            start__lt=datetime.combine(following, time(), zone),
        )
        counts = dict(
            in_month.order_by()
            .annotate(day=TruncDate("start", tzinfo=zone))
            .values_list("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
        total = sum(counts.values())
        # A busy month lists its days below the grid only when that stays readable and
        # quick; otherwise each day in the grid links to that day's list.
        rows = in_month.listing_rows() if total <= MONTH_LIST_LIMIT else []
        per_day: dict[date, list] = {}
        for occurrence in rows:
            per_day.setdefault(timezone.localtime(occurrence.start).date(), []).append(occurrence)
        weeks = [
            [(d, counts.get(d, 0), per_day.get(d, [])) if d else None for d in week]
            for week in month_weeks(first)
        ]
        previous = (first - timedelta(days=1)).replace(day=1)
        return {
            "day_url_prefix": "?" + filters.query_string(view="", month="", start="", end=""),
            "month_listed": bool(rows),
            "previous_month_url": "?" + filters.query_string(month=previous.strftime("%Y-%m")),
            "next_month_url": "?" + filters.query_string(month=following.strftime("%Y-%m")),
            "weekday_headers": [(gettext(n), gettext(n)[:3]) for n in sched.WEEKDAY_NAMES],
            "today": timezone.localdate(),
            "month": first,
            "weeks": weeks,
            "month_days": sorted(per_day.items()),
            "previous_month": previous,
            "next_month": following,
            "month_count": total,
        }

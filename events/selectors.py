"""What the city's calendar page shows: its list, its month grid, its links and choices.

Each selector takes the dates to choose from (``Occurrence.objects.visible()``, say) and the
resident's filters (``events.filters``), and gives template context. ``CalendarPage`` only
parses the query and adds these to its context.
"""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .filters import FACTS, MONTH, CalendarFilterForm, CalendarFilters

PER_PAGE = 30
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


def calendar_choices(form: CalendarFilterForm) -> dict:
    """The form's group and category choices, as lists (the template's loops need no COUNT)."""
    return {
        "group_choices": list(iter(form.fields["group"].choices)),
        "category_choices": list(iter(form.fields["category"].choices)),
    }


def calendar_view_links(filters: CalendarFilters) -> list[tuple[str, str, bool]]:
    """The three ways to look at the calendar: (label, query, whether it is the one shown)."""
    return [
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


def calendar_list(*, occurrences, filters: CalendarFilters, page: str | int | None) -> dict:
    """One page of the filtered dates, grouped by day, with whether there are more."""
    # No COUNT(*): over tens of thousands of stored dates it costs more than the page
    # itself. One more row than shown says whether there is a later page.
    try:
        number = min(max(1, int(page or 1)), MAX_PAGES)
    except ValueError:
        number = 1
    offset = (number - 1) * PER_PAGE
    rows = filters.apply(occurrences).listing_rows(offset, PER_PAGE + 1)
    return {
        "page_number": number,
        "has_previous": number > 1,
        "has_next": len(rows) > PER_PAGE,
        "first_shown": offset + 1,
        "shown_count": min(len(rows), PER_PAGE),
        "days": by_day(rows[:PER_PAGE]),
    }


def calendar_month(*, occurrences, filters: CalendarFilters) -> dict:
    """The month's grid: a count a day, each day linking to its list."""
    first, following = filters.month_range()
    zone = timezone.get_current_timezone()
    in_month = filters.apply(occurrences).filter(
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
    # A phone reads a compact month: a count a day, each day linking to its own list. Listing
    # every date of the month under the grid made the page tens of screens tall.
    weeks = [[(d, counts.get(d, 0)) if d else None for d in week] for week in month_weeks(first)]
    previous = (first - timedelta(days=1)).replace(day=1)
    return {
        "day_url_prefix": "?" + filters.query_string(view="", month="", start="", end=""),
        "previous_month_url": "?" + filters.query_string(month=previous.strftime("%Y-%m")),
        "next_month_url": "?" + filters.query_string(month=following.strftime("%Y-%m")),
        "weekday_headers": [(WEEKDAYS[d], WEEKDAYS_ABBR[d]) for d in range(7)],
        "today": timezone.localdate(),
        "month": first,
        "weeks": weeks,
        "previous_month": previous,
        "next_month": following,
        "month_count": total,
    }


def calendar_quick_links(filters: CalendarFilters, today: date) -> list[tuple[str, str, bool]]:
    """One-tap choices (Today, This weekend, Free, Online): (label, query, whether it is on)."""
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    sunday = saturday + timedelta(days=1)
    if today.weekday() == 6:  # on a Sunday, "this weekend" is today
        saturday = sunday = today
    links = []
    for label, start, end in ((_("Today"), today, today), (_("This weekend"), saturday, sunday)):
        on = filters.start == start and filters.end == end
        query = filters.query_string(
            start="" if on else start.isoformat(), end="" if on else end.isoformat(), view=""
        )
        links.append((label, "?" + query, on))
    for fact, label in (("free", _("Free")), ("online", _("Online"))):
        on = fact in filters.facts
        facts = [f for f in filters.facts if f != fact] + ([] if on else [fact])
        links.append((label, "?" + filters.query_string(fact=facts), on))
    return links


def calendar_chips(filters: CalendarFilters) -> list[tuple[str, str]]:
    """The filters that are on, each with the link that takes it away: (label, query)."""
    chips = []
    if filters.q:
        chips.append((gettext("Words: %(q)s") % {"q": filters.q}, filters.query_string(q="")))
    if filters.group:
        chips.append((filters.group.title, filters.query_string(group="")))
    if filters.category:
        chips.append((filters.category.name, filters.query_string(category="")))
    labels = {value: label for value, label, _q in FACTS}
    for fact in filters.facts:
        rest = [f for f in filters.facts if f != fact]
        chips.append((str(labels[fact]), filters.query_string(fact=rest)))
    if filters.start:
        label = gettext("From %(day)s") % {"day": date_format(filters.start, "j F Y")}
        chips.append((label, filters.query_string(start="")))
    if filters.end:
        label = gettext("To %(day)s") % {"day": date_format(filters.end, "j F Y")}
        chips.append((label, filters.query_string(end="")))
    return [(label, "?" + query) for label, query in chips]


def week_ahead(*, occurrences, today: date, limit: int = 8) -> list[tuple[date, list]]:
    """The next seven days' dates (from today), at most `limit`, grouped by day."""
    zone = timezone.get_current_timezone()
    until = datetime.combine(today + timedelta(days=7), time(), zone)
    rows = occurrences.upcoming().filter(start__lt=until).order_by("start", "pk")
    return by_day(rows.listing_rows(0, limit))

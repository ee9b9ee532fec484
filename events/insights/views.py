"""The council's dashboard, each group's own figures, and the public "our city in numbers".

The council (superusers and Wagtail's "Moderators") sees the whole city and any group;
a group's organisers see their own group only; anyone else is refused.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from events.checkin.permissions import organised_groups
from home.audit.models import AuditEvent
from home.audit.services import audit_record
from home.converters import parse_id
from home.council import is_council

from . import charts, report
from .figures import compute
from .forms import CityPeriodForm, PeriodForm, city_years, default_period, previous_period
from .models import InsightsSettings
from .public import city_numbers
from .selectors import groups_by_id, period_dataset
from .suppression import protect

# The public page's figures are cached this long (seconds). They cover only months that are
# over, so the cache only saves work; late corrections show within it.
CITY_CACHE_SECONDS = 10 * 60
CITY_CACHE_VERSION = 2


def _choices_for(user, groups):
    """Give (group choices, may see the whole city) for this user, or refuse."""
    if is_council(user):
        return [(g.id, g.title) for g in groups.values()], True
    mine = set(organised_groups(user).values_list("pk", flat=True))
    if not mine:
        raise PermissionDenied
    return [(g.id, g.title) for g in groups.values() if g.id in mine], False


def _protected(start, end, *, group_id, groups, threshold):
    dataset = period_dataset(start, end, group_id=group_id, groups=groups)
    # Everyone, the council included, gets the figures from roles and from who met whom
    # protected: an organiser knows who came to their own dates, so an unprotected "mixed
    # dates: 1" could tell them one person's roles.
    return protect(
        compute(dataset, group_id=group_id), dataset, threshold=threshold, group_id=group_id
    )


def _read_period(request):
    """Give (form, groups, figures or None, smallest link shown, previous period's figures)."""
    groups = groups_by_id()
    choices, allow_city = _choices_for(request.user, groups)
    raw_group = request.GET.get("group", "")
    allowed = {pk for pk, _title in choices}
    asked = parse_id(raw_group)  # "²" is no group: the form below says so, not a 500
    if asked is not None and asked not in allowed and not allow_city:
        # Another group's figures: refused, whether or not that group exists.
        raise PermissionDenied
    params = request.GET.copy()
    if not allow_city and not raw_group:
        params["group"] = str(choices[0][0])
    # Show the default period in the form, not empty boxes.
    default_start, default_end = default_period()
    params.setdefault("start", default_start.isoformat())
    params.setdefault("end", default_end.isoformat())
    form = PeriodForm(params, groups=choices, allow_city=allow_city)
    if not form.is_valid():
        return form, groups, None, None, None
    data = form.cleaned_data
    threshold = InsightsSettings.for_request(request).suppression_threshold
    scope = {"group_id": data["group"], "groups": groups, "threshold": threshold}
    figures = _protected(data["start"], data["end"], **scope)
    # The period before, protected by the same rules on its own: a change is given only
    # where both figures are shown (report.change).
    before = previous_period(data["start"], data["end"])
    previous = _protected(*before, **scope) if before else None
    if previous is not None and not previous.occurrences:
        previous = None  # nothing took place before: no change to give against it
    return form, groups, figures, threshold, previous


def _figures_context(form, groups, figures, links_min, previous) -> dict:
    """What the dashboard and the printable report both show."""
    names = {pk: g.title for pk, g in groups.items()}
    data = form.cleaned_data
    strength = max(links_min, data.get("strength") or links_min)
    network = report.network_picture(figures, names, groups, strength=strength)
    before = previous_period(data["start"], data["end"])
    return {
        "group": groups.get(data["group"]),
        "start": data["start"],
        "end": data["end"],
        "months_count": len(figures.months),
        "previous_start": before[0] if before else None,
        "previous_end": before[1] if before else None,
        "sections": report.summary_sections(figures, links_min, previous),
        "summary": report.summary_paragraph(figures, previous, names, links_min),
        "hidden_months": [m.month for m in figures.months if m.mixed_attendances is None],
        "attendance_chart": report.month_chart(figures, "attendances"),
        "people_chart": report.month_chart(figures, "participants"),
        "mixed_chart": report.mixed_chart(figures),
        "months": figures.months,
        "group_rows": report.group_rows(figures, names),
        "network_rows": report.network_rows(figures, names)[:30],
        "network": network,
        "strength": strength,
        "isolated": report.isolated_groups(figures, names),
        "network_svg": mark_safe(  # noqa: S308  (charts.network_svg escapes every text)
            charts.network_svg(
                network,
                title=_("The group network"),
                description=_(
                    "Each circle is a group, sized by its participants and coloured by its "
                    "kind; a line joins two groups that share at least %(n)s participants, "
                    "thicker the more they share. The table below gives the strongest links."
                )
                % {"n": strength},
            )
        ),
    }


def refuse_politely(view):
    """Answer 403 with a page that says why (Wagtail would otherwise redirect home)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return render(request, "insights/refused.html", status=403)

    return wrapped


@require_GET
@refuse_politely
def dashboard(request):
    form, groups, figures, links_min, previous = _read_period(request)
    context = {"form": form, "figures": figures, "links_min": links_min}
    if figures is None:
        return render(request, "insights/dashboard.html", context, status=400)
    context.update(
        _figures_context(form, groups, figures, links_min, previous),
        csv_tables=[
            ("summary", _("The figures")),
            ("months", _("Month by month")),
            ("groups", _("Group by group")),
            ("network", _("Links between groups")),
        ],
        query=request.GET.urlencode(),
        is_council=is_council(request.user),
    )
    return render(request, "insights/dashboard.html", context)


@require_GET
@refuse_politely
def dashboard_report(request):
    """The figures as a report to print for a council meeting (the council only)."""
    if not is_council(request.user):
        raise PermissionDenied
    form, groups, figures, links_min, previous = _read_period(request)
    if figures is None:
        context = {"form": form}
        return render(request, "insights/report.html", context, status=400)
    context = {"form": form, "figures": figures, "links_min": links_min}
    context.update(_figures_context(form, groups, figures, links_min, previous))
    context["dashboard_query"] = request.GET.urlencode()
    return render(request, "insights/report.html", context)


@require_GET
@refuse_politely
def dashboard_csv(request, table: str):
    if table not in report.CSV_TABLES:
        return HttpResponse(
            _("There is no table of that name."), status=404, content_type="text/plain"
        )
    form, groups, figures, links_min, _previous = _read_period(request)
    if figures is None:
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    names = {pk: g.title for pk, g in groups.items()}
    data = form.cleaned_data
    audit_record(
        user=request.user,
        action=AuditEvent.Action.EXPORT_FIGURES,
        detail=(
            f"{table}, group {data['group'] or 'all'}, "
            f"{data['start']:%Y-%m-%d} to {data['end']:%Y-%m-%d}"
        ),
    )
    scope = slugify(groups[data["group"]].title) if data["group"] else "city"
    response = HttpResponse(
        report.csv_text(table, figures, names, links_min), content_type="text/csv; charset=utf-8"
    )
    filename = f"{scope}-{table}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def city_numbers_cached(start: date, end: date, threshold: int):
    """Give the public figures for the period, from the shared cache when it has them."""
    key = f"insights:city:v{CITY_CACHE_VERSION}:{start:%Y%m%d}:{end:%Y%m%d}:{threshold}"
    numbers = cache.get(key)
    if numbers is None:
        dataset = period_dataset(start, end)
        figures = protect(compute(dataset), dataset, threshold=threshold)
        numbers = city_numbers(figures, start=start, end=end, threshold=threshold)
        cache.set(key, numbers, CITY_CACHE_SECONDS)
    return numbers


@require_GET
def city(request):
    form = CityPeriodForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "years": city_years()}
        return render(request, "insights/city_numbers.html", context, status=400)
    start, end = form.period()
    threshold = InsightsSettings.for_request(request).suppression_threshold
    numbers = city_numbers_cached(start, end, threshold)
    context = {
        "form": form,
        "numbers": numbers,
        "chart": charts.bar_chart(
            [(report.short_month(m.month), m.attendances.value) for m in numbers.months]
        ),
        "years": city_years(),
        "year": form.cleaned_data.get("year"),
    }
    return render(request, "insights/city_numbers.html", context)

"""Import a group's calendar: choose the group and the calendar, see the preview, confirm.

For the organisers of the group (and the council); anyone else is refused.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from home.converters import parse_id

from .. import schedule as sched
from .fetch import FetchError, fetch_calendar
from .forms import ConfirmForm, ImportForm
from .models import PendingImport
from .parse import ImportError, count_summary, moved_label, plan_import
from .services import (
    calendar_import,
    import_plan,
    import_states,
    importable_groups,
    pending_import_create,
)


def refuse_politely(view):
    """Answer 403 with a page that says why (Wagtail would otherwise redirect home)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return render(request, "ics_import/refused.html", status=403)

    return wrapped


def _groups(request):
    groups = list(importable_groups(request.user).order_by("title"))
    if not groups:
        raise PermissionDenied
    return groups


def _rows(plan, states):
    today = timezone.localdate()
    rows = []
    for item in plan.items:
        schedule = item.schedule
        first = sched.first_start(schedule)
        rows.append(
            {
                "item": item,
                "state": states[item.uid],
                "when": sched.describe(schedule, today=today),
                "first": first,
                "excluded": [sched.format_date(d) for d in schedule.excluded_dates],
                "moved": [moved_label(c, item) for c in item.changes if c.status == "moved"],
                "cancelled": [
                    (sched.format_date(c.original_date, weekday=True), c.note)
                    for c in item.changes
                    if c.status == "cancelled"
                ],
            }
        )
    rows.sort(key=lambda row: (row["item"].kind != "series", row["first"] or timezone.now()))
    return rows


@refuse_politely
def start(request):
    """GET: the form. POST: read the calendar and show what importing it would make."""
    groups = _groups(request)
    if request.method != "POST":
        return render(request, "ics_import/start.html", {"form": ImportForm(groups=groups)})
    asked = parse_id(request.POST.get("group", ""))
    if asked is not None and asked not in {g.pk for g in groups}:
        raise PermissionDenied  # another group's calendar, whether or not that group exists
    form = ImportForm(request.POST, request.FILES, groups=groups)
    if not form.is_valid():
        return render(request, "ics_import/start.html", {"form": form}, status=400)
    group = next(g for g in groups if g.pk == form.cleaned_data["group"])
    source = form.cleaned_data["url"]
    try:
        data = fetch_calendar(source).data if source else form.cleaned_data["file"].read()
        plan = plan_import(data, today=timezone.localdate())
    except (FetchError, ImportError) as error:
        form.add_error(None, error.message)
        return render(request, "ics_import/start.html", {"form": form}, status=400)
    pending = pending_import_create(group=group, data=data, source=source)
    states = import_states(group=group, plan=plan)
    context = {
        "group": group,
        "plan": plan,
        "rows": _rows(plan, states),
        "counts": count_summary(plan),
        "to_write": sum(1 for state in states.values() if state != "unchanged"),
        "confirm": ConfirmForm(initial={"pending": pending.pk}),
        "source": source or form.cleaned_data["file"].name,
    }
    return render(request, "ics_import/preview.html", context)


@require_POST
@refuse_politely
def confirm(request):
    """Make the drafts the preview showed (read again from the kept calendar)."""
    groups = _groups(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    pending = PendingImport.objects.filter(pk=form.cleaned_data["pending"]).first()
    if pending is None:
        raise Http404
    group = next((g for g in groups if g.pk == pending.group_id), None)
    if group is None:
        raise PermissionDenied
    try:
        plan = import_plan(pending=pending)
    except ImportError as error:
        messages.error(request, error.message)
        return redirect("ics_import:start")
    result = calendar_import(group=group, plan=plan, user=request.user)
    pending.delete()
    messages.success(
        request,
        _("%(created)s and %(updated)s under “%(group)s”; %(unchanged)s.")
        % {
            "created": ngettext(
                "%(n)s draft event made", "%(n)s draft events made", len(result.created)
            )
            % {"n": len(result.created)},
            "updated": ngettext("%(n)s updated", "%(n)s updated", len(result.updated))
            % {"n": len(result.updated)},
            "group": group.title,
            "unchanged": ngettext(
                "%(n)s already up to date", "%(n)s already up to date", result.unchanged
            )
            % {"n": result.unchanged},
        }
        + " "
        + _(
            "Open each draft to choose its venue and categories, then submit it for approval: "
            "nothing is published until the council approves it."
        ),
    )
    return redirect("wagtailadmin_explore", group.pk)

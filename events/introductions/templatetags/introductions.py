"""Includes other apps' pages carry: the scanner's expected list, the person's record."""

from django import template
from django.utils import timezone

from events.insights.suppression import DEFAULT_THRESHOLD
from events.models import GroupKind
from home.council import is_council

from .. import selectors
from ..figures import compute

register = template.Library()


@register.inclusion_tag("introductions/includes/expected.html", takes_context=True)
def expected_introductions(context, occurrence):
    """Who is expected at this date by introduction (for its organisers and mentors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = selectors.may_see_expected(user, occurrence)
    return {"expected": selectors.expected_at(occurrence) if shown else [], "shown": shown}


@register.inclusion_tag("introductions/includes/record.html", takes_context=True)
def my_introductions(context, participant):
    """The person's own introductions, with a "stop sharing" button each."""
    return {
        "introductions": selectors.mine(participant),
        "csrf_token": context.get("csrf_token"),
        "stopped": "stopped" in getattr(context.get("request"), "GET", {}),
    }


def _last_year(today):
    # Whole months that are over, as the rest of the figures count them.
    end = today.replace(day=1)
    return end.replace(year=end.year - 1), end


@register.inclusion_tag("introductions/includes/figures.html", takes_context=True)
def introduction_figures(context, organisation=None, public=False):
    """The introductions' figures for the last 12 whole months: the council's dashboard
    (everything), a navigator organisation's page (theirs, rounded, as public figures are).
    """
    request = context.get("request")
    if not public and not is_council(getattr(request, "user", None)):
        return {"figures": None}
    organisation_id = None
    if organisation is not None:
        navigators = getattr(organisation, "navigators", None)
        if navigators is None:
            return {"figures": None}
        organisation_id = navigators.pk
    start, end = _last_year(timezone.localdate())
    rows = selectors.figure_rows(start=start, end=end, organisation_id=organisation_id)
    figures = compute(rows, threshold=DEFAULT_THRESHOLD, public=public)
    labels = dict(GroupKind.choices)
    return {
        "figures": figures,
        "by_kind": [(labels.get(k, k), c) for k, c in figures.made_by_kind.items()],
        "start": start,
        "end": end,
    }


@register.inclusion_tag("introductions/includes/welcome_line.html")
def welcome_line(event):
    """The event page's line: which coming dates a peer mentor will meet newcomers at."""
    return {"dates": selectors.welcome_dates(event)}

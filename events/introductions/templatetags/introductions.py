"""Includes other apps' pages carry: the scanner's expected list, the person's record."""

from django import template

from .. import selectors

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

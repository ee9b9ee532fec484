"""Calendar pieces other pages show: the week ahead on the home page."""

from django import template
from django.utils import timezone

from ..models import Occurrence
from ..selectors import week_ahead

register = template.Library()


@register.simple_tag
def this_week(limit=8):
    """The next seven days' dates, at most `limit`, as (day, occurrences) pairs."""
    return week_ahead(
        occurrences=Occurrence.objects.visible(), today=timezone.localdate(), limit=limit
    )

"""The demo: navigators at four organisations, mentors, and months of introductions."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.introductions.figures import compute
from events.introductions.models import Introduction, NavigatorOrganisation, PeerMentor
from events.introductions.selectors import figure_rows

pytestmark = pytest.mark.django_db


def test_the_demo_has_navigators_mentors_and_true_figures():
    call_command("load_demo", stdout=StringIO())
    kinds = set(NavigatorOrganisation.objects.values_list("organisation__kind", flat=True))
    assert {"probation", "health", "council", "lived_experience"} <= kinds
    assert PeerMentor.objects.values("group").distinct().count() >= 3
    total = Introduction.objects.count()
    assert total > 50
    today = timezone.localdate()
    start = today.replace(year=today.year - 1)
    figures = compute(figure_rows(start=start, end=today), threshold=5)
    # The year up to last midnight: the demo also books people onto today's and later dates.
    in_period = Introduction.objects.filter(
        occurrence__start__date__gte=start, occurrence__start__date__lt=today
    ).count()
    assert figures.made.value == in_period > 50
    assert 0 < figures.came.value < total
    assert figures.came_back.value and figures.linking.value
    call_command("load_demo", stdout=StringIO())
    assert Introduction.objects.count() == total  # idempotent

"""The introductions' figures on hand-built rows whose answers are known."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.introductions.figures import IntroductionRow, compute
from events.introductions.models import Introduction
from events.introductions.selectors import figure_rows

T = 5  # the threshold


def rows(n, **kw):
    base = {
        "kind": "probation",
        "civic": True,
        "into_community": True,
        "came": False,
        "came_back": False,
        "shares_other_groups": False,
        "other_groups": 0,
    }
    return [IntroductionRow(**(base | kw)) for _ in range(n)]


CASES = [
    # (rows, field, expected value (None = hidden))
    (rows(10, came=True) + rows(10), "made", 20),
    (rows(10, came=True) + rows(10), "came_share", 50),
    (rows(10, came=True) + rows(2), "came_share", None),  # 2 did not come: hidden
    (rows(6, came=True, came_back=True) + rows(4, came=True), "came_back", 6),
    (rows(3, came=True, came_back=True) + rows(9), "came_back", None),
    (rows(5, shares_other_groups=True, other_groups=2) + rows(20, other_groups=3), "bridging", 5),
    (rows(5, shares_other_groups=True, other_groups=2) + rows(20), "bridging_base", 5),
    (rows(7) + rows(6, kind="lived_experience", civic=False), "linking", 7),
    (rows(7, into_community=False) + rows(6), "linking", 6),
    ([], "made", 0),  # nobody: a zero reveals no one
    ([], "came_share", None),
]


@pytest.mark.parametrize(("data", "field", "expected"), CASES)
def test_figures_on_known_rows(data, field, expected):
    figure = getattr(compute(data, threshold=T), field)
    assert figure.value == expected
    assert figure.suppressed == (expected is None and bool(data))


def test_by_kind_hides_the_small_kinds():
    data = rows(8) + rows(3, kind="health")
    by_kind = compute(data, threshold=T).made_by_kind
    assert by_kind["probation"].value == 8
    assert by_kind["health"].suppressed and by_kind["health"].value is None


def test_public_figures_are_rounded():
    figures = compute(rows(12, came=True) + rows(6), threshold=T, public=True)
    assert figures.made.value == 20 and figures.came.value == 10


@pytest.mark.django_db
def test_rows_come_from_the_database_as_built(introduce, occurrence, organiser, later):
    from events.checkin.services.scanning import checkin_record

    came = introduce(occurrence, name="Jay")
    introduce(occurrence, name="Kit")
    checkin_record(
        occurrence=occurrence, token=came.participant.passes.get().token, scanned_by=organiser
    )
    today = timezone.localdate()
    got = figure_rows(start=today - timedelta(days=2), end=today + timedelta(days=2))
    assert sorted(r.came for r in got) == [False, True]
    assert all(r.kind == "probation" and r.civic and r.into_community for r in got)
    assert Introduction.objects.count() == 2


@pytest.mark.django_db
def test_the_council_sees_the_figures_and_an_organiser_does_not(
    client, moderator, organiser, introduce, event
):
    from events.models import Occurrence
    from tests.factories import OccurrenceFactory

    start = timezone.now().replace(day=1) - timedelta(days=20)
    for n in range(6):
        date_ = OccurrenceFactory(event=event, start=timezone.now() + timedelta(hours=n + 1))
        introduce(date_, name=f"P{n}")
        moved = start + timedelta(hours=n)
        Occurrence.objects.filter(pk=date_.pk).update(start=moved, end=moved + timedelta(hours=1))
    client.force_login(moderator)
    page = client.get(reverse("insights_admin:dashboard")).content.decode()
    assert "Warm introductions" in page
    assert '<dd data-figure="made">6</dd>' in page
    client.force_login(organiser)
    page = client.get(reverse("insights_admin:dashboard")).content.decode()
    assert "Warm introductions" not in page
    assert date.today()  # the period is the last 12 whole months

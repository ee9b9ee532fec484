"""The council's report: changes against the period before, the summary, the network's key
and isolated groups, and who may print it."""

from datetime import date
from types import SimpleNamespace

import pytest
import time_machine

from events.insights import charts, report
from events.insights.figures import Figures, GroupFigures
from events.insights.forms import previous_period
from events.models.groups import GroupKind
from tests.factories import UserFactory

REPORT = "/admin/insights/report/"
SPRING = {"start": "2025-03-01", "end": "2025-05-31"}


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (12, 10, 2),
        (10, 12, -2),
        (7, 7, 0),
        (0, 9, -9),
        ("*", 9, None),  # hidden now: no difference that gives it back
        (9, "*", None),  # hidden before
        ("40%", "30%", None),  # shares are not counts
        (None, 3, None),
    ],
)
def test_a_change_is_given_only_between_two_shown_counts(now, before, expected):
    assert report.change(now, before) == expected


@pytest.mark.parametrize(("value", "text"), [(None, ""), (0, "no change"), (5, "+5"), (-3, "−3")])
def test_change_text(value, text):
    assert report.change_text(value) == text


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 3, 1), date(2025, 5, 31), (date(2024, 12, 1), date(2025, 2, 28))),
        (date(2025, 1, 1), date(2025, 12, 31), (date(2024, 1, 1), date(2024, 12, 31))),
        (date(2024, 3, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2000, 1, 1), date(2000, 6, 30), None),  # nothing before 2000
    ],
)
def test_the_previous_period_is_as_many_whole_months_just_before(start, end, expected):
    assert previous_period(start, end) == expected


def _figures(network, **groups):
    return Figures(
        occurrences=4,
        groups={
            pk: GroupFigures(group_id=pk, occurrences=n, participants=6) for pk, n in groups.items()
        },
        network=network,
    )


NAMES = {1: "Lantern Café", 2: "Running Club", 3: "Probation North", 4: "Quiet Choir"}


def test_isolated_groups_are_those_that_held_dates_and_share_no_one():
    figures = Figures(
        groups={
            1: GroupFigures(group_id=1, occurrences=3),
            2: GroupFigures(group_id=2, occurrences=2),
            3: GroupFigures(group_id=3, occurrences=1),
            4: GroupFigures(group_id=4, occurrences=0),  # held nothing: not "isolated"
        },
        network={(1, 2): 6},
    )
    assert report.isolated_groups(figures, NAMES) == ["Probation North"]
    hidden = Figures(groups=figures.groups, network=None)
    assert report.isolated_groups(hidden, NAMES) is None  # too few people: not said


def test_the_network_colours_groups_by_kind_and_draws_only_strong_links():
    rows = {
        1: SimpleNamespace(kind=GroupKind.LIVED_EXPERIENCE, civic=False),
        2: SimpleNamespace(kind=GroupKind.SPORT_ARTS, civic=False),
        3: SimpleNamespace(kind=GroupKind.PROBATION, civic=True),
    }
    figures = Figures(
        groups={pk: GroupFigures(group_id=pk, participants=10) for pk in (1, 2, 3)},
        network={(1, 2): 6, (1, 3): 12},
    )
    picture = report.network_picture(figures, NAMES, rows, strength=10)
    assert {n.label: n.kind for n in picture.nodes} == {
        "Lantern Café": "lived",
        "Running Club": "community",
        "Probation North": "civic",
    }
    assert [(e.a, e.b) for e in picture.edges] == [("Lantern Café", "Probation North")]
    svg = charts.network_svg(picture, title="t", description="d")
    assert 'class="insights-network__node insights-network__node--civic"' in svg
    assert ">Probation North</text>" in svg  # the full name


def test_the_summary_says_only_what_is_shown():
    now = Figures(
        events=2,
        occurrences=6,
        attendances_with_pass=30,
        participants=9,
        new_participants=4,
        multi_group_participants=None,  # hidden
        groups={1: GroupFigures(group_id=1, occurrences=6)},
        network=None,
    )
    before = Figures(occurrences=5, attendances_with_pass=20)
    text = report.summary_paragraph(now, before, NAMES, 5)
    assert "1 groups held 6 dates of 2 events, and people came 30 times." in text
    assert "That is 10 more than in the period before." in text
    assert "9 different people came with a pass; 4 of them" in text
    assert "How many people took part with two or more groups is not shown" in text
    assert "share no one" not in text  # the links are hidden, so isolation is not said


@pytest.fixture
def _spring():
    with time_machine.travel("2025-06-15 12:00 +0100", tick=False):
        yield


@pytest.mark.usefixtures("_spring")
def test_the_council_prints_a_report_with_charts_inline(client, small_city, moderator):
    client.force_login(moderator)
    response = client.get(REPORT, SPRING)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Community figures: the whole city" in html
    assert "The 3 whole months from March 2025 to May 2025" in html
    assert "December 2024 to February 2025" in html  # what the changes compare with
    assert html.count('<svg class="insights-chart__svg"') == 2
    assert "insights-report.css" in html and "<script>" not in html and "style=" not in html
    assert "Robin" not in html  # counts, never names


@pytest.mark.usefixtures("_spring")
def test_the_report_is_refused_to_everyone_but_the_council(client, small_city, make_organiser):
    cafe = small_city["groups"]["cafe"]
    client.force_login(make_organiser(cafe, "cafe-organiser"))
    refused = client.get(REPORT, {**SPRING, "group": cafe.pk})
    assert refused.status_code == 403 and b"Dates held" not in refused.content
    client.force_login(UserFactory(username="participant-only"))
    assert client.get(REPORT, SPRING).status_code in (302, 403)
    client.logout()
    anonymous = client.get(REPORT, SPRING)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


@pytest.mark.usefixtures("_spring")
def test_the_dashboard_gives_changes_the_summary_and_the_report_link(client, small_city, moderator):
    client.force_login(moderator)
    html = client.get("/admin/insights/", SPRING).content.decode()
    assert 'href="/admin/insights/report/?' in html
    assert 'class="insights-summary"' in html
    # One date in January (before the period): "Dates held" went from 1 to 3.
    row = html[html.index("Dates held") :]
    row = row[: row.index("</tr>")]
    assert "<td>3</td>" in row and "+2" in row

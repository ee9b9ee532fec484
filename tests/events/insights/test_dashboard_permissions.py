"""Who may see the community figures: the council everything, organisers their own group."""

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission

from tests.factories import UserFactory

URL = "/admin/insights/"
SPRING = {"start": "2025-03-01", "end": "2025-05-31"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2025-06-15 12:00 +0100", tick=False):
        yield


@pytest.fixture
def admin_user_without_groups(db):
    """Someone who may log in to the admin but organises nothing."""
    user = UserFactory(username="editor-only")
    editors = Group.objects.create(name="Editors only")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(editors)
    return user


def test_anonymous_is_sent_to_log_in(client, small_city):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_user_without_admin_access_is_refused(client, small_city):
    client.force_login(UserFactory(username="participant-only"))
    response = client.get(URL, SPRING)
    assert response.status_code in (302, 403)
    assert b"Lantern" not in response.content


def test_an_admin_user_who_organises_nothing_is_refused(
    client, small_city, admin_user_without_groups
):
    client.force_login(admin_user_without_groups)
    response = client.get(URL, SPRING)
    assert response.status_code == 403
    assert b"Participants who came back" not in response.content


def test_csv_refused_to_an_admin_user_who_organises_nothing(
    client, small_city, admin_user_without_groups
):
    client.force_login(admin_user_without_groups)
    assert client.get(URL + "summary.csv", SPRING).status_code == 403


def test_an_organiser_of_another_group_is_refused(client, small_city, make_organiser):
    cafe, run = small_city["groups"]["cafe"], small_city["groups"]["run"]
    client.force_login(make_organiser(run, "runner"))
    assert client.get(URL, {**SPRING, "group": cafe.pk}).status_code == 403
    assert client.get(URL + "groups.csv", {**SPRING, "group": cafe.pk}).status_code == 403


def test_an_organiser_may_not_see_the_whole_city(client, small_city, make_organiser):
    run = small_city["groups"]["run"]
    client.force_login(make_organiser(run, "runner"))
    response = client.get(URL, SPRING)
    # Without a group they get their own group's figures, never the city's.
    assert response.status_code == 200
    assert response.context["group"].id == run.pk
    choices = [value for value, _label in response.context["form"].fields["group"].choices]
    assert choices == [str(run.pk)]


def test_an_organiser_sees_their_own_group(client, small_city, make_organiser):
    cafe = small_city["groups"]["cafe"]
    client.force_login(make_organiser(cafe, "cafe-organiser"))
    response = client.get(URL, {**SPRING, "group": cafe.pk})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.occurrences, figures.participants, figures.attendances) == (2, 2, 5)
    assert b"Robin" not in response.content  # counts, never names


def test_the_council_sees_the_city_and_any_group(client, small_city, moderator):
    client.force_login(moderator)
    response = client.get(URL, SPRING)
    assert response.status_code == 200
    assert response.context["group"] is None
    assert response.context["figures"].occurrences == 3
    assert b"<svg" in response.content
    run = small_city["groups"]["run"]
    response = client.get(URL, {**SPRING, "group": run.pk})
    assert response.status_code == 200
    assert response.context["figures"].occurrences == 1


def test_a_superuser_is_the_council(client, small_city):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(URL, SPRING).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-13-01"}, b"Enter a valid date"),
        ({"start": "2025-05-01", "end": "2025-03-01"}, b"comes before its start"),
        ({"start": "2019-01-01", "end": "2025-03-01"}, b"three years or less"),
        ({"start": "1999-01-01", "end": "1999-03-01"}, b"from the year 2000"),
        ({"group": "abc"}, b"Select a valid choice"),
        ({"group": "999999"}, b"Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message(client, small_city, moderator, params, message):
    client.force_login(moderator)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content


def test_unknown_csv_table_is_not_found(client, small_city, moderator):
    client.force_login(moderator)
    assert client.get(URL + "people.csv", SPRING).status_code == 404


def test_bad_input_to_csv_gets_400(client, small_city, moderator):
    client.force_login(moderator)
    response = client.get(URL + "summary.csv", {"start": "nope"})
    assert response.status_code == 400


@pytest.mark.parametrize("table", ["summary", "months", "groups", "network"])
def test_csv_downloads(client, small_city, moderator, table):
    client.force_login(moderator)
    response = client.get(URL + f"{table}.csv", SPRING)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # The small city's links are all under the threshold: the network has only a header.
    assert len(response.content.decode().splitlines()) >= (1 if table == "network" else 2)


def test_csv_is_safe_from_formulas(client, small_city, moderator):
    cafe = small_city["groups"]["cafe"]
    cafe.title = '=HYPERLINK("http://example.com")'
    cafe.save()
    client.force_login(moderator)
    text = client.get(URL + "groups.csv", SPRING).content.decode()
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and not text.startswith("=")


def test_query_count_does_not_grow_with_the_data(
    client, small_city, moderator, django_assert_num_queries
):
    """The admin's own furniture (menus, permissions) changes with other apps; the figures
    must add the same number of queries however much attendance there is."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.checkin.models import Attendance
    from tests.factories import OccurrenceFactory, ParticipantFactory

    from .conftest import at

    client.force_login(moderator)
    client.get(URL, SPRING)  # warm up the per-process caches (site, settings)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, SPRING).status_code == 200
    # 30 before the previous period's comparison and the introductions' figures (and one for languages)
    assert len(small) <= 35
    coffee = small_city["events"]["coffee"]
    for day in (5, 6, 7):
        occurrence = OccurrenceFactory(event=coffee, start=at(date(2025, 4, day)))
        for _ in range(3):
            Attendance.objects.create(
                participant=ParticipantFactory(), occurrence=occurrence, method="scan"
            )
    with django_assert_num_queries(len(small)):
        assert client.get(URL, SPRING).status_code == 200


def test_organisers_see_only_links_of_at_least_the_threshold(client, small_city, make_organiser):
    """One person shared with the probation group must not be shown to an organiser."""
    cafe, run = small_city["groups"]["cafe"], small_city["groups"]["run"]
    kim = small_city["people"]["kim"]
    from events.checkin.models import Attendance

    # Kim, who runs, also comes to the café once: one shared person.
    Attendance.objects.create(participant=kim, occurrence=small_city["dates"]["d1"], method="scan")
    client.force_login(make_organiser(cafe, "cafe-organiser"))
    figures = client.get(URL, {**SPRING, "group": cafe.pk}).context["figures"]
    assert not figures.network
    # One person with two groups: a count built from one person is hidden too.
    assert figures.multi_group_participants is None

    client.force_login(make_organiser(run, "runner"))
    figures = client.get(URL, {**SPRING, "group": run.pk}).context["figures"]
    assert not figures.network


def test_the_council_sees_no_link_of_fewer_than_the_threshold(client, small_city, moderator):
    """The small-number rule holds for every viewer: the council's dashboard included."""
    client.force_login(moderator)
    response = client.get(URL, SPRING)
    figures = response.context["figures"]
    assert not figures.network  # Running Club and Probation North share one person
    assert figures.multi_group_participants is None
    assert figures.mixed_occurrences is None
    summary = client.get(URL + "summary.csv", SPRING).content.decode()
    assert "Dates where people in recovery and the wider community met,*" in summary

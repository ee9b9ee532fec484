"""The council's admin screen for navigator organisations: only the council may use it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.introductions.models import NavigatorOrganisation
from events.models import GroupKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def health(make_group):
    return make_group(title="Health Link", slug="health-link", kind=GroupKind.HEALTH)


@pytest.fixture
def council(client, moderator):
    client.force_login(moderator)
    return client


def index():
    return reverse("navigators_admin:index")


def detail(organisation):
    return reverse("navigators_admin:detail", args=[organisation.pk])


def remove(organisation, user):
    return reverse("navigators_admin:remove", args=[organisation.pk, user.pk])


def test_the_council_sees_the_list_and_the_menu_item(council, probation):
    response = council.get(index())
    assert response.status_code == 200
    assert b"Pathways Probation" in response.content
    assert b"Navigator organisations" in council.get("/admin/").content


def test_the_list_does_not_grow_with_organisations(council, make_group, django_assert_num_queries):
    from events.introductions.services import navigator_organisation_create

    navigator_organisation_create(organisation=make_group(title="One", slug="one"))
    council.get(index())
    few = _list_queries_of(council, index())
    # session, user, council check, Wagtail's menu and chrome (with its locales), the page
    assert few == 19
    for i in range(5):
        navigator_organisation_create(organisation=make_group(title=f"Org {i}", slug=f"org-{i}"))
    with django_assert_num_queries(few):
        council.get(index())


def test_the_council_makes_a_group_page_a_navigator_organisation(council, health):
    response = council.post(index(), {"organisation": health.pk})
    made = NavigatorOrganisation.objects.get(organisation=health)
    assert response.status_code == 302 and response["Location"] == detail(made)
    assert made.navigators.name == "Navigators: Health Link"
    assert {p.codename for p in made.navigators.permissions.all()} == {"make_introduction"}


def test_a_group_already_a_navigator_organisation_is_a_clear_message(council, probation):
    response = council.post(index(), {"organisation": probation.organisation.pk})
    assert response.status_code == 400
    assert "Pathways Probation is already a navigator organisation" in response.content.decode()
    assert NavigatorOrganisation.objects.count() == 1
    assert Group.objects.filter(name__startswith="Navigators:").count() == 1


@pytest.mark.parametrize("value", ["", "999999", "abc", "²"])
def test_no_or_an_unknown_organisation_is_a_clear_message(council, value):
    response = council.post(index(), {"organisation": value})
    assert response.status_code == 400
    assert b"Please choose" in response.content
    assert not NavigatorOrganisation.objects.exists()


def test_the_council_adds_and_removes_a_navigator(council, probation):
    person = UserFactory(username="link-worker-lee")
    response = council.post(detail(probation), {"username": "Link-Worker-Lee "})
    assert response.status_code == 302
    assert person.groups.filter(pk=probation.navigators.pk).exists()
    page = council.get(detail(probation))
    assert b"link-worker-lee" in page.content
    assert b"is now a navigator for Pathways Probation" in page.content

    again = council.post(detail(probation), {"username": "link-worker-lee"}, follow=True)
    assert b"was already a navigator" in again.content
    assert person.groups.filter(pk=probation.navigators.pk).count() == 1

    response = council.post(remove(probation, person), follow=True)
    assert not person.groups.filter(pk=probation.navigators.pk).exists()
    assert b"is no longer a navigator" in response.content


def test_an_unknown_user_is_a_clear_message(council, probation):
    response = council.post(detail(probation), {"username": "nobody-here"})
    assert response.status_code == 400
    assert "No one here has the username “nobody-here”" in response.content.decode()
    assert not probation.navigators.user_set.exists()


def test_an_empty_username_is_a_clear_message(council, probation):
    response = council.post(detail(probation), {"username": "  "})
    assert response.status_code == 400
    assert b"Please give the navigator" in response.content


def test_removing_someone_who_is_not_a_navigator_changes_nothing(council, probation, navigator):
    stranger = UserFactory(username="stranger")
    response = council.post(remove(probation, stranger), follow=True)
    assert b"was not one of this organisation" in response.content
    missing = reverse("navigators_admin:remove", args=[probation.pk, 999999])
    assert council.post(missing, follow=True).status_code == 200
    assert navigator.groups.filter(pk=probation.navigators.pk).exists()


def test_an_unknown_organisation_is_not_found(council):
    assert council.get(reverse("navigators_admin:detail", args=[999999])).status_code == 404


def test_removing_needs_a_post(council, probation, navigator):
    assert council.get(remove(probation, navigator)).status_code == 405
    assert navigator.groups.filter(pk=probation.navigators.pk).exists()


@pytest.fixture(params=["organiser", "navigator"])
def refused(request, client):
    client.force_login(request.getfixturevalue(request.param))
    return client


def test_an_organiser_or_a_navigator_is_refused_every_step(refused, probation, health, navigator):
    person = UserFactory(username="would-be")
    for response in (
        refused.get(index()),
        refused.post(index(), {"organisation": health.pk}),
        refused.get(detail(probation)),
        refused.post(detail(probation), {"username": "would-be"}),
        refused.post(remove(probation, navigator)),
    ):
        assert response.status_code == 302
        assert "/admin/" in response["Location"]
    assert not NavigatorOrganisation.objects.filter(organisation=health).exists()
    assert not person.groups.exists()
    assert navigator.groups.filter(pk=probation.navigators.pk).exists()


def test_an_organiser_does_not_see_the_menu_item(client, organiser):
    client.force_login(organiser)
    assert b"Navigator organisations" not in client.get("/admin/").content


def test_anonymous_is_sent_to_log_in(client, probation, health, navigator):
    for response in (
        client.get(index()),
        client.post(index(), {"organisation": health.pk}),
        client.post(remove(probation, navigator)),
    ):
        assert response.status_code == 302 and "login" in response["Location"]
    assert not NavigatorOrganisation.objects.filter(organisation=health).exists()


def test_one_organisations_navigators_do_not_grow_the_queries(
    council, probation, django_assert_num_queries
):
    council.get(detail(probation))
    few = _list_queries_of(council, detail(probation))
    # session, user, council check, Wagtail's menu and chrome (with its locales), the page
    assert few == 19
    for i in range(5):
        UserFactory(username=f"navigator-{i}").groups.add(probation.navigators)
    with django_assert_num_queries(few):
        response = council.get(detail(probation))
    assert b"navigator-4" in response.content


def _list_queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)

"""Navigators: a group made with their organisation, allowed introductions and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.introductions.services import navigator_organisation_create

pytestmark = pytest.mark.django_db


def test_the_organisation_comes_with_its_navigators_group(probation):
    assert probation.navigators.name == "Navigators: Pathways Probation"
    perms = {p.codename for p in probation.navigators.permissions.all()}
    assert perms == {"make_introduction"}


def test_making_it_again_changes_nothing(probation):
    again = navigator_organisation_create(organisation=probation.organisation)
    assert again.pk == probation.pk
    assert Group.objects.filter(name__startswith="Navigators:").count() == 1


def test_a_navigator_gets_no_pages_attendance_or_figures(client, navigator, occurrence):
    client.force_login(navigator)
    assert not navigator.has_perm("wagtailadmin.access_admin")
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "login" in admin["Location"]
    assert client.get(reverse("checkin:attendance", args=[occurrence.pk])).status_code == 403
    assert client.get(reverse("checkin:scanner", args=[occurrence.pk])).status_code == 403
    figures = client.get(reverse("insights_admin:dashboard"))
    assert figures.status_code == 302
    # ... and their own area opens.
    assert client.get(reverse("introductions:follow_up")).status_code == 200


def test_someone_who_is_not_a_navigator_is_refused_the_navigators_pages(client, organiser):
    client.force_login(organiser)
    for name in ("introductions:follow_up", "introductions:make"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert b"Only navigators can make introductions" in response.content
    client.logout()
    assert "login" in client.get(reverse("introductions:make"))["Location"]

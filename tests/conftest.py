"""Fixtures shared by the whole suite: a small site tree and its people."""

import pytest
from wagtail.models import Page, Site

from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    HomePageFactory,
    UserFactory,
)


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def group_index(home_page):
    return GroupIndexPageFactory(parent=home_page)


@pytest.fixture
def make_group(group_index):
    """Make a published GroupPage; its organisers' user group comes with it."""

    def make(**kwargs):
        group = GroupPageFactory(parent=group_index, **kwargs)
        group.refresh_from_db()
        return group

    return make


@pytest.fixture
def make_organiser():
    """Make a user who organises the given group."""

    def make(group, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        user.groups.add(group.organisers)
        return user

    return make


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
            # The live server needs committed data; serialized rollback brings
            # back what migrations created (root page, locale, moderators).
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (as .ci/run does)")


@pytest.fixture
def story_index(home_page):
    from tests.factories import StoryIndexPageFactory

    return StoryIndexPageFactory(parent=home_page)

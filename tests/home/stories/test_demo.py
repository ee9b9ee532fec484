"""The demo's stories: loaded once, safe to load again, linked to groups and events."""

import os

from django.core.management import call_command

from events.models import GroupPage
from home.stories import demo
from home.stories.models import StoryIndexPage, StoryPage
from tests.factories import EventPageFactory


def load_demo():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_demo_stories_load_once_and_link_events_that_come_later(db):
    load_demo()
    assert StoryIndexPage.objects.count() == 1
    assert StoryPage.objects.published().count() == len(demo.STORIES) >= 8
    assert StoryPage.objects.filter(featured=True).exists()

    cafe = GroupPage.objects.get(slug="recovery-cafe")
    had_events = {s.pk: s.events.count() for s in StoryPage.objects.all()}
    event = EventPageFactory(parent=cafe, title="Friday open mic")
    event.save_revision().publish()

    load_demo()
    assert StoryPage.objects.count() == len(demo.STORIES)
    aaron = StoryPage.objects.get(slug="the-morning-i-put-my-running-shoes-on")
    if had_events[aaron.pk] == 0:
        assert list(aaron.events.all()) == [event]
    assert aaron.groups.filter(slug="recovery-cafe").exists()

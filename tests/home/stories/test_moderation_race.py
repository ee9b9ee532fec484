"""A moderator's decision is never lost to a save that loaded the story before it (finding 19).

In the real admin, a background autosave POST loaded the story as a draft, and landed
after "Approve and publish" committed: it wrote the whole page back, live = False. Here the
two requests are played in that order, without a browser (tests/e2e covers the browser).
"""

from django.conf import settings
from django.urls import reverse

from home.stories.models import StoryPage
from tests.home.stories.test_lifecycle import approve, told  # noqa: F401 (a fixture)


def test_autosave_is_off(client, told, moderator):  # noqa: F811
    story, _private, _group = told
    assert settings.WAGTAIL_AUTOSAVE_INTERVAL == 0
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert "data-w-autosave-interval-value" not in html


def test_a_stale_draft_save_after_approval_keeps_the_story_live(client, told, moderator):  # noqa: F811
    story, _private, _group = told
    stale = StoryPage.objects.get(pk=story.pk)  # what the autosave request loaded
    assert approve(client, moderator, story).status_code in (200, 302)
    assert StoryPage.objects.get(pk=story.pk).live

    stale.summary = "A line the moderator typed"
    stale.save()  # as the edit view's draft save does: form.save(commit=True)
    stale.save_revision()

    story = StoryPage.objects.get(pk=story.pk)
    assert story.live and story.live_revision_id is not None
    assert story.has_unpublished_changes  # the late edit waits as a draft
    assert client.get(story.url).status_code == 200


def test_a_stale_save_after_withdrawal_keeps_it_withdrawn(client, told, moderator):  # noqa: F811
    story, private, _group = told
    stale = StoryPage.objects.get(pk=story.pk)
    client.post(private, {"confirm": "on"})
    stale.save()
    story = StoryPage.objects.get(pk=story.pk)
    assert story.withdrawn_at is not None and not story.live


def test_unpublishing_still_unpublishes(client, told, moderator):  # noqa: F811
    story, _private, _group = told
    approve(client, moderator, story)
    StoryPage.objects.get(pk=story.pk).unpublish()
    assert not StoryPage.objects.get(pk=story.pk).live

"""A story's whole life: told, moderated, published, withdrawn, and finally purged."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, WorkflowState
from wagtail.search.backends import get_search_backend

from home.stories.models import StoryPage, StorySubmission
from home.stories.views import SESSION_KEY
from tests.factories import UserFactory

TELL = "/stories/tell/"
EMAIL = "aaron.private@example.org"
PHONE = "07700 900123"
WORD = "Zephyrine"  # a word that appears only in this story


@pytest.fixture
def told(client, story_index, story_form, make_group):
    """Tell a story through the public form; give (story, private path)."""
    group = make_group(title="Forward Strides", slug="forward-strides")
    client.post(
        TELL,
        story_form(
            story=f"My {WORD} mornings began at the running club.\n\nNobody asked why I came.",
            groups=[group.pk],
        ),
    )
    token = next(iter(client.session[SESSION_KEY].values()))
    story = StoryPage.objects.get()
    return story, reverse("stories:mine", args=[token]), group


def approve(client, moderator, story):
    client.force_login(moderator)
    state = WorkflowState.objects.get(object_id=str(story.pk), status="in_progress")
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[story.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    client.logout()
    return response


def public_pages(story, group):
    return [
        "/",
        "/stories/",
        story.url or f"/stories/{story.slug}/",
        group.url,
        "/stories/feed/",
        "/stories/feed/atom/",
    ]


def search_finds(client, story):
    html = client.get(f"/search/?q={WORD}").content.decode()
    return story.title in html


def test_nothing_is_public_until_a_moderator_approves(client, told, moderator):
    story, _private, group = told
    for path in public_pages(story, group):
        assert WORD not in client.get(path).content.decode(), path
    assert not search_finds(client, story)
    assert not get_search_backend().search(WORD, StoryPage).results()

    assert approve(client, moderator, story).status_code in (200, 302)
    story.refresh_from_db()
    assert story.live
    assert client.get("/stories/").content.decode().count(story.title) == 1
    assert WORD in client.get(story.url).content.decode()
    assert story.title in client.get("/stories/feed/").content.decode()
    assert story.title in client.get("/stories/feed/atom/").content.decode()
    assert search_finds(client, story)
    assert story.title in client.get(group.url).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "plain user", "group organiser"])
def test_only_a_moderator_can_approve(client, told, make_organiser, who):
    story, _private, group = told
    if who == "plain user":
        client.force_login(UserFactory())
    elif who == "group organiser":
        client.force_login(make_organiser(group))
    state = WorkflowState.objects.get(object_id=str(story.pk))
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[story.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), {"action-publish": "1"})
    story.refresh_from_db()
    assert not story.live
    assert client.get(f"/stories/{story.slug}/").status_code == 404


def test_contact_details_are_never_shown_publicly(client, told, moderator):
    story, _private, group = told
    approve(client, moderator, story)
    story.refresh_from_db()
    StoryPage.objects.filter(pk=story.pk).update(featured=True)
    assert story.title in client.get("/").content.decode()
    for path in [*public_pages(story, group), f"/search/?q={story.title}"]:
        html = client.get(path).content.decode()
        assert EMAIL not in html and "aaron.private" not in html, path
        assert PHONE not in html and "900123" not in html, path
    for revision in Revision.objects.filter(object_id=str(story.pk)):
        assert EMAIL not in str(revision.content)


def test_the_private_link_shows_status_and_withdraws_at_once(client, told, moderator):
    story, private, group = told
    assert "Waiting for review" in client.get(private).content.decode()
    approve(client, moderator, story)
    story.refresh_from_db()
    StoryPage.objects.filter(pk=story.pk).update(featured=True)
    response = client.get(private)
    assert "Published" in response.content.decode()
    assert response.headers["Referrer-Policy"] == "same-origin"

    refused = client.post(private, {})
    assert refused.status_code == 400
    assert "tick the box" in refused.content.decode()
    story.refresh_from_db()
    assert story.live

    response = client.post(private, {"confirm": "on"}, follow=True)
    assert "has been taken down" in response.content.decode()
    assert "Taken down on" in response.content.decode()
    story.refresh_from_db()
    assert not story.live
    assert story.withdrawn_at is not None
    assert client.get(f"/stories/{story.slug}/").status_code == 404
    for path in public_pages(story, group):
        html = client.get(path).content.decode()
        assert story.title not in html, path
        assert WORD not in html, path
    assert not search_finds(client, story)
    assert not get_search_backend().search(WORD, StoryPage).results()


def test_a_withdrawn_story_cannot_be_published_again(client, told, moderator):
    story, private, _group = told
    approve(client, moderator, story)
    client.post(private, {"confirm": "on"})
    story.refresh_from_db()
    story.get_latest_revision().publish()
    story.refresh_from_db()
    assert not story.live
    assert StoryPage.objects.published().count() == 0


def test_withdrawing_during_moderation_cancels_the_review(client, told, moderator):
    story, private, _group = told
    client.post(private, {"confirm": "on"})
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_CANCELLED
    story.refresh_from_db()
    assert not story.live


def test_an_unknown_private_link_is_a_friendly_404(client, story_index):
    response = client.get(reverse("stories:mine", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "We don’t recognise this link" in response.content.decode()
    assert (
        client.post(reverse("stories:mine", args=["x" * 300]), {"confirm": "on"}).status_code == 404
    )


def test_purge_keeps_only_a_tombstone_after_the_grace_period(
    client, told, moderator, time_machine, settings
):
    settings.STORIES_WITHDRAWN_GRACE_DAYS = 30
    story, private, _group = told
    approve(client, moderator, story)
    start = timezone.now()
    client.post(private, {"confirm": "on"})

    time_machine.move_to(start + datetime.timedelta(days=29))
    call_command("purge_withdrawn_stories", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert StoryPage.objects.filter(pk=story.pk).exists()

    time_machine.move_to(start + datetime.timedelta(days=31))
    call_command("purge_withdrawn_stories", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not StoryPage.objects.filter(pk=story.pk).exists()
    assert not Revision.objects.filter(object_id=str(story.pk)).exists()
    assert not PageLogEntry.objects.filter(page_id=story.pk).exists()
    tombstone = StorySubmission.objects.get()
    assert tombstone.purged_at is not None
    assert tombstone.page is None
    assert tombstone.contact_email == "" and tombstone.contact_phone == ""
    assert tombstone.submitted_at is not None and tombstone.withdrawn_at is not None
    assert "deleted" in client.get(private).content.decode()

    # Safe to run again: nothing more to do, nothing breaks.
    from home.stories.services import stories_purge_withdrawn

    assert stories_purge_withdrawn(grace_days=30) == 0
    assert StorySubmission.objects.count() == 1

"""Telling a story from the public site: a draft for moderation, never published by itself."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from home.stories.models import StoryPage, StorySubmission
from home.stories.views import SESSION_KEY

TELL = "/stories/tell/"


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_form_is_served_with_numbered_steps_and_a_warning(client, story_index):
    response = client.get(TELL)
    html = response.content.decode()
    assert response.status_code == 200
    for step in range(1, 6):
        assert f"Step {step} of 5" in html
    assert "Please do not name other people" in html
    assert 'name="submission_key"' in html
    assert 'name="website"' in html  # the honeypot


def test_a_story_becomes_an_unpublished_draft_in_moderation(client, story_index, story_form):
    response = client.post(TELL, story_form())
    assert response.status_code == 302
    story = StoryPage.objects.get()
    assert not story.live
    assert story.has_unpublished_changes
    assert story.get_parent().pk == story_index.pk
    assert story.teller_naming == "first_name"
    assert story.displayed_name == "Aaron"
    assert [p.slug for p in story.pathways.all()] == ["addiction-recovery"]
    assert story.latest_revision is not None
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderators approval"
    # Not on the public site yet.
    assert client.get(story.url or f"/stories/{story.slug}/").status_code == 404
    assert story.title not in client.get("/stories/").content.decode()


def test_consent_and_contact_live_apart_from_the_page(client, story_index, story_form):
    client.post(TELL, story_form())
    submission = StorySubmission.objects.get()
    story = StoryPage.objects.get()
    assert submission.page == story
    assert "publish my story" in submission.consent_text
    assert "not named other people" in submission.consent_text
    assert submission.consented_at is not None
    assert submission.contact_email == "aaron.private@example.org"
    revision_json = str(story.latest_revision.content)
    assert "aaron.private@example.org" not in revision_json
    assert "07700" not in revision_json
    assert not hasattr(story, "contact_email")


def test_the_private_link_is_shown_once_and_only_its_hash_is_kept(client, story_index, story_form):
    response = client.post(TELL, story_form(), follow=True)
    html = response.content.decode()
    token = next(iter(client.session[SESSION_KEY].values()))
    assert reverse("stories:mine", args=[token]) in html
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    submission = StorySubmission.objects.get()
    assert token not in submission.token_hash
    assert not StorySubmission.objects.filter(token_hash=token).exists()


def test_a_double_submit_makes_one_draft(client, story_index, story_form):
    data = story_form()
    first = client.post(TELL, data)
    second = client.post(TELL, data, follow=True)
    assert first.status_code == 302
    assert StoryPage.objects.count() == 1
    assert StorySubmission.objects.count() == 1
    assert "sent twice" in second.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "", "story": ""}, "title", "This field is required"),
        ({"story": "Too short."}, "story", "very short"),
        ({"story": "x" * 12_001}, "story", "longer than we can take"),
        ({"title": "<script>alert(1)</script>"}, "title", "plain words"),
        ({"consent_publish": None}, "consent_publish", "This field is required"),
        ({"naming": "full_name", "name": ""}, "name", "name to show"),
        ({"naming": "royal"}, "naming", "Select a valid choice"),
        ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
        ({"website": "http://spam.example"}, "website", "Leave this empty"),
        ({"submission_key": "not-a-key"}, "submission_key", "valid UUID"),
        ({"pathways": ["99999999999999999999999"]}, "pathways", "Select a valid choice"),
        ({"groups": ["-1", "abc"]}, "groups", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client, story_index, story_form, changes, field, message
):
    response = client.post(TELL, story_form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing has been saved yet" in response.content.decode()
    assert StoryPage.objects.count() == 0
    assert StorySubmission.objects.count() == 0


def test_an_empty_post_is_refused(client, story_index):
    response = client.post(TELL, {})
    assert response.status_code == 400
    assert StoryPage.objects.count() == 0


def test_html_and_scripts_are_stripped_from_the_story(client, story_index, story_form):
    client.post(
        TELL,
        story_form(
            title="My <b>new</b> start",
            story="<p onclick='x()'>I found my feet again.</p><script>alert('x')</script>\n\n"
            "And the <img src=x onerror=alert(1)>café helped me &lt;script&gt; a lot.",
        ),
    )
    story = StoryPage.objects.get()
    assert story.title == "My new start"
    raw = str(story.body.raw_data)
    assert "<script" not in raw and "onerror" not in raw and "onclick" not in raw
    assert "alert('x')" not in raw
    assert "I found my feet again." in raw
    assert "&amp;lt;script&amp;gt;" in raw  # typed entities stay harmless text


def test_a_photo_comes_into_the_draft_with_its_description(client, story_index, story_form):
    photo = SimpleUploadedFile("trainers.png", png_bytes(), content_type="image/png")
    client.post(TELL, story_form(photo=photo, photo_description="Trainers on a muddy path"))
    story = StoryPage.objects.get()
    images = [b.value for b in story.body if b.block_type == "image"]
    assert len(images) == 1
    assert images[0].contextual_alt_text == "Trainers on a muddy path"
    assert StorySubmission.objects.get().photo_id == images[0].pk
    assert images[0].collection.name == "Story submissions"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("fake.png", b"just some words, no picture"),
            "We could not read this file as a photo",
        ),
        (
            SimpleUploadedFile("broken.png", png_bytes()[:40]),
            "We could not read this file as a photo",
        ),
        (
            SimpleUploadedFile("page.png", b"<html>not an image</html>"),
            "not the .png photo its name says",
        ),
        (SimpleUploadedFile("tool.exe", png_bytes()), "Please choose a JPEG, PNG or WebP photo"),
        (SimpleUploadedFile("fake.jpg", png_bytes()), "photo its name says (it is png)"),
    ],
)
def test_files_that_are_not_images_are_refused(client, story_index, story_form, upload, message):
    before = get_image_model().objects.count()
    response = client.post(TELL, story_form(photo=upload, photo_description="A photo"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_image_model().objects.count() == before
    assert StoryPage.objects.count() == 0


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000)
def test_a_photo_that_is_too_big_is_refused(client, story_index, story_form):
    big = SimpleUploadedFile("big.png", png_bytes((400, 400)), content_type="image/png")
    response = client.post(TELL, story_form(photo=big, photo_description="A photo"))
    assert response.status_code == 400
    assert "too big" in response.content.decode()
    assert StoryPage.objects.count() == 0


def test_a_photo_needs_a_description(client, story_index, story_form):
    photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    response = client.post(TELL, story_form(photo=photo, photo_description=""))
    assert response.status_code == 400
    assert "what the photo shows" in response.content.decode()


def test_a_failure_half_way_leaves_nothing_behind(client, story_index, story_form, monkeypatch):
    from wagtail.models import Workflow

    def broken_start(self, obj, user):
        raise RuntimeError("the workflow engine fell over")

    monkeypatch.setattr(Workflow, "start", broken_start)
    client.raise_request_exception = False
    response = client.post(TELL, story_form())
    assert response.status_code == 500
    assert StoryPage.objects.count() == 0
    assert StorySubmission.objects.count() == 0


def test_too_many_submissions_from_one_client_are_slowed_down(client, story_index, story_form):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.post(TELL, story_form(title=f"Story {n}")).status_code for n in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert StoryPage.objects.count() == 5
    cache.clear()


def test_without_a_story_index_the_form_says_so(client, home_page):
    assert client.get(TELL).status_code == 404


def test_the_same_words_sent_again_from_a_fresh_form_are_refused(client, story_index, story_form):
    client.post(TELL, story_form())
    again = client.post(TELL, story_form(title="  THE morning I put my running shoes on! "))
    assert again.status_code == 400
    assert "already have a story with exactly these words" in again.content.decode()
    assert StoryPage.objects.count() == 1
    assert StorySubmission.objects.count() == 1
    different = client.post(TELL, story_form(title="A different title"))
    assert different.status_code == 302
    assert StoryPage.objects.count() == 2

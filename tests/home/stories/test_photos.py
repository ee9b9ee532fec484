"""A teller's photo: no hidden metadata, a random name, and on the web only while published.

The attack (issue 11, finding 2): a phone photo sent with a story was served from public
media under its own file name, with its GPS position and the teller's name in EXIF,
while in moderation and again after withdrawal. Here the web server's view of
MEDIA_ROOT is real (tests/public_media_urls.py), so a GET shows what anyone could fetch.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from home.stories.models import StoryPage, StorySubmission
from home.stories.services import stories_purge_withdrawn
from home.stories.views import SESSION_KEY
from tests.home.stories import test_lifecycle as lifecycle

pytestmark = pytest.mark.urls("tests.public_media_urls")

TELL = "/stories/tell/"
UPLOADED_AS = "aaron_holiday_GPS.jpg"
SECRETS = (b"Aaron Whitfield", b"At the clinic on Mill Road", b"GPS", UPLOADED_AS.encode())


def jpeg_with_metadata(size=(64, 48)) -> bytes:
    """A JPEG as a phone writes it: GPS, the owner's name, a caption and an orientation."""
    image = PILImage.new("RGB", size, (200, 120, 40))
    for x in range(8):  # a dark corner, to see the rotation applied
        for y in range(8):
            image.putpixel((x, y), (0, 0, 0))
    exif = PILImage.Exif()
    exif[0x013B] = "Aaron Whitfield"  # Artist
    exif[0x010E] = "At the clinic on Mill Road"  # ImageDescription
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    exif[0x8825] = {1: "N", 2: (53.0, 48.0, 30.0), 3: "W", 4: (1.0, 32.0, 10.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_the_sample_photo_really_carries_the_metadata():
    with PILImage.open(io.BytesIO(jpeg_with_metadata())) as photo:
        exif = photo.getexif()
        assert exif[0x013B] == "Aaron Whitfield"
        assert exif.get_ifd(0x8825)[1] == "N"


@pytest.fixture
def told(client, story_index, story_form):
    """Send a story with the photo through the public form; give (story, image, link)."""
    photo = SimpleUploadedFile(UPLOADED_AS, jpeg_with_metadata(), content_type="image/jpeg")
    response = client.post(TELL, story_form(photo=photo, photo_description="Trainers by a door"))
    assert response.status_code == 302
    token = next(iter(client.session[SESSION_KEY].values()))
    story = StoryPage.objects.get()
    return story, StorySubmission.objects.get().photo, reverse("stories:mine", args=[token])


def approve(client, moderator, story):
    lifecycle.approve(client, moderator, story)
    story.refresh_from_db()
    assert story.live


def stored_files(image) -> list[str]:
    image = get_image_model().objects.get(pk=image.pk)
    return [image.file.name, *image.renditions.values_list("file", flat=True)]


def public_paths() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def assert_no_metadata(data: bytes):
    for secret in SECRETS:
        assert secret not in data
    with PILImage.open(io.BytesIO(data)) as photo:
        assert not photo.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(photo.info)


def test_every_stored_file_loses_the_metadata_and_the_uploaders_name(client, told, moderator):
    _story, image, _link = told
    image.get_rendition("width-800")
    image.get_rendition("fill-40x40")
    for name in stored_files(image):
        assert "aaron" not in name.lower() and "holiday" not in name.lower()
        with image.file.storage.open(name) as f:
            assert_no_metadata(f.read())
    # The orientation was applied to the pixels before the EXIF went: it stands upright.
    assert (image.width, image.height) == (48, 64)
    with image.file.storage.open(image.file.name) as f, PILImage.open(f) as upright:
        assert upright.getpixel((upright.width - 2, 1))[0] < 60  # the dark corner moved


def test_file_names_are_random(client, story_index, story_form):
    names = set()
    for n in range(3):
        photo = SimpleUploadedFile(UPLOADED_AS, jpeg_with_metadata(), content_type="image/jpeg")
        client.post(
            TELL,
            story_form(
                title=f"Story {n}",
                story=f"Story number {n}. " * 10,
                photo=photo,
                photo_description="Trainers",
            ),
        )
    for image in get_image_model().objects.all():
        names.add(Path(image.file.name).stem)
    assert len(names) == 3
    assert all(len(stem.removeprefix("private-")) >= 24 for stem in names)


def test_in_moderation_the_photo_and_its_renditions_are_not_on_the_web(
    client, told, moderator, make_group, make_organiser
):
    _story, image, _link = told
    image.get_rendition("width-800")  # as the moderator's preview makes it
    names = stored_files(image)
    assert len(names) == 2
    organiser = make_organiser(make_group(title="Other", slug="other"))
    for name in names:
        assert name not in public_paths()
        assert client.get(f"/media/{name}").status_code == 404
        url = image.file.storage.url(name)
        assert client.get(url).status_code == 404  # anonymous
        client.force_login(organiser)
        assert client.get(url).status_code == 404  # an organiser
        client.force_login(moderator)
        response = client.get(url)
        assert response.status_code == 200  # the council's moderators see it
        assert {"private", "no-store"} <= set(response.headers["Cache-Control"].split(", "))
        client.logout()


def test_once_published_the_photo_is_served_without_metadata(client, told, moderator):
    story, image, _link = told
    approve(client, moderator, story)
    html = client.get(story.url).content.decode()
    image = get_image_model().objects.get(pk=image.pk)
    rendition_urls = [r.url for r in image.renditions.all()]
    assert rendition_urls and all(url in html for url in rendition_urls)
    for url in (image.file.url, *rendition_urls):
        assert url.startswith(settings.MEDIA_URL)
        response = client.get(url)
        assert response.status_code == 200
        assert_no_metadata(b"".join(response.streaming_content))


def test_withdrawal_takes_every_file_off_the_web_at_once(client, told, moderator):
    story, image, link = told
    approve(client, moderator, story)
    client.get(story.url)  # makes the public rendition
    published = stored_files(image)
    assert all(name in public_paths() for name in published)

    client.post(link, {"confirm": "on"})
    for name in published:
        assert name not in public_paths()
        assert client.get(f"/media/{name}").status_code == 404
    # Still kept for the grace period, privately, under a new name.
    now_private = stored_files(image)
    assert not set(now_private) & set(published)
    for name in now_private:
        assert name not in public_paths()
        assert client.get(image.file.storage.url(name)).status_code == 404


def test_the_purge_deletes_the_private_file(client, told, django_capture_on_commit_callbacks):
    _story, image, link = told
    client.post(link, {"confirm": "on"})
    path = Path(get_image_model().objects.get(pk=image.pk).file.path)
    assert path.exists() and Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    with django_capture_on_commit_callbacks(execute=True):
        stories_purge_withdrawn(grace_days=0)
    assert not path.exists()


def test_renaming_the_submissions_collection_keeps_photos_together(client, story_index, story_form):
    from wagtail.models import Collection

    def send(n):
        photo = SimpleUploadedFile(UPLOADED_AS, jpeg_with_metadata(), content_type="image/jpeg")
        client.post(
            TELL,
            story_form(
                title=f"Story {n}",
                story=f"Story number {n}, told in full. " * 5,
                photo=photo,
                photo_description="Trainers",
            ),
        )
        return StorySubmission.objects.get(page__title=f"Story {n}").photo

    first = send(1)
    Collection.objects.filter(pk=first.collection_id).update(name="Tellers' photos")
    second = send(2)
    assert second.collection_id == first.collection_id
    assert not Collection.objects.filter(name="Story submissions").exists()


def test_audio_and_video_clips_get_random_names_too():
    from home.stories.models import story_media_upload_to

    name = story_media_upload_to(None, "Aaron Whitfield at Mill Road.MP3")
    assert name.startswith("stories/media/") and name.endswith(".mp3")
    assert "aaron" not in name.lower() and "mill" not in name.lower()


def test_images_stored_before_the_upgrade_are_cleaned_and_hidden(client, told):
    from django.core.management import call_command

    from home.images import is_private_name

    _story, image, _link = told
    # As an older version stored it: the sender's name and metadata, in public media.
    image = get_image_model().objects.get(pk=image.pk)
    image.file.storage.delete(image.file.name)
    legacy = image.file.storage.save(
        f"original_images/{UPLOADED_AS}", io.BytesIO(jpeg_with_metadata())
    )
    get_image_model().objects.filter(pk=image.pk).update(file=legacy)
    assert legacy in public_paths()

    call_command("clean_stored_images", stdout=io.StringIO())
    call_command("clean_stored_images", stdout=io.StringIO())  # again: nothing changes

    name = get_image_model().objects.get(pk=image.pk).file.name
    assert is_private_name(name) and "aaron" not in name.lower()
    assert legacy not in public_paths() and not Path(settings.MEDIA_ROOT, legacy).exists()
    with image.file.storage.open(name) as f:
        assert_no_metadata(f.read())

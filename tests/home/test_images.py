"""Every image upload, the admin's included, loses its metadata and its uploader's name."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import PngImagePlugin
from wagtail.images import get_image_model

from home.images import image_without_metadata, is_private_name, random_name
from tests.home.stories.test_photos import SECRETS, assert_no_metadata, jpeg_with_metadata


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Aaron Whitfield")
    info.add_text("Comment", "At the clinic on Mill Road")
    buffer = io.BytesIO()
    PILImage.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def webp_with_exif() -> bytes:
    with PILImage.open(io.BytesIO(jpeg_with_metadata())) as photo:
        exif = photo.getexif()
        buffer = io.BytesIO()
        photo.save(buffer, "WEBP", exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "extension"),
    [(jpeg_with_metadata(), "jpg"), (png_with_text(), "png"), (webp_with_exif(), "webp")],
)
def test_metadata_is_gone_from_every_format(data, extension):
    assert any(secret in data for secret in SECRETS[:2])  # the sample really has it
    clean, kind = image_without_metadata(data)
    assert kind == extension
    assert_no_metadata(clean)


def test_transparency_survives():
    clean, _kind = image_without_metadata(png_with_text())
    with PILImage.open(io.BytesIO(clean)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_random_names_say_nothing_and_mark_private_files():
    names = {random_name("JPG") for _ in range(50)}
    assert len(names) == 50 and all(n.endswith(".jpg") for n in names)
    assert is_private_name("images/" + random_name("jpg", private=True))
    assert not any(is_private_name("original_images/" + n) for n in names)


def test_an_organisers_admin_upload_is_cleaned_renamed_and_public(
    client, make_group, make_organiser
):
    group = make_group(title="Forward Strides", slug="forward-strides")
    client.force_login(make_organiser(group))
    upload = SimpleUploadedFile("aaron_holiday_GPS.jpg", jpeg_with_metadata(), "image/jpeg")
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Our stall", "file": upload, "collection": group.collection_id},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="Our stall")
    assert "aaron" not in image.file.name.lower() and "holiday" not in image.file.name.lower()
    assert not is_private_name(image.file.name)
    assert Path(settings.MEDIA_ROOT) in Path(image.file.path).parents
    with image.file.open("rb") as f:
        data = f.read()
    assert_no_metadata(data)
    assert image.file_size == len(data) and (image.width, image.height) == (48, 64)
    rendition = image.get_rendition("width-40")
    with rendition.file.open("rb") as f:
        assert_no_metadata(f.read())


def test_the_admins_multiple_upload_is_cleaned_too(client, moderator):
    client.force_login(moderator)
    upload = SimpleUploadedFile("aaron_holiday_GPS.jpg", jpeg_with_metadata(), "image/jpeg")
    response = client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload})
    assert response.status_code == 200
    image = get_image_model().objects.get()
    assert "aaron" not in image.file.name.lower()
    with image.file.open("rb") as f:
        assert_no_metadata(f.read())

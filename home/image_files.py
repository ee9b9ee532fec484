"""Image files with side effects: cleaning every upload, and moving files in and out of view."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from .images import image_without_metadata, is_private_name, is_random_name, random_name


def image_upload_clean(*, image) -> None:
    """Replace a new upload by its pixels alone, under a random name (before it is saved).

    An image marked `keep_private = True` before saving goes to the private folder.
    """
    upload = image.file
    upload.open("rb")
    upload.seek(0)
    data, extension = image_without_metadata(upload.read())
    private = getattr(image, "keep_private", False)
    # Setting the file also sets width and height, from the upright pixels.
    image.file = ContentFile(data, name=random_name(extension, private=private))
    image.file_size = len(data)
    image.file_hash = hashlib.sha1(data).hexdigest()  # noqa: S324 (Wagtail's own hash)


def image_file_move(*, image, private: bool) -> None:
    """Move an image's original file into (or out of) the private folder, under a new name.

    Its renditions are deleted at once, files and all: they are made again, in the right
    place, when next shown. A file leaving public view is gone from it before this returns.
    """
    # As stored now: the instance in hand may be older than a move made since.
    old = type(image).objects.filter(pk=image.pk).values_list("file", flat=True).first()
    if not old or is_private_name(old) == private:
        return
    for rendition in image.renditions.all():
        rendition.file.delete(save=False)
        rendition.delete()
    storage = image.file.storage
    extension = old.rsplit(".", 1)[-1]
    with storage.open(old) as content:
        new = storage.save(image.get_upload_to(random_name(extension, private=private)), content)
    type(image).objects.filter(pk=image.pk).update(file=new)
    image.file.name = new
    if private:
        storage.delete(old)
    else:
        # Kept until the publication is committed, so a rollback loses no photo.
        transaction.on_commit(lambda: storage.delete(old))


def image_for_file(name: str):
    """Give the image a stored file (an original or a rendition) belongs to, or None."""
    Image = get_image_model()
    image = Image.objects.filter(file=name).first()
    if image is None:
        rendition = Image.get_rendition_model().objects.filter(file=name).first()
        image = rendition.image if rendition else None
    return image


def image_user_may_see_private(*, user, image) -> bool:
    """Tell whether a user may see a private image: those who may edit or choose it."""
    policy = policy_registry.get_by_type(type(image))
    return user.is_authenticated and policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], image
    )


def images_clean_stored() -> int:
    """Clean every image stored before uploads were cleaned (by its name); give how many.

    Each is re-encoded without metadata under a random public name, its old file and
    renditions deleted. Story photos are then put where their story says (stories app).
    """
    cleaned = 0
    for image in get_image_model().objects.order_by("pk"):
        old = image.file.name
        if not old or is_random_name(old):
            continue
        storage = image.file.storage
        with storage.open(old) as content:
            data = content.read()
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
            rendition.delete()
        image.file = ContentFile(data, name=old.rsplit("/", 1)[-1])
        image.save()  # cleaned and renamed on the way in (home/signals.py)
        storage.delete(old)
        cleaned += 1
    return cleaned

"""Things that change stories: telling one, withdrawing it, and purging withdrawn text."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Collection, PageLogEntry
from wagtail.search import index

from home.image_files import image_file_move

from .models import RESERVED_SLUGS, StoryIndexPage, StoryPage, StorySubmission
from .text import paragraph_html, paragraphs
from .tokens import hash_token, new_token

SUBMISSIONS_COLLECTION = "Story submissions"


@dataclass(frozen=True)
class TellResult:
    submission: StorySubmission
    token: str | None  # None when this was a repeat of a submission we already have
    created: bool


def _free_slug(index: StoryIndexPage, title: str) -> str:
    base = slugify(title)[:60].strip("-") or "story"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _submissions_collection(index: StoryIndexPage) -> Collection:
    # Apart from the groups' own collections, so organisers never see tellers' photos.
    if index.submissions_collection_id:
        return index.submissions_collection
    collection = Collection.get_first_root_node().add_child(name=SUBMISSIONS_COLLECTION)
    StoryIndexPage.objects.filter(pk=index.pk).update(submissions_collection=collection)
    index.submissions_collection = collection
    return collection


def _save_photo(*, index: StoryIndexPage, photo, description: str):
    collection = _submissions_collection(index)
    image = get_image_model()(title=description[:255], file=photo, collection=collection)
    # Private until a moderator publishes the story (see story_media_follow_page).
    image.keep_private = True
    image.save()
    return image


def _story_images(page: StoryPage) -> tuple[dict, set[int]]:
    """Give the photos that came with the story (by id), and the ids of those it shows."""
    photos = {s.photo_id: s.photo for s in page.submissions.select_related("photo") if s.photo_id}
    collection_id = (
        StoryIndexPage.objects.filter(pk=page.get_parent().pk)
        .values_list("submissions_collection", flat=True)
        .first()
    )
    shown = set()
    for block in page.body:
        image = block.value if block.block_type == "image" else None
        if image is not None and (image.pk in photos or image.collection_id == collection_id):
            photos.setdefault(image.pk, image)
            shown.add(image.pk)
    return photos, shown


def story_media_follow_page(*, page: StoryPage) -> None:
    """Put the story's photos on the web while it is published, and take them off otherwise.

    Unpublished photos, and any a moderator left out of the story, live with their
    renditions outside the public media folder and are served only to moderators.
    """
    fresh = StoryPage.objects.filter(pk=page.pk).first()
    public = fresh is not None and fresh.live and fresh.withdrawn_at is None
    photos, shown = _story_images(fresh or page)
    with transaction.atomic():
        for pk, image in sorted(photos.items()):
            image_file_move(image=image, private=not (public and pk in shown))


def story_tell(*, index: StoryIndexPage, data: dict) -> TellResult:
    """Save a story from the public form as a draft awaiting moderation; never publish it.

    `data` is StoryTellForm.cleaned_data plus "consent_text". A repeat of the same
    submission key gives back the first submission, never a second draft.
    """
    key: uuid.UUID = data["submission_key"]
    existing = StorySubmission.objects.filter(idempotency_key=key).first()
    if existing:
        return TellResult(submission=existing, token=None, created=False)

    token = new_token()
    with transaction.atomic():
        body = [("paragraph", paragraph_html(p)) for p in paragraphs(data["story"])]
        image = None
        if data.get("photo"):
            image = _save_photo(
                index=index, photo=data["photo"], description=data["photo_description"]
            )
            body.insert(
                1,
                (
                    "image",
                    {"image": image, "alt_text": data["photo_description"], "decorative": False},
                ),
            )
        page = StoryPage(
            title=data["title"],
            slug=_free_slug(index, data["title"]),
            live=False,
            teller_naming=data["naming"],
            teller_name=data.get("name", ""),
            content_note=data.get("content_note", ""),
            body=body,
        )
        # Parental relations are held in memory and saved with the page.
        page.pathways.set(data.get("pathways") or [])
        page.themes.set(data.get("themes") or [])
        page.groups.set(data.get("groups") or [])
        index.add_child(instance=page)
        page.save_revision(log_action=True)
        submission = StorySubmission.objects.create(
            page=page,
            idempotency_key=key,
            token_hash=hash_token(token),
            content_hash=data.get("content_hash", ""),
            consent_text=data["consent_text"],
            consented_at=timezone.now(),
            contact_email=data.get("contact_email", ""),
            contact_phone=data.get("contact_phone", ""),
            photo=image,
        )
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, user=None)
    return TellResult(submission=submission, token=token, created=True)


def submission_for_token(token: str) -> StorySubmission | None:
    """Give the submission a private link's token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return (
        StorySubmission.objects.select_related("page").filter(token_hash=hash_token(token)).first()
    )


def story_withdraw(*, submission: StorySubmission, now=None) -> StorySubmission:
    """Take a story down at once: unpublished, out of search and feeds, never republished."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = StorySubmission.objects.select_for_update().get(pk=submission.pk)
        if submission.withdrawn_at:
            return submission
        page = submission.page
        if page is not None:
            page = StoryPage.objects.get(pk=page.pk)
            state = page.current_workflow_state
            if state is not None:
                state.cancel(user=None)
            StoryPage.objects.filter(pk=page.pk).update(withdrawn_at=now, featured=False)
            page.withdrawn_at = now
            page.featured = False
            if page.live:
                page.unpublish(log_action=True)
            index.remove_object(page)
            story_media_follow_page(page=page)
        submission.withdrawn_at = now
        submission.save(update_fields=["withdrawn_at"])
    return submission


def stories_purge_withdrawn(*, grace_days: int, now=None) -> int:
    """Delete the text of stories withdrawn more than `grace_days` ago; give how many.

    A tombstone stays: the submission row with its dates and consent wording, no contact
    details and no story. Safe to run again and again.
    """
    now = now or timezone.now()
    purged = 0
    for submission in StorySubmission.objects.due_for_purge(now=now, grace_days=grace_days):
        with transaction.atomic():
            if submission.page_id:
                page = StoryPage.objects.filter(pk=submission.page_id).first()
                if page is not None:
                    page_id = page.pk
                    page.delete()
                    # Log entries keep the title; the story must leave no words behind.
                    PageLogEntry.objects.filter(page_id=page_id).delete()
            if submission.photo_id:
                submission.photo.delete()
            StorySubmission.objects.filter(pk=submission.pk).update(
                page=None,
                photo=None,
                contact_email="",
                contact_phone="",
                content_hash="",
                purged_at=now,
            )
        purged += 1
    return purged

"""Importing a group's calendar: who may, keeping it for the preview, and making the drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from events.checkin.permissions import organised_groups
from events.models import EventPage, GroupPage, OccurrenceChange
from home.council import is_council

from .indexing import deferred_search_index, index_pages
from .models import ImportedEvent, PendingImport
from .parse import ImportItem, ImportPlan, plan_import

PENDING_KEPT = timedelta(days=1)


def importable_groups(user):
    """Give the GroupPages `user` may import a calendar into (the council: every group)."""
    if not (user and user.is_authenticated and user.is_active):
        return GroupPage.objects.none()
    if is_council(user):
        return GroupPage.objects.all()
    return organised_groups(user)


def pending_import_create(*, group: GroupPage, data: bytes, source: str = "") -> PendingImport:
    """Keep a calendar for its preview (and forget ones left unconfirmed for a day)."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_KEPT).delete()
    return PendingImport.objects.create(group=group, data=data, source=source[:2000])


def import_plan(*, pending: PendingImport) -> ImportPlan:
    """Give what the kept calendar would make today (``parse.plan_import``)."""
    return plan_import(bytes(pending.data), today=timezone.localdate())


@dataclass
class ImportResult:
    created: list[EventPage] = field(default_factory=list)
    updated: list[EventPage] = field(default_factory=list)
    unchanged: int = 0


def _description(item: ImportItem) -> list:
    paragraphs = [p for p in item.description.split("\n") if p.strip()]
    if item.location:
        paragraphs.append(_("Where (from your calendar): %(where)s") % {"where": item.location})
    if not paragraphs:
        return []
    return [("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs))]


def _fill(page: EventPage, item: ImportItem) -> None:
    page.title = item.title
    page.draft_title = item.title
    page.summary = item.summary
    page.description = _description(item)
    for name, value in item.fields.items():
        setattr(page, name, value)
    page.occurrence_changes = [
        OccurrenceChange(
            original_date=change.original_date,
            status=change.status,
            note=change.note,
            new_date=change.new_date,
            new_start_time=change.new_start_time,
            new_end_time=change.new_end_time,
        )
        for change in item.changes
    ]


def _slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:70] or "event"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


@transaction.atomic
def calendar_import(*, group: GroupPage, plan: ImportPlan, user) -> ImportResult:
    """Make (or update, found by UID) a draft EventPage under `group` for each item.

    Nothing is published: each draft is a revision the organisers review and submit for
    approval. An event already published gets the import as a new draft revision; its live
    version stays as it is until the council approves. All or nothing.
    """
    result = ImportResult()
    links = {
        link.uid: link
        for link in ImportedEvent.objects.filter(
            group=group, uid__in=[i.uid for i in plan.items]
        ).select_related("event")
    }
    taken = set(group.get_children().values_list("slug", flat=True))
    new_links, touched = [], []
    # Wagtail indexes a page's references and its search text on each save (twice per draft:
    # the page, then its revision); once per page afterwards gives the same indexes for less
    # than half the work (see indexing.py).
    with disable_reference_index_auto_update(), deferred_search_index():
        for item in plan.items:
            link = links.get(item.uid)
            if link is not None and link.fingerprint == item.fingerprint:
                result.unchanged += 1
                continue
            if link is None:
                page = EventPage(
                    slug=_slug(item.title, taken),
                    live=False,
                    owner=user,
                    locale_id=group.locale_id,  # as Wagtail would choose, without asking
                )
                _fill(page, item)
                group.add_child(instance=page)
                # The parser validated the schedule and chose a free slug: no second check.
                # Saving the new page logged its creation already, as in Wagtail's own
                # create view (which saves its first revision without a log entry too).
                page.save_revision(user=user, log_action=False, clean=False)
                new_links.append(
                    ImportedEvent(
                        group=group, uid=item.uid, event=page, fingerprint=item.fingerprint
                    )
                )
                result.created.append(page)
                touched.append(page)
                continue
            page = link.event
            draft = page.get_latest_revision_as_object() if page.latest_revision_id else page
            _fill(draft, item)
            if not page.live:
                draft.save()  # a draft's own row follows its latest revision
            draft.save_revision(user=user, log_action=True, clean=False)
            link.fingerprint = item.fingerprint
            link.save(update_fields=["fingerprint", "imported_at"])
            result.updated.append(draft)
            touched.append(draft)
    ImportedEvent.objects.bulk_create(new_links)
    for page in touched:
        ReferenceIndex.create_or_update_for_object(page)
    index_pages(touched)
    return result


NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


def import_states(*, group: GroupPage, plan: ImportPlan) -> dict[str, str]:
    """Give {uid: "new", "update" or "unchanged"}: what confirming would do to each item."""
    known = dict(
        ImportedEvent.objects.filter(group=group, uid__in=[i.uid for i in plan.items]).values_list(
            "uid", "fingerprint"
        )
    )
    return {
        item.uid: NEW
        if item.uid not in known
        else (UNCHANGED if known[item.uid] == item.fingerprint else UPDATE)
        for item in plan.items
    }

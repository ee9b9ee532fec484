"""Services with side effects for groups and events."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from . import schedule as sched
from .models import EventPage, EventProposal, GroupIndexPage, GroupKind, GroupPage, Occurrence
from .models.proposals import PROPOSALS_SLUG

# What a group's organisers may do with their own GroupPage subtree. No
# "publish": their changes go to the council's moderators for approval.
ORGANISER_PAGE_PERMISSIONS = ("add_page", "change_page")
ORGANISER_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
ORGANISER_MODEL_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("events", "add_venue"),
    ("events", "view_venue"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def _original_group(group_page: GroupPage) -> GroupPage | None:
    """The group page in the default language that `group_page` translates, if it does."""
    from home.locale import default_locale_id

    default = default_locale_id()
    if default is None or group_page.locale_id == default:
        return None
    return GroupPage.objects.filter(
        translation_key=group_page.translation_key, locale_id=default
    ).first()


def group_organisers_ensure(*, group_page: GroupPage) -> Group:
    """Give the group page its organisers' user group, with rights over its subtree only.

    Safe to call again: it adds what is missing and changes nothing else.
    """
    original = _original_group(group_page)
    if original is not None:
        # A translation of a group: the same organisers edit it (the user group is the
        # original's; a group has one, so the translation does not hold it too).
        organisers = group_organisers_ensure(group_page=original)
    elif group_page.organisers_id:
        organisers = group_page.organisers
    else:
        name = f"Organisers: {group_page.title}"[:150]
        organisers, _created = Group.objects.get_or_create(name=name)
        GroupPage.objects.filter(pk=group_page.pk).update(organisers=organisers)
        group_page.organisers = organisers

    for codename in ORGANISER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=organisers, page=group_page, permission=_permission("wagtailcore", codename)
        )

    collection = _group_collection(group_page)
    for codename in ORGANISER_IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=organisers,
            collection=collection,
            permission=_permission("wagtailimages", codename),
        )
    organisers.permissions.add(
        *(_permission(app, codename) for app, codename in ORGANISER_MODEL_PERMISSIONS)
    )
    return organisers


def _group_collection(group_page: GroupPage) -> Collection:
    if group_page.collection_id:
        return group_page.collection
    collection = Collection.get_first_root_node().add_child(name=group_page.title[:255])
    GroupPage.objects.filter(pk=group_page.pk).update(collection=collection)
    group_page.collection = collection
    return collection


# ---- Occurrences ----------------------------------------------------------------------

# How far ahead dates are stored; `manage.py materialise_occurrences` rolls it on daily.
HORIZON = timedelta(days=548)  # about 18 months


@dataclass(frozen=True)
class RegenerateResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: int = 0  # no longer in the schedule, kept because something hangs on them


def occurrences_with_dependants(occurrence_ids) -> set[int]:
    """Give the ids among `occurrence_ids` that anything (attendance, counts...) points at.

    Found through the model's reverse relations, so events need not import check-in.
    """
    ids = list(occurrence_ids)
    found: set[int] = set()
    if not ids:
        return found
    for relation in Occurrence._meta.related_objects:
        # A log that lets go of a removed date (SET_NULL) does not hold it.
        if relation.on_delete in (models.SET_NULL, models.SET_DEFAULT):
            continue
        if relation.one_to_many or relation.one_to_one:
            field = relation.field
            found.update(
                relation.related_model._base_manager.filter(
                    **{f"{field.name}__in": ids}
                ).values_list(field.attname, flat=True)
            )
    return found


def page_has_attendance(*, page) -> bool:
    """Tell whether any event at or under `page` has a date that something hangs on."""
    events = EventPage.objects.descendant_of(page, inclusive=True)
    dates = Occurrence.objects.filter(event__in=events).values_list("pk", flat=True)
    return bool(occurrences_with_dependants(dates))


def schedule_fingerprint(*, event: EventPage) -> str:
    """Give a hash of everything that decides the event's dates."""
    changes = sorted(event.schedule_changes(), key=lambda c: c.original_date)
    text = repr((event.schedule, changes, event.venue_id))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def occurrences_regenerate(
    *, event: EventPage, now: datetime | None = None, horizon: timedelta = HORIZON
) -> RegenerateResult:
    """Store the event's dates up to the horizon, after an edit or as time rolls on.

    Dates that have ended are history and stay as they are (except on an event's first
    materialisation, which fills them in). A date the schedule no longer gives is deleted,
    unless attendance (or anything else) hangs on it: then it is kept, marked as no longer
    in the schedule. Each date of the series is one row for good, found by its planned
    local day: if the series' time changes, the row's original_start follows it (so it stays
    the RECURRENCE-ID a feed uses) and whatever hangs on the row stays with it.
    """
    now = now or timezone.now()
    schedule = event.schedule
    zone = schedule.zone

    def day_of(moment):
        return moment.astimezone(zone).date()

    # A date of the series is one row, found by its planned day: when the series' time
    # changes, the same row (and the attendance on it) moves with it.
    existing = {day_of(o.original_start): o for o in Occurrence.objects.filter(event=event)}
    first_time = not existing
    since = None if first_time else now - timedelta(days=sched.MAX_DURATION_DAYS + 1)
    slots = sched.expand(schedule, start=since, end=now + horizon)
    planned = sched.apply_changes(slots, event.schedule_changes(), schedule)

    to_create, to_update, wanted = [], [], set()
    for plan in planned:
        day = day_of(plan.original_start)
        wanted.add(day)
        current = existing.get(day)
        if current is None:
            if first_time or plan.end >= now:
                to_create.append(Occurrence.from_plan(event, plan))
            continue
        if current.end < now:
            continue  # history
        values = {
            "original_start": plan.original_start,
            "start": plan.start,
            "end": plan.end,
            "status": plan.status,
            "note": plan.note,
            "venue_id": plan.venue_id,
            "in_schedule": True,
        }
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)

    gone = [o for day, o in existing.items() if day not in wanted and o.end >= now]
    protected = occurrences_with_dependants(o.pk for o in gone)
    to_keep = [o for o in gone if o.pk in protected and o.in_schedule]
    to_delete = [o.pk for o in gone if o.pk not in protected]
    for occurrence in to_keep:
        occurrence.in_schedule = False
    for occurrence in to_update + to_keep:
        occurrence.updated_at = now
    Occurrence.objects.filter(pk__in=to_delete).delete()
    Occurrence.objects.bulk_create(to_create)
    Occurrence.objects.bulk_update(
        to_update + to_keep,
        [
            "original_start",
            "start",
            "end",
            "status",
            "note",
            "venue_id",
            "in_schedule",
            "updated_at",
        ],
    )
    _schedule_bookkeeping(event=event, now=now)
    return RegenerateResult(
        created=len(to_create), updated=len(to_update), deleted=len(to_delete), kept=len(to_keep)
    )


def _schedule_bookkeeping(*, event: EventPage, now: datetime) -> None:
    """Raise the feed SEQUENCE and LAST-MODIFIED when the dates' inputs changed."""
    fingerprint = schedule_fingerprint(event=event)
    if fingerprint == event.schedule_fingerprint:
        return
    updates = {"schedule_fingerprint": fingerprint, "schedule_changed_at": now}
    if event.schedule_fingerprint:
        updates["schedule_sequence"] = models.F("schedule_sequence") + 1
    EventPage.objects.filter(pk=event.pk).update(**updates)
    event.refresh_from_db(
        fields=["schedule_fingerprint", "schedule_changed_at", "schedule_sequence"]
    )


def occurrences_roll_on(*, now: datetime | None = None) -> int:
    """Regenerate every live event's dates up to the horizon; give how many events."""
    events = EventPage.objects.live().filter(start_date__isnull=False)
    count = 0
    for event in events.iterator():
        occurrences_regenerate(event=event, now=now)
        count += 1
    return count


# ---- Proposals from groups without an account ---------------------------------------

REPEATS = {
    "once": {"frequency": sched.ONCE},
    "weekly": {"frequency": sched.WEEKLY},
    "fortnightly": {"frequency": sched.WEEKLY, "interval": 2},
    "monthly": {"frequency": sched.MONTHLY, "monthly_mode": sched.BY_DAY},
}


def proposals_holding_group() -> GroupPage:
    """Give the unpublished "Proposed events" group that holds proposals (made once)."""
    existing = GroupPage.objects.filter(slug=PROPOSALS_SLUG).first()
    if existing:
        return existing
    index = GroupIndexPage.objects.first()
    if index is None:
        raise LookupError("The site has no group index page to hold proposals.")
    holding = GroupPage(
        title="Proposed events (not yet claimed)",
        slug=PROPOSALS_SLUG,
        kind=GroupKind.COUNCIL,
        summary="Events proposed through the public form, waiting for the council.",
        live=False,
    )
    index.add_child(instance=holding)
    return holding


@transaction.atomic
def event_proposal_create(*, data: dict) -> EventPage:
    """Turn a public proposal into a draft EventPage in moderation; never publishes it."""
    holding = proposals_holding_group()
    slug_base = slugify(data["title"])[:60] or "event"
    slug = f"{slug_base}-{uuid.uuid4().hex[:6]}"
    paragraphs = [data["summary"], data.get("description") or ""]
    paragraphs.append(f"Where: {data['venue_details']}")
    paragraphs.append(f"Proposed by: {data['group_name']}")
    event = EventPage(
        title=data["title"],
        slug=slug,
        summary=data["summary"],
        description=[
            ("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p.strip()))
        ],
        start_date=data["start_date"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        is_free=data.get("is_free", True),
        cost="" if data.get("is_free", True) else "Ask the organisers",
        alcohol_free=data.get("alcohol_free", True),
        family_friendly=data.get("family_friendly", False),
        weekdays=sched.WEEKDAY_CODES[data["start_date"].weekday()],
        live=False,
        **REPEATS[data.get("repeats") or "once"],
    )
    holding.add_child(instance=event)
    event.categories.set(data.get("categories") or [])
    event.save_revision()
    EventProposal.objects.create(
        event=event,
        name=data["your_name"],
        email=data["your_email"],
        group_name=data["group_name"],
        venue_details=data["venue_details"],
    )
    workflow = event.get_workflow()
    if workflow is not None:
        workflow.start(event, user=None)
    return event

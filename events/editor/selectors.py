"""What the organiser's home shows: their groups, next dates and where submissions stand."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState

from ..models import EventPage, GroupPage, Occurrence

DRAFT, IN_MODERATION, PUBLISHED, CHANGES_REQUESTED, UNPUBLISHED_CHANGES = (
    _("Draft"),
    _("Waiting for approval"),
    _("Published"),
    _("Changes requested"),
    _("Published; newer changes are a draft"),
)


@dataclass
class Submission:
    page: EventPage
    status: str
    needs_action: bool


def organiser_groups(user) -> list:
    """The GroupPages `user` organises (one query)."""
    return list(GroupPage.objects.filter(organisers__in=user.groups.all()).order_by("title"))


def organiser_next_dates(groups, *, limit: int = 5) -> list:
    """The next dates of the groups' events, with their event (one query)."""
    return list(
        Occurrence.objects.filter(event__group__in=groups)
        .upcoming()
        .in_schedule()
        .select_related("event")[:limit]
    )


def organiser_submissions(groups, *, limit: int = 20) -> list[Submission]:
    """Where each of the groups' events stands (two queries, however many events)."""
    events = list(
        EventPage.objects.filter(group__in=groups)
        .order_by("-latest_revision_created_at", "title")
        .only("pk", "title", "live", "has_unpublished_changes", "group_id", "draft_title")[:limit]
    )
    states = {
        int(state.object_id): state.status
        for state in WorkflowState.objects.active().filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(e.pk) for e in events],
        )
    }
    found = []
    for event in events:
        state = states.get(event.pk)
        if state == WorkflowState.STATUS_NEEDS_CHANGES:
            found.append(Submission(event, CHANGES_REQUESTED, True))
        elif state == WorkflowState.STATUS_IN_PROGRESS:
            found.append(Submission(event, IN_MODERATION, False))
        elif not event.live:
            found.append(Submission(event, DRAFT, True))
        elif event.has_unpublished_changes:
            found.append(Submission(event, UNPUBLISHED_CHANGES, True))
        else:
            found.append(Submission(event, PUBLISHED, False))
    return found

"""Reads for introductions: whose they are, who may see one, a navigator's follow-up list,
and who is expected at a date.
"""

from datetime import datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.checkin.models import Attendance
from events.checkin.permissions import can_manage_event
from events.models import Occurrence
from events.models.groups import CIVIC_KINDS
from home.council import is_council

from .figures import IntroductionRow
from .models import Introduction, NavigatorOrganisation, PeerMentor, WelcomeDuty

# "Came back": another date of the same group within this long of the introduced one.
CAME_BACK_WITHIN = timedelta(weeks=8)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def navigator_organisations(user):
    """The navigator organisations the user is a navigator of."""
    if not _active(user):
        return NavigatorOrganisation.objects.none()
    return NavigatorOrganisation.objects.filter(navigators__user=user).select_related(
        "organisation"
    )


def is_navigator(user) -> bool:
    return navigator_organisations(user).exists()


def can_see_introduction(user, introduction: Introduction) -> bool:
    """Its organisation's navigators, the date's organisers, its mentor on duty, the council."""
    if not _active(user):
        return False
    if is_council(user):
        return True
    if navigator_organisations(user).filter(pk=introduction.organisation_id).exists():
        return True
    if WelcomeDuty.objects.filter(
        occurrence_id=introduction.occurrence_id, mentor__user=user
    ).exists():
        return True
    return can_manage_event(user, introduction.occurrence.event)


def may_see_expected(user, occurrence) -> bool:
    """Whether the user may see who is expected at this date by introduction."""
    if not _active(user):
        return False
    if WelcomeDuty.objects.filter(occurrence=occurrence, mentor__user=user).exists():
        return True
    return can_manage_event(user, occurrence.event)


def _same_group_later():
    """Attendance of the introduced person at another date of the same group, within 8 weeks."""
    return Attendance.objects.filter(
        participant_id=OuterRef("participant_id"),
        occurrence__event__group_id=OuterRef("occurrence__event__group_id"),
        occurrence__start__gt=OuterRef("occurrence__start"),
        occurrence__start__lte=OuterRef("occurrence__start") + CAME_BACK_WITHIN,
    )


def _other_groups():
    """How many other groups the person has since taken part with (a count, never which)."""
    return (
        Attendance.objects.filter(
            participant_id=OuterRef("participant_id"),
            occurrence__start__gt=OuterRef("occurrence__start"),
        )
        .exclude(occurrence__event__group_id=OuterRef("occurrence__event__group_id"))
        .order_by()
        .values("participant_id")
        .annotate(n=Count("occurrence__event__group_id", distinct=True))
        .values("n")
    )


def with_outcomes(introductions):
    """Annotate `came_back_now` and `other_groups_now`: live while the person is linked,
    what retention kept afterwards. Other groups only with the person's consent.
    """
    return introductions.annotate(
        came_back_now=Coalesce(
            "came_back", Exists(_same_group_later()), output_field=BooleanField()
        ),
        other_groups_now=Coalesce(
            "other_groups", Subquery(_other_groups(), output_field=IntegerField()), 0
        ),
    )


def follow_up_list(*, user, limit: int = 50, offset: int = 0) -> list[Introduction]:
    """A navigator's introductions (their organisations'), newest first, with outcomes."""
    organisations = navigator_organisations(user).values("pk")
    rows = (
        with_outcomes(Introduction.objects.filter(organisation__in=organisations))
        .select_related("occurrence__event", "organisation__organisation")
        .order_by("-created", "-pk")[offset : offset + limit]
    )
    return list(rows)


def expected_at(occurrence) -> list[Introduction]:
    """Who is expected at this date by introduction, in one query (never one per person)."""
    return list(
        Introduction.objects.expected_at(occurrence.pk)
        .filter(sharing_stopped_at__isnull=True)
        .select_related("organisation__organisation")
        .order_by("chosen_name", "pk")
    )


def mine(participant) -> list[Introduction]:
    """The person's own introductions, for their record."""
    return list(
        participant.introductions.select_related(
            "occurrence__event", "organisation__organisation"
        ).order_by("-occurrence__start")
    )


def again_from(pk: str, organisations) -> Introduction | None:
    """A missed introduction of the navigator's organisations to make again, or None."""
    if not str(pk).isdigit():
        return None
    return (
        Introduction.objects.filter(
            pk=int(pk),
            organisation__in=[o.pk for o in organisations],
            participant__isnull=False,
            came_at__isnull=True,
            sharing_stopped_at__isnull=True,
        )
        .select_related("occurrence__event")
        .first()
    )


def next_date_of_group(group_id, *, after=None):
    """The group's next public date still to come that is not cancelled, or None."""
    dates = (
        Occurrence.objects.visible()
        .filter(event__group_id=group_id)
        .upcoming()
        .exclude(status=Occurrence.Status.CANCELLED)
    )
    if after is not None:
        dates = dates.filter(start__gt=after)
    return dates.first()


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def figure_rows(*, start, end, organisation_id=None) -> list:
    """The plain rows the figures are made from: introductions to dates in [start, end),
    two days (local midnights).
    """
    start, end = (_midnight(day) for day in (start, end))
    introductions = with_outcomes(
        Introduction.objects.filter(occurrence__start__gte=start, occurrence__start__lt=end)
    )
    if organisation_id is not None:
        introductions = introductions.filter(organisation_id=organisation_id)
    civic = {str(kind) for kind in CIVIC_KINDS}
    values = introductions.values_list(
        "organisation__organisation__kind",
        "occurrence__event__group__kind",
        "came_at",
        "came_back_now",
        "share_other_groups",
        "other_groups_now",
    )
    return [
        IntroductionRow(
            kind=kind,
            civic=kind in civic,
            into_community=(host or "") not in civic,
            came=came_at is not None,
            came_back=bool(came_back),
            shares_other_groups=shares,
            other_groups=other or 0,
        )
        for kind, host, came_at, came_back, shares, other in values.iterator()
    ]


def mentoring(user):
    """The peer-mentor roles the user holds, with their groups."""
    if not _active(user):
        return PeerMentor.objects.none()
    return PeerMentor.objects.filter(user=user).select_related("group")


def may_manage_mentors(user, group) -> bool:
    """The group's organisers and the council mark the group's peer mentors."""
    if not _active(user):
        return False
    return is_council(user) or user.groups.filter(pk=group.organisers_id).exists()


def welcome_dates(event, *, limit: int = 6) -> list:
    """The event's coming dates at which a peer mentor will meet newcomers (one query: the
    event page being shown is one its reader may see)."""
    return list(
        Occurrence.objects.filter(event=event, in_schedule=True, welcome_duties__isnull=False)
        .upcoming()
        .exclude(status=Occurrence.Status.CANCELLED)
        .distinct()[:limit]
    )


def export_of(participant) -> list[dict]:
    """The person's introductions, for the download of their record."""
    return [
        {
            "introduced_by": str(i.organisation),
            "event": i.occurrence.event.title,
            "date": i.occurrence.start.isoformat(),
            "chosen_name": i.chosen_name,
            "note": i.note,
            "consent": i.consent_text,
            "consented_at": i.consented_at.isoformat(),
            "share_other_groups": i.share_other_groups,
            "sharing_stopped_at": i.sharing_stopped_at.isoformat()
            if i.sharing_stopped_at
            else None,
            "came_at": i.came_at.isoformat() if i.came_at else None,
        }
        for i in mine(participant)
    ]

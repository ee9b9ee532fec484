"""Fetch the plain rows the figures are computed from, in a fixed, small number of queries.

`period_dataset` makes seven queries, whatever the period or the number of people: the
dates, the co-hosts, the groups, the attendances, the anonymous counts (summed in SQL), the
participants' consented communities, and who came before the period. Everything comes as
tuples (values_list), never as model instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connections
from django.db.models import Count, Q
from django.utils import timezone

from events.checkin.models import AnonymousCount, Attendance, Participant
from events.models import EventPage, GroupPage, Occurrence
from events.models.groups import CIVIC_KINDS

from .figures import COMMUNITY_BITS, Dataset, OccurrenceRow


@dataclass(frozen=True)
class GroupRow:
    id: int
    title: str
    kind: str
    civic: bool


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def fetch_tuples(queryset) -> list[tuple]:
    """Give a values_list queryset's rows straight from the database cursor.

    For the big columns: it skips the ORM's per-row work (a few hundred milliseconds on
    100,000 rows) and its value converters, so only integers and text come back as the
    ORM would give them (datetimes go through `as_aware`).
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_aware(value) -> datetime:
    """Give a datetime column's raw value (SQLite gives UTC text) as an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def groups_by_id() -> dict[int, GroupRow]:
    """Give every group page (one query)."""
    return {
        pk: GroupRow(id=pk, title=title, kind=kind, civic=kind in CIVIC_KINDS)
        for pk, title, kind in GroupPage.objects.order_by("title").values_list(
            "pk", "title", "kind"
        )
    }


def held_occurrences(start: date, end: date, now: datetime | None = None):
    """Give the dates that took place from `start` to `end` (local days, both included)."""
    until = min(local_midnight(end + timedelta(days=1)), now or timezone.now())
    return Occurrence.objects.filter(start__gte=local_midnight(start), start__lt=until).exclude(
        status=Occurrence.Status.CANCELLED
    )


def period_dataset(
    start: date,
    end: date,
    *,
    group_id: int | None = None,
    groups: dict[int, GroupRow] | None = None,
    now: datetime | None = None,
) -> Dataset:
    """Give the rows of the whole city for the period (``seen_before`` for `group_id`)."""
    groups = groups_by_id() if groups is None else groups
    held = held_occurrences(start, end, now)

    cohosts: dict[int, list[int]] = {}
    through = EventPage.partner_groups.through
    for event_id, group in through.objects.values_list("eventpage_id", "grouppage_id"):
        cohosts.setdefault(event_id, []).append(group)

    tz = timezone.get_current_timezone()
    per_event: dict[int, tuple[tuple[int, ...], bool]] = {}
    occurrences = []
    erased: dict[int, int] = {}
    for pk, event_id, start_at, host, erased_people in fetch_tuples(
        held.values_list(
            "pk", "event_id", "start", "event__group_id", "erased_count__people"
        ).order_by()
    ):
        if erased_people:
            erased[pk] = erased_people
        if event_id not in per_event:
            partners = tuple(cohosts.get(event_id, ()))
            civic = any(g in groups and groups[g].civic for g in (host, *partners))
            per_event[event_id] = partners, civic
        partners, civic = per_event[event_id]
        occurrences.append(
            OccurrenceRow(
                id=pk,
                event_id=event_id,
                day=as_aware(start_at).astimezone(tz).date(),
                host_group_id=host,
                cohost_group_ids=partners,
                civic=civic,
            )
        )

    attendances = fetch_tuples(
        Attendance.objects.filter(occurrence__in=held)
        .order_by()
        .values_list("participant_id", "occurrence_id")
    )
    anonymous = dict(
        AnonymousCount.objects.filter(occurrence__in=held)
        .order_by()
        .values("occurrence_id")
        .annotate(n=Count("id"))
        .values_list("occurrence_id", "n")
    )
    # People whose attendance was erased still came: one number per date (read above).
    for pk, people in erased.items():
        anonymous[pk] = anonymous.get(pk, 0) + people

    communities: dict[int, int] = {}
    roles = Participant.roles.through.objects.filter(
        participant__roles_consent_at__isnull=False
    ).values_list("participant_id", "role__community")
    for participant_id, community in fetch_tuples(roles.order_by()):
        communities[participant_id] = communities.get(participant_id, 0) | COMMUNITY_BITS.get(
            community, 0
        )

    # "IN (dates before)" lets the database walk the (occurrence, participant) index.
    earlier = Occurrence.objects.filter(start__lt=local_midnight(start))
    if group_id is not None:
        earlier = earlier.filter(Q(event__group_id=group_id) | Q(event__partner_groups=group_id))
    before = Attendance.objects.filter(occurrence__in=earlier.values("pk"))
    seen_before = frozenset(
        pk for (pk,) in fetch_tuples(before.order_by().values_list("participant_id").distinct())
    )

    return Dataset(
        start=start,
        end=end,
        occurrences=occurrences,
        attendances=attendances,
        anonymous=anonymous,
        communities=communities,
        seen_before=seen_before,
    )

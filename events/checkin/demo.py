"""The demo city's participants, passes and months of attendance (deterministic, idempotent).

Runs after the events demo step. ~150 participants with varied roles: regulars who keep
coming back to one group (bonding), some who also go to a second group (bridging), some
professionals from civic partners (linking), and anonymous +1s. Dates in the past five
months that already have attendance are left alone, so running it again adds nothing; if
the events step has added new past dates since, only those get attendance.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import GroupPage, Occurrence

from .models import AnonymousCount, Attendance, Method, Participant, Pass, Role

SEED = 20240601
PARTICIPANTS = 150
HISTORY_DAYS = 150

FIRST = [
    "Alex",
    "Bea",
    "Cal",
    "Dani",
    "Eli",
    "Fran",
    "Gus",
    "Hana",
    "Ivo",
    "Jules",
    "Kai",
    "Lou",
    "Mo",
    "Nat",
    "Ola",
    "Pip",
    "Quin",
    "Ray",
    "Sol",
    "Tam",
    "Uma",
    "Vic",
    "Wyn",
    "Yas",
    "Zed",
    "Ash",
    "Bo",
    "Cass",
    "Dev",
    "Em",
]
SUFFIX = ["", " B", " the runner", " from Eastfield", " K", " (café)", " M", " R", " T", " W"]

# Which roles people at each kind of group tend to hold, with weights.
ROLE_WEIGHTS = {
    "in-recovery": 30,
    "leaving-crime-behind": 12,
    "mental-health-recovery": 18,
    "family-or-friend": 12,
    "local-resident": 20,
    "volunteer": 12,
    "peer-mentor": 6,
    "professional": 8,
}


def _nicknames() -> list[str]:
    names = [f"{first}{suffix}" for suffix in SUFFIX for first in FIRST]
    return names[:PARTICIPANTS]


def _participants() -> list[Participant]:
    roles = {role.slug: role for role in Role.objects.all()}
    existing = {p.nickname: p for p in Participant.objects.filter(nickname__in=_nicknames())}
    people = []
    for nickname in _nicknames():
        person = existing.get(nickname)
        rng = random.Random(f"{SEED}:{nickname}")  # noqa: S311  (demo data, not secrets)
        picks = rng.sample(list(ROLE_WEIGHTS), k=rng.choice([0, 1, 1, 2, 2, 3]))
        consent = bool(picks) and rng.random() < 0.8
        if person is None:
            person = Participant.objects.create(
                nickname=nickname,
                email=f"{nickname.split()[0].lower()}{len(people)}@example.org"
                if rng.random() < 0.3
                else "",
                roles_consent_at=timezone.now() - timedelta(days=rng.randint(30, 170))
                if consent
                else None,
            )
            if consent:
                person.roles.set([roles[slug] for slug in picks if slug in roles])
            created_by = Pass.CreatedBy.ORGANISER if rng.random() < 0.15 else Pass.CreatedBy.SELF
            if rng.random() < 0.05:  # lost a pass once and replaced it
                Pass.objects.create(
                    participant=person, created_by=created_by, revoked_at=timezone.now()
                )
            Pass.objects.create(participant=person, created_by=created_by)
        people.append(person)
    return people


def _habits(rng: random.Random, people, group_ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    """Give each group the (participant id, chance of coming) of the people who go there."""
    habits: dict[int, list[tuple[int, float]]] = {pk: [] for pk in group_ids}
    if not group_ids:
        return habits
    for person in people:
        home = rng.choice(group_ids)
        habits[home].append((person.pk, rng.choice([0.75, 0.6, 0.45, 0.25])))
        if rng.random() < 0.25:  # bridging: also goes to a second group now and then
            other = rng.choice([pk for pk in group_ids if pk != home] or [home])
            if other != home:
                habits[other].append((person.pk, rng.choice([0.3, 0.15])))
    return habits


def load(**_context) -> dict:
    people = _participants()
    now = timezone.now()
    past = list(
        Occurrence.objects.filter(
            start__gte=now - timedelta(days=HISTORY_DAYS),
            end__lt=now,
        )
        .exclude(status=Occurrence.Status.CANCELLED)
        .exclude(attendances__isnull=False)
        .exclude(anonymous_counts__isnull=False)
        .select_related("event")
        .order_by("start")
    )
    group_ids = list(GroupPage.objects.order_by("slug").values_list("pk", flat=True))
    habits = _habits(random.Random(SEED), people, group_ids)  # noqa: S311
    organisers = {
        user.username: user
        for user in get_user_model().objects.filter(username__startswith="organiser-")
    }
    attendances, counts = [], []
    for occurrence in past:
        # Seeded by the date's identity: the same history whatever order dates appear in.
        seed = f"{SEED}:{occurrence.event_id}:{occurrence.original_start:%Y%m%d%H%M}"
        day = random.Random(seed)  # noqa: S311
        group = occurrence.event.group
        scanner = organisers.get(f"organiser-{group.slug}") if group else None
        for participant_id, chance in habits.get(occurrence.event.group_id, []):
            if day.random() < chance:
                method = day.choices(
                    [Method.SCAN, Method.SELF, Method.SEARCH, Method.DOOR], [70, 18, 8, 4]
                )[0]
                attendances.append(
                    Attendance(
                        occurrence=occurrence,
                        participant_id=participant_id,
                        checked_in_at=occurrence.start + timedelta(minutes=day.randint(-10, 40)),
                        method=method,
                        recorded_by=None if method == Method.SELF else scanner,
                    )
                )
        for _ in range(day.choice([0, 0, 1, 1, 2, 3, 5])):
            counts.append(
                AnonymousCount(
                    occurrence=occurrence,
                    source=day.choice([AnonymousCount.Source.DOOR, AnonymousCount.Source.SELF]),
                    counted_at=occurrence.start + timedelta(minutes=day.randint(0, 30)),
                )
            )
    Attendance.objects.bulk_create(attendances, ignore_conflicts=True, batch_size=500)
    AnonymousCount.objects.bulk_create(counts, batch_size=500)
    load_quiet_month(people, now=now)
    return {"participants": people}


# How many people came in the quiet month: fewer than the figures' threshold (5).
QUIET_PEOPLE = 3


def load_quiet_month(people, *, now) -> None:
    """Give the month before the history begins one date with three people.

    A city's first month is often this quiet: the figures hide it (on "our city in
    numbers" and in the dashboard), so the demo shows suppression at work. Done once: a
    second run finds attendance before the history and adds nothing.
    """
    history_starts = now - timedelta(days=HISTORY_DAYS)
    if Attendance.objects.filter(occurrence__start__lt=history_starts).exists():
        return
    history_month = timezone.localtime(history_starts).date().replace(day=1)
    quiet_month = (history_month - timedelta(days=1)).replace(day=1)
    first = (
        Occurrence.objects.filter(start__date__gte=quiet_month, start__date__lt=history_month)
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by("start", "pk")
        .first()
    )
    if first is None or len(people) < QUIET_PEOPLE:
        return
    Attendance.objects.bulk_create(
        [
            Attendance(
                occurrence=first,
                participant=person,
                checked_in_at=first.start + timedelta(minutes=5 * i),
                method=Method.SCAN,
            )
            for i, person in enumerate(people[:QUIET_PEOPLE])
        ],
        ignore_conflicts=True,
    )

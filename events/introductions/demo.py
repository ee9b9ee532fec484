"""The demo city's navigators, peer mentors and months of introductions (deterministic,
idempotent). Runs after check-in's demo step: it uses its participants and past dates.

Navigators at the probation service, the health partner, the council and the
lived-experience café; peer mentors in several groups, on welcome duty at coming dates;
introductions over the past months where about three in five came, some came back and a
few (who agreed to it being counted) went on to other groups, so every figure shows
something true.
"""

import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.checkin.models import Attendance, Method, Participant
from events.models import Occurrence
from home.demo.site import demo_password_hash

from .models import Introduction, PeerMentor, WelcomeDuty
from .services import consent_wording, navigator_organisation_create

SEED = 20241414
NAVIGATORS = {
    "probation-pathways": ["Priya", "Owen"],
    "community-health": ["Hazel"],
    "council-communities": ["Carl"],
    "recovery-cafe": ["Rosa"],
}
MENTORS = {"recovery-cafe": ["Sam", "Jo"], "smart-recovery": ["Ade"], "forward-strides": ["Mel"]}
INTO = ("recovery-cafe", "smart-recovery", "forward-strides", "open-canvas", "families-together")
NOTES = ["A bit nervous; likes to sit near the door.", "Would like a cup of tea first.", ""]


def _user(username, first_name):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name}
    )
    if created:
        user.password = demo_password_hash()
        user.save()
    return user


def load(groups=None, **_context) -> dict:
    if not groups:
        return {}
    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    now = timezone.now()
    organisations = {}
    for slug, names in NAVIGATORS.items():
        if slug not in groups:
            continue
        organisation = navigator_organisation_create(organisation=groups[slug])
        organisations[slug] = organisation
        for name in names:
            _user(f"navigator-{name.lower()}", name).groups.add(organisation.navigators)
    for slug, names in MENTORS.items():
        if slug not in groups:
            continue
        for name in names:
            mentor, _created = PeerMentor.objects.get_or_create(
                group=groups[slug],
                user=_user(f"mentor-{name.lower()}", name),
                defaults={"first_name": name, "named_consent_at": now},
            )
            coming = Occurrence.objects.filter(event__group=groups[slug]).upcoming(now)[:6]
            for occurrence in coming:
                WelcomeDuty.objects.get_or_create(mentor=mentor, occurrence=occurrence)
    if Introduction.objects.exists() or not organisations:
        return {"navigator_organisations": organisations}
    people = list(Participant.objects.order_by("pk")[:120])
    if not people:
        return {"navigator_organisations": organisations}
    past = list(
        Occurrence.objects.filter(
            event__group__slug__in=INTO,
            start__gte=now - timedelta(days=150),
            end__lt=now,
            in_schedule=True,
        )
        .exclude(status=Occurrence.Status.CANCELLED)
        .select_related("event__group")
        .order_by("start")
    )
    later_of = {}
    for occurrence in past:
        later_of.setdefault(occurrence.event_id, []).append(occurrence)
    made = []
    for slug, organisation in organisations.items():
        for _n in range(30 if slug == "probation-pathways" else 18):
            occurrence = rng.choice(past)
            person = rng.choice(people)
            if any(
                i.participant_id == person.pk and i.occurrence_id == occurrence.pk for i in made
            ):
                continue
            came = rng.random() < 0.62
            shares = rng.random() < 0.5
            made.append(
                Introduction(
                    organisation=organisation,
                    occurrence=occurrence,
                    participant=person,
                    chosen_name=person.nickname,
                    note=rng.choice(NOTES) if occurrence.end > now - timedelta(days=14) else "",
                    consent_text=consent_wording(occurrence=occurrence, organisation=organisation),
                    consented_at=occurrence.start - timedelta(days=rng.randint(2, 10)),
                    created=occurrence.start - timedelta(days=rng.randint(2, 10)),
                    share_other_groups=shares,
                    submission=uuid.uuid4(),
                    came_at=occurrence.start + timedelta(minutes=5) if came else None,
                )
            )
            if came:
                Attendance.objects.get_or_create(
                    occurrence=occurrence,
                    participant=person,
                    defaults={"method": Method.SCAN, "checked_in_at": occurrence.start},
                )
                later = [
                    o
                    for o in later_of[occurrence.event_id]
                    if occurrence.start < o.start <= occurrence.start + timedelta(weeks=8)
                ]
                if later and rng.random() < 0.55:
                    again = rng.choice(later)
                    Attendance.objects.get_or_create(
                        occurrence=again,
                        participant=person,
                        defaults={"method": Method.SCAN, "checked_in_at": again.start},
                    )
    Introduction.objects.bulk_create(made)
    return {"navigator_organisations": organisations}

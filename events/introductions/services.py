"""Making and following warm introductions, and what happens when the person arrives."""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.checkin.models import Pass
from events.checkin.services.lifecycle import participant_create
from events.checkin.tokens import Kind, read_scanned
from events.models import GroupPage, Occurrence

from .models import Introduction, NavigatorOrganisation, PeerMentor, WelcomeDuty


def navigator_organisation_create(*, organisation: GroupPage) -> NavigatorOrganisation:
    """Make an organisation a navigator organisation, with its group "Navigators: <name>".

    The group may make and follow introductions and nothing else: no admin access, no
    pages, no attendance, no figures. Safe to call again.
    """
    with transaction.atomic():
        found, _created = NavigatorOrganisation.objects.get_or_create(organisation=organisation)
        if found.navigators_id is None:
            name = f"Navigators: {organisation.title}"[:150]
            group, _made = Group.objects.get_or_create(name=name)
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="introductions", codename="make_introduction"
                )
            )
            found.navigators = group
            found.save(update_fields=["navigators"])
    return found


class IntroductionError(Exception):
    """The introduction cannot be made; `message` says why and what to do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def consent_wording(*, occurrence: Occurrence, organisation: NavigatorOrganisation) -> str:
    """The words the person agrees to, exactly as they are kept with the introduction."""
    return _(
        "I agree that %(group)s will know I am coming to %(event)s, and that "
        "%(organisation)s will hear whether I came."
    ) % {
        "group": occurrence.event.group.title if occurrence.event.group_id else "",
        "event": occurrence.event.title,
        "organisation": organisation.organisation.title,
    }


def other_groups_wording(*, organisation: NavigatorOrganisation) -> str:
    return _(
        "I also agree that %(organisation)s may hear how many other groups I take part in "
        "later (a number, never which ones)."
    ) % {"organisation": organisation.organisation.title}


def occurrence_bookable(*, occurrence_id, now=None) -> Occurrence:
    """Give the date if a person can be introduced to it; else raise IntroductionError."""
    now = now or timezone.now()
    occurrence = Occurrence.objects.filter(pk=occurrence_id).select_related("event__group").first()
    if occurrence is None or not Occurrence.objects.visible().filter(pk=occurrence.pk).exists():
        raise IntroductionError(
            _("That date is not open to introductions. Please choose a public date instead.")
        )
    if occurrence.is_cancelled:
        raise IntroductionError(
            _("That date has been cancelled. Please choose another date of the group.")
        )
    if occurrence.end < now:
        raise IntroductionError(_("That date has passed. Please choose a date still to come."))
    return occurrence


def _participant_from_pass(code: str):
    scanned = read_scanned(code)
    if scanned.kind is not Kind.PASS or scanned.error:
        raise IntroductionError(
            _("That is not a pass code. Paste the link from their pass, or leave it empty.")
        )
    held = Pass.objects.active().select_related("participant").filter(token_id=scanned.value)
    held = held.first()
    if held is None:
        raise IntroductionError(
            _("That pass was replaced or no longer exists. Leave it empty to make a new one.")
        )
    return held.participant


@dataclass(frozen=True)
class Made:
    introduction: Introduction
    new: bool  # False when this was a double submit of one already made


def introduction_make(
    *,
    organisation: NavigatorOrganisation,
    navigator,
    occurrence_id: int,
    chosen_name: str,
    note: str,
    consent: bool,
    share_other_groups: bool,
    pass_code: str = "",
    submission: uuid.UUID,
    again: Introduction | None = None,
) -> Made:
    """Introduce a person to one date; give the introduction (all of it made, or nothing).

    Raises IntroductionError for a date that is past, cancelled or not public, and when the
    person has not agreed. The same `submission` twice gives the first introduction back.
    `again` (a missed introduction of the same organisation) keeps the same person and pass.
    """
    done = Introduction.objects.filter(submission=submission).first()
    if done is not None:
        if done.organisation_id != organisation.pk:
            raise IntroductionError(_("That form was already used. Please start again."))
        return Made(introduction=done, new=False)
    if not consent:
        raise IntroductionError(
            _("Please read the consent out and tick the box once the person agrees.")
        )
    occurrence = occurrence_bookable(occurrence_id=occurrence_id)
    chosen_name = " ".join(chosen_name.split())[:40]
    if not chosen_name:
        raise IntroductionError(_("Please give the name the person would like to be called."))
    try:
        with transaction.atomic():
            if again is not None and again.participant_id:
                participant = again.participant
            elif pass_code.strip():
                participant = _participant_from_pass(pass_code)
            else:
                # Made as a door pass is: the navigator's printed code opens the record once,
                # for the person, and never again for whoever printed it.
                participant = participant_create(
                    nickname=chosen_name, issued_by=navigator
                ).participant
            introduction = Introduction.objects.create(
                organisation=organisation,
                navigator=navigator,
                occurrence=occurrence,
                participant=participant,
                chosen_name=chosen_name,
                note=" ".join(note.split()),
                consent_text=consent_wording(occurrence=occurrence, organisation=organisation)
                + (
                    " " + other_groups_wording(organisation=organisation)
                    if share_other_groups
                    else ""
                ),
                consented_at=timezone.now(),
                share_other_groups=share_other_groups,
                submission=submission,
            )
    except IntegrityError:
        done = Introduction.objects.filter(submission=submission).first()
        if done is None:
            raise
        return Made(introduction=done, new=False)
    return Made(introduction=introduction, new=True)


def introduction_stop_sharing(*, introduction: Introduction) -> None:
    """The person stops the sharing: the navigator sees only "stopped sharing" from now on."""
    Introduction.objects.filter(pk=introduction.pk, sharing_stopped_at__isnull=True).update(
        sharing_stopped_at=timezone.now(), share_other_groups=False, note=""
    )


def introduction_arrived(*, occurrence_id, participant_id=None, pass_id=None) -> str:
    """Mark the waiting introduction to this date "came"; give the door's sentence, or ""."""
    waiting = Introduction.objects.filter(occurrence_id=occurrence_id, came_at__isnull=True)
    if participant_id is not None:
        waiting = waiting.filter(participant_id=participant_id)
    else:
        waiting = waiting.filter(participant__passes__token_id=pass_id)
    found = waiting.select_related("organisation__organisation").first()
    if found is None:
        return ""
    Introduction.objects.filter(pk=found.pk).update(came_at=timezone.now())
    mentor = (
        PeerMentor.objects.filter(duties__occurrence_id=occurrence_id)
        .order_by("duties__created")
        .values_list("first_name", flat=True)
        .first()
    )
    names = {
        "name": found.chosen_name,
        "organisation": found.organisation.organisation.title,
        "mentor": mentor,
    }
    if mentor:
        return (
            _("%(name)s is here: introduced by %(organisation)s; %(mentor)s is meeting them.")
            % names
        )
    return _("%(name)s is here: introduced by %(organisation)s.") % names


def welcome_duty_take(*, mentor: PeerMentor, occurrence: Occurrence) -> WelcomeDuty:
    """The mentor says "I'll be at the door" for this date (again: nothing changes)."""
    duty, _created = WelcomeDuty.objects.get_or_create(mentor=mentor, occurrence=occurrence)
    return duty


def peer_mentor_mark(*, group: GroupPage, user, first_name: str, named: bool) -> PeerMentor:
    """Mark a member of the group a peer mentor (or change their name and consent)."""
    mentor, _created = PeerMentor.objects.get_or_create(
        group=group, user=user, defaults={"first_name": first_name}
    )
    mentor.first_name = " ".join(first_name.split())[:40]
    if named and mentor.named_consent_at is None:
        mentor.named_consent_at = timezone.now()
    elif not named:
        mentor.named_consent_at = None
    mentor.save()
    return mentor


def navigator_add(*, organisation: NavigatorOrganisation, user) -> bool:
    """Make an existing user one of the organisation's navigators; False if they were already."""
    group = navigator_organisation_create(organisation=organisation.organisation).navigators
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    return True


def navigator_remove(*, organisation: NavigatorOrganisation, user) -> bool:
    """Take a user out of the organisation's navigators; False if they were not one."""
    group = organisation.navigators
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    return True

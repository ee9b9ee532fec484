"""Warm introductions: a navigator books a person onto one date of a group; the door confirms.

This is health and criminal-justice data, held to the minimum:

- ``NavigatorOrganisation``: an organisation (a GroupPage: a probation service, a health
  partner, a lived-experience organisation) whose navigators make introductions, through
  the Django group "Navigators: <name>" made with it. The council manages both.
- ``Introduction``: one person (their chosen name and their pass's participant), one
  organisation, one date. The note for whoever meets them is short and short-lived; the
  person's consent is kept with its wording and time, and they can stop the sharing.
- ``PeerMentor`` and ``WelcomeDuty``: members of a group who meet newcomers, and the dates
  they said they would be at the door.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest note a navigator may leave for whoever meets the person.
NOTE_MAX_LENGTH = 200


class NavigatorOrganisation(models.Model):
    """An organisation whose navigators introduce people to groups."""

    organisation = models.OneToOneField(
        "events.GroupPage",
        on_delete=models.PROTECT,
        related_name="navigators",
        verbose_name=_("organisation"),
    )
    navigators = models.OneToOneField(
        Group,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="navigator_organisation",
        verbose_name=_("navigators' user group"),
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__title"]
        verbose_name = _("navigator organisation")
        permissions = [("make_introduction", _("Can make and follow warm introductions"))]

    def __str__(self):
        return self.organisation.title


def new_invitation_id() -> str:
    # 16 random bytes: the invitation link is its own key, and cannot be guessed.
    return secrets.token_urlsafe(16)


class IntroductionQuerySet(models.QuerySet):
    def for_organisations(self, organisation_ids):
        return self.filter(organisation_id__in=organisation_ids)

    def expected_at(self, occurrence_id):
        """The introductions to one date whose person is still linked (not yet retained)."""
        return self.filter(occurrence_id=occurrence_id, participant__isnull=False)

    def expected_at_any(self, occurrence_ids):
        return self.filter(
            occurrence_id__in=occurrence_ids,
            participant__isnull=False,
            sharing_stopped_at__isnull=True,
        ).order_by("chosen_name", "pk")


class Introduction(models.Model):
    """One person introduced to one date of a group by one navigator organisation."""

    organisation = models.ForeignKey(
        NavigatorOrganisation,
        on_delete=models.PROTECT,
        related_name="introductions",
        verbose_name=_("introducing organisation"),
    )
    navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("navigator"),
    )
    # PROTECT: a date with introductions keeps its identity (and the figures their dates).
    occurrence = models.ForeignKey(
        "events.Occurrence", on_delete=models.PROTECT, related_name="introductions"
    )
    # Emptied by retention (the counts stay); erasing the person's record deletes the row.
    participant = models.ForeignKey(
        "checkin.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="introductions",
    )
    chosen_name = models.CharField(max_length=40, blank=True, verbose_name=_("chosen name"))
    note = models.CharField(
        max_length=NOTE_MAX_LENGTH, blank=True, verbose_name=_("note for whoever meets them")
    )
    consent_text = models.TextField(verbose_name=_("consent wording"))
    consented_at = models.DateTimeField(verbose_name=_("consent given at"))
    # The person's further "yes": the navigator may hear how many other groups they join.
    share_other_groups = models.BooleanField(default=False)
    sharing_stopped_at = models.DateTimeField(null=True, blank=True)
    invitation_id = models.CharField(
        max_length=40, unique=True, default=new_invitation_id, editable=False
    )
    # The form's one-time key: a double submit makes one introduction.
    submission = models.UUIDField(unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    came_at = models.DateTimeField(null=True, blank=True)
    # What retention keeps once the link to the person goes: the outcome, as counts.
    came_back = models.BooleanField(null=True, blank=True)
    other_groups = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            # The door: is this person expected at this date? (one indexed look-up)
            models.Index(fields=["occurrence", "participant"], name="introduction_at_door"),
            models.Index(fields=["organisation", "-created"], name="introduction_follow_up"),
        ]
        verbose_name = _("introduction")

    def __str__(self):
        return f"Introduction {self.pk}"

    @property
    def sharing_stopped(self) -> bool:
        return self.sharing_stopped_at is not None


class PeerMentor(models.Model):
    """A member of a group who meets newcomers; named in public only if they agreed."""

    group = models.ForeignKey(
        "events.GroupPage", on_delete=models.CASCADE, related_name="peer_mentors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_mentoring"
    )
    first_name = models.CharField(max_length=40, verbose_name=_("first name"))
    named_consent_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("agreed to be named at"),
        help_text=_("Empty: the invitation says 'a peer mentor', without a name."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_mentor_per_group_member")
        ]
        verbose_name = _("peer mentor")

    def __str__(self):
        return self.first_name

    @property
    def public_name(self) -> str:
        return self.first_name if self.named_consent_at else ""


class WelcomeDuty(models.Model):
    """A peer mentor's "I'll be at the door" for one date."""

    mentor = models.ForeignKey(PeerMentor, on_delete=models.CASCADE, related_name="duties")
    occurrence = models.ForeignKey(
        "events.Occurrence", on_delete=models.CASCADE, related_name="welcome_duties"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentor", "occurrence"], name="one_duty_per_date")
        ]
        verbose_name = _("welcome duty")
        verbose_name_plural = _("welcome duties")

    def __str__(self):
        return f"{self.mentor} at {self.occurrence_id}"

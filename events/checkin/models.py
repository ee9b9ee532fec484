"""Who takes part: participants, their passes, attendance, anonymous counts, the scan log.

This is health and criminal-justice data. The models hold the minimum: a nickname, an
optional email, and (only with recorded consent) how someone takes part in the community.
No IP address is stored anywhere. The community-connection figures (issue 6) read:

- ``Attendance``: one row per (occurrence, participant), the unit of "who came".
- ``AnonymousCount``: one row per person counted without a record (+1 at the door, or a +1
  on their own phone).
- ``ErasedCount``: per date, how many people came whose attendance has since been erased
  (by them, or by retention). A number per date and nothing else, so it links to nobody.
- ``Participant.roles`` with ``Role.community``: recovery community, wider community or
  professional, the basis of bonding, bridging and linking figures. Only read roles where
  ``roles_consent_at`` is set.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from home.taxonomy import OrderedTaxonomy

from . import tokens, window


class Role(OrderedTaxonomy):
    """A way of taking part in the community that a participant may choose (the council edits)."""

    class Community(models.TextChoices):
        RECOVERY = "recovery", _("Recovery community")
        WIDER = "wider", _("Wider community")
        PROFESSIONAL = "professional", _("Professional")

    community = models.CharField(
        max_length=20,
        choices=Community.choices,
        verbose_name=_("part of"),
        help_text=_("Which side of the community this role counts towards in the figures."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("community"),
        FieldPanel("sort_order"),
    ]

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("participant role")
        verbose_name_plural = _("participant roles")


class ParticipantQuerySet(models.QuerySet):
    def regulars_of(self, event):
        """Participants who have come to any date of this event."""
        return self.filter(attendances__occurrence__event=event).distinct()


class Participant(models.Model):
    """Someone who took a pass. A nickname is all we need."""

    nickname = models.CharField(max_length=40, verbose_name=_("nickname"))
    email = models.EmailField(blank=True, verbose_name=_("email (optional)"))
    roles = models.ManyToManyField(
        Role, blank=True, related_name="participants", verbose_name=_("how I take part")
    )
    roles_consent_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("consent to record roles given at"),
        help_text=_("Empty means no consent: then no role is kept."),
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["nickname", "pk"]
        verbose_name = _("participant")

    def __str__(self):
        return self.nickname


def new_pass_id() -> str:
    # 16 random bytes: unguessable even before the signature is checked.
    return secrets.token_urlsafe(16)


class PassQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Pass(models.Model):
    """A participant's QR pass. The QR code holds a signature of `token_id`, nothing personal."""

    class CreatedBy(models.TextChoices):
        SELF = "self", _("The participant")
        ORGANISER = "organiser", _("An organiser at the door")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="passes")
    token_id = models.CharField(max_length=40, unique=True, default=new_pass_id, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.CharField(max_length=20, choices=CreatedBy.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Which claim code opens the record (tokens.claim_code): a door pass's first code was
    # seen by the organiser who printed it, so its first claim moves the pass to the next.
    claim_generation = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = PassQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")

    def __str__(self):
        return f"Pass {self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def token(self) -> str:
        return tokens.sign_pass(self.token_id)

    @property
    def claim_code(self) -> str:
        """The code that opens this pass's record in a new browser now."""
        return tokens.claim_code(self.token_id, self.claim_generation)

    @property
    def code_seen_by_organiser(self) -> bool:
        """Whether the current code is the one an organiser printed (not yet claimed)."""
        return self.created_by == self.CreatedBy.ORGANISER and self.claim_generation == 0


class Method(models.TextChoices):
    SCAN = "scan", _("Pass scanned")
    SEARCH = "search", _("Found by nickname")
    SELF = "self", _("Checked in on their own phone")
    DOOR = "door", _("Pass made at the door")
    CORRECTION = "correction", _("Corrected by the council")
    OFFLINE = "offline", _("Pass scanned without signal, sent later")


class AttendanceQuerySet(models.QuerySet):
    def for_occurrences(self, occurrences):
        return self.filter(occurrence__in=occurrences)


class Attendance(models.Model):
    """One participant at one occurrence. Never two: the database refuses a second."""

    occurrence = models.ForeignKey(
        "events.Occurrence", on_delete=models.PROTECT, related_name="attendances"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "participant"], name="one_attendance_per_occurrence"
            )
        ]
        verbose_name = _("attendance")

    def __str__(self):
        return f"{self.participant_id} at {self.occurrence_id}"


class AnonymousCount(models.Model):
    """One person counted at an occurrence with no record of who: one row per +1.

    A row per +1 (rather than a counter) makes concurrent +1s safe without locks, and a
    client-made `nonce` makes a retried +1 count once.
    """

    class Source(models.TextChoices):
        DOOR = "door", _("+1 at the door")
        SELF = "self", _("+1 on their own phone")
        CORRECTION = "correction", _("Added by the council, correcting the record")

    occurrence = models.ForeignKey(
        "events.Occurrence", on_delete=models.PROTECT, related_name="anonymous_counts"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    counted_at = models.DateTimeField(default=timezone.now)
    nonce = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("anonymous count")

    def __str__(self):
        return f"+1 at {self.occurrence_id}"


class ErasedCount(models.Model):
    """How many people came to one date whose attendance has since been erased.

    One number per date, added to when a participant erases their record or retention turns
    old attendance into counts. No row per person and no time: rows per person, even without
    a name, would show which dates one person came to (made together, at one time), and a
    handful of such dates can be enough to know who it was.
    """

    occurrence = models.OneToOneField(
        "events.Occurrence",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="erased_count",
    )
    people = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("count of erased attendance")
        verbose_name_plural = _("counts of erased attendance")

    def __str__(self):
        return f"{self.people} erased at {self.occurrence_id}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The scan log is append-only.")

    def delete(self):
        raise PermissionDenied("The scan log is append-only.")


class ScanLog(models.Model):
    """Every scan, failed ones too: when, which occurrence, the result, which organiser.

    Append-only: saving an existing row or deleting one is refused. No IP address and no
    participant are recorded.
    """

    class Result(models.TextChoices):
        CHECKED_IN = "checked_in", _("Checked in")
        ALREADY = "already", _("Already checked in")
        MALFORMED = "malformed", _("Not a pass")
        FORGED = "forged", _("Not valid")
        UNKNOWN = "unknown", _("No longer exists")
        REVOKED = "revoked", _("Revoked")
        OTHER_EVENT = "other_event", _("For another event")
        NOT_A_PASS = "not_a_pass", _("A poster, not a pass")
        REFUSED = "refused", _("Scanner not allowed")
        NOT_YET = "not_yet", _("Check-in not open yet")
        CLOSED = "closed", _("Check-in closed")
        UNDONE = "undone", _("Check-in undone")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    occurrence = models.ForeignKey(
        "events.Occurrence",
        null=True,
        on_delete=models.SET_NULL,
        related_name="scan_logs",
        help_text=_("Emptied if the occurrence is ever removed; the entry stays."),
    )
    result = models.CharField(max_length=20, choices=Result.choices)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.SCAN)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [
            # An organiser's latest scans, for the scan rate limit (CHECKIN_SCAN_RATE).
            models.Index(fields=["organiser", "at"], name="scanlog_organiser_latest"),
        ]
        verbose_name = _("scan log entry")
        verbose_name_plural = _("scan log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.result}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("The scan log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The scan log is append-only.")


class ScannerTicketGeneration(models.Model):
    """Which scanner tickets of a member of staff still hold: those of this generation.

    A scanner ticket names its generation; logging out, leaving an auth group or losing
    superuser status moves the user on a generation (`permissions.scanner_tickets_revoke`),
    and the door scan refuses any ticket of an earlier one, in the same query as the scan.
    No row means generation 0.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    generation = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scanner ticket generation")

    def __str__(self):
        return f"{self.user_id}: {self.generation}"


def _minutes(verbose, default, help_text):
    # A day at most either side: a window any wider would let a date take scans for the
    # dates next to it.
    return models.PositiveSmallIntegerField(
        default=default,
        validators=[MaxValueValidator(24 * 60)],
        verbose_name=verbose,
        help_text=help_text,
    )


@register_setting(icon="time")
class CheckinSettings(BaseSiteSetting):
    """When a date takes check-ins: from a set time before it starts to a set time after it ends.

    Outside that window no scan, nickname check-in, +1 or self check-in is recorded; only the
    council can correct a date's record afterwards, and each correction is logged.
    """

    opens_minutes_before = _minutes(
        _("check-in opens (minutes before the start)"),
        window.OPENS_MINUTES_BEFORE,
        _("Passes can be scanned, and people count themselves in, from this long before."),
    )
    closes_minutes_after = _minutes(
        _("check-in closes (minutes after the end)"),
        window.CLOSES_MINUTES_AFTER,
        _("After this, only the council can add to who came (a correction, which is logged)."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("opens_minutes_before"), FieldPanel("closes_minutes_after")],
            heading=_("When a date is open for check-in"),
        )
    ]

    class Meta:
        verbose_name = _("check-in window")


def new_door_salt() -> str:
    # 16 random bytes: the key of one date's digests (services/offline.py `pass_digest`).
    return secrets.token_hex(16)


class DoorSalt(models.Model):
    """The random key of one date's offline digests: what the scanner page keeps to judge a
    pass without signal holds only digests made with it, never a pass id or a name.

    One per date, so a digest says nothing about any other date, and a phone lost after one
    evening holds nothing that works for the next.
    """

    occurrence = models.OneToOneField(
        "events.Occurrence", primary_key=True, on_delete=models.CASCADE, related_name="door_salt"
    )
    salt = models.CharField(max_length=64, default=new_door_salt, editable=False)

    class Meta:
        verbose_name = _("offline door key")

    def __str__(self):
        return f"Door key of {self.occurrence_id}"


class DoorScanQuerySet(models.QuerySet):
    def for_attendance(self, attendance_id):
        return self.filter(attendance_id=attendance_id)


class DoorScan(models.Model):
    """One scan a scanner page sent with its own nonce: offline scans sent later, and online
    scans that carried a nonce. Each nonce is recorded once, so a batch sent again (or a
    request retried) changes nothing and answers the same.

    No pass id and no name: the person is reached only through `attendance`, which is emptied
    when that attendance is erased (by them, or by retention), or undone.
    """

    class Source(models.TextChoices):
        OFFLINE = "offline", _("Sent later from the phone's queue")
        ONLINE = "online", _("Scanned online")

    nonce = models.CharField(max_length=64, unique=True, editable=False)
    device = models.CharField(max_length=64, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.OFFLINE)
    scanned_at = models.DateTimeField(help_text=_("The phone's own time of the scan."))
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    occurrence = models.ForeignKey(
        "events.Occurrence", on_delete=models.CASCADE, related_name="door_scans"
    )
    result = models.CharField(max_length=20, choices=ScanLog.Result.choices)
    attendance = models.ForeignKey(
        Attendance, null=True, blank=True, on_delete=models.SET_NULL, related_name="door_scans"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = DoorScanQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("door scan")

    def __str__(self):
        return f"{self.nonce} {self.result}"

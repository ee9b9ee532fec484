"""What an import remembers: which draft event each (group, UID) of a calendar became,
and a calendar waiting for the organiser to confirm its preview."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedEvent(models.Model):
    """One event of a group's own calendar (its UID) and the EventPage made from it.

    A re-import finds the page by (group, UID) and updates it instead of making another.
    """

    group = models.ForeignKey(
        "events.GroupPage", on_delete=models.CASCADE, related_name="imported_events"
    )
    uid = models.CharField(max_length=255, verbose_name=_("UID in the group's calendar"))
    event = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, related_name="imported_from"
    )
    # A hash of everything the import wrote (events.ics_import.parse.ImportItem.fingerprint).
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "uid"], name="one_import_per_group_uid")
        ]
        verbose_name = _("imported event")

    def __str__(self):
        return f"{self.uid} -> {self.event_id}"


class PendingImport(models.Model):
    """A calendar read for a preview, kept until the organiser confirms (or a day passes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey("events.GroupPage", on_delete=models.CASCADE, related_name="+")
    data = models.BinaryField()
    source = models.CharField(max_length=2000, blank=True)  # the address it came from
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar waiting to be imported")

    def __str__(self):
        return f"{self.source or self.pk} ({self.created_at:%Y-%m-%d %H:%M})"

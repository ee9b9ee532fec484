import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index


class EventPage(Page):
    """An event a group puts on: a one-off or a series of dates (its occurrences)."""

    # Feeds identify the series by this, so a new title or slug keeps the UID.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    summary = models.CharField(
        max_length=250,
        verbose_name=_("short summary"),
        help_text=_("One or two sentences shown in lists and calendar apps."),
    )

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["events.GroupPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event page")

    @property
    def host_group(self):
        """The GroupPage this event lives under."""
        return self.get_parent().specific


class OccurrenceQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")

    def for_event(self, event):
        return self.filter(event=event)


class Occurrence(models.Model):
    """One date of an event. Its identity is (event, original start): attendance hangs on it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Going ahead")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    original_start = models.DateTimeField(
        help_text=_("When the schedule first put this date; never changes.")
    )
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "original_start"], name="occurrence_identity"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="occurrence_ends_after_start"
            ),
        ]
        verbose_name = _("occurrence")

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.event.title}, {local:%a %d %b %Y %H:%M}"

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

PROPOSALS_SLUG = "proposed-events"


class EventProposal(models.Model):
    """Who proposed an event through the public form, for the council to reply to.

    The proposed event itself is a draft EventPage in the "Proposed events" holding group,
    in moderation; these contact details stay here, out of the public page.
    """

    event = models.OneToOneField(
        "events.EventPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
        verbose_name=_("proposed event"),
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    email = models.EmailField(verbose_name=_("email address"))
    group_name = models.CharField(max_length=150, verbose_name=_("group"))
    venue_details = models.TextField(max_length=500, blank=True, verbose_name=_("where"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("proposed on"))

    panels = [
        FieldPanel("name", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("group_name", read_only=True),
        FieldPanel("venue_details", read_only=True),
        FieldPanel("event", read_only=True),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event proposal")
        verbose_name_plural = _("event proposals")

    def __str__(self):
        return f"{self.group_name}: {self.event.title if self.event else '—'}"

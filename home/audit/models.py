"""The audit log of staff looking at personal data, and how long we keep what.

`AuditEvent` answers "who saw or exported whose personal data, and when": it keeps the
member of staff (and a copy of their username, so the entry outlives their account), what
they did and to what. It never keeps an IP address, and never the personal data itself.
It is append-only: only the retention command (`apply_retention`) removes old entries, and
erasing a participant blanks which participant an entry was about.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

APPEND_ONLY = "The audit log is append-only."


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(APPEND_ONLY)

    def delete(self):
        raise PermissionDenied(APPEND_ONLY)

    def older_than(self, cutoff):
        return self.filter(at__lt=cutoff)

    def about(self, target_type: str, target_id):
        return self.filter(object_type=target_type, object_id=str(target_id))


class AuditEvent(models.Model):
    """One time a member of staff saw or exported personal data."""

    class Action(models.TextChoices):
        VIEW_ATTENDANCE = "view_attendance", _("Saw who came to a date")
        EXPORT_ATTENDANCE = "export_attendance", _("Downloaded attendance (CSV)")
        SEARCH_NICKNAMES = "search_nicknames", _("Searched participants by nickname")
        DOOR_PASS = "door_pass", _("Made a pass at the door")
        EXPORT_FIGURES = "export_figures", _("Downloaded community figures (CSV)")
        VIEW_CONTACT = "view_contact", _("Opened someone's contact details")
        CORRECT_ATTENDANCE = (
            "correct_attendance",
            _("Corrected who came to a date outside its check-in window"),
        )

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    username = models.CharField(max_length=150, verbose_name=_("username"))
    action = models.CharField(max_length=30, choices=Action.choices, verbose_name=_("what"))
    object_type = models.CharField(max_length=100, blank=True, verbose_name=_("of what"))
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("which"))
    detail = models.CharField(max_length=255, blank=True, verbose_name=_("detail"))

    objects = AuditEventQuerySet.as_manager()
    # An entry refers to nothing by foreign key worth indexing; one INSERT per entry is all.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY)


def _months(verbose, default, help_text):
    return models.PositiveSmallIntegerField(
        default=default, verbose_name=verbose, help_text=help_text
    )


@register_setting(icon="lock")
class PrivacySettings(BaseSiteSetting):
    """How long we keep what identifies people. `manage.py apply_retention` applies it daily."""

    attendance_months = _months(
        _("who came (months)"),
        24,
        _("After this, who came to a date is forgotten; only how many came is kept."),
    )
    scan_log_months = _months(
        _("scan log (months)"), 6, _("After this, the record of each scan is deleted.")
    )
    unused_pass_months = _months(
        _("unused passes (months)"),
        12,
        _(
            "A participant who has not been checked in anywhere for this long (or never was) "
            "is erased, with their passes; what they came to stays as anonymous counts."
        ),
    )
    audit_months = _months(
        _("audit log (months)"), 24, _("After this, entries in the audit log are deleted.")
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("attendance_months"),
                FieldPanel("scan_log_months"),
                FieldPanel("unused_pass_months"),
                FieldPanel("audit_months"),
            ],
            heading=_("How long we keep what"),
        )
    ]

    class Meta:
        verbose_name = _("privacy and retention")

"""What check-in does when something else changes.

- Erasing a participant blanks which participant audit entries were about.
- Scanner tickets end with the session and with the right to scan: logging out, leaving an
  auth group (an organisers' group, or the council's) or losing superuser status moves the
  user's tickets on a generation, so a ticket already handed out stops working at once.
  (Deactivating or deleting the account stops them too: the scan checks `is_active`.)
"""

from django.contrib.auth import get_user_model, user_logged_out
from django.db.models.signals import m2m_changed, post_delete, pre_save
from django.dispatch import Signal, receiver

from home.audit.services import audit_forget_target

from .models import Participant
from .permissions import scanner_tickets_revoke

User = get_user_model()

# Sent once after a new attendance is made, whichever way (scan, nickname, door pass,
# correction), by services.scanning. Arguments: occurrence_id, and participant_id or (on
# PostgreSQL's one-statement door scan) pass_id; `expected` is False when the scan's own
# statement already found no introduction waiting, so a receiver need not look. A receiver
# may give a sentence for the door (the first non-empty one is shown with the answer).
attendance_recorded = Signal()


@receiver(post_delete, sender=Participant, dispatch_uid="audit_forget_participant")
def forget_erased_participant(sender, instance, **kwargs):
    """Blank which participant audit entries were about, once their record is erased."""
    audit_forget_target(object_type=instance._meta.label_lower, object_id=instance.pk)


@receiver(user_logged_out, dispatch_uid="scanner_tickets_end_with_the_session")
def end_tickets_on_logout(sender, request, user, **kwargs):
    if user is not None:
        scanner_tickets_revoke(user_ids=[user.pk])


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="scanner_tickets_end_with_a_group")
def end_tickets_on_leaving_a_group(sender, instance, action, reverse, pk_set, **kwargs):
    """user.groups.remove(...) / .clear(), or group.user_set.remove(...) / .clear()."""
    if action == "post_remove":
        scanner_tickets_revoke(user_ids=pk_set if reverse else [instance.pk])
    elif action == "pre_clear":
        members = instance.user_set.values_list("pk", flat=True) if reverse else [instance.pk]
        scanner_tickets_revoke(user_ids=list(members))


@receiver(pre_save, sender=User, dispatch_uid="scanner_tickets_end_with_superuser")
def end_tickets_on_losing_superuser(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or instance.is_superuser:
        return
    if update_fields is not None and "is_superuser" not in update_fields:
        return  # e.g. last_login on every log-in: nothing to look up
    if User.objects.filter(pk=instance.pk, is_superuser=True).exists():
        scanner_tickets_revoke(user_ids=[instance.pk])

"""What check-in does when something else changes: erasure reaches the audit log."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from home.audit.services import audit_forget_target

from .models import Participant


@receiver(post_delete, sender=Participant, dispatch_uid="audit_forget_participant")
def forget_erased_participant(sender, instance, **kwargs):
    """Blank which participant audit entries were about, once their record is erased."""
    audit_forget_target(object_type=instance._meta.label_lower, object_id=instance.pk)

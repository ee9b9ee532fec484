"""When a participant's record is erased, entries about them in the audit log are blanked."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from events.checkin.models import Participant

from .services import audit_forget_target


@receiver(post_delete, sender=Participant, dispatch_uid="audit_forget_participant")
def forget_erased_participant(sender, instance, **kwargs):
    audit_forget_target(object_type=instance._meta.label_lower, object_id=instance.pk)

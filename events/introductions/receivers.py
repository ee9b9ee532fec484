"""What introductions do when check-in records an arrival."""

from django.dispatch import receiver

from events.checkin.signals import attendance_recorded

from .services import introduction_arrived


@receiver(attendance_recorded, dispatch_uid="introduction_came")
def introduction_came(sender, occurrence_id, participant_id=None, pass_id=None, **kwargs):
    """Mark the person's introduction to this date "came"; give the door's sentence."""
    if kwargs.get("expected") is False:
        return ""  # the door's own statement saw no introduction waiting
    return introduction_arrived(
        occurrence_id=occurrence_id, participant_id=participant_id, pass_id=pass_id
    )

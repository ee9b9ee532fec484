"""What an invitation says: the date, the place and its access, who meets them, their pass."""

from django.utils import timezone
from django.utils.translation import gettext as _

from events import ical
from events.feeds import feed_location

from .models import Introduction, PeerMentor


def invitation_context(introduction: Introduction) -> dict:
    """The invitation's facts, in three queries: the pass, the mentor on duty, the venue."""
    occurrence = introduction.occurrence
    held = (
        introduction.participant.passes.active().order_by("-created").first()
        if introduction.participant_id
        else None
    )
    mentor = (
        PeerMentor.objects.filter(duties__occurrence=occurrence, named_consent_at__isnull=False)
        .order_by("duties__created")
        .first()
    )
    anyone_on_duty = mentor is not None or occurrence.welcome_duties.exists()
    venue = occurrence.where
    return {
        "introduction": introduction,
        "occurrence": occurrence,
        "event": occurrence.event,
        "venue": venue,
        "access_facts": [fact for fact in venue.access_facts if fact[2]] if venue else [],
        "mentor_name": mentor.first_name if mentor else "",
        "mentor_on_duty": anyone_on_duty,
        "held": held,
        # A pass the navigator made shows its first code (as a door pass does); the
        # person's own pass never shows its code here, so the navigator cannot open it.
        "claim_code": held.claim_code if held and held.code_seen_by_organiser else "",
        "past": occurrence.end < timezone.now(),
    }


def invitation_ics(introduction: Introduction, *, url: str) -> bytes:
    """An iCalendar file holding the one introduced date (no personal data in it)."""
    occurrence = introduction.occurrence
    event = occurrence.event
    series = ical.Series(
        uid=f"introduction-{introduction.invitation_id}@inclusive-recovery-city",
        title=event.title,
        start=occurrence.start,
        end=occurrence.end,
        description=event.summary,
        url=url,
        location=feed_location(occurrence.where, getattr(event, "online_url", "") or ""),
        last_modified=introduction.created,
        created=introduction.created,
    )
    return ical.to_ics(
        [series],
        stamp=introduction.created,
        name=_("Your invitation: %(event)s") % {"event": event.title},
    )

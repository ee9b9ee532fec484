"""Groups, venues, events and their occurrences."""

from .events import EventPage, Occurrence
from .groups import Audience, GroupIndexPage, GroupKind, GroupPage
from .venues import Venue

__all__ = [
    "EventPage",
    "Occurrence",
    "Audience",
    "GroupIndexPage",
    "GroupKind",
    "GroupPage",
    "Venue",
]

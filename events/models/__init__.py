"""Groups, venues, categories, events and their occurrences."""

from .categories import Category
from .events import EventPage, Occurrence, OccurrenceChange
from .groups import Audience, GroupIndexPage, GroupKind, GroupPage
from .venues import Venue

__all__ = [
    "Audience",
    "Category",
    "EventPage",
    "GroupIndexPage",
    "GroupKind",
    "GroupPage",
    "Occurrence",
    "OccurrenceChange",
    "Venue",
]

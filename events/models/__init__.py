"""Groups, venues, categories, events and their occurrences."""

from .calendar import CalendarPage
from .categories import Category
from .events import EventPage, Occurrence, OccurrenceChange
from .feeds import FeedEntry
from .groups import Audience, GroupIndexPage, GroupKind, GroupPage
from .proposals import EventProposal
from .venues import Venue

__all__ = [
    "Audience",
    "CalendarPage",
    "Category",
    "EventPage",
    "EventProposal",
    "FeedEntry",
    "GroupIndexPage",
    "GroupKind",
    "GroupPage",
    "Occurrence",
    "OccurrenceChange",
    "Venue",
]

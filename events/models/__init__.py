"""Groups, venues, events and their occurrences."""

from .groups import Audience, GroupIndexPage, GroupKind, GroupPage
from .venues import Venue

__all__ = ["Audience", "GroupIndexPage", "GroupKind", "GroupPage", "Venue"]

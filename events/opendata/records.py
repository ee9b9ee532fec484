"""Plain records of the public groups, venues and events that the open-data formats read.

Pure (no ORM): ``events/opendata/selectors.py`` fills them in a fixed number of queries,
and ``meeting_guide.py`` and ``hsds.py`` turn them into documents, so both are tested with
tables of records and no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..schedule import Schedule


@dataclass(frozen=True)
class City:
    """What the site's settings say about the city (home.CitySettings), and its address."""

    name: str
    country: str = "GB"
    region: str = ""
    currency: str = "GBP"
    root_url: str = ""
    email: str = ""


@dataclass(frozen=True)
class VenueRecord:
    pk: int
    name: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    step_free: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    quiet_space: bool = False
    baby_change: bool = False
    alcohol_free: bool = False
    transport_notes: str = ""
    access_notes: str = ""


@dataclass(frozen=True)
class GroupRecord:
    pk: int
    title: str
    summary: str
    url: str
    website: str = ""
    email: str = ""
    updated: datetime | None = None


@dataclass(frozen=True)
class EventRecord:
    """One public event (a series or a one-off) with everything the formats need."""

    pk: int
    uid: str
    title: str
    summary: str
    url: str
    schedule: Schedule
    group: GroupRecord | None = None
    venue: VenueRecord | None = None
    online_url: str = ""
    open_to: str = "everyone"
    is_free: bool = True
    cost: str = ""
    alcohol_free: bool = True
    family_friendly: bool = False
    bsl: bool = False
    welcomer: bool = False
    in_meeting_finders: bool = False
    categories: tuple[tuple[str, str], ...] = ()  # (slug, name)
    language: str = "en"
    updated: datetime | None = None
    ical_url: str = ""
    cancelled_dates: tuple = field(default=())  # coming dates that are off (dates)

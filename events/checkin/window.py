"""When a date is open for check-in: from a set time before it starts to a set time after it ends.

Pure logic (no ORM, no request): the services read the site's CheckinSettings and the date's
times, and ask here whether a scan or a count may be recorded now, and what to say if not.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

# The defaults of CheckinSettings, used too where a site has not saved its own.
OPENS_MINUTES_BEFORE = 60
CLOSES_MINUTES_AFTER = 120


class State(enum.Enum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class CheckinWindow:
    """The span in which a date takes check-ins and counts."""

    opens_at: datetime
    closes_at: datetime

    def state(self, now: datetime) -> State:
        if now < self.opens_at:
            return State.NOT_YET
        if now > self.closes_at:
            return State.CLOSED
        return State.OPEN

    def is_open(self, now: datetime) -> bool:
        return self.state(now) is State.OPEN

    def refusal(self, state: State) -> str:
        """Say why nothing can be recorded in `state` (empty while the window is open)."""
        if state is State.NOT_YET:
            return _(
                "This date is not open for check-in yet: it opens at %(time)s on %(day)s."
            ) % _when(self.opens_at)
        if state is State.CLOSED:
            return _(
                "Check-in for this date closed at %(time)s on %(day)s. Only the council can "
                "correct the record now."
            ) % _when(self.closes_at)
        return ""


def _when(moment: datetime) -> dict:
    local = timezone.localtime(moment)
    return {"time": time_format(local, "H:i"), "day": date_format(local, "l j F")}


def checkin_window(
    *,
    start: datetime,
    end: datetime,
    opens_minutes_before: int = OPENS_MINUTES_BEFORE,
    closes_minutes_after: int = CLOSES_MINUTES_AFTER,
) -> CheckinWindow:
    """Give the check-in window of a date that runs from `start` to `end`."""
    return CheckinWindow(
        opens_at=start - timedelta(minutes=opens_minutes_before),
        closes_at=end + timedelta(minutes=closes_minutes_after),
    )

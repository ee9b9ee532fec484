"""A date's check-in window, as its site's CheckinSettings set it (the rule itself is the pure
`events.checkin.window`).

The window's minutes are plain SQL, so the door scan's one statement (`door_sql`) and the
ORM path read them the same way.
"""

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from events.models import Occurrence

from .. import window as checkin_windows
from ..models import CheckinSettings
from ..window import CheckinWindow, State


class CheckinNotOpen(Exception):
    """The date is outside its check-in window; nothing was recorded."""

    def __init__(self, window: CheckinWindow, state: State):
        super().__init__(state.value)
        self.window = window
        self.state = state

    @property
    def message(self) -> str:
        return self.window.refusal(self.state)


def _window_minutes_sql(field: str, default: int, event_id: str) -> str:
    """SQL giving one of CheckinSettings' minutes for the site holding the event `event_id`.

    `event_id` is an SQL expression (a column of the outer query). The site is the one whose
    root is the nearest ancestor of the event's page, as Wagtail's Page.get_site() finds it;
    the default applies where that site has not saved its settings. Plain SQL that SQLite
    and PostgreSQL both read, so the door scan's one statement and the ORM path share it.
    """
    # Every part is this module's own (a column name, a table name, a number): no input.
    return f"""coalesce((
        SELECT settings.{field}
        FROM wagtailcore_page page
        JOIN wagtailcore_page root ON substr(page.path, 1, length(root.path)) = root.path
        JOIN wagtailcore_site site ON site.root_page_id = root.id
        LEFT JOIN {CheckinSettings._meta.db_table} settings ON settings.site_id = site.id
        WHERE page.id = {event_id}
        ORDER BY length(root.path) DESC, site.is_default_site DESC
        LIMIT 1
    ), {int(default)})"""  # noqa: S608


def _window_minutes(event_id: str) -> tuple[str, str]:
    """SQL for (minutes check-in opens before the start, closes after the end)."""
    return (
        _window_minutes_sql("opens_minutes_before", checkin_windows.OPENS_MINUTES_BEFORE, event_id),
        _window_minutes_sql("closes_minutes_after", checkin_windows.CLOSES_MINUTES_AFTER, event_id),
    )


def _window_annotations() -> tuple[RawSQL, RawSQL]:
    """The minutes of `_window_minutes` for a query on Occurrence."""
    opens, closes = _window_minutes('"events_occurrence"."event_id"')
    return RawSQL(opens, ()), RawSQL(closes, ())  # noqa: S611  (no input in it)


def checkin_window_minutes(*, event_id: int) -> tuple[int, int]:
    """Give (minutes check-in opens before a date, closes after it) for an event (one query)."""
    opens, closes = _window_minutes("%s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {opens}, {closes}", [event_id, event_id])
        return cursor.fetchone()


def occurrence_window(occurrence: Occurrence) -> CheckinWindow:
    """Give the date's check-in window, by its site's CheckinSettings (one query)."""
    opens, closes = checkin_window_minutes(event_id=occurrence.event_id)
    return checkin_windows.checkin_window(
        start=occurrence.start,
        end=occurrence.end,
        opens_minutes_before=opens,
        closes_minutes_after=closes,
    )


def checkin_require_open(*, occurrence: Occurrence, now=None) -> CheckinWindow:
    """Give the date's check-in window; raise CheckinNotOpen when it is shut now."""
    window = occurrence_window(occurrence)
    state = window.state(now or timezone.now())
    if state is not State.OPEN:
        raise CheckinNotOpen(window, state)
    return window

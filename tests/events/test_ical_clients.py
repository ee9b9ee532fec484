"""Real calendar clients, not only Python's parsers, read our feeds right (DESIGN.md, Feeds).

ical.js is the parser in Thunderbird and many web calendars; it reads the VTIMEZONE that the
feed carries instead of looking the TZID up, which is where an hour can go missing.
"""

import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest

from events.ical import Override, Rule, Series, to_ics

JS_DIR = Path(__file__).resolve().parent.parent / "js"
STAMP = datetime(2026, 1, 2, tzinfo=UTC)

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node and npm")


@pytest.fixture(scope="session")
def icaljs():
    """Expand a feed with ical.js: returns [{uid, start, end, status, summary}] in UTC."""
    if not (JS_DIR / "node_modules" / "ical.js").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, capture_output=True
        )

    def expand(feed: bytes, start: str, end: str) -> list[dict]:
        done = subprocess.run(
            ["node", "expand.mjs", start, end],
            cwd=JS_DIR,
            input=feed,
            capture_output=True,
            check=True,
            timeout=60,
        )
        return json.loads(done.stdout)

    return expand


def weekly_cafe(**kwargs) -> Series:
    return Series(
        uid="cafe-tuesdays@irc",
        title="Recovery café",
        start=datetime(2026, 1, 6, 19),
        end=datetime(2026, 1, 6, 21),
        rules=(Rule("WEEKLY", byday=("TU",)),),
        **kwargs,
    )


def test_icaljs_reads_local_time_in_winter_and_summer(icaljs):
    feed = to_ics([weekly_cafe()], name="Test", stamp=STAMP)
    found = icaljs(feed, "2026-01-01T00:00:00Z", "2026-12-01T00:00:00Z")
    starts = {row["start"] for row in found}
    # 19:00 GMT in winter, 19:00 BST (18:00 UTC) in summer, and back again.
    assert "2026-01-06T19:00:00Z" in starts
    assert "2026-03-24T19:00:00Z" in starts
    assert "2026-03-31T18:00:00Z" in starts
    assert "2026-07-07T18:00:00Z" in starts
    assert "2026-10-20T18:00:00Z" in starts
    assert "2026-10-27T19:00:00Z" in starts
    assert len(found) == 47


def test_icaljs_reads_moved_and_cancelled_dates(icaljs):
    feed = to_ics(
        [
            weekly_cafe(
                overrides=(
                    Override(
                        original_start=datetime(2026, 3, 31, 19),
                        start=datetime(2026, 4, 1, 18),
                        end=datetime(2026, 4, 1, 20),
                        location="Town Hall",
                    ),
                    Override(
                        original_start=datetime(2026, 10, 27, 19),
                        cancelled=True,
                        reason="Half-term",
                    ),
                )
            )
        ],
        name="Test",
        stamp=STAMP,
    )
    found = icaljs(feed, "2026-03-20T00:00:00Z", "2026-11-05T00:00:00Z")
    by_start = {row["start"]: row for row in found}
    assert "2026-03-31T18:00:00Z" not in by_start
    assert by_start["2026-04-01T17:00:00Z"]["end"] == "2026-04-01T19:00:00Z"
    assert by_start["2026-10-27T19:00:00Z"]["status"] == "CANCELLED"
    assert by_start["2026-10-27T19:00:00Z"]["summary"] == "Cancelled: Recovery café"


def test_the_rdate_form_of_vtimezone_misleads_icaljs(icaljs):
    """Why events.ical writes its own VTIMEZONE: measured with the ical.js pinned in tests/js.

    The same feed with icalendar's add_missing_timezones() VTIMEZONE (RDATE lists) puts a
    winter 19:00 at 18:00 UTC, an hour early; our RRULE form puts it at 19:00 UTC.
    """
    ours = to_ics([weekly_cafe()], name="Test", stamp=STAMP)
    theirs = icalendar.Calendar.from_ical(ours)
    theirs.subcomponents = [c for c in theirs.subcomponents if c.name != "VTIMEZONE"]
    theirs.add_missing_timezones()
    assert "RDATE" in theirs.to_ical().decode()

    window = ("2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z")
    right = [row["start"] for row in icaljs(ours, *window)]
    wrong = [row["start"] for row in icaljs(theirs.to_ical(), *window)]
    assert right[0] == "2026-01-06T19:00:00Z"
    assert wrong[0] == "2026-01-06T18:00:00Z"


def test_icaljs_and_python_agree_on_a_year_of_monthly_dates(icaljs):
    import recurring_ical_events

    item = Series(
        uid="walk@irc",
        title="Recovery walk",
        start=datetime(2026, 1, 30, 10),
        end=datetime(2026, 1, 30, 12),
        rules=(Rule("MONTHLY", byday=("-1FR",)),),
    )
    feed = to_ics([item], name="Test", stamp=STAMP)
    js = [row["start"] for row in icaljs(feed, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    python = sorted(
        e["DTSTART"].dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for e in recurring_ical_events.of(icalendar.Calendar.from_ical(feed)).between(
            date(2026, 1, 1), date(2027, 1, 1)
        )
    )
    assert js == python
    assert len(js) == 12

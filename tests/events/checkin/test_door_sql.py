"""The door scan's SQL text: short enough for psycopg to parse it once per process."""

import pytest

from events.checkin.door_sql import DOOR_SCAN_RACE_LOST_SQL, DOOR_SCAN_SQL, _compact

queries = pytest.importorskip("psycopg._queries")


@pytest.mark.parametrize(
    "sql", [DOOR_SCAN_SQL, DOOR_SCAN_RACE_LOST_SQL], ids=["door scan", "race lost"]
)
def test_the_statement_is_short_enough_for_psycopg_to_keep_it_parsed(sql):
    # Longer texts are parsed afresh on every execute (a tenth of a millisecond per scan).
    assert len(sql.encode()) <= queries.MAX_CACHED_STATEMENT_LENGTH
    assert "--" not in sql and "\n" not in sql


@pytest.mark.parametrize(
    ("written", "compact"),
    [
        ("SELECT 1", "SELECT 1"),
        ("  SELECT\n    1\n", "SELECT 1"),
        ("SELECT a -- why\nFROM t", "SELECT a FROM t"),
        (
            "WITH x AS (  -- the first\n  SELECT 'new'\n)\nSELECT * FROM x",
            "WITH x AS ( SELECT 'new' ) SELECT * FROM x",
        ),
        ("SELECT %(now)s < (SELECT opens_at FROM o)", "SELECT %(now)s < (SELECT opens_at FROM o)"),
    ],
)
def test_compact_drops_comments_and_runs_of_spaces(written, compact):
    assert _compact(written) == compact

"""Ids in URLs and forms: ASCII digits that a database column can hold, or nothing.

Django's `<int:...>` takes any run of digits, and an id past 64 bits then reaches the
database, which raises OverflowError (SQLite) or DataError (PostgreSQL): a 500 rather than
a 404. Python's `str.isdigit()` also says yes to "²" and "٣", which `int()` refuses or reads
as another number. Every URLconf takes ids as `<id:pk>` and every hand-read id goes through
`parse_id`, so one rule holds everywhere.

    from home.converters import register_id_converter
    register_id_converter()          # once, at the top of a urls.py
    path("things/<id:pk>/", ...)
"""

import re

from django.urls import converters, register_converter

# The largest id a 64-bit integer column holds (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """Give `value` as a database id, or None if it is not one (ASCII digits, at most 2**63-1)."""
    text = value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter:
    """`<id:pk>`: a database id; anything longer or larger does not match (a 404)."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django reads a ValueError as "this URL does not match"
        return number

    def to_url(self, value) -> str:
        return str(value)


def register_id_converter() -> None:
    """Register `<id:...>` for URLconfs (safe to call from every one of them)."""
    if "id" not in converters.get_converters():
        register_converter(IdConverter, "id")

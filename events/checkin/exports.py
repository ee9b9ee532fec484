"""Attendance as CSV that a spreadsheet opens as text, never as a formula."""

import csv
import io

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["event", "date", "nickname", "checked_in_at", "how"]


def spreadsheet_safe(value) -> str:
    """Give the cell as text, with a leading quote if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def attendance_csv(rows) -> str:
    """Give CSV text for rows of (event title, occurrence start, nickname, checked in at, method)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for title, start, nickname, checked_in_at, method in rows:
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in (
                title,
                timezone.localtime(start).strftime("%Y-%m-%d %H:%M"),
                nickname,
                timezone.localtime(checked_in_at).strftime("%Y-%m-%d %H:%M:%S"),
                method,
            )
        )
    return out.getvalue()

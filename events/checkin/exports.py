"""Attendance as CSV that a spreadsheet opens as text, never as a formula."""

import csv
import io

from django.utils import timezone

from home.spreadsheets import spreadsheet_safe

HEADER = ["event", "date", "nickname", "checked_in_at", "how"]


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

"""CSV exports that a spreadsheet reads as text, never as formulas."""

import csv
import io

import pytest
from django.urls import reverse

from events.checkin.services.scanning import checkin_record
from home.spreadsheets import spreadsheet_safe
from tests.factories import PassFactory


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("Robin", "Robin"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 7700", "'+44 7700"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.django_db
def test_nicknames_that_look_like_formulas_are_exported_as_text(client, occurrence, organiser):
    nasty = PassFactory(participant__nickname='=cmd|"/c calc"!A1')
    checkin_record(occurrence=occurrence, token=nasty.token, scanned_by=organiser)
    client.force_login(organiser)
    response = client.get(reverse("checkin:attendance_csv", args=[occurrence.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["event", "date", "nickname", "checked_in_at", "how"]
    assert rows[1][2] == '\'=cmd|"/c calc"!A1'
    assert rows[1][0] == "Tuesday Coffee Morning"
    assert len(rows) == 2

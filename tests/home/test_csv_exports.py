"""Finding 9: every spreadsheet the admin offers shows a formula-like title as inert text.

A page titled `=HYPERLINK(...)` (as the public proposal and story forms allow) goes through
Wagtail's site history, workflow, workflow task, locked and ageing pages reports, the
redirects list and our audit log; each export, CSV and XLSX, must keep it as text.
"""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.redirects.models import Redirect

from home.audit.models import AuditEvent
from home.spreadsheets import FormulaSafeExportMixin
from tests.factories import StandardPageFactory, UserFactory

FORMULA = '=HYPERLINK("http://x","y")'

EXPORTS = [
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/locked/",
    "/admin/reports/aging-pages/",
    "/admin/redirects/",
    "/admin/audit/",
]


@pytest.fixture
def admin_client(client, home_page):
    admin = UserFactory(username="boss", is_superuser=True, is_staff=True)
    page = StandardPageFactory(parent=home_page, title=FORMULA, slug="formula")
    page.save_revision(user=admin).publish(user=admin)
    page.refresh_from_db()
    # In moderation (the workflow reports) and locked (the locked pages report).
    page.save_revision(user=admin)
    page.get_workflow().start(page, admin)
    page.locked, page.locked_by, page.locked_at = True, admin, timezone.now()
    page.save()
    # Published long enough ago for the ageing pages report.
    type(page).objects.filter(pk=page.pk).update(
        last_published_at=timezone.now() - timedelta(days=400)
    )
    Redirect.objects.create(old_path="/old", redirect_link=FORMULA, site=None)
    AuditEvent.objects.create(username="boss", action="view_contact", detail=FORMULA)
    client.force_login(admin)
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", EXPORTS)
def test_csv_export_keeps_a_formula_as_text(admin_client, url):
    response = admin_client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    cells = [cell for row in csv.reader(io.StringIO(_body(response).decode())) for cell in row]
    assert "'" + FORMULA in cells, cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells


@pytest.mark.parametrize("url", EXPORTS)
def test_xlsx_export_keeps_a_formula_as_text(admin_client, url):
    response = admin_client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    found = [cell for cell in cells if FORMULA in str(cell.value)]
    assert found, [cell.value for cell in cells]
    assert all(cell.data_type == "s" for cell in found)
    assert not any(cell.data_type == "f" for cell in cells)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_export_the_admin_offers_is_formula_safe(db):
    """A new report or viewset with `list_export` fails here until it is made safe."""
    exporting = []
    for route, callback in _routes(get_resolver().url_patterns):
        view_class = getattr(callback, "view_class", None)
        if not (view_class and issubclass(view_class, SpreadsheetExportMixin)):
            continue
        initkwargs = getattr(callback, "view_initkwargs", {})
        if not (initkwargs.get("list_export") or view_class.list_export):
            continue
        assert "<" not in route, f"{route}: check an export with URL parameters by hand"
        exporting.append(route)
        reached = resolve("/" + route).func.view_class
        assert issubclass(reached, FormulaSafeExportMixin), f"/{route} exports unsafe CSV"
    assert len(exporting) >= 10, exporting

"""Wagtail's own spreadsheet exports, made formula-safe like every CSV of ours.

Wagtail's reports (site history, workflows, workflow tasks, locked and ageing pages), the
redirects list and any admin listing with `list_export` write page titles and other text
that the public forms let in ("=HYPERLINK(...)") as they are. Every one of them is a view
with `SpreadsheetExportMixin`; the views here are the same views with each CSV cell passed
through `spreadsheet_safe`. XLSX cells stay text already (Wagtail turns anything openpyxl
takes for a formula back into a string), so a spreadsheet shows them and runs nothing.

`formula_safe_urlpatterns` gives Wagtail's own URL patterns (its reports, the redirects)
with these views in place; site/urls.py puts them ahead of Wagtail's, so the same URLs, still
reversed by Wagtail's names, reach the safe views. A viewset of ours with `list_export` uses
`formula_safe(IndexView)`; tests/home/test_csv_exports.py fails for one that does not.
"""

from functools import cache

from django.urls import URLPattern
from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Give the cell as text, with a leading quote if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class FormulaSafeExportMixin:
    """Writes each text cell of a CSV export with a leading quote if it could be a formula."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return spreadsheet_safe(value)
        return value


@cache
def formula_safe(view_class: type) -> type:
    """Give `view_class` with formula-safe exports (itself if it has them already)."""
    if issubclass(view_class, FormulaSafeExportMixin):
        return view_class
    return type(f"FormulaSafe{view_class.__name__}", (FormulaSafeExportMixin, view_class), {})


def formula_safe_urlpatterns(patterns) -> list[URLPattern]:
    """Give the patterns among `patterns` whose view exports a spreadsheet, with safe views.

    They are unnamed: Wagtail's names, on the patterns these shadow, reverse to the same URLs.
    """
    safe = []
    for pattern in patterns:
        view_class = getattr(getattr(pattern, "callback", None), "view_class", None)
        if view_class and issubclass(view_class, SpreadsheetExportMixin):
            view = formula_safe(view_class).as_view(**pattern.callback.view_initkwargs)
            safe.append(URLPattern(pattern.pattern, view, pattern.default_args))
    return safe

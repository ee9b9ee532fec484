from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from home.spreadsheets import formula_safe

from .models import AuditEvent


class AuditEventViewSet(ModelViewSet):
    """The council reads the audit log: list, filter and inspect; no add, edit or delete."""

    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_admin_menu = True
    url_prefix = "audit"
    list_display = ["at", "username", "action", "object_type", "object_id", "detail"]
    list_filter = {"action": ["exact"], "username": ["icontains"], "object_type": ["exact"]}
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = ["at", "username", "action", "object_type", "object_id", "detail"]
    index_view_class = formula_safe(IndexView)

    def get_urlpatterns(self):
        # Only reading: the list, its results, one entry, and the export.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<str:pk>/", self.inspect_view, name="inspect"),
        ]

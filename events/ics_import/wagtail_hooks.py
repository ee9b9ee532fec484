from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .services import importable_groups


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return importable_groups(request.user).exists()


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("calendar-import/", include(urls, namespace="ics_import"))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import a calendar"), reverse_lazy("ics_import:start"), icon_name="date", order=255
    )

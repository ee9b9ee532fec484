from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from events.checkin.permissions import organised_groups
from home.council import is_council

from . import admin_urls


class InsightsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return is_council(user) or organised_groups(user).exists()


@hooks.register("register_admin_urls")
def register_insights_urls():
    return [path("insights/", include(admin_urls, namespace="insights_admin"))]


@hooks.register("register_admin_menu_item")
def register_insights_menu_item():
    return InsightsMenuItem(
        _("Community figures"),
        reverse_lazy("insights_admin:dashboard"),
        icon_name="table",
        order=260,
    )

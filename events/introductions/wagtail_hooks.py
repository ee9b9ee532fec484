from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home.audit.retention import RETENTION_HOOK
from home.council import is_council

from . import admin_urls
from .retention import introductions_retention

# Before check-in's step (order 0): the outcome is read from attendance that step erases.
hooks.register(RETENTION_HOOK, introductions_retention, order=-10)


class NavigatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_council(request.user)


@hooks.register("register_admin_urls")
def register_navigators_urls():
    return [path("navigators/", include(admin_urls, namespace="navigators_admin"))]


@hooks.register("register_admin_menu_item")
def register_navigators_menu_item():
    return NavigatorsMenuItem(
        _("Navigator organisations"),
        reverse_lazy("navigators_admin:index"),
        icon_name="group",
        order=270,
    )

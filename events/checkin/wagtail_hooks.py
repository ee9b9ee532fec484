from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from home.audit.retention import RETENTION_HOOK
from home.council import is_council

from .permissions import organised_groups
from .retention import checkin_retention
from .viewsets import RoleViewSet

register_snippet(RoleViewSet)
hooks.register(RETENTION_HOOK, checkin_retention)


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return is_council(user) or organised_groups(user).exists()


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        _("Attendance"), reverse_lazy("checkin:dashboard"), icon_name="tasks", order=250
    )

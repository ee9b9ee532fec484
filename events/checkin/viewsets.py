from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Role


class RoleViewSet(SnippetViewSet):
    """The council edits the ways participants may say they take part."""

    model = Role
    icon = "group"
    menu_label = _("Participant roles")
    list_display = ["name", "community", "sort_order"]
    list_filter = ["community"]

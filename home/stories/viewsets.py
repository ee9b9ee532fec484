from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.audit.views import AuditedEditView, AuditedInspectView
from home.choosers import PermittedSnippetChooserViewSet

from .models import Pathway, StoryMedia, StorySubmission, Theme


class PathwayViewSet(SnippetViewSet):
    model = Pathway
    icon = "route"
    menu_label = _("Pathways")
    list_display = ["name", "slug", "sort_order"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    list_display = ["name", "slug", "sort_order"]


class StoryMediaViewSet(SnippetViewSet):
    model = StoryMedia
    icon = "media"
    menu_label = _("Audio and video")
    list_display = ["title", "created_at"]
    search_fields = ["title"]
    # Its chooser lists media only to those who may see them (home/choosers.py).
    chooser_viewset_class = PermittedSnippetChooserViewSet


class StorySubmissionViewSet(SnippetViewSet):
    """Tellers' consent and contact details: only users given the model permission see it."""

    model = StorySubmission
    icon = "mail"
    menu_label = _("Submissions")
    list_display = ["__str__", "page", "withdrawn_at", "purged_at"]
    list_filter = ["withdrawn_at", "purged_at"]
    inspect_view_enabled = True
    # Opening a teller's contact details is written to the audit log.
    inspect_view_class = AuditedInspectView
    edit_view_class = AuditedEditView
    chooser_viewset_class = PermittedSnippetChooserViewSet
    inspect_view_fields = [
        "page",
        "submitted_at",
        "consent_text",
        "consented_at",
        "contact_email",
        "contact_phone",
        "withdrawn_at",
        "purged_at",
    ]


class StoriesViewSetGroup(SnippetViewSetGroup):
    items = (PathwayViewSet, ThemeViewSet, StoryMediaViewSet, StorySubmissionViewSet)
    menu_icon = "openquote"
    menu_label = _("Stories")
    menu_order = 250

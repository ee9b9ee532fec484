"""The events app's admin screens: its snippets, most of them grouped under *Events*."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.audit.views import AuditedEditView, AuditedInspectView
from home.choosers import PermittedSnippetChooserViewSet

from .models import Audience, Category, EventProposal, Venue


class VenueChooserViewSet(SnippetChooserViewSet):
    """The venue chooser, with a tab to add a venue that is not listed yet."""

    form_fields = [
        "name",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "step_free",
        "accessible_toilet",
        "hearing_loop",
        "quiet_space",
        "baby_change",
        "alcohol_free",
        "access_notes",
    ]
    create_action_label = _("Add a new venue")
    creation_tab_label = _("Add a new venue")


class VenueViewSet(SnippetViewSet):
    model = Venue
    chooser_viewset_class = VenueChooserViewSet
    icon = "home"
    menu_label = _("Venues")
    list_display = ["name", "town", "postcode", "step_free", "accessible_toilet"]
    list_filter = ["step_free", "accessible_toilet", "hearing_loop", "alcohol_free"]
    search_fields = ["name", "town", "postcode"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Who groups serve")
    list_display = ["name", "sort_order"]


class EventProposalViewSet(SnippetViewSet):
    """The council reads who proposed which event (read-only)."""

    model = EventProposal
    icon = "mail"
    menu_label = _("Event proposals")
    list_display = ["group_name", "event", "name", "created_at"]
    inspect_view_enabled = True
    # Opening a proposer's contact details is written to the audit log.
    inspect_view_class = AuditedInspectView
    edit_view_class = AuditedEditView
    # Its chooser lists proposals only to those who may read them (home/choosers.py).
    chooser_viewset_class = PermittedSnippetChooserViewSet


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Event categories")
    list_display = ["name", "slug", "sort_order"]


class EventsViewSetGroup(SnippetViewSetGroup):
    """The lists events are built from. Proposals stay on their own under *Snippets*: the
    council's inbox, and what keeps *Snippets* open to moderators (the permission matrix)."""

    items = (VenueViewSet, CategoryViewSet, AudienceViewSet)
    menu_icon = "date"
    menu_label = _("Events")
    menu_order = 200

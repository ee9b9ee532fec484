from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Audience, Venue


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "home"
    menu_label = _("Venues")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "town", "postcode", "step_free", "accessible_toilet"]
    list_filter = ["step_free", "accessible_toilet", "hearing_loop", "alcohol_free"]
    search_fields = ["name", "town", "postcode"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Who groups serve")
    list_display = ["name", "sort_order"]

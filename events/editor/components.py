"""The organiser's home panel on the admin dashboard."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .selectors import organiser_next_dates, organiser_submissions


class OrganiserHomePanel(Component):
    """Add an event, the next dates (with Scan buttons) and where each submission stands."""

    name = "organiser_home"
    order = 50
    template_name = "events/admin/organiser_home_panel.html"

    def __init__(self, request, groups):
        self.request = request
        self.groups = groups  # the GroupPages the user organises (editor.selectors)

    def get_context_data(self, parent_context):
        groups = self.groups
        return {
            "heading": _("Your events"),
            "add_links": [
                (group, reverse("wagtailadmin_pages:add", args=("events", "eventpage", group.pk)))
                for group in groups
            ],
            "next_dates": organiser_next_dates(groups),
            "submissions": organiser_submissions(groups),
            "request": self.request,
        }

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Give the live pages under the site's root that are marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().specific())


@register.filter
def page_kind(page) -> str:
    """A search result's kind in plain words ("Event", "Group", "Story"), not a model's name."""
    kinds = {
        "eventpage": _("Event"),
        "grouppage": _("Group"),
        "storypage": _("Story"),
        "calendarpage": _("Calendar"),
        "storyindexpage": _("Stories"),
        "groupindexpage": _("Groups"),
    }
    return kinds.get(page.specific_class._meta.model_name, _("Page"))

"""Template tags for the admin screens we wrote."""

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Page

register = template.Library()


@register.simple_tag
def review_context(obj) -> str:
    """Give "Event page, from Lantern Café" for a page awaiting review."""
    if not isinstance(obj, Page):
        return ""
    from events.models import GroupPage

    kind = obj.specific_class._meta.verbose_name if obj.specific_class else ""
    group = Page.objects.ancestor_of(obj, inclusive=True).type(GroupPage).first()
    if group is None:
        return str(kind).capitalize()
    return _("%(kind)s, from %(group)s") % {"kind": str(kind).capitalize(), "group": group.title}

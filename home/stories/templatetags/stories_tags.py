from django import template

from home.stories.models import StoryPage

register = template.Library()


@register.simple_tag
def stories_linked_to(page, limit=6):
    """Give the published stories that name this group or event page as part of them."""
    if page is None or not getattr(page, "pk", None):
        return []
    return list(StoryPage.objects.published().linked_to(page).for_listing()[:limit])


@register.simple_tag
def featured_stories(limit=3):
    """Give the published stories the council chose to feature on the home page."""
    return list(StoryPage.objects.published().filter(featured=True).for_listing()[:limit])

"""RSS and Atom feeds of newly published stories."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import StoryIndexPage, StoryPage

FEED_SIZE = 20


class StoryRssFeed(Feed):
    description = _("New recovery stories, told by the people who lived them.")

    def title(self):
        return _("Recovery stories from %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def link(self):
        index = StoryIndexPage.objects.live().first()
        return (index.url if index else None) or "/"

    def items(self):
        return StoryPage.objects.published().order_by("-first_published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or _("A story told by %(name)s.") % {"name": item.displayed_name}

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"story-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return item.displayed_name

    def item_pubdate(self, item):
        return item.first_published_at or timezone.make_aware(
            datetime.datetime.combine(item.date, datetime.time(9))
        )

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)


class StoryAtomFeed(StoryRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Site
from wagtail.signals import page_published, post_page_move

from home.models import CitySettings

from .feeds import feed_entries_write
from .models import Category, EventPage, FeedEntry, GroupPage, Venue
from .services import group_organisers_ensure, occurrences_regenerate


@receiver(post_save, sender=GroupPage)
def give_new_group_its_organisers(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        group_organisers_ensure(group_page=instance)


@receiver(page_published)
def materialise_published_event(sender, instance, **kwargs):
    """Store a published event's dates and feed entry, so listings and feeds stay cheap.

    A published group names its events in feeds (as their organiser): theirs are rewritten.
    """
    if isinstance(instance, EventPage):
        if instance.series_page.pk != instance.pk:
            return  # a translation: its series' dates and feed entry are the original's
        occurrences_regenerate(event=instance)
        feed_entries_write(EventPage.objects.filter(pk=instance.pk))
    elif isinstance(instance, GroupPage):
        feed_entries_write(EventPage.objects.filter(group=instance, feed_entry__isnull=False))


@receiver(post_page_move)
def follow_moved_page(sender, instance, parent_page_after, url_path_after, **kwargs):
    """A moved event belongs to its new group; moved events' feed entries carry new URLs."""
    if issubclass(sender, EventPage):
        EventPage.objects.filter(pk=instance.pk).update(group_id=parent_page_after.pk)
    moved = EventPage.objects.filter(url_path__startswith=url_path_after, feed_entry__isnull=False)
    _rewrite_entries(list(moved.values_list("pk", flat=True)))


# Venues, categories and sites are written into the events' feed entries (an address, a
# category's name, a page's full URL): when one changes, the entries using it are rewritten.


def _events_using(instance) -> Q:
    if isinstance(instance, Venue):
        return Q(venue=instance) | Q(occurrence_changes__new_venue=instance)
    if isinstance(instance, Category):
        return Q(categories=instance)
    return Q()  # a site: every event


def _rewrite_entries(ids, *, changed=None) -> None:
    if changed is Site:
        # Wagtail forgets the old site addresses on the same signal, perhaps after this one:
        # the entries must be written with the new ones.
        Site.clear_site_root_paths_cache()
    feed_entries_write(EventPage.objects.filter(pk__in=ids))


def _stored_ids(instance) -> list[int]:
    events = EventPage.objects.filter(_events_using(instance), feed_entry__isnull=False)
    return list(events.values_list("pk", flat=True).distinct())


@receiver(post_save, sender=Venue)
@receiver(post_save, sender=Category)
@receiver(post_save, sender=Site)
def rewrite_feed_entries_after_edit(sender, instance, raw=False, **kwargs):
    if not raw:
        _rewrite_entries(_stored_ids(instance), changed=sender)


@receiver(pre_delete, sender=Venue)
@receiver(pre_delete, sender=Category)
@receiver(pre_delete, sender=Site)
def note_feed_entries_before_delete(sender, instance, **kwargs):
    # Once deleted, the events no longer point at it: find them now, rewrite them after.
    instance._feed_entry_ids = _stored_ids(instance)


@receiver(post_delete, sender=Venue)
@receiver(post_delete, sender=Category)
@receiver(post_delete, sender=Site)
def rewrite_feed_entries_after_delete(sender, instance, **kwargs):
    _rewrite_entries(getattr(instance, "_feed_entry_ids", ()), changed=sender)


@receiver(post_save, sender=CitySettings)
def move_feed_validators_after_city_edit(sender, instance, created, raw=False, **kwargs):
    """The city's name heads every feed: a new name moves every feed's ETag and Last-Modified.

    One UPDATE (no entry is rebuilt), so every worker's cached body is left behind at once.
    Settings made on first use carry the defaults every feed already had.
    """
    if not (created or raw):
        FeedEntry.objects.update(written_at=timezone.now())

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import EventPage, GroupPage


@receiver(post_save, sender=GroupPage)
def give_new_group_its_organisers(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import group_organisers_ensure

        group_organisers_ensure(group_page=instance)


@receiver(page_published)
def materialise_published_event(sender, instance, **kwargs):
    """Store a published event's dates, so listings are one indexed query."""
    if isinstance(instance, EventPage):
        from .services import occurrences_regenerate

        occurrences_regenerate(event=instance)

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import StoryPage
from .services import story_media_follow_page


@receiver(page_published, sender=StoryPage)
def keep_withdrawn_stories_down(sender, instance, **kwargs):
    # A moderator approving an old task must never bring back a withdrawn story.
    if instance.withdrawn_at and instance.live:
        instance.unpublish(log_action=False)


@receiver(page_published, sender=StoryPage)
@receiver(page_unpublished, sender=StoryPage)
def story_photos_follow_the_page(sender, instance, **kwargs):
    story_media_follow_page(page=instance)

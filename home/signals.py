from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Locale

from .image_files import image_upload_clean
from .locale import forget_locale_ids


@receiver(pre_save, sender=get_image_model())
def clean_every_image_upload(sender, instance, raw=False, **kwargs):
    # Every way in (the admin, the story form, the demo) saves through here.
    if not raw and instance.file and not instance.file._committed:
        image_upload_clean(image=instance)


@receiver(post_save, sender=Locale)
@receiver(post_delete, sender=Locale)
def forget_cached_locales(sender, **kwargs):
    """A locale added or removed: the kept ids of locales are worked out again."""
    forget_locale_ids()

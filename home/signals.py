from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from .image_files import image_upload_clean


@receiver(pre_save, sender=get_image_model())
def clean_every_image_upload(sender, instance, raw=False, **kwargs):
    # Every way in (the admin, the story form, the demo) saves through here.
    if not raw and instance.file and not instance.file._committed:
        image_upload_clean(image=instance)

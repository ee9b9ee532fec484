from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import GroupPage


@receiver(post_save, sender=GroupPage)
def give_new_group_its_organisers(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import group_organisers_ensure

        group_organisers_ensure(group_page=instance)

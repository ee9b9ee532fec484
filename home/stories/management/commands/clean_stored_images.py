from django.core.management.base import BaseCommand

from home.image_files import images_clean_stored
from home.stories.models import StoryPage
from home.stories.services import story_media_follow_page


class Command(BaseCommand):
    help = (
        "Strip the metadata from images uploaded before the site did it on upload, give them "
        "random names, and take photos of unpublished stories out of public media. Run once "
        "after upgrading; safe to run again."
    )

    def handle(self, *args, **options):
        count = images_clean_stored()
        for story in StoryPage.objects.filter(submissions__photo__isnull=False).distinct():
            story_media_follow_page(page=story)
        self.stdout.write(f"Cleaned {count} image{'' if count == 1 else 's'}.")

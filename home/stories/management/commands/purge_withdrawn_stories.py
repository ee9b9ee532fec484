from django.conf import settings
from django.core.management.base import BaseCommand

from home.stories.services import stories_purge_withdrawn


class Command(BaseCommand):
    help = (
        "Delete the text of stories withdrawn longer ago than STORIES_WITHDRAWN_GRACE_DAYS, "
        "keeping only that they existed. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-days",
            type=int,
            default=None,
            help="Override the grace period in days (default: the setting).",
        )

    def handle(self, *args, grace_days=None, **options):
        days = settings.STORIES_WITHDRAWN_GRACE_DAYS if grace_days is None else grace_days
        if days < 0:
            self.stderr.write("The grace period cannot be negative.")
            return
        count = stories_purge_withdrawn(grace_days=days)
        self.stdout.write(
            f"Deleted the text of {count} withdrawn stor{'y' if count == 1 else 'ies'}."
        )

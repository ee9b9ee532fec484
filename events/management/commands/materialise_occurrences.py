"""Roll every live event's stored dates on to the horizon (run it daily, from cron)."""

from django.core.management.base import BaseCommand

from events.services import occurrences_roll_on


class Command(BaseCommand):
    help = "Store the dates of every live event up to about 18 months ahead."

    def handle(self, *args, **options):
        count = occurrences_roll_on()
        self.stdout.write(self.style.SUCCESS(f"Dates stored for {count} events."))

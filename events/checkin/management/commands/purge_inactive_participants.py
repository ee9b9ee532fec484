"""Erase participants not seen for a long time: identities go, counts stay.

Run daily (cron or a systemd timer). The period is CHECKIN_RETENTION_DAYS (default 730).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.checkin.services import participants_purge_inactive


class Command(BaseCommand):
    help = "Erase check-in participants not seen for CHECKIN_RETENTION_DAYS days."

    def handle(self, *args, **options):
        days = int(getattr(settings, "CHECKIN_RETENTION_DAYS", 730))
        erased = participants_purge_inactive(days=days)
        self.stdout.write(f"Erased {erased} participant record(s) not seen for {days} days.")

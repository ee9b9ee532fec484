"""Kept so existing cron lines keep working: it runs `apply_retention`, the one retention path.

Participants not seen for a while are erased by `apply_retention`, with the periods set in
the admin (Settings > Privacy and retention) for every site.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "The same as apply_retention (run that instead): forget identities past their time."

    def handle(self, *args, **options):
        self.stdout.write("purge_inactive_participants is now part of apply_retention; running it.")
        call_command("apply_retention", stdout=self.stdout, stderr=self.stderr)

"""Apply the retention periods (Settings > Privacy and retention). Safe to run daily.

15 3 * * * cd /srv/irc && .venv/bin/python manage.py apply_retention
"""

from django.core.management.base import BaseCommand

from home.audit.retention import retention_apply


class Command(BaseCommand):
    help = "Forget identities past their retention period; keep only anonymous counts."

    def handle(self, *args, **options):
        report = retention_apply()
        for name, count in report.as_dict().items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")

"""Load the demo city. Safe to run again: what exists is left as it is."""

import os
from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo.site import DEMO_PASSWORD

# Each step is a module with `load(**context) -> dict`; what one step returns
# (pages, groups, venues...) is passed on to the next ones.
STEPS = [
    "home.demo.site",
    "events.demo.groups",
    "events.demo.events",  # the calendar page and 40-odd events, with their dates
    "home.stories.demo",
    "events.checkin.demo",  # after the events step: it needs past dates
]


class Command(BaseCommand):
    help = "Load the Northbridge demo city (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Migrate the database first, in the same process (`make demo` starts Django once).",
        )

    def handle(self, *args, **options):
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        context: dict = {}
        with transaction.atomic():
            for step in STEPS:
                context.update(import_module(step).load(**context) or {})
        self.stdout.write(self.style.SUCCESS("The demo city of Northbridge is ready."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/ with any of these "
            f"(password “{DEMO_PASSWORD}”):\n"
            "  admin                      everything (superuser)\n"
            "  council                    the council's moderator\n"
            "  organiser-recovery-cafe    an organiser of The Lantern Recovery Café\n"
            "  organiser-<group slug>     an organiser of each other group"
        )

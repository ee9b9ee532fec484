"""Load the demo city. Safe to run again: what exists is left as it is."""

import os
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo.site import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the Northbridge demo city (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="host:port the demo is served at (the default Site's address, used in feeds)",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Migrate the database first, in the same process (`make demo` starts Django once).",
        )

    def handle(self, *args, **options):
        host, _colon, port = options["address"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(
                f"“{options['address']}” is not an address: give it as host:port, "
                "for example 127.0.0.1:8000."
            )
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        context: dict = {"address": (host, int(port))}
        with transaction.atomic():
            for step in settings.DEMO_STEPS:
                context.update(import_module(step).load(**context) or {})
        self.stdout.write(self.style.SUCCESS("The demo city of Northbridge is ready."))
        self.stdout.write(
            f"Log in at http://{host}:{port}/admin/ with any of these "
            f"(password “{DEMO_PASSWORD}”):\n"
            "  admin                      everything (superuser)\n"
            "  council                    the council's moderator\n"
            "  organiser-recovery-cafe    an organiser of The Lantern Recovery Café\n"
            "  organiser-<group slug>     an organiser of each other group"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site and pages")

    def ready(self):
        # Imported once the app registry is ready, as Django asks of checks and signals.
        from django.core import checks

        from . import signals  # noqa: F401
        from .checks import check_default_site_address

        # A deployment check: `manage.py check --deploy --database default` (README).
        checks.register(check_default_site_address, checks.Tags.sites, deploy=True)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionsConfig(AppConfig):
    name = "events.introductions"
    label = "introductions"
    verbose_name = _("Warm introductions")

    def ready(self):
        # The receivers register on import, once the app registry is ready.
        from events.checkin.services.lifecycle import EXPORT_SECTIONS

        from . import receivers  # noqa: F401
        from .selectors import export_of

        EXPORT_SECTIONS["introductions"] = export_of

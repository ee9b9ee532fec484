from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "events.checkin"
    label = "checkin"
    verbose_name = _("Check-in and attendance")

    def ready(self):
        # The receivers register on import, once the app registry is ready.
        from . import signals  # noqa: F401

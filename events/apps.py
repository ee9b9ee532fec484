from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Groups and events")

    def ready(self):
        # The receivers register on import, once the app registry is ready.
        from . import signals  # noqa: F401

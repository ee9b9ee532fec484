from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "home.stories"
    label = "stories"
    verbose_name = _("Recovery stories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The receivers register on import, once the app registry is ready.
        from . import signals  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "events.opendata"
    label = "opendata"
    verbose_name = _("Open data for other apps and directories")

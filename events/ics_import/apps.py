from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IcsImportConfig(AppConfig):
    name = "events.ics_import"
    label = "ics_import"
    verbose_name = _("Calendar import")
    default_auto_field = "django.db.models.BigAutoField"

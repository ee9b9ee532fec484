from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "home.audit"
    label = "audit"
    verbose_name = _("Audit and privacy")
    default_auto_field = "django.db.models.BigAutoField"

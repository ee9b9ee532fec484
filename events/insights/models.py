from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .suppression import DEFAULT_THRESHOLD


@register_setting(icon="view")
class InsightsSettings(BaseSiteSetting):
    """How the public figures protect people: the smallest number that may be published."""

    suppression_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        verbose_name=_("smallest number published"),
        help_text=_(
            "On “our city in numbers”, any figure built from fewer people than this is "
            "hidden, so nobody can be picked out. 5 is a common choice."
        ),
    )

    panels = [FieldPanel("suppression_threshold")]

    class Meta:
        verbose_name = _("community figures")

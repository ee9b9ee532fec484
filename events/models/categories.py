from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from home.taxonomy import OrderedTaxonomy

# The council's starting taxonomy (slug, name); a data migration seeds it.
DEFAULT_CATEGORIES = [
    ("recovery-walks-and-celebrations", "Recovery walks and celebrations"),
    ("social-and-cafe", "Social and café"),
    ("sport-and-movement", "Sport and movement"),
    ("arts-and-culture", "Arts and culture"),
    ("learning-and-skills", "Learning and skills"),
    ("volunteering", "Volunteering"),
    ("mutual-aid-meetings", "Mutual-aid meetings"),
    ("families", "Families"),
    ("faith", "Faith"),
    ("civic", "Civic"),
]


class Category(OrderedTaxonomy):
    """A kind of event residents browse and subscribe to (the council edits the list)."""

    description = models.CharField(max_length=250, blank=True, verbose_name=_("description"))

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")

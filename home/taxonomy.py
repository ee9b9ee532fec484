"""The shape shared by the short lists the council edits (pathways, themes, categories...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderedTaxonomy(models.Model):
    """A named, slugged entry in a council-edited list, shown in the council's order."""

    name = models.CharField(max_length=80, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

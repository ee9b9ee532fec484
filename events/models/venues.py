from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from ..validators import normalise_postcode, validate_uk_postcode

# (field name, what a resident reads) for each yes/no access fact, in the order shown.
ACCESS_FACTS = [
    ("step_free", _("Step-free access")),
    ("accessible_toilet", _("Accessible toilet")),
    ("hearing_loop", _("Hearing loop")),
    ("quiet_space", _("Quiet space")),
    ("baby_change", _("Baby changing")),
    ("alcohol_free", _("Alcohol-free venue")),
]


class Venue(index.Indexed, models.Model):
    """A place where events happen, with the access facts residents plan around."""

    name = models.CharField(max_length=150, verbose_name=_("name"))
    address_line_1 = models.CharField(max_length=150, verbose_name=_("address line 1"))
    address_line_2 = models.CharField(max_length=150, blank=True, verbose_name=_("address line 2"))
    town = models.CharField(max_length=100, verbose_name=_("town or city"))
    postcode = models.CharField(
        max_length=10, validators=[validate_uk_postcode], verbose_name=_("postcode")
    )
    step_free = models.BooleanField(default=False, verbose_name=_("step-free access"))
    accessible_toilet = models.BooleanField(default=False, verbose_name=_("accessible toilet"))
    hearing_loop = models.BooleanField(default=False, verbose_name=_("hearing loop"))
    quiet_space = models.BooleanField(default=False, verbose_name=_("quiet space"))
    baby_change = models.BooleanField(default=False, verbose_name=_("baby changing"))
    alcohol_free = models.BooleanField(
        default=False,
        verbose_name=_("alcohol-free venue"),
        help_text=_("No alcohol is sold or served here."),
    )
    transport_notes = models.TextField(
        blank=True,
        max_length=1000,
        verbose_name=_("getting there"),
        help_text=_("Buses, trains, parking and the nearest step-free route."),
    )
    access_notes = models.TextField(
        blank=True,
        max_length=1000,
        verbose_name=_("more about access"),
        help_text=_("Anything else that helps someone plan their visit."),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("address_line_1"),
                FieldPanel("address_line_2"),
                FieldRowPanel([FieldPanel("town"), FieldPanel("postcode")]),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name, _label in ACCESS_FACTS]
            + [FieldPanel("transport_notes"), FieldPanel("access_notes")],
            heading=_("Access"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("town"),
        index.SearchField("postcode"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return f"{self.name}, {self.town}"

    def clean(self):
        super().clean()
        self.postcode = normalise_postcode(self.postcode)

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.address_line_1, self.address_line_2, self.town, self.postcode)
            if line
        ]

    @property
    def access_facts(self) -> list[tuple[str, str, bool]]:
        """Each access fact as (field name, label, whether this venue has it)."""
        return [(name, label, getattr(self, name)) for name, label in ACCESS_FACTS]

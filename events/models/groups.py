from django import forms
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.taxonomy import OrderedTaxonomy

from .events import Occurrence


class GroupKind(models.TextChoices):
    LIVED_EXPERIENCE = "lived_experience", _("Lived-experience recovery organisation")
    MUTUAL_AID = "mutual_aid", _("Mutual aid")
    COMMUNITY = "community", _("Community or voluntary group")
    FAITH = "faith", _("Faith group")
    SPORT_ARTS = "sport_arts", _("Sport or arts")
    COUNCIL = "council", _("Council")
    PROBATION = "probation", _("Probation")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health service")
    EMPLOYER = "employer", _("Employer")
    EDUCATION = "education", _("Education")


# Civic and statutory partners and institutions: contact with them is the
# "linking" kind of social capital.
CIVIC_KINDS = frozenset(
    {
        GroupKind.COUNCIL,
        GroupKind.PROBATION,
        GroupKind.POLICE,
        GroupKind.HEALTH,
        GroupKind.EMPLOYER,
        GroupKind.EDUCATION,
    }
)


class Audience(OrderedTaxonomy):
    """Who a group is for: people in recovery, families, everyone... (the council edits)."""

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("who a group serves")
        verbose_name_plural = _("who groups serve")


class GroupIndexPage(Page):
    introduction = models.TextField(blank=True, max_length=600, verbose_name=_("introduction"))

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.GroupPage"]
    max_count = 1

    class Meta:
        verbose_name = _("group index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = (
            GroupPage.objects.child_of(self)
            .live()
            .public()
            .select_related("logo")
            .prefetch_related("serves")
            .order_by("title")
        )
        return context


class GroupPage(Page):
    """A community group's home on the site; its organisers edit this subtree only."""

    summary = models.CharField(
        max_length=250,
        verbose_name=_("summary"),
        help_text=_("One sentence about the group, shown in lists."),
    )
    story = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("our story"),
        help_text=_("Who you are, what you do, and how people can join in."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    kind = models.CharField(
        max_length=30, choices=GroupKind.choices, verbose_name=_("kind of group")
    )
    serves = ParentalManyToManyField(
        Audience, blank=True, related_name="groups", verbose_name=_("who the group is for")
    )
    contact_name = models.CharField(max_length=100, blank=True, verbose_name=_("contact name"))
    contact_email = models.EmailField(blank=True, verbose_name=_("contact email"))
    contact_phone = models.CharField(max_length=40, blank=True, verbose_name=_("contact phone"))
    website = models.URLField(blank=True, verbose_name=_("website"))
    organisers = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="group_page",
        verbose_name=_("organisers"),
        help_text=_("The user group whose members may edit this group's pages."),
    )
    # Linked, not looked up by name, so renaming the group keeps its images.
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image collection"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("kind"),
        FieldPanel("serves", widget=forms.CheckboxSelectMultiple),
        FieldPanel("logo"),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("story"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["events.GroupIndexPage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("group page")

    @property
    def is_civic_partner(self) -> bool:
        return self.kind in CIVIC_KINDS

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_dates"] = (
            Occurrence.objects.visible().for_group(self).upcoming().listing_rows(0, 12)
        )
        return context

    # A translation's organisers are the original's (events/services.py): never copied.
    exclude_fields_in_copy = ["organisers"]

    def with_content_json(self, content):
        # Publishing an old revision must not detach the group's organisers or collection.
        page = super().with_content_json(content)
        page.organisers_id = self.organisers_id
        page.collection_id = self.collection_id
        return page

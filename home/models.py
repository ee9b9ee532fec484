"""The site's own pages and settings: home, standard pages and the city's settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    introduction = models.TextField(
        blank=True,
        max_length=400,
        verbose_name=_("introduction"),
        help_text=_("One or two welcoming sentences shown at the top of the home page."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "events.GroupIndexPage",
        "events.CalendarPage",
        "stories.StoryIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    introduction = models.TextField(blank=True, max_length=400, verbose_name=_("introduction"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class CitySettings(BaseSiteSetting):
    """What the council sets once for its city: name, logo, contact, privacy notice."""

    city_name = models.CharField(
        max_length=100,
        default="Our City",
        verbose_name=_("city name"),
        help_text=_("Shown in the header, page titles and calendar names."),
    )
    tagline = models.CharField(
        max_length=200,
        blank=True,
        default="Recovery is visible here, and everyone is welcome.",
        verbose_name=_("tagline"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    contact_email = models.EmailField(blank=True, verbose_name=_("contact email"))
    contact_phone = models.CharField(max_length=40, blank=True, verbose_name=_("contact phone"))
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice page"),
    )
    # Shown beside every story's content note: a story may stir something up, and the
    # reader should not have to search for help.
    crisis_line_name = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("crisis line name"),
        help_text=_("A free line people can call if a story stirs something up, e.g. Samaritans."),
    )
    crisis_line_phone = models.CharField(
        max_length=40, blank=True, verbose_name=_("crisis line phone number")
    )
    crisis_line_url = models.URLField(blank=True, verbose_name=_("crisis line website (optional)"))
    crisis_line_hours = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("crisis line opening hours"),
        help_text=_("For example: any time, day or night."),
    )

    # Where the city is, for search engines, meeting finders and service directories.
    country = models.CharField(
        max_length=2,
        default="GB",
        verbose_name=_("country"),
        help_text=_("The two-letter country code (ISO 3166), for example GB or IE."),
    )
    region = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("county or region"),
        help_text=_(
            "For addresses in service directories, for example West Yorkshire. "
            "Left empty, each venue's town is used."
        ),
    )
    currency = models.CharField(
        max_length=3,
        default="GBP",
        verbose_name=_("currency"),
        help_text=_("The three-letter currency code (ISO 4217) event prices are in: GBP or EUR."),
    )

    panels = [
        FieldPanel("city_name"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone")], heading=_("Contact")
        ),
        FieldPanel("privacy_page"),
        MultiFieldPanel(
            [
                FieldPanel("crisis_line_name"),
                FieldPanel("crisis_line_phone"),
                FieldPanel("crisis_line_url"),
                FieldPanel("crisis_line_hours"),
            ],
            heading=_("Crisis line, shown with every story's content note"),
        ),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("region"), FieldPanel("currency")],
            heading=_("Where the city is"),
        ),
    ]

    class Meta:
        verbose_name = _("city settings")

    @property
    def crisis_line_tel(self) -> str:
        """The phone number as a tel: link takes it (digits and a leading +)."""
        number = self.crisis_line_phone.strip()
        digits = "".join(c for c in number if c.isdigit())
        return ("+" if number.startswith("+") else "") + digits


class RateLimitCounter(models.Model):
    """One rate-limit window's count on the database (home/ratelimit.py), gone when it ends.

    The key is a keyed hash of the scope and of the client (or username) hash, so no row
    says who or what it counts. Written only by one atomic INSERT ... ON CONFLICT statement.
    """

    key = models.CharField(primary_key=True, max_length=64)
    hits = models.PositiveIntegerField(default=0)
    window_end = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")

    def __str__(self):
        return f"{self.key[:8]}: {self.hits} until {self.window_end:%H:%M:%S}"

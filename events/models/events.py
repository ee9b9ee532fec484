"""Event pages, their schedules, one-date changes and the occurrences they materialise.

For the feeds helper, an ``EventPage`` gives:

- ``uid`` (stable across title and slug changes), ``schedule_sequence`` (SEQUENCE: goes up
  each time the schedule or a one-date change changes) and ``schedule_changed_at``
  (LAST-MODIFIED of the schedule);
- ``schedule`` -> ``events.schedule.Schedule``, the pure schedule (local wall-clock times and
  ``time_zone``), and ``schedule_changes()`` -> the one-date changes as
  ``events.schedule.Change``; ``schedule_summary`` is the readable sentence;
- ``venue`` (or ``online_url``), ``group`` (the host GroupPage), ``partner_groups``,
  ``categories`` and the inclusion facts.

Schedule fields: ``start_date``, ``start_time``, ``end_time``, ``duration_days``,
``frequency`` (once/daily/weekly/monthly), ``interval``, ``weekdays`` ("MO,TH"),
``monthly_mode`` (day/last_day/weekday), ``monthly_nth`` (1..5, -1 last), ``ends``
(never/on_date/after_count), ``until``, ``count``, ``extra_dates`` and ``excluded_dates``
(ISO dates, one a line), ``time_zone``.

``Occurrence`` rows are materialised for a rolling horizon by
``events.services.occurrences_regenerate``; list them with ``Occurrence.objects``'s
QuerySet methods (``upcoming()``, ``calendar(filters)`` ...).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    Panel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction, Site
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import BodyBlock
from home.locale import default_locale_id

from .. import schedule as sched
from ..forms import EventPageForm
from .categories import Category
from .venues import Venue


class Frequency(models.TextChoices):
    ONCE = sched.ONCE, _("Once (one date, or one event over several days)")
    DAILY = sched.DAILY, _("Every day, or every few days")
    WEEKLY = sched.WEEKLY, _("Every week, or every few weeks")
    MONTHLY = sched.MONTHLY, _("Every month, or every few months")


class MonthlyMode(models.TextChoices):
    DAY = sched.BY_DAY, _("On the same date as the start date (the 15th, say)")
    LAST_DAY = sched.BY_LAST_DAY, _("On the last day of the month")
    WEEKDAY = sched.BY_WEEKDAY, _("On a weekday: the first Monday, the last Friday …")


class Ends(models.TextChoices):
    NEVER = sched.ENDS_NEVER, _("Keeps going")
    ON_DATE = sched.ENDS_ON_DATE, _("On a date")
    AFTER_COUNT = sched.ENDS_AFTER_COUNT, _("After a number of dates")


NTH_CHOICES = [
    (1, _("first")),
    (2, _("second")),
    (3, _("third")),
    (4, _("fourth")),
    (5, _("fifth")),
    (-1, _("last")),
]


class OpenTo(models.TextChoices):
    EVERYONE = "everyone", _("Open to everyone")
    RECOVERY = "recovery", _("For people in recovery only")


# (field name, what a resident reads) for each yes/no inclusion fact, in the order shown.
INCLUSION_FACTS = [
    ("is_free", _("Free")),
    ("alcohol_free", _("Alcohol-free")),
    ("family_friendly", _("Family-friendly")),
    ("bsl", _("British Sign Language")),
    ("welcomer", _("Someone meets newcomers at the door")),
]


def inclusion_facts(event) -> list[tuple[str, str]]:
    """The inclusion facts `event` has, as (field name, label): "open to" first.

    `event` is an EventPage or anything with its fact fields (a feed's row of values).
    """
    facts = [(name, label) for name, label in INCLUSION_FACTS if getattr(event, name)]
    if event.open_to == OpenTo.EVERYONE:
        facts.insert(0, ("open_to", OpenTo.EVERYONE.label))
    else:
        facts.insert(0, ("open_to", OpenTo.RECOVERY.label))
    return facts


def restricted_paths() -> list[str]:
    """The tree paths of pages with privacy (a password, log-in or group): one small query."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def private_pages_q(paths: list[str] | None = None, *, path_field: str = "path") -> models.Q:
    """A condition matching pages with page privacy on or above them (`paths`: see above).

    With no private pages (the usual case) it is empty, so excluding it adds no condition at
    all, which keeps a feed's validator query quick (a subquery per row cost several ms for
    1,000 events). `path_field` reaches the page from another model ("event__path").
    """
    paths = restricted_paths() if paths is None else paths
    private = models.Q()
    for path in paths:
        private |= models.Q(**{f"{path_field}__startswith": path})
    return private


def page_urls(*, full: bool = False) -> Callable[[str], str]:
    """A function giving a page's URL from its url_path, without building the page.

    Relative ("/groups/…/", as ``Page.get_url`` gives on its own site) or, with `full`, with
    the site's root URL (as ``Page.get_full_url``); "" for a page outside every site.
    """
    roots = Site.get_site_root_paths()
    prefix = reverse("wagtail_serve", args=("",))

    def url(url_path: str) -> str:
        for root in roots:
            if url_path.startswith(root.root_path):
                path = prefix + url_path[len(root.root_path) :]
                return root.root_url + path if full else path
        return ""

    return url


class EventPageQuerySet(PageQuerySet):
    def visible(self, paths: list[str] | None = None):
        """Live events with a date that anyone may see (as the calendar lists them).

        `paths` (from ``restricted_paths()``) saves the query when a request asks often.
        One page per series: a translation is the same series (see ``series``).
        """
        return self.live().filter(start_date__isnull=False).exclude(private_pages_q(paths)).series()

    def series(self):
        """Leave out translations of an event whose page in the default language exists.

        An event in two languages is one series: its dates, attendance and feed entry hang
        on the page in the site's default language (EventPage.series_page). In SQL, so no
        query is added.
        """
        default = default_locale_id()
        if default is None:
            return self
        original = EventPage.objects.filter(
            translation_key=models.OuterRef("translation_key"), locale_id=default
        )
        return self.exclude(~models.Q(locale_id=default) & models.Exists(original))

    def for_group(self, group):
        """Events `group` hosts or co-hosts (a subquery: no join, no duplicates)."""
        partners = EventPage.partner_groups.through.objects.filter(grouppage=group)
        return self.filter(models.Q(group=group) | models.Q(pk__in=partners.values("eventpage_id")))

    def for_category(self, category):
        """Events tagged with `category` (a subquery: no join, no duplicates)."""
        tagged = EventPage.categories.through.objects.filter(category=category)
        return self.filter(pk__in=tagged.values("eventpage_id"))


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class ScheduleSummaryPanel(Panel):
    """Shows the organiser the schedule as residents will read it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/schedule_summary_panel.html"

        def get_context_data(self, parent_context=None):
            from ..editor.preview import date_label, schedule_preview

            context = super().get_context_data(parent_context)
            instance = self.instance
            context["summary"] = ""
            context["next_dates"] = []
            if instance.start_date:
                preview = schedule_preview(instance.schedule, instance.schedule_changes(), count=5)
                context["summary"] = preview["summary"]
                zone = instance.schedule.zone
                context["next_dates"] = [
                    date_label(p.start, zone)
                    for p in preview["dates"]
                    if p.status != Occurrence.Status.CANCELLED
                ]
            context["preview_url"] = reverse("events_admin:schedule_preview")
            return context

        @property
        def media(self):
            return forms.Media(js=["js/admin/schedule.js"])


class EventPage(Page):
    """An event a group puts on: a one-off or a series of dates (its occurrences)."""

    # Feeds identify the series by this, so a new title or slug keeps the UID.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    summary = models.CharField(
        max_length=250,
        verbose_name=_("short summary"),
        help_text=_("One or two sentences shown in lists and calendar apps."),
    )
    description = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("description"),
        help_text=_("What happens, who it is for, and what to expect when you arrive."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("venue"),
    )
    online_url = models.URLField(
        blank=True,
        verbose_name=_("online link"),
        help_text=_("For an event that happens online (or online as well)."),
    )
    # The GroupPage this event lives under, kept so listings need no tree lookups.
    group = models.ForeignKey(
        "events.GroupPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
        verbose_name=_("host group"),
    )
    partner_groups = ParentalManyToManyField(
        "events.GroupPage",
        blank=True,
        related_name="cohosted_events",
        verbose_name=_("co-hosted with"),
        help_text=_("Other groups that put this event on with you."),
    )
    categories = ParentalManyToManyField(
        Category, blank=True, related_name="events", verbose_name=_("categories")
    )

    # Inclusion facts residents filter on.
    is_free = models.BooleanField(default=True, verbose_name=_("free"))
    cost = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("cost"),
        help_text=_("If it is not free: “£3, or pay what you can”."),
    )
    alcohol_free = models.BooleanField(default=True, verbose_name=_("alcohol-free"))
    family_friendly = models.BooleanField(default=False, verbose_name=_("family-friendly"))
    open_to = models.CharField(
        max_length=20,
        choices=OpenTo.choices,
        default=OpenTo.EVERYONE,
        verbose_name=_("who can come"),
    )
    bsl = models.BooleanField(default=False, verbose_name=_("British Sign Language (BSL)"))
    welcomer = models.BooleanField(
        default=False,
        verbose_name=_("a welcomer meets newcomers"),
        help_text=_("A peer mentor or welcomer meets people at the door."),
    )
    # Meeting-finder apps read /meetings.json (events/opendata/meeting_guide.py).
    in_meeting_finders = models.BooleanField(
        default=False,
        verbose_name=_("list in meeting-finder apps"),
        help_text=_(
            "For a weekly event: list it in recovery-meeting apps as well. Weekly events in "
            "“Mutual-aid meetings” are listed anyway."
        ),
    )

    # The schedule: local wall-clock times in `time_zone` (see events/schedule.py).
    start_date = models.DateField(verbose_name=_("first date"), null=True)
    start_time = models.TimeField(verbose_name=_("starts at"), default=time(19, 0))
    end_time = models.TimeField(verbose_name=_("ends at"), default=time(21, 0))
    duration_days = models.PositiveSmallIntegerField(
        default=0,
        verbose_name=_("runs over more days"),
        help_text=_("0 if it ends on the day it starts; 2 for Friday evening to Sunday."),
    )
    frequency = models.CharField(
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.ONCE,
        verbose_name=_("how often"),
    )
    interval = models.PositiveSmallIntegerField(
        default=1,
        verbose_name=_("every how many"),
        help_text=_("1 for every week (or day, or month), 2 for every other, and so on."),
    )
    weekdays = models.CharField(
        max_length=30,
        blank=True,
        verbose_name=_("on these days"),
        help_text=_("For weekly events, and monthly ones on a weekday."),
    )
    monthly_mode = models.CharField(
        max_length=10,
        choices=MonthlyMode.choices,
        default=MonthlyMode.DAY,
        verbose_name=_("monthly on"),
    )
    monthly_nth = models.SmallIntegerField(
        choices=NTH_CHOICES, default=1, verbose_name=_("which one in the month")
    )
    ends = models.CharField(
        max_length=12, choices=Ends.choices, default=Ends.NEVER, verbose_name=_("the series ends")
    )
    until = models.DateField(null=True, blank=True, verbose_name=_("last date"))
    count = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("number of dates")
    )
    extra_dates = models.TextField(
        blank=True,
        verbose_name=_("extra dates"),
        help_text=_("Dates to add to the series, one a line, for example 24/12/2026."),
    )
    excluded_dates = models.TextField(
        blank=True,
        verbose_name=_("dates it does not happen"),
        help_text=_(
            "Dates to leave out (a bank holiday, say), one a line, for example 26/12/2026."
        ),
    )
    time_zone = models.CharField(max_length=50, default=sched.DEFAULT_TZ, editable=False)

    # For feeds: SEQUENCE and LAST-MODIFIED of the schedule (kept by the services).
    schedule_sequence = models.PositiveIntegerField(default=0, editable=False)
    schedule_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    schedule_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                ScheduleSummaryPanel(),
                FieldRowPanel(
                    [FieldPanel("start_date"), FieldPanel("start_time"), FieldPanel("end_time")]
                ),
                FieldPanel("duration_days"),
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("interval")]),
                FieldPanel("weekdays"),
                FieldRowPanel([FieldPanel("monthly_mode"), FieldPanel("monthly_nth")]),
                FieldRowPanel([FieldPanel("ends"), FieldPanel("until"), FieldPanel("count")]),
                FieldPanel("extra_dates"),
                FieldPanel("excluded_dates"),
            ],
            heading=_("When"),
        ),
        InlinePanel(
            "occurrence_changes",
            heading=_("Changes to one date"),
            label=_("change to one date"),
            help_text=_("Cancel, move or add a note to one date without changing the others."),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("online_url")],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("cost")]),
                FieldPanel("open_to"),
                FieldPanel("alcohol_free"),
                FieldPanel("family_friendly"),
                FieldPanel("bsl"),
                FieldPanel("welcomer"),
                FieldPanel("in_meeting_finders"),
            ],
            heading=_("Who it is for"),
        ),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("partner_groups"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("is_free"),
        index.FilterField("group"),
    ]

    objects = EventPageManager()

    parent_page_types = ["events.GroupPage"]
    subpage_types = []
    base_form_class = EventPageForm
    # A copied page is a new series with its own identity.
    exclude_fields_in_copy = ["uid", "schedule_sequence", "schedule_fingerprint"]
    # In every language the same series: wagtail-localize copies these from the original
    # and never offers them for translation (words stay translatable: title, summary,
    # description, cost, the notes of one-date changes).
    override_translatable_fields = [
        SynchronizedField(name)
        for name in (
            *sched.SCHEDULE_FIELDS,
            "time_zone",
            "venue",
            "online_url",
            "group",
            "partner_groups",
            "categories",
            "image",
            "open_to",
        )
    ]

    class Meta:
        verbose_name = _("event page")

    @property
    def series_page(self) -> "EventPage":
        """The page the series' dates, attendance and feed hang on: the original-language one.

        A translation (same translation_key, another locale) gives its original in the
        site's default language; a page with none is its own series.
        """
        default = default_locale_id()
        if default is None or self.locale_id == default:
            return self
        original = EventPage.objects.filter(
            translation_key=self.translation_key, locale_id=default
        ).first()
        return original or self

    @property
    def host_group(self):
        """The GroupPage this event lives under."""
        return self.get_parent().specific

    def save(self, *args, **kwargs):
        if self.path and self.depth:
            parent = self.get_parent()
            self.group_id = parent.pk if parent else None
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # Publishing an older revision keeps the feed identity and bookkeeping as stored.
        page = super().with_content_json(content)
        page.uid = self.uid
        page.group_id = self.group_id
        page.schedule_sequence = self.schedule_sequence
        page.schedule_changed_at = self.schedule_changed_at
        page.schedule_fingerprint = self.schedule_fingerprint
        return page

    # ---- the schedule -------------------------------------------------------------

    @property
    def schedule(self) -> sched.Schedule:
        """The pure schedule (see events/schedule.py)."""
        fields = {name: getattr(self, name) for name in sched.SCHEDULE_FIELDS}
        fields["start_date"] = self.start_date or timezone.localdate()
        return sched.Schedule.from_fields(**fields, time_zone=self.time_zone)

    def schedule_changes(self) -> list[sched.Change]:
        """The one-date changes as pure `Change`s."""
        return [c.as_change() for c in self.occurrence_changes.all()]

    @property
    def schedule_summary(self) -> str:
        return sched.describe(self.schedule, today=timezone.localdate())

    def planned_dates(self, *, count: int = 8) -> list:
        """The next dates this (perhaps unsaved) version gives, as unsaved Occurrences."""
        from ..editor.preview import schedule_preview

        if not self.start_date:
            return []
        preview = schedule_preview(self.schedule, self.schedule_changes(), count=count)
        return [Occurrence.from_plan(self, plan) for plan in preview["dates"]]

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def inclusion_facts(self) -> list[tuple[str, str]]:
        """The inclusion facts this event has, as (field name, label)."""
        return inclusion_facts(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # A draft or a submission has no stored dates yet: the moderator sees the ones
            # its schedule and one-date changes give, through the same expansion.
            context["next_dates"] = self.planned_dates(count=8)
        else:
            # A translation shows its series' dates (they hang on the original page).
            series = self.series_page
            context["next_dates"] = list(
                series.occurrences.upcoming().in_schedule().select_related("venue", "event")[:8]
            )
        context["recent_changes"] = [
            o for o in context["next_dates"] if o.status != Occurrence.Status.SCHEDULED
        ]
        return context


class OccurrenceChange(Orderable):
    """One date of a series cancelled, moved or given a note; survives regeneration."""

    class Status(models.TextChoices):
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved to a new time or place")
        NOTE = "scheduled", _("Going ahead, with a note")

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="occurrence_changes")
    original_date = models.DateField(
        verbose_name=_("date it changes"),
        help_text=_("The date in the series as it was planned."),
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.CANCELLED, verbose_name=_("change")
    )
    note = models.CharField(
        max_length=250,
        blank=True,
        verbose_name=_("reason or note"),
        help_text=_("Shown to residents: “The hall is closed for repairs.”"),
    )
    new_date = models.DateField(null=True, blank=True, verbose_name=_("new date"))
    new_start_time = models.TimeField(null=True, blank=True, verbose_name=_("new start time"))
    new_end_time = models.TimeField(null=True, blank=True, verbose_name=_("new end time"))
    new_venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("new venue"),
    )

    panels = [
        FieldRowPanel([FieldPanel("original_date"), FieldPanel("status")]),
        FieldPanel("note"),
        FieldRowPanel(
            [FieldPanel("new_date"), FieldPanel("new_start_time"), FieldPanel("new_end_time")]
        ),
        FieldPanel("new_venue"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("change to one date")
        verbose_name_plural = _("changes to one date")
        constraints = [
            models.UniqueConstraint(fields=["page", "original_date"], name="one_change_per_date")
        ]

    def __str__(self):
        return f"{self.original_date}: {self.get_status_display()}"

    def clean(self):
        super().clean()
        moved = self.status == self.Status.MOVED
        if moved and not (
            self.new_date or self.new_start_time or self.new_end_time or self.new_venue_id
        ):
            raise ValidationError(
                _("To move a date, please give its new date, new times or new venue.")
            )
        if self.status == self.Status.CANCELLED and not self.note:
            raise ValidationError(
                {"note": _("Please say why the date is cancelled: residents will see it.")}
            )

    def as_change(self) -> sched.Change:
        return sched.Change(
            original_date=self.original_date,
            status=self.status,
            note=self.note,
            new_date=self.new_date,
            new_start_time=self.new_start_time,
            new_end_time=self.new_end_time,
            venue_id=self.new_venue_id,
        )


@dataclass
class ListingEvent:
    """What a list of dates shows about each date's event, without building its page."""

    pk: int
    title: str
    summary: str
    url: str
    is_free: bool
    cost: str
    online_url: str
    group_title: str
    venue_name: str
    categories: list = field(default_factory=list)

    FIELDS = (
        "pk",
        "title",
        "summary",
        "url_path",
        "is_free",
        "cost",
        "online_url",
        "group__title",
        "venue__name",
    )

    @classmethod
    def for_ids(cls, ids) -> dict:
        """Give {event id: ListingEvent} for the given EventPage ids (two queries)."""
        ids = list(ids)
        page_url = page_urls()
        found = {}
        for values in EventPage.objects.filter(pk__in=ids).values(*cls.FIELDS):
            found[values["pk"]] = cls(
                pk=values["pk"],
                title=values["title"],
                summary=values["summary"],
                url=page_url(values["url_path"]),
                is_free=values["is_free"],
                cost=values["cost"],
                online_url=values["online_url"],
                group_title=values["group__title"] or "",
                venue_name=values["venue__name"] or "",
            )
        tagged = (
            EventPage.categories.through.objects.filter(eventpage_id__in=ids)
            .order_by("category__sort_order", "category__name")
            .values_list("eventpage_id", "category__name", "category__slug")
        )
        for event_id, name, slug in tagged:
            found[event_id].categories.append({"name": name, "slug": slug})
        return found


class OccurrenceQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        now = now or timezone.now()
        # The bound on start lets the database use the start index (see events.filters).
        earliest = now - timedelta(days=sched.MAX_DURATION_DAYS + 1)
        return self.filter(start__gte=earliest, end__gte=now).order_by("start")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")

    def for_event(self, event):
        return self.filter(event=event)

    def next_for_event(self, event, now):
        """The event's next date that is not cancelled and has not ended by `now`, or None."""
        return (
            self.filter(event=event)
            .exclude(status=self.model.Status.CANCELLED)
            .filter(end__gte=now)
            .order_by("start")
            .first()
        )

    def open_for_checkin(self, event, now, *, opens_minutes_before, closes_minutes_after):
        """The event's date (not cancelled) whose check-in window, opening and closing these
        minutes around it, holds `now`; or None."""
        return (
            self.filter(event=event)
            .exclude(status=self.model.Status.CANCELLED)
            .filter(
                start__lte=now + timedelta(minutes=opens_minutes_before),
                end__gte=now - timedelta(minutes=closes_minutes_after),
            )
            .order_by("start")
            .first()
        )

    def in_schedule(self):
        """Only the dates the schedule still gives (not ones kept for their attendance)."""
        return self.filter(in_schedule=True)

    def for_group(self, group):
        """Dates of events the group hosts or co-hosts."""
        return self.filter(event_id__in=EventPage.objects.for_group(group).values("pk"))

    def for_category(self, category):
        """Dates of events tagged with `category`."""
        return self.filter(event_id__in=EventPage.objects.for_category(category).values("pk"))

    def visible(self, paths: list[str] | None = None):
        """Dates of live events that anyone may see (no page privacy above them)."""
        private = private_pages_q(paths, path_field="event__path")
        return self.filter(event__live=True, in_schedule=True).exclude(private)

    def with_listing_data(self):
        """Everything a listing shows, fetched with the rows (no N+1)."""
        return self.select_related(
            "event", "event__venue", "event__group", "venue"
        ).prefetch_related("event__categories")

    def listing_rows(self, offset: int = 0, limit: int | None = None) -> list:
        """Give rows [offset:offset + limit] in order, each with `.listing` (a ListingEvent).

        A fixed four queries: the ids in order; those occurrences; their events' listing
        fields as plain values; their categories. Building full page objects for every row
        would cost more than the rest of a calendar page together.
        """
        ids_query = self.select_related(None).prefetch_related(None).values_list("pk", flat=True)
        end = None if limit is None else offset + limit
        ids = list(ids_query[offset:end])
        occurrences = Occurrence.objects.filter(pk__in=ids).select_related("venue").in_bulk()
        rows = [occurrences[pk] for pk in ids]
        events = ListingEvent.for_ids({o.event_id for o in rows})
        for row in rows:
            row.listing = events[row.event_id]
        return rows

    def calendar(self, filters):
        """Dates matching a `events.filters.CalendarFilters`, in order (past: newest first)."""
        return filters.apply(self.visible()).with_listing_data()


class Occurrence(models.Model):
    """One date of an event. Its identity is (event, original start): attendance hangs on it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Going ahead")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    original_start = models.DateTimeField(
        help_text=_(
            "When the schedule puts this date (before any move). The planned day never "
            "changes; the time follows the series' time."
        )
    )
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    note = models.CharField(max_length=250, blank=True, verbose_name=_("reason or note"))
    # Set when this date moved to another venue; otherwise the event's venue.
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # False when the schedule no longer gives this date but it is kept for its attendance.
    in_schedule = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "original_start"], name="occurrence_identity"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="occurrence_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["in_schedule", "start"], name="occurrence_listing"),
            # One group's or one event's dates in order, without walking the whole calendar.
            models.Index(fields=["event", "start"], name="occurrence_event_start"),
        ]
        verbose_name = _("occurrence")

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.event.title}, {local:%a %d %b %Y %H:%M}"

    @classmethod
    def from_plan(cls, event, plan) -> "Occurrence":
        """An unsaved Occurrence of `event` for one planned date (`schedule.apply_changes`)."""
        return cls(
            event=event,
            original_start=plan.original_start,
            start=plan.start,
            end=plan.end,
            status=plan.status,
            note=plan.note,
            venue_id=plan.venue_id,
        )

    @property
    def where(self):
        """The venue this date happens at (a moved date's new venue, or the event's)."""
        return self.venue or self.event.venue

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == self.Status.MOVED

    @cached_property
    def local_start(self) -> datetime:
        return timezone.localtime(self.start)

    @cached_property
    def local_end(self) -> datetime:
        return timezone.localtime(self.end)

    @property
    def local_original_start(self) -> datetime:
        return timezone.localtime(self.original_start)

    @property
    def original_when(self) -> str:
        """Give when a moved date was first planned, as listings say times: "Tuesday 3 March,
        7pm" (one time style everywhere: 7pm, not 19:00)."""
        was = self.local_original_start
        return f"{formats.date_format(was, 'l j F')}, {sched.format_time(was.time())}"

    @property
    def times(self) -> str:
        """Give "7 to 9pm" (or the span of a multi-day date)."""
        begins, ends = self.local_start, self.local_end
        if begins.date() == ends.date():
            return sched.format_time_range(begins.time(), ends.time())
        return _("%(begins)s to %(ends)s") % {
            "begins": sched.format_time(begins.time()),
            "ends": sched.format_date(ends.date(), today=begins.date(), weekday=True)
            + ", "
            + sched.format_time(ends.time()),
        }

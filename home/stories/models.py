"""Recovery stories: told by people with lived experience, moderated, and withdrawable."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from events.models import EventPage, GroupPage
from home.images import random_name
from home.taxonomy import OrderedTaxonomy

from .blocks import StoryBodyBlock
from .media import AUDIO_EXTENSIONS, media_kind
from .naming import Naming, display_name

# Paths under /stories/ that our own views answer (see urls.py); no story may take them.
RESERVED_SLUGS = frozenset({"tell", "thanks", "feed", "mine"})


class Pathway(OrderedTaxonomy):
    """A recovery pathway a story speaks to (the council edits the list)."""

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")


class Theme(OrderedTaxonomy):
    """A theme a story touches on: work, housing, sport... (the council edits the list)."""

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


def validate_story_media(file):
    """Refuse files that are too big or are not the audio or video they claim to be."""
    if file.size > settings.STORIES_MEDIA_MAX_BYTES:
        raise ValidationError(
            _("This file is too big. Please keep clips under %(mb)d MB (a minute or two).")
            % {"mb": settings.STORIES_MEDIA_MAX_BYTES // (1024 * 1024)}
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if media_kind(file.name, head) is None:
        raise ValidationError(
            _("Please choose an MP3, M4A, OGG or WAV audio file, or an MP4 or WebM video.")
        )


def story_media_upload_to(instance, filename: str) -> str:
    # Never the sender's own file name: it often holds a real name or a date and place.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"stories/media/{random_name(extension)}"


class StoryMedia(models.Model):
    """A short audio or video clip for a story, stored and served by this website."""

    title = models.CharField(max_length=120, verbose_name=_("title"))
    file = models.FileField(
        upload_to=story_media_upload_to, validators=[validate_story_media], verbose_name=_("file")
    )
    transcript = models.TextField(
        blank=True,
        verbose_name=_("transcript"),
        help_text=_("What is said in the clip, for people who cannot hear or play it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("file"), FieldPanel("transcript")]

    class Meta:
        verbose_name = _("story audio or video")
        verbose_name_plural = _("story audio and video")

    def __str__(self):
        return self.title

    @property
    def kind(self) -> str:
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        return "audio" if extension in AUDIO_EXTENSIONS else "video"


class StoryIndexPage(Page):
    introduction = models.TextField(blank=True, max_length=600, verbose_name=_("introduction"))
    # Where tellers' photos go: linked, not looked up by name, so renaming it loses nothing.
    submissions_collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("collection for tellers' photos"),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("story index page")

    def with_content_json(self, content):
        # Publishing an old revision must not detach the photos' collection.
        page = super().with_content_json(content)
        page.submissions_collection_id = self.submissions_collection_id
        return page

    def get_context(self, request, *args, **kwargs):
        from .forms import StoryFilterForm  # forms.py imports these models

        context = super().get_context(request, *args, **kwargs)
        form = StoryFilterForm(request.GET or None)
        stories = StoryPage.objects.child_of(self).published()
        if form.is_bound and form.is_valid():
            stories = stories.filtered(
                pathway=form.cleaned_data["pathway"], theme=form.cleaned_data["theme"]
            )
        context["filter_form"] = form
        context["filter_is_invalid"] = form.is_bound and not form.is_valid()
        context["stories"] = list(stories.for_listing())
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(response, "context_data", {}).get("filter_is_invalid"):
            response.status_code = 400
        return response


class StoryPageQuerySet(PageQuerySet):
    def published(self):
        """Stories anyone may see: live, public and not withdrawn."""
        return self.live().public().filter(withdrawn_at__isnull=True)

    def filtered(self, *, pathway=None, theme=None):
        stories = self
        if pathway is not None:
            stories = stories.filter(pathways=pathway)
        if theme is not None:
            stories = stories.filter(themes=theme)
        return stories

    def for_listing(self):
        return self.prefetch_related("pathways").order_by("-date", "-first_published_at")

    def linked_to(self, page):
        """Stories that name `page` (a group or an event) as part of them."""
        return self.filter(models.Q(groups=page.pk) | models.Q(events=page.pk)).distinct()


StoryPageManager = PageManager.from_queryset(StoryPageQuerySet)


class StoryPage(Page):
    """One person's recovery story, told in their words and named the way they chose."""

    summary = models.CharField(
        max_length=250,
        blank=True,
        verbose_name=_("summary"),
        help_text=_("One sentence shown in lists, feeds and when the story is shared."),
    )
    teller_naming = models.CharField(
        max_length=20,
        choices=Naming.choices,
        default=Naming.ANONYMOUS,
        verbose_name=_("how the teller is named"),
    )
    teller_name = models.CharField(
        max_length=80,
        blank=True,
        verbose_name=_("teller's name"),
        help_text=_("Their name, first name or chosen name; leave empty when anonymous."),
    )
    content_note = models.CharField(
        max_length=250,
        blank=True,
        verbose_name=_("content note"),
        help_text=_("Shown before the story, e.g. “Mentions self-harm and time in prison.”"),
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("story"))
    pathways = ParentalManyToManyField(
        Pathway, blank=True, related_name="stories", verbose_name=_("pathways")
    )
    themes = ParentalManyToManyField(
        Theme, blank=True, related_name="stories", verbose_name=_("themes")
    )
    groups = ParentalManyToManyField(
        "events.GroupPage",
        blank=True,
        related_name="recovery_stories",
        verbose_name=_("groups that were part of it"),
    )
    events = ParentalManyToManyField(
        "events.EventPage",
        blank=True,
        related_name="recovery_stories",
        verbose_name=_("events that were part of it"),
    )
    date = models.DateField(
        default=timezone.localdate,
        verbose_name=_("publication date"),
        help_text=_("The date shown with the story."),
    )
    featured = models.BooleanField(
        default=False,
        verbose_name=_("feature on the home page"),
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("withdrawn by the teller")
    )

    objects = StoryPageManager()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("teller_naming"), FieldPanel("teller_name")],
            heading=_("Who tells it"),
        ),
        FieldPanel("content_note"),
        FieldPanel("body"),
        FieldPanel("pathways", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("events"),
        FieldPanel("date"),
        FieldPanel("featured"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("summary"),
        index.FilterField("featured"),
        index.FilterField("date"),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("story page")

    @property
    def displayed_name(self) -> str:
        return display_name(self.teller_naming, self.teller_name)

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is used by the site; pick another.")})
        if self.teller_naming != Naming.ANONYMOUS and not self.teller_name.strip():
            raise ValidationError(
                {"teller_name": _("Give the name to show, or choose “anonymous”.")}
            )
        if self.teller_naming == Naming.ANONYMOUS:
            self.teller_name = ""

    @classmethod
    def from_db(cls, db, field_names, values):
        page = super().from_db(db, field_names, values)
        page._loaded_live = page.__dict__.get("live")
        return page

    def save(self, *args, **kwargs):
        if self.pk:
            self._keep_decisions_made_since_loading()
        return super().save(*args, **kwargs)

    def _keep_decisions_made_since_loading(self):
        """Never let a save of a stale copy undo a withdrawal or a moderator's publication.

        An edit page's save that loaded the story as a draft can land after "Approve and
        publish" committed (issue 11, finding 19: a background autosave did); saving the
        whole row would make the story a draft again. Its changes stay a draft revision.
        """
        stored = (
            StoryPage.objects.filter(pk=self.pk)
            .values(
                "live", "live_revision", "first_published_at", "last_published_at", "withdrawn_at"
            )
            .first()
        )
        if stored is None:
            return
        # Only story_withdraw sets this, and nothing but the purge clears it.
        self.withdrawn_at = stored["withdrawn_at"]
        if stored["live"] and not self.live and getattr(self, "_loaded_live", None) is False:
            self.live = True
            self.live_revision_id = stored["live_revision"]
            self.first_published_at = stored["first_published_at"]
            self.last_published_at = stored["last_published_at"]
            self.has_unpublished_changes = True

    def with_content_json(self, content):
        # An old revision must not bring back a story its teller withdrew.
        page = super().with_content_json(content)
        page.withdrawn_at = self.withdrawn_at
        return page

    @classmethod
    def get_indexed_objects(cls):
        # Only live stories are searchable; withdrawal removes the entry (services.py).
        return super().get_indexed_objects().filter(live=True, withdrawn_at__isnull=True)

    def linked_pages(self) -> tuple[list, list]:
        """Give (groups, events) that were part of the story and are live, for its page.

        A preview or a draft holds its links as modelcluster's FakeQuerySet, which has no
        `.live()`: read the ids, then ask the database which of them are live.
        """
        return _live(self.groups.all(), GroupPage), _live(self.events.all(), EventPage)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["linked_groups"], context["linked_events"] = self.linked_pages()
        return context

    def first_image(self):
        """Give the first image in the story, for sharing previews."""
        for block in self.body:
            if block.block_type == "image":
                return block.value
        return None


def _live(linked, model) -> list:
    """Give the live pages among `linked` (a page queryset, or a preview's FakeQuerySet)."""
    if isinstance(linked, models.QuerySet):
        return list(linked.live())
    ids = [page.pk for page in linked]
    return list(model.objects.live().filter(pk__in=ids)) if ids else []


class StorySubmissionQuerySet(models.QuerySet):
    def due_for_purge(self, *, now, grace_days: int):
        cutoff = now - timezone.timedelta(days=grace_days)
        return self.filter(withdrawn_at__lte=cutoff, purged_at__isnull=True)

    def same_words_recently(self, content_hash: str, *, now=None, hours: int = 24):
        """Submissions of exactly these words in the last `hours`, still standing."""
        since = (now or timezone.now()) - timezone.timedelta(hours=hours)
        return self.filter(
            content_hash=content_hash, submitted_at__gte=since, withdrawn_at__isnull=True
        )


class StorySubmission(models.Model):
    """What a teller sent from the public form, kept apart from the page: consent and contact.

    Never shown on the public site. After withdrawal and the grace period only a
    tombstone is left: that a story existed, and when.
    """

    page = models.ForeignKey(
        StoryPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        verbose_name=_("story"),
    )
    idempotency_key = models.UUIDField(unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A fingerprint of the words, to catch the same story sent again from a fresh form.
    content_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    consent_text = models.TextField(verbose_name=_("what the teller agreed to"))
    consented_at = models.DateTimeField(verbose_name=_("when they agreed"))
    contact_email = models.EmailField(blank=True, verbose_name=_("contact email"))
    contact_phone = models.CharField(max_length=40, blank=True, verbose_name=_("contact phone"))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo sent with the story"),
    )
    submitted_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn"))
    purged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("text deleted"))

    objects = StorySubmissionQuerySet.as_manager()

    panels = [
        FieldPanel("contact_email", read_only=True),
        FieldPanel("contact_phone", read_only=True),
        FieldPanel("consent_text", read_only=True),
        FieldPanel("consented_at", read_only=True),
    ]

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("story submission")
        verbose_name_plural = _("story submissions")

    def __str__(self):
        when = timezone.localtime(self.submitted_at)
        return _("Story sent on %(date)s") % {"date": f"{when:%d %b %Y %H:%M}"}

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone)

    def status(self) -> str:
        """Give where the story stands: purged, withdrawn, published, in_review or not_published."""
        if self.purged_at:
            return "purged"
        if self.withdrawn_at:
            return "withdrawn"
        if self.page is None:
            return "purged"
        if self.page.live:
            return "published"
        state = self.page.current_workflow_state
        if state is not None and state.status == state.STATUS_IN_PROGRESS:
            return "in_review"
        return "not_published"

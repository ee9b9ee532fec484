from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from ..filters import MONTH, FilterError, parse_filters_and_form
from ..selectors import (
    calendar_chips,
    calendar_choices,
    calendar_list,
    calendar_month,
    calendar_quick_links,
    calendar_view_links,
)
from .events import Occurrence


class CalendarPage(Page):
    """The city's calendar at /events/: every upcoming date, as a list or a month."""

    introduction = models.TextField(
        blank=True,
        max_length=600,
        verbose_name=_("introduction"),
        help_text=_("A welcoming sentence or two above the calendar."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("calendar page")

    def serve(self, request, *args, **kwargs):
        try:
            filters, form = parse_filters_and_form(request.GET)
        except FilterError as error:
            # Bad filter values: the page with clear errors and nothing listed, as a 400.
            context = self.get_context(request, *args, **kwargs)
            context.update({"form": error.form, "filters": None, "has_errors": True})
            context.update(calendar_choices(error.form))
            return TemplateResponse(request, self.get_template(request), context, status=400)
        request.calendar_filters = filters
        request.calendar_form = form
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = getattr(request, "calendar_filters", None)
        if filters is None:
            return context
        context["filters"] = filters
        context["form"] = request.calendar_form
        context.update(calendar_choices(request.calendar_form))
        context["view_links"] = calendar_view_links(filters)
        context["quick_links"] = calendar_quick_links(filters, timezone.localdate())
        context["chips"] = calendar_chips(filters)
        occurrences = Occurrence.objects.visible()
        if filters.view == MONTH:
            context.update(calendar_month(occurrences=occurrences, filters=filters))
        else:
            page = request.GET.get("page")
            context.update(calendar_list(occurrences=occurrences, filters=filters, page=page))
        return context

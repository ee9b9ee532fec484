"""Feed links, schema.org JSON-LD and embed snippets for event, group and calendar pages."""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from home.models import CitySettings

from ..feed_views import city_feed_path, feed_filters, feed_urls
from ..jsonld import event_jsonld
from ..models import Occurrence

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed(context, filters=None):
    """The feed of the calendar view in ``filters``: {title, https, webcal}."""
    request = context["request"]
    path = city_feed_path(filters)
    chosen = filters is not None and feed_filters(filters).is_filtered
    title = _("The events you chose") if chosen else _("Every event in the calendar")
    return {"title": title, **feed_urls(request, path), "filtered": chosen}


@register.simple_tag(takes_context=True)
def group_feed(context, group):
    request = context["request"]
    path = reverse("feeds:group", kwargs={"slug": group.slug})
    title = _("Events from %(group)s") % {"group": group.title}
    return {"title": title, **feed_urls(request, path)}


@register.simple_tag(takes_context=True)
def category_feed(context, category):
    request = context["request"]
    path = reverse("feeds:category", kwargs={"slug": category.slug})
    return {"title": category.name, **feed_urls(request, path)}


@register.simple_tag(takes_context=True)
def event_feed(context, event):
    request = context["request"]
    path = reverse("feeds:event", kwargs={"uid": event.uid})
    urls = feed_urls(request, path)
    return {"title": event.title, **urls, "download": path + "?download=1"}


@register.simple_tag(takes_context=True)
def embed_snippet(context, kind, slug, title):
    """The <iframe> a council, library or GP surgery pastes into its own site."""
    request = context["request"]
    url = request.build_absolute_uri(reverse(f"feeds:embed_{kind}", kwargs={"slug": slug}))
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="420" loading="lazy"></iframe>',
        url,
        title,
    )


@register.simple_tag(takes_context=True)
def event_json_ld(context, event, occurrences):
    """A <script type="application/ld+json"> with a schema.org Event for each next date."""
    request = context["request"]
    settings = CitySettings.for_request(request)
    cancelled = []
    if event.pk:  # a preview of a page not yet saved has no stored dates
        zone = event.schedule.zone
        cancelled = [
            start.astimezone(zone).date()
            for start in event.occurrences.upcoming()
            .filter(status=Occurrence.Status.CANCELLED)
            .values_list("original_start", flat=True)
        ]
    data = event_jsonld(
        event,
        occurrences,
        request=request,
        country=settings.country or "GB",
        currency=settings.currency or "GBP",
        cancelled_dates=cancelled,
    )
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # As json_script does: nothing in the data can close the <script> element.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308

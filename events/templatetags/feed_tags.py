"""Feed links, schema.org JSON-LD and embed snippets for event, group and calendar pages."""

import json
from urllib.parse import urlencode

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


def _one_tap(feed: dict) -> dict:
    """Add the plain links that open Google Calendar and Outlook on the web at the feed.

    Plain links to their "add by URL" pages: no script of theirs runs on our pages. Google
    asks for the webcal:// address, Outlook for the https:// one and a name.
    """
    feed["google"] = "https://calendar.google.com/calendar/r?" + urlencode({"cid": feed["webcal"]})
    feed["outlook"] = "https://outlook.live.com/calendar/0/addfromweb?" + urlencode(
        {"url": feed["https"], "name": feed["title"]}
    )
    return feed


@register.simple_tag(takes_context=True)
def calendar_feed(context, filters=None):
    """The feed of the calendar view in ``filters``: {title, https, webcal}."""
    request = context["request"]
    path = city_feed_path(filters)
    chosen = filters is not None and feed_filters(filters).is_filtered
    title = _("The events you chose") if chosen else _("Every event in the calendar")
    return _one_tap({"title": title, **feed_urls(request, path), "filtered": chosen})


@register.simple_tag(takes_context=True)
def group_feed(context, group):
    request = context["request"]
    path = reverse("feeds:group", kwargs={"slug": group.slug})
    title = _("Events from %(group)s") % {"group": group.title}
    return _one_tap({"title": title, **feed_urls(request, path)})


@register.simple_tag(takes_context=True)
def category_feed(context, category):
    request = context["request"]
    path = reverse("feeds:category", kwargs={"slug": category.slug})
    return _one_tap({"title": category.name, **feed_urls(request, path)})


@register.simple_tag(takes_context=True)
def event_feed(context, event, next_dates=()):
    """The event's feed, its file, and the file of its next date still on ("just this date")."""
    request = context["request"]
    path = reverse("feeds:event", kwargs={"uid": event.uid})
    urls = feed_urls(request, path)
    feed = _one_tap({"title": event.title, **urls, "download": path + "?download=1"})
    coming = [o for o in next_dates if o.pk and not o.is_cancelled]
    if coming and event.frequency != "once":
        feed["next_date"] = coming[0]
        feed["next_date_file"] = occurrence_file(event, coming[0])
    return feed


@register.simple_tag
def occurrence_file(event, occurrence):
    """The address of one date's .ics file."""
    return reverse("feeds:event_date", kwargs={"uid": event.uid, "occurrence": occurrence.pk})


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

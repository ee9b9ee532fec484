"""The embeddable widget: a small page of one group's or one category's next dates.

Other sites (a council, a library, a GP surgery) show it in an <iframe>, so this view alone
may be framed by any site: it sets its own Content-Security-Policy (``frame-ancestors``) and
is exempt from X-Frame-Options. It shows only what the public calendar shows.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from home.middleware import build_csp

from .feed_views import feed_urls
from .models import Category, GroupPage, Occurrence
from .models.events import private_pages_q

DEFAULT_COUNT = 5
MAX_COUNT = 20


class EmbedForm(forms.Form):
    count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_COUNT,
        error_messages={
            "invalid": _("Please give “count” as a whole number from 1 to 20."),
            "min_value": _("Please give “count” as a whole number from 1 to 20."),
            "max_value": _("Please give “count” as a whole number from 1 to 20."),
        },
    )


def _embed_csp() -> str:
    policy = {
        **settings.CONTENT_SECURITY_POLICY,
        "frame-ancestors": getattr(settings, "EMBED_FRAME_ANCESTORS", ["*"]),
    }
    return build_csp(policy)


def _render(request, *, title, occurrences, more_url, feed_path):
    form = EmbedForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    count = form.cleaned_data["count"] or DEFAULT_COUNT
    shown = list(occurrences[:count])
    for occurrence in shown:
        # get_url(request) keeps the site's root paths on the request: no lookup per row.
        occurrence.event_url = request.build_absolute_uri(occurrence.event.get_url(request))
    response = render(
        request,
        "events/embed/next_dates.html",
        {
            "title": title,
            "occurrences": shown,
            "more_url": request.build_absolute_uri(more_url),
            "feed": feed_urls(request, feed_path),
        },
    )
    response["Content-Security-Policy"] = _embed_csp()
    response["Cache-Control"] = "public, max-age=300"
    return response


@xframe_options_exempt
@require_safe
def group_embed(request, slug):
    group = get_object_or_404(GroupPage.objects.live().filter(slug=slug).exclude(private_pages_q()))
    return _render(
        request,
        title=group.title,
        occurrences=Occurrence.objects.visible().for_group(group).upcoming().with_listing_data(),
        more_url=group.get_url(request),
        feed_path=reverse("feeds:group", kwargs={"slug": group.slug}),
    )


@xframe_options_exempt
@require_safe
def category_embed(request, slug):
    category = get_object_or_404(Category, slug=slug)
    occurrences = (
        Occurrence.objects.visible()
        .filter(event__categories=category)
        .distinct()
        .upcoming()
        .with_listing_data()
    )
    return _render(
        request,
        title=category.name,
        occurrences=occurrences,
        more_url="/events/?category=" + category.slug,
        feed_path=reverse("feeds:category", kwargs={"slug": category.slug}),
    )

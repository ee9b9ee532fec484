"""/sitemap.xml (every public page, with when it last changed) and /robots.txt pointing at it.

Public means what a visitor without an account may read: live, with no page privacy on or
above it (password, log-in or group), and no story its teller has withdrawn.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from home.stories.models import StoryPage


class PublicSitemap(Sitemap):
    """Wagtail's sitemap of live, public pages, without withdrawn stories."""

    def items(self):
        withdrawn = StoryPage.objects.filter(withdrawn_at__isnull=False).values("pk")
        return super().items().exclude(pk__in=withdrawn)


@require_safe
def sitemap(request):
    # Not cached: a page made private or a story withdrawn leaves the sitemap at once.
    return wagtail_sitemap(request, sitemaps={"pages": PublicSitemap})


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

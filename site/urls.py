from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

from .sitemaps import robots_txt, sitemap

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("search/", home_views.search, name="search"),
    # Ours in front of some of Wagtail's: formula-safe exports, a chooser that keeps to
    # what the user may choose (home/admin_urls.py).
    path("admin/", include("home.admin_urls")),
    path("private-media/<path:name>", home_views.private_media, name="private_media"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("stories/", include("home.stories.urls")),
    path("", include("events.checkin.urls")),  # /pass/... and /checkin/...
    path("", include("events.opendata.urls")),  # /meetings.json, /openreferral/..., /api/docs
    path("", include("events.feed_urls")),  # /feeds/..., /embed/..., /api/...
    path("", include("events.urls")),  # /events/propose/ (the calendar itself is a page)
    path("", include("events.insights.urls")),  # /numbers/ (our city in numbers)
    path("", include("events.introductions.urls")),  # /introductions/..., /invitation/...
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree answers every other URL, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

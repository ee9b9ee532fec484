from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

from .sitemaps import robots_txt, sitemap

# One address in every language: machines, the admin, a pass's QR code, the door. Their
# language is the one a person chose (the cookie) or their browser's (home/locale.py).
urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("language/", home_views.set_language, name="set_language"),
    # Ours in front of some of Wagtail's: formula-safe exports, a chooser that keeps to
    # what the user may choose (home/admin_urls.py).
    path("admin/", include("home.admin_urls")),
    path("private-media/<path:name>", home_views.private_media, name="private_media"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("events.checkin.urls")),  # /pass/... and /checkin/...
    path("", include("events.opendata.urls")),  # /meetings.json, /openreferral/..., /api/docs
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site in each language: English at /, Welsh at /cy/..., Dutch at /nl/...
# (feeds and the API too: /nl/feeds/events.ics is the city's calendar in Dutch).
urlpatterns += i18n_patterns(
    path("search/", home_views.search, name="search"),
    path("stories/", include("home.stories.urls")),
    path("", include("events.feed_urls")),  # /feeds/..., /embed/..., /api/...
    path("", include("events.urls")),  # /events/propose/ (the calendar itself is a page)
    path("", include("events.insights.urls")),  # /numbers/ (our city in numbers)
    path("", include("events.introductions.urls")),  # /introductions/..., /invitation/...
    # Wagtail's page tree answers every other URL, so it comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

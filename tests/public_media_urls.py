"""The site's URLs with MEDIA_ROOT served as files, the way the web server serves it."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]

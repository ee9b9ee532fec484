"""Admin URLs of ours that stand in front of Wagtail's own, at the same addresses.

site/urls.py includes these before Wagtail's admin, wrapped as Wagtail wraps its own (admin
access required, the admin's 404 page, never cached). Wagtail's URL names still reverse to
these addresses, so every link in the admin reaches the views here.
"""

from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.urls import reports as wagtail_reports
from wagtail.contrib.redirects import urls as wagtail_redirects
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .choosers import ChoosablePagesChosenMultipleView
from .spreadsheets import formula_safe_urlpatterns

urlpatterns = [
    # Wagtail's reports and the redirects, with exports no spreadsheet reads as formulas.
    path("reports/", include(formula_safe_urlpatterns(wagtail_reports.urlpatterns))),
    path("redirects/", include(formula_safe_urlpatterns(wagtail_redirects.urlpatterns))),
    # The page chooser's answer names the chosen pages: only pages the user may choose.
    path("choose-page/chosen-multiple/", ChoosablePagesChosenMultipleView.as_view()),
]

for decorator in (require_admin_access, display_custom_404, never_cache):
    urlpatterns = decorate_urlpatterns(urlpatterns, decorator)

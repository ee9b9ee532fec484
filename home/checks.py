"""System checks of ours (registered in home/apps.py): `check --deploy --database default`."""

from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site

LOCAL_HOSTNAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def check_default_site_address(app_configs=None, databases=None, **kwargs):
    """Warn when the default Wagtail Site still says localhost, as a fresh install does.

    Its hostname and port make every absolute link: feeds, passes' QR codes, e-mails. It
    reads the database, so (as Django's own database checks) only when asked to.
    """
    if not databases or "default" not in databases:
        return []

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet: `migrate` makes the default Site
        return []
    if site is None or site.hostname.lower() not in LOCAL_HOSTNAMES:
        return []
    return [
        checks.Warning(
            f"The default site's address is still {site.hostname}, so calendar feeds, "
            "passes and e-mails would link there.",
            hint="Set the public host name and port in the admin (Settings > Sites).",
            obj=site,
            id="home.W001",
        )
    ]

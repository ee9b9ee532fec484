"""Applying the retention periods: identities go when their time is up, counts stay.

This module knows no app's tables. Each app hooks in its own step, as Wagtail's contrib apps
hook into the admin: a function registered with ``@hooks.register(RETENTION_HOOK)`` in its
``wagtail_hooks.py``, taking a `RetentionPolicy` and giving ``{what it did: how many}``.

The periods are `PrivacySettings`, one set per Wagtail site, edited in the admin. Data that
belongs to one site's pages (who came to its dates, its scan log) keeps to that site's
periods; data that belongs to no one site (participants, who may come to any group in the
city, passes, the audit log) keeps to the shortest period any site sets.

Safe to run every day and more than once: each step only touches what is past its time,
and what it did is gone, so a second run finds nothing more to do.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Site

from .models import PrivacySettings
from .services import audit_delete_older_than

RETENTION_HOOK = "apply_retention"


class RetentionReport:
    """What each step did: {"scan_log_entries_deleted": 3, ...}, in the order steps ran."""

    def __init__(self):
        self._counts: dict[str, int] = {}

    def add(self, counts: dict[str, int]) -> None:
        self._counts.update(counts)

    def as_dict(self) -> dict[str, int]:
        return dict(self._counts)

    def __getattr__(self, name):
        try:
            return self.__dict__["_counts"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        return f"RetentionReport({self._counts!r})"


def privacy_settings(site: Site | None = None) -> PrivacySettings:
    """Give a site's retention periods (the default site's unless named; defaults if none)."""
    site = site or Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return PrivacySettings.for_site(site) if site else PrivacySettings()


class RetentionPolicy:
    """Every site's retention periods, as of `now`: which rows are past their time."""

    def __init__(self, *, now: datetime, sites: list[tuple[str, PrivacySettings]]):
        self.now = now
        self.sites = sites  # (the path of the site's root page, its periods)

    @classmethod
    def for_every_site(cls, *, now: datetime | None = None) -> "RetentionPolicy":
        sites = [
            (site.root_page.path, PrivacySettings.for_site(site))
            for site in Site.objects.select_related("root_page").order_by("pk")
        ]
        return cls(now=now or timezone.now(), sites=sites)

    def _before(self, months: int) -> datetime:
        return self.now - relativedelta(months=months)

    def cutoff(self, period: str) -> datetime:
        """Give the cutoff of the shortest `period` (a PrivacySettings field) any site sets."""
        periods = [settings for _root, settings in self.sites] or [PrivacySettings()]
        return self._before(min(getattr(settings, period) for settings in periods))

    def past(self, period: str, *, date_field: str, page_path: str | None = None) -> Q:
        """Give a filter for rows whose `date_field` is past `period`.

        With `page_path` (the lookup of the page a row belongs to, e.g.
        "occurrence__event__path") a row under a site's pages keeps to that site's period
        (the shortest, when sites share pages), and a row under no site to the shortest.
        """
        shortest = Q(**{f"{date_field}__lt": self.cutoff(period)})
        if page_path is None:
            return shortest
        past, under_a_site = Q(), Q()
        for root, settings in self.sites:
            under = Q(**{f"{page_path}__startswith": root})
            months = getattr(settings, period)
            past |= under & Q(**{f"{date_field}__lt": self._before(months)})
            under_a_site |= under
        return past | (~under_a_site & shortest) if self.sites else shortest


def retention_apply(*, now=None, policy: RetentionPolicy | None = None) -> RetentionReport:
    """Apply every app's retention step as of `now`, for every site; give what was done."""
    policy = policy or RetentionPolicy.for_every_site(now=now)
    report = RetentionReport()
    for step in hooks.get_hooks(RETENTION_HOOK):
        report.add(step(policy))
    return report


def audit_retention(policy: RetentionPolicy) -> dict[str, int]:
    """The audit log's own step: entries older than the audit period go."""
    return {"audit_entries_deleted": audit_delete_older_than(cutoff=policy.cutoff("audit_months"))}

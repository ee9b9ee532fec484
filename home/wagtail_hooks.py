from wagtail import hooks

from home.audit.retention import RETENTION_HOOK

from .choosers import page_chooser_queryset
from .ratelimit import rate_limits_purge_expired

hooks.register("construct_page_chooser_queryset", page_chooser_queryset)


@hooks.register(RETENTION_HOOK)
def rate_limit_retention(policy) -> dict[str, int]:
    """Rate-limit counters past their window go (normally already gone: each count deletes them)."""
    return {"rate_limit_counters_deleted": rate_limits_purge_expired()}

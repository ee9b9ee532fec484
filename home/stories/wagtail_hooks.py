from django.conf import settings
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from home.audit.retention import RETENTION_HOOK

from .services import stories_purge_withdrawn
from .viewsets import StoriesViewSetGroup

register_snippet(StoriesViewSetGroup)


# After the identity steps, as it always ran.
@hooks.register(RETENTION_HOOK, order=10)
def stories_retention(policy) -> dict[str, int]:
    """Withdrawn stories past their grace period lose their text, photo and contact."""
    purged = stories_purge_withdrawn(
        grace_days=settings.STORIES_WITHDRAWN_GRACE_DAYS, now=policy.now
    )
    return {"withdrawn_stories_purged": purged}

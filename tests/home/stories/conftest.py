import uuid

import pytest

from home.stories.models import Pathway, Theme


@pytest.fixture
def story_form():
    """Give valid POST data for the public story form, with any field changed."""

    def make(**changes):
        data = {
            "title": "The morning I put my running shoes on",
            "story": (
                "For a long time my weekends had no shape at all.\n\n"
                "Then someone at the café mentioned the running club, and I went along."
            ),
            "pathways": [Pathway.objects.get(slug="addiction-recovery").pk],
            "themes": [Theme.objects.get(slug="sport").pk],
            "content_note": "",
            "naming": "first_name",
            "name": "Aaron",
            "contact_email": "aaron.private@example.org",
            "contact_phone": "07700 900123",
            "consent_publish": "on",
            "consent_edit": "on",
            "consent_others": "on",
            "submission_key": str(uuid.uuid4()),
            "website": "",
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    return make


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty rate-limit counters (the test cache lives per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

"""/sitemap.xml lists every public page with its last change, and nothing private."""

import re
from datetime import datetime

import time_machine
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import StandardPageFactory, StoryPageFactory


def _locations(client) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    return dict(re.findall(r"<loc>([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?", xml))


@time_machine.travel("2026-03-20 12:00 +00:00", tick=False)
def test_sitemap_lists_public_pages_with_when_they_last_changed(client, home_page, story_index):
    about = StandardPageFactory(parent=home_page, title="About us", slug="about")
    about.last_published_at = timezone.make_aware(datetime(2026, 3, 1, 9))
    about.save()
    story = StoryPageFactory(parent=story_index, slug="a-new-start")

    found = _locations(client)

    assert found["http://localhost/about/"] == "2026-03-01"
    assert "http://localhost/" in found
    assert "http://localhost/stories/" in found
    assert f"http://localhost{story.url}" in found


def test_sitemap_leaves_out_drafts_private_pages_and_withdrawn_stories(
    client, home_page, story_index
):
    StandardPageFactory(parent=home_page, title="Public", slug="public")
    StandardPageFactory(parent=home_page, title="Draft", slug="draft", live=False)
    private = StandardPageFactory(parent=home_page, title="Members", slug="members")
    StandardPageFactory(parent=private, title="Inside", slug="inside")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    StoryPageFactory(parent=story_index, slug="still-here")
    StoryPageFactory(parent=story_index, slug="taken-back", withdrawn_at=timezone.now())

    found = " ".join(_locations(client))

    assert "/public/" in found
    assert "/stories/still-here/" in found
    for hidden in ("/draft/", "/members/", "/members/inside/", "/taken-back/"):
        assert hidden not in found


def test_robots_txt_points_at_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert client.post("/robots.txt").status_code == 405


def test_sitemap_lists_groups_and_events_with_lastmod_and_no_private_or_draft_ones(
    client, home_page, make_group
):
    from django.contrib.auth.models import Group

    from tests.events.test_feeds import make_event

    cafe = make_group(title="Café", slug="cafe")
    cafe.save_revision().publish()
    make_event(cafe, title="Café night", slug="night")
    draft = make_event(cafe, title="Not yet", slug="not-yet")
    draft.unpublish()
    hidden = make_group(title="Members", slug="members")
    make_event(hidden, title="Inside", slug="inside")
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type="groups")
    restriction.groups.add(Group.objects.get(name="Moderators"))
    locked = make_group(title="Locked", slug="locked")
    PageViewRestriction.objects.create(page=locked, restriction_type="password", password="x")

    found = _locations(client)

    assert found["http://localhost/groups/cafe/"]
    assert found["http://localhost/groups/cafe/night/"]  # with its last change
    listed = " ".join(found)
    for hidden_path in ("/not-yet/", "/groups/members/", "/members/inside/", "/groups/locked/"):
        assert hidden_path not in listed

"""Recovery stories in a real browser: accessible pages and the whole teller's journey."""

import pytest

from home.stories.models import StoryPage, StorySubmission

STORY_PAGES = {
    "index": "/stories/",
    "filtered index": "/stories/?pathway=desistance&theme=work",
    "bad filter": "/stories/?pathway=nonsense",
    "story with a content note": "/stories/colour-came-back/",
    "anonymous story": "/stories/what-our-family-learned/",
    "the form": "/stories/tell/",
    "search": "/search/?q=running",
}


@pytest.mark.parametrize("name", STORY_PAGES)
def test_story_pages_have_no_wcag_aa_violations(
    page, live_server, demo_city, assert_accessible, name
):
    page.goto(live_server.url + STORY_PAGES[name])
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert page.third_party_requests == []


def test_demo_has_stories_across_pathways_and_naming_choices(demo_city):
    stories = StoryPage.objects.published()
    assert stories.count() >= 8
    assert {s.teller_naming for s in stories} == {
        "full_name",
        "first_name",
        "pseudonym",
        "anonymous",
    }
    pathways = {p.slug for s in stories for p in s.pathways.all()}
    assert pathways >= {"addiction-recovery", "desistance", "mental-health-recovery", "family"}
    assert all(s.groups.exists() for s in stories)


def test_a_teller_sends_a_story_then_withdraws_it(page, live_server, demo_city, assert_accessible):
    page.goto(live_server.url + "/stories/tell/")
    # Sending it empty first: a clear summary of what to fix, nothing saved.
    page.get_by_role("button", name="Send my story for review").click()
    assert page.get_by_role("heading", name="Please check a few things").is_visible()
    assert_accessible(page)
    assert StorySubmission.objects.count() == 0

    page.get_by_label("A title for your story").fill("Finding my feet at the allotment")
    page.get_by_label("Your story", exact=True).fill(
        "I started going to the allotment on Tuesdays.\n\nIt gave my week a shape again."
    )
    page.get_by_label("Community", exact=True).check()
    page.get_by_label("A name I choose that is not my real one").check()
    page.get_by_label("The name to show").fill("Robin")
    page.get_by_label("Email (optional)").fill("robin.private@example.org")
    for consent in ("may publish my story", "small edits", "This is my own story"):
        page.get_by_label(consent).check()
    page.get_by_role("button", name="Send my story for review").click()

    page.wait_for_url("**/stories/thanks/**")
    assert_accessible(page)
    private_link = page.locator(".private-link a").get_attribute("href")
    story = StoryPage.objects.get(title="Finding my feet at the allotment")
    assert not story.live

    page.goto(private_link)
    assert "Waiting for review" in page.content()
    assert_accessible(page)
    page.get_by_label("Yes, take my story down now.").check()
    page.get_by_role("button", name="Take my story down").click()
    page.wait_for_load_state()
    assert "Taken down on" in page.content()
    assert_accessible(page)
    assert StorySubmission.objects.get().withdrawn_at is not None


def test_story_pages_fit_a_320px_phone(phone_page, live_server, demo_city):
    for path in ("/stories/", "/stories/tell/", "/stories/colour-came-back/"):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 320px screen"

"""Approving stories in the real admin: every "Approve and publish" publishes (finding 19).

Wagtail's autosave used to send a second POST from the edit page; when it landed after
the approval it wrote the page back as a draft. The moderator here edits the summary,
as moderators do, then approves at once, story after story.
"""

import uuid

from home.stories.models import StoryPage
from home.stories.services import story_tell

STORIES = 10


def send_stories(index, count):
    for n in range(count):
        story_tell(
            index=index,
            data={
                "submission_key": uuid.uuid4(),
                "title": f"Story number {n}",
                "story": f"Story {n}: the running club gave my week a shape again.",
                "naming": "anonymous",
                "consent_text": "I agree.",
            },
        )
    return list(StoryPage.objects.order_by("pk"))


def test_every_approve_and_publish_publishes(page, live_server, story_index, moderator):
    stories = send_stories(story_index, STORIES)
    assert not any(story.live for story in stories)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", moderator.username)
    page.fill("#id_password", "password")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    posts = []
    page.on("request", lambda r: r.method == "POST" and "/edit/" in r.url and posts.append(r))

    for n, story in enumerate(stories):
        page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
        page.locator("#id_summary").fill(f"One sentence about story {story.pk}.")
        # Moderators pause for different times before approving: 0 to 900 ms, across
        # the moment Wagtail's autosave (500 ms after a change, by default) would fire.
        page.wait_for_timeout(100 * n)
        page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
        page.get_by_role("button", name="Approve and Publish").click()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(700)  # longer than Wagtail's default autosave pause

    for story in stories:
        story.refresh_from_db()
        assert story.live, f"{story.title} was approved but is not live"
        assert not story.has_unpublished_changes, story.title
        assert story.summary == f"One sentence about story {story.pk}."
    assert len(posts) == STORIES  # one POST per approval: nothing saved behind its back
    assert page.third_party_requests == []

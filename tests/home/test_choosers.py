"""Finding 10: the choosers show an organiser only what they may edit; the council all.

An organiser of group A opens Wagtail's page chooser (browsing from the root, into group B,
into the stories, by page type), its search and its "chosen" answer, and every snippet
chooser of ours, looking for the titles of group B's draft, of a proposed event and of a
story submission.
"""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.snippets.models import get_snippet_models

from events.models import EventProposal
from home.stories.models import StoryMedia, StorySubmission
from tests.factories import EventPageFactory, StoryPageFactory, UserFactory

A_DRAFT = "Alphadraft coffee morning"
B_DRAFT = "Bravosecret walking group"
PROPOSED = "Proposedsecret allotment"
SUBMITTED = "Submittedsecret my year"
MEDIA = "Mediasecret voice note"
SECRETS = (B_DRAFT, PROPOSED, SUBMITTED, MEDIA)


@pytest.fixture
def city(make_group, story_index):
    group_a, group_b = make_group(title="Alpha group"), make_group(title="Bravo group")
    holding = make_group(title="Proposed events", slug="proposed-events")
    a_draft = EventPageFactory(parent=group_a, title=A_DRAFT, live=False)
    b_draft = EventPageFactory(parent=group_b, title=B_DRAFT, live=False)
    proposed = EventPageFactory(parent=holding, title=PROPOSED, live=False)
    EventProposal.objects.create(event=proposed, name="Jo", email="jo@example.org", group_name="X")
    story = StoryPageFactory(parent=story_index, title=SUBMITTED, live=False)
    StorySubmission.objects.create(
        page=story,
        idempotency_key=uuid.uuid4(),
        token_hash=uuid.uuid4().hex * 2,
        consent_text="I agree.",
        consented_at=timezone.now(),
    )
    StoryMedia.objects.create(title=MEDIA, file="stories/media/voice.mp3")
    return {
        "a": group_a,
        "b": group_b,
        "holding": holding,
        "a_draft": a_draft,
        "b_draft": b_draft,
        "proposed": proposed,
        "story": story,
        "story_index": story_index,
    }


def _page_chooser_urls(city):
    ids = "&".join(f"id={city[k].pk}" for k in ("b_draft", "proposed", "story", "a_draft"))
    return [
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page") + "?page_type=events.eventpage",
        reverse("wagtailadmin_choose_page") + "?page_type=stories.storypage",
        reverse("wagtailadmin_choose_page_child", args=[city["a"].pk]),
        reverse("wagtailadmin_choose_page_child", args=[city["b"].pk]),
        reverse("wagtailadmin_choose_page_child", args=[city["holding"].pk]),
        reverse("wagtailadmin_choose_page_child", args=[city["story_index"].pk]),
        reverse("wagtailadmin_choose_page_child", args=[city["b_draft"].pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=secret",
        reverse("wagtailadmin_choose_page_search") + "?q=Bravosecret",
        reverse("wagtailadmin_choose_page_search") + "?q=Submittedsecret",
        reverse("wagtailadmin_choose_page_search") + "?q=Proposedsecret",
        reverse("wagtailadmin_choose_page_chosen_multiple") + "?" + ids,
    ]


def _snippet_chooser_urls(city):
    urls = []
    for model in get_snippet_models():
        if model._meta.app_label not in ("events", "stories", "checkin", "home"):
            continue
        name = f"wagtailsnippetchoosers_{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}:choose"), reverse(f"{name}:choose_results") + "?q=secret"]
        for instance in model.objects.all():
            urls.append(reverse(f"{name}:chosen", args=[instance.pk]))
    return urls


def _seen(client, urls) -> str:
    text = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text += response.content.decode("unicode_escape", errors="replace")
    return text


def test_an_organiser_sees_no_other_groups_draft_proposal_or_story(client, city, make_organiser):
    client.force_login(make_organiser(city["a"]))
    seen = _seen(client, _page_chooser_urls(city) + _snippet_chooser_urls(city))
    for secret in SECRETS:
        assert secret not in seen, secret


def test_an_organiser_still_chooses_their_own_groups_pages(client, city, make_organiser):
    client.force_login(make_organiser(city["a"]))
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[city["a"].pk]))
    assert A_DRAFT in browse.content.decode("unicode_escape")
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Alphadraft"})
    assert A_DRAFT in search.content.decode()
    # And can browse down to it from the root, through the pages above their group.
    root = client.get(reverse("wagtailadmin_choose_page_child", args=[city["a"].get_parent().pk]))
    assert "Alpha group" in root.content.decode("unicode_escape")
    assert "Bravo group" not in root.content.decode("unicode_escape")


def test_browsing_below_another_groups_page_is_refused(client, city, make_organiser):
    client.force_login(make_organiser(city["a"]))
    response = client.get(reverse("wagtailadmin_choose_page_child", args=[city["b_draft"].pk]))
    assert response.status_code == 404


def test_the_council_still_sees_everything(client, city, moderator):
    client.force_login(moderator)
    seen = _seen(client, _page_chooser_urls(city) + _snippet_chooser_urls(city))
    for secret in (B_DRAFT, PROPOSED, SUBMITTED):
        assert secret in seen, secret


def test_a_superuser_sees_story_media_in_its_chooser(client, city):
    client.force_login(UserFactory(is_superuser=True))
    seen = _seen(client, [reverse("wagtailsnippetchoosers_stories_storymedia:choose")])
    assert MEDIA in seen

"""What readers see: the story index and its filters, a story, feeds, search, linked pages."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from home.stories.models import Pathway, StoryMedia, StoryPage, Theme, validate_story_media
from tests.factories import StoryPageFactory, UserFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stories(story_index):
    addiction = Pathway.objects.get(slug="addiction-recovery")
    desistance = Pathway.objects.get(slug="desistance")
    work, sport = Theme.objects.get(slug="work"), Theme.objects.get(slug="sport")
    made = {}
    for title, pathway, theme in [
        ("Running again", addiction, sport),
        ("Back to work", desistance, work),
        ("Both at once", addiction, work),
    ]:
        story = StoryPageFactory(parent=story_index, title=title)
        story.pathways.set([pathway])
        story.themes.set([theme])
        story.save()
        made[title] = story
    draft = StoryPageFactory(parent=story_index, title="A draft", live=False)
    made["A draft"] = draft
    return made


def titles(response):
    html = response.content.decode()
    return {t for t in ("Running again", "Back to work", "Both at once", "A draft") if t in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Running again", "Back to work", "Both at once"}),
        ("?pathway=addiction-recovery", {"Running again", "Both at once"}),
        ("?theme=work", {"Back to work", "Both at once"}),
        ("?pathway=addiction-recovery&theme=work", {"Both at once"}),
        ("?pathway=family", set()),
    ],
)
def test_index_filters_by_pathway_and_theme(client, stories, query, expected):
    response = client.get("/stories/" + query)
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize("query", ["?pathway=nonsense", "?theme=%3Cscript%3E", "?pathway=1'--"])
def test_index_explains_a_filter_it_does_not_know(client, stories, query):
    response = client.get("/stories/" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "We don’t have that" in html
    assert "<script>" not in html
    assert titles(response) == {"Running again", "Back to work", "Both at once"}


def test_index_query_count_does_not_grow_with_stories(
    client, stories, story_index, django_assert_num_queries, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/stories/?pathway=addiction-recovery")  # warm caches (site, settings)
    # 16 or 17: the shared cache may itself be a database table (one query more); 2 are
    # for languages (the locale as Wagtail serves the page, and the page's translations).
    with django_assert_max_num_queries(17), CaptureQueriesContext(connection) as three:
        client.get("/stories/?pathway=addiction-recovery")
    for n in range(5):
        story = StoryPageFactory(parent=story_index, title=f"More {n}")
        story.pathways.set([Pathway.objects.get(slug="addiction-recovery")])
        story.save()
    with django_assert_num_queries(len(three)):
        response = client.get("/stories/?pathway=addiction-recovery")
    assert "More 4" in response.content.decode()


def test_a_story_shows_its_teller_note_and_sharing_tags(client, story_index, make_group):
    group = make_group(title="Open Canvas", slug="open-canvas")
    story = StoryPageFactory(
        parent=story_index,
        title="Colour came back",
        teller_naming="pseudonym",
        teller_name="Wren",
        summary="Painting helped Wren through a long depression.",
        content_note="Mentions depression and a stay in hospital.",
    )
    story.groups.set([group])
    story.save_revision().publish()
    html = client.get(story.url).content.decode()
    assert "Told by Wren (a chosen name)" in html
    note, body = html.index("Mentions depression"), html.index("The day things started")
    assert note < body  # the content note comes before the story
    assert '<meta property="og:title" content="Colour came back">' in html
    assert 'property="og:description" content="Painting helped Wren' in html
    assert 'property="og:url" content="http://localhost/stories/colour-came-back/"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'href="/groups/open-canvas/"' in html


def test_anonymous_stories_show_no_name(client, story_index):
    story = StoryPageFactory(
        parent=story_index, teller_naming="anonymous", teller_name="Real Name", title="Quiet"
    )
    story.full_clean()
    assert story.teller_name == ""
    html = client.get(story.url).content.decode()
    assert "Told by Anonymous" in html


def test_a_story_needs_a_name_unless_anonymous(story_index):
    story = StoryPage(title="x", slug="x", teller_naming="full_name", teller_name="")
    with pytest.raises(ValidationError):
        story.clean()


def test_reserved_slugs_are_refused(story_index):
    story = StoryPage(title="x", slug="tell", teller_naming="anonymous")
    with pytest.raises(ValidationError):
        story.clean()


def test_feeds_list_published_stories_newest_first(client, stories):
    rss = ET.fromstring(client.get("/stories/feed/").content)  # noqa: S314 (our own feed)
    items = [i.findtext("title") for i in rss.iter("item")]
    assert set(items) == {"Running again", "Back to work", "Both at once"}
    atom = ET.fromstring(client.get("/stories/feed/atom/").content)  # noqa: S314
    entries = atom.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} == set(items)
    assert all(e.find(f"{ATOM}link").get("href").startswith("http") for e in entries)
    assert "A draft" not in client.get("/stories/feed/").content.decode()


def test_index_and_home_announce_the_feed_and_home_features_chosen_stories(client, stories):
    assert 'type="application/rss+xml"' in client.get("/stories/").content.decode()
    StoryPage.objects.filter(title="Back to work").update(featured=True)
    html = client.get("/").content.decode()
    assert "Back to work" in html
    assert "Running again" not in html


def test_group_page_shows_the_stories_linked_to_it(client, story_index, make_group):
    ours, theirs = make_group(title="Ours", slug="ours"), make_group(title="Theirs", slug="theirs")
    story = StoryPageFactory(parent=story_index, title="Linked to ours")
    story.groups.set([ours])
    story.save()
    assert "Linked to ours" in client.get(ours.url).content.decode()
    assert "Linked to ours" not in client.get(theirs.url).content.decode()
    assert "Recovery stories" not in client.get(theirs.url).content.decode()


def test_search_finds_stories_and_survives_odd_queries(client, stories):
    html = client.get("/search/?q=Running").content.decode()
    assert "Running again" in html
    for q in ["", "&&&", '"unbalanced', "x" * 5000, "<script>alert(1)</script>", "OR AND NOT"]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()


def test_search_page_is_accessible_markup(client, home_page):
    html = client.get("/search/").content.decode()
    assert 'role="search"' in html and '<label for="search-q">' in html


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("voice.mp3", b"ID3\x04" + b"\x00" * 64, True),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, True),
        ("fake.mp4", b"<html>nope</html>", False),
        ("run.exe", b"MZ\x90\x00", False),
    ],
)
def test_story_media_must_be_real_audio_or_video(name, content, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        validate_story_media(upload)
    else:
        with pytest.raises(ValidationError):
            validate_story_media(upload)


@override_settings(STORIES_MEDIA_MAX_BYTES=10)
def test_story_media_must_be_short():
    with pytest.raises(ValidationError, match="too big"):
        validate_story_media(SimpleUploadedFile("voice.mp3", b"ID3" + b"\x00" * 64))


def test_a_story_plays_its_clip_from_our_own_media(client, story_index, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    media = StoryMedia.objects.create(
        title="Aaron reads his story",
        file=SimpleUploadedFile("voice.mp3", b"ID3\x04" + b"\x00" * 64),
        transcript="For a long time my weekends had no shape.",
    )
    story = StoryPageFactory(
        parent=story_index,
        body=[("media", {"media": media, "caption": "Aaron, in his own voice"})],
    )
    html = client.get(story.url).content.decode()
    assert f'<audio controls preload="metadata" src="/media/{media.file.name}' in html
    assert "voice" not in media.file.name  # a random name, never the sender's
    assert "Read the transcript" in html
    assert "https://" not in html.split("<body")[1]


def test_only_the_council_sees_tellers_contact_details_in_the_admin(
    client, moderator, admin_user, make_group, make_organiser, story_index
):
    from home.stories.models import StorySubmission

    story = StoryPageFactory(parent=story_index)
    submission = StorySubmission.objects.create(
        page=story,
        idempotency_key="6f1c1a8e-4b2a-4c52-9a51-0d1f0b7d1a11",
        token_hash="0" * 64,
        consent_text="I agree.",
        consented_at=timezone.now(),
        contact_email="teller.private@example.org",
    )
    listing = "/admin/snippets/stories/storysubmission/"
    inspect = f"{listing}inspect/{submission.pk}/"
    organiser = make_organiser(make_group())
    for user in (organiser, UserFactory(is_staff=True)):
        client.force_login(user)
        for url in (listing, inspect):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert "teller.private" not in response.content.decode()
    client.force_login(moderator)
    assert client.get(listing).status_code == 200
    assert "teller.private@example.org" in client.get(inspect).content.decode()
    assert client.get(f"/admin/pages/{story.pk}/edit/").status_code == 200
    client.force_login(admin_user)
    assert client.get("/admin/snippets/stories/pathway/").status_code == 200


def test_event_pages_show_the_stories_linked_to_them(client, story_index, make_group):
    from tests.factories import EventPageFactory

    group = make_group(title="Forward Strides", slug="forward-strides")
    event = EventPageFactory(parent=group, title="Saturday run")
    event.save_revision().publish()
    story = StoryPageFactory(parent=story_index, title="Linked to the run")
    story.events.set([event])
    story.save()
    html = client.get(event.url).content.decode()
    assert "Linked to the run" in html
    assert 'href="/groups/forward-strides/saturday-run/"' in client.get(story.url).content.decode()


def test_the_council_can_write_and_publish_a_story_in_the_admin(client, admin_user, story_index):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    client.force_login(admin_user)
    url = f"/admin/pages/add/stories/storypage/{story_index.pk}/"
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Written with the council",
            "slug": "written-with-the-council",
            "summary": "",
            "teller_naming": "first_name",
            "teller_name": "Jo",
            "content_note": "",
            "body": streamfield([("paragraph", rich_text("<p>We met at the café.</p>"))]),
            "date": "2026-11-01",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = StoryPage.objects.get(slug="written-with-the-council")
    assert story.live
    assert "Told by Jo" in client.get(story.url).content.decode()


def test_the_council_previews_a_submitted_story_with_its_live_groups_only(
    client, story_index, make_group, moderator
):
    """A draft holds its links as a FakeQuerySet: the preview still lists the live ones."""
    from django.urls import reverse

    live = make_group(title="Lantern Café", slug="lantern")
    hidden = make_group(title="Not yet published", slug="not-yet")
    hidden.unpublish()
    story = StoryPageFactory(parent=story_index, live=False, title="A submitted story")
    story.groups.set([live, hidden])
    story.save_revision()
    client.force_login(moderator)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[story.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Part of this story" in html
    assert "Lantern Café" in html
    assert "Not yet published" not in html


def test_every_content_note_carries_the_citys_crisis_line(client, story_index):
    from wagtail.models import Site

    from home.models import CitySettings

    noted = StoryPageFactory(
        parent=story_index, title="Hard days", content_note="Mentions overdose."
    )
    plain = StoryPageFactory(parent=story_index, title="Good days", content_note="")
    assert "crisis-line" not in client.get(noted.url).content.decode()  # none set yet

    city = CitySettings.for_site(Site.objects.get(is_default_site=True))
    city.crisis_line_name = "Samaritans"
    city.crisis_line_phone = "116 123"
    city.crisis_line_url = "https://www.samaritans.org/"
    city.crisis_line_hours = "Any time, day or night"
    city.save()
    html = client.get(noted.url).content.decode()
    note = html[html.index('class="notice content-note"') :]
    note = note[: note.index("</aside>")]
    assert "Need to talk now? Samaritans" in note
    assert '<a href="tel:116123">116 123</a> · Any time, day or night' in note
    assert 'href="https://www.samaritans.org/"' in note
    assert "crisis-line" not in client.get(plain.url).content.decode()

"""Hardening: CSRF and a rate limit on every public form, uploads checked, the shared cache."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image as PILImage

from events.checkin.services.lifecycle import participant_create
from events.checkin.tokens import sign_poster
from home.cache_url import cache_from_url
from tests.factories import EventPageFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_forms(home_page, story_index, make_group):
    """Every form the public can post, with a URL that is real."""
    group = make_group(title="Lantern Café", slug="lantern")
    event = EventPageFactory(parent=group, live=False)
    event.save_revision().publish()
    OccurrenceFactory(event=event)
    held = participant_create(nickname="Robin")
    return {
        "stories:tell": reverse("stories:tell"),
        "stories:mine": reverse("stories:mine", args=["some-private-token"]),
        "events:propose": reverse("events:propose"),
        "checkin:pass_start": reverse("checkin:pass_start"),
        "checkin:pass_landing": reverse("checkin:pass_landing", args=[held.token]),
        "checkin:self_checkin": reverse("checkin:self_checkin", args=[sign_poster(event.pk)]),
    }


# Forms that only act on the pass this browser already holds: no pass, nothing happens
# (a redirect to get one), so the pass itself is the limit.
NEEDS_A_PASS = [
    "checkin:pass_replace",
    "checkin:pass_forget",
    "checkin:record_mine",
    "checkin:record_delete",
]


def test_every_public_form_has_a_rate_limit(public_forms):
    for name, url in public_forms.items():
        view = resolve(url).func
        assert getattr(view, "ratelimit", None), f"{name} has no rate limit"


def test_a_rate_limit_answers_429_with_a_friendly_page(public_forms):
    client = Client()
    url = public_forms["events:propose"]
    limit = int(resolve(url).func.ratelimit[1].split("/")[0])
    for _ in range(limit):
        assert client.post(url, {"your_name": "Pat"}).status_code == 400
    response = client.post(url, {"your_name": "Pat"})
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()


def test_every_public_form_refuses_a_post_without_a_csrf_token(public_forms):
    client = Client(enforce_csrf_checks=True)
    for name, url in public_forms.items():
        response = client.post(url, {"nickname": "Robin"})
        assert response.status_code == 403, f"{name} took a post without a CSRF token"
    for name in NEEDS_A_PASS:
        response = client.post(reverse(name), {"confirm": "yes"})
        assert response.status_code == 403, f"{name} took a post without a CSRF token"


def test_the_log_in_and_the_scanner_refuse_posts_without_a_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 403
    client.force_login(admin_user)
    response = client.post(
        reverse("checkin:scan_json", args=[1]), '{"code": "x"}', content_type="application/json"
    )
    assert response.status_code == 403


def test_a_form_with_its_csrf_token_is_accepted(public_forms):
    client = Client(enforce_csrf_checks=True)
    client.get(public_forms["checkin:pass_start"])
    token = client.cookies["csrftoken"].value
    response = client.post(
        public_forms["checkin:pass_start"], {"nickname": "Robin", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# Uploads ---------------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), (10, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_upload_limits_are_set(settings):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS  # SVG can carry script
    assert not {"html", "htm", "svg", "js", "exe"} & set(settings.WAGTAILDOCS_EXTENSIONS)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= 50_000_000


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<script>alert(1)</script>"),
        ("fake.png", b"<html><script>alert(1)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
    ],
)
def test_the_admin_refuses_images_that_are_not_images(admin_client, name, content):
    from wagtail.images.models import Image

    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Bad", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Image.objects.exists()


def test_the_admin_takes_a_real_image(admin_client):
    from wagtail.images.models import Image

    admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Good", "file": SimpleUploadedFile("good.png", png_bytes())},
    )
    assert Image.objects.filter(title="Good").exists()


def test_the_admin_refuses_an_image_over_the_size_limit(admin_client, settings):
    import os

    from wagtail.images.models import Image

    # Noise does not compress: a PNG just over the limit.
    side = int((settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE / 3) ** 0.5) + 40
    noise = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Big", "file": SimpleUploadedFile("big.png", buffer.getvalue())},
    )
    assert not Image.objects.exists()


def test_the_admin_refuses_documents_of_dangerous_types(admin_client):
    from wagtail.documents.models import Document

    admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Bad", "file": SimpleUploadedFile("page.html", b"<script>1</script>")},
    )
    assert not Document.objects.exists()


# The shared cache ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache", "irc_cache"),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "irc_cache"),
        ("db://other_cache", "django.core.cache.backends.db.DatabaseCache", "other_cache"),
        ("redis://cache.internal:6379/1", "django.core.cache.backends.redis.RedisCache", None),
        (
            "rediss://:secret@cache.internal:6380/0",
            "django.core.cache.backends.redis.RedisCache",
            None,
        ),
    ],
)
def test_cache_url_picks_a_shared_cache(url, backend, location):
    config = cache_from_url(url)
    assert config["BACKEND"] == backend
    assert config["LOCATION"] == (location or url)


@pytest.mark.parametrize("url", ["locmem://", "memcached://x:11211", "file:///tmp/c", "nonsense"])
def test_cache_url_refuses_what_is_not_shared_or_not_supported(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url(url)


def test_the_redis_client_is_installed_for_the_redis_cache():
    import redis  # noqa: F401  (django's RedisCache needs it)


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("events:propose", "categories"),
        ("checkin:pass_start", "roles"),
        ("stories:tell", "pathways"),
    ],
)
@pytest.mark.parametrize("huge", ["9223372036854775808", "-9223372036854775809", "9" * 40])
def test_an_id_too_big_for_the_database_is_a_form_error_not_a_crash(
    public_forms, name, field, huge
):
    """Found by the fuzzing: Django sent such ids to the database, which overflowed (a 500)."""
    response = Client().post(public_forms[name], {field: huge, "nickname": "Robin"})
    assert response.status_code == 400

"""Random and hostile input at every public form, filter, feed and check-in endpoint.

Whatever comes in (unicode, control characters, huge strings, HTML and script, SQL-ish
text, bytes that are not UTF-8, wrong types), the answer is never a 5xx, and a refused
request (4xx) leaves every table as it was. Run with `-s` to see how many inputs were tried.
"""

import json
import re
import uuid
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, Revision

from events.checkin.services.lifecycle import participant_create
from events.checkin.tokens import sign_poster
from tests.factories import EventPageFactory, OccurrenceFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

FUZZED = {"inputs": 0}

# Digits `str.isdigit()` says yes to: "²" fails `int()`, the others read as other numbers.
NON_ASCII_DIGITS = ["²", "٣", "１２", "𝟗", "߂", "१"]
HUGE_IDS = ["9" * 23, str(2**63), "0" * 30 + "9" * 19]

HOSTILE = [
    "",
    " ",
    "\x00",
    "\x00\x01\x02\x1b[31m",
    "\r\n\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR 1=1 --",
    "'; DROP TABLE checkin_participant; --",
    "%00%27%22",
    "../../../../etc/passwd",
    '=HYPERLINK("http://x")',
    "{{ 7*7 }}{% debug %}",
    "\u202egnp.exe",
    "𝕳𝖊𝖑𝖑𝖔 🏳️‍🌈 ﷽",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "9" * 400,
    "-1",
    "9223372036854775808",  # one past the largest 64-bit id
    "-9223372036854775809",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "A" * 20_000,
    "é" * 5000,
    *NON_ASCII_DIGITS,
]

# Text a browser could send: no lone surrogates (they cannot be encoded as UTF-8 at all).
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
hostile_text = st.one_of(text, st.sampled_from(HOSTILE))
# A form value may also come as a list of values (a field repeated) or a number.
form_value = st.one_of(
    hostile_text,
    st.lists(hostile_text, max_size=3),
    st.integers().map(str),
)
bad_bytes = st.binary(max_size=400).map(lambda b: b + b"\xff\xfe\xc3\x28")
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(hostile_text, children, max_size=3)
    ),
    max_leaves=8,
)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
OUR_APPS = {"home", "events", "checkin", "stories", "audit", "insights"}


@pytest.fixture(scope="module", autouse=True)
def report_count(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(f"fuzzing: {FUZZED['inputs']} inputs tried")


def row_counts() -> dict[str, int]:
    """Give the number of rows in every table of ours, and of pages, revisions and images."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model._meta.proxy
        # Settings rows are made the first time a page reads them: configuration, not data.
        and not issubclass(model, BaseSiteSetting | BaseGenericSetting)
    }
    counts["pages"] = Page.objects.count()
    counts["revisions"] = Revision.objects.count()
    counts["images"] = apps.get_model("wagtailimages", "Image").objects.count()
    return counts


def send(client, method, url, *, ignore=(), **kwargs):
    """Send one request; give the response after checking it is not a 5xx.

    A refused request (4xx) must leave every table unchanged, except the tables in `ignore`.
    """
    cache.clear()  # the rate limits are tested on their own; here they would hide bugs
    FUZZED["inputs"] += 1
    before = row_counts()
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 500, (method, url, kwargs, response.status_code)
    if response.status_code >= 400:
        after = row_counts()
        changed = {
            k: (before[k], after[k]) for k in before if before[k] != after[k] and k not in ignore
        }
        assert not changed, (url, response.status_code, changed)
    return response


@pytest.fixture
def site(home_page, make_group, make_organiser, story_index):
    from events.models import CalendarPage, Category

    calendar = CalendarPage(title="What’s on", slug="events")
    home_page.add_child(instance=calendar)
    group = make_group(title="Lantern Café", slug="lantern")
    category = Category.objects.create(name="Coffee", slug="coffee")
    event = EventPageFactory(parent=group, live=False, start_date=date(2026, 1, 6))
    event.categories.set([category])
    event.save_revision().publish()
    event.refresh_from_db()
    occurrence = OccurrenceFactory(event=event)
    StoryPageFactory(parent=story_index)
    organiser = make_organiser(group, "lantern-organiser")
    held = participant_create(nickname="Robin")
    scanner = Client()
    scanner.force_login(organiser)
    return {
        "event": event,
        "occurrence": occurrence,
        "group": group,
        "category": category,
        "pass": held,
        "scanner": scanner,
        "poster_token": sign_poster(event.pk),
    }


# Public forms ------------------------------------------------------------------------

STORY_FIELDS = [
    "title",
    "story",
    "pathways",
    "themes",
    "groups",
    "content_note",
    "naming",
    "name",
    "contact_email",
    "contact_phone",
    "consent_publish",
    "consent_edit",
    "consent_others",
    "submission_key",
    "website",
    "photo_description",
]
PROPOSAL_FIELDS = [
    "your_name",
    "your_email",
    "group_name",
    "title",
    "summary",
    "description",
    "start_date",
    "start_time",
    "end_time",
    "repeats",
    "venue_details",
    "categories",
    "is_free",
    "alcohol_free",
    "family_friendly",
    "website",
]
PASS_FIELDS = ["nickname", "email", "roles", "consent"]


def form_data(fields):
    return st.dictionaries(st.sampled_from(fields), form_value, max_size=len(fields))


@FUZZ
@given(data=form_data(STORY_FIELDS))
def test_story_form_survives_anything(site, data):
    send(Client(), "post", reverse("stories:tell"), data=data)


@FUZZ
@given(data=form_data(PROPOSAL_FIELDS))
def test_event_proposal_form_survives_anything(site, data):
    send(Client(), "post", reverse("events:propose"), data=data)


@FUZZ
@given(data=form_data(PASS_FIELDS), next_url=hostile_text)
def test_get_a_pass_survives_anything(site, data, next_url):
    response = send(
        Client(), "post", reverse("checkin:pass_start") + "?next=" + next_url[:200], data=data
    )
    if response.status_code == 302:
        # Never sent to another site, whatever `next` said.
        assert response["Location"].startswith("/"), response["Location"]
        assert not response["Location"].startswith("//")


@FUZZ
@given(data=form_data(["occurrence", "action", "nonce"]), token=st.booleans())
def test_self_checkin_survives_anything(site, data, token):
    url = reverse("checkin:self_checkin", args=[site["poster_token"] if token else "x" * 30])
    send(Client(), "post", url, data=data)


@FUZZ
@given(body=bad_bytes)
def test_public_forms_survive_bodies_that_are_not_utf8(site, body):
    for url in (
        reverse("stories:tell"),
        reverse("events:propose"),
        reverse("checkin:pass_start"),
        reverse("checkin:self_checkin", args=[site["poster_token"]]),
    ):
        send(
            Client(),
            "post",
            url,
            data=body,
            content_type="application/x-www-form-urlencoded",
        )


# Filters, feeds and the API -------------------------------------------------------------

CALENDAR_PARAMS = ["q", "group", "category", "fact", "start", "end", "when", "view", "month"]


def query(params):
    return st.lists(st.tuples(st.sampled_from(params), hostile_text), max_size=6)


def as_query_dict(pairs) -> dict:
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


@FUZZ
@given(pairs=query(CALENDAR_PARAMS))
def test_calendar_filters_survive_anything(site, pairs):
    send(Client(), "get", "/events/", data=as_query_dict(pairs))


@FUZZ
@given(pairs=query(CALENDAR_PARAMS + ["download"]))
def test_feed_filters_survive_anything(site, pairs):
    send(Client(), "get", reverse("feeds:city"), data=as_query_dict(pairs))


@FUZZ
@given(pairs=query(["group", "category", "from", "to", "page"]))
def test_api_params_survive_anything(site, pairs):
    response = send(Client(), "get", reverse("feeds:api_occurrences"), data=as_query_dict(pairs))
    if response.status_code == 400:
        assert response.json()  # a clear error, as JSON


@FUZZ
@given(pairs=query(["pathway", "theme", "page"]))
def test_story_index_filters_survive_anything(site, pairs):
    send(Client(), "get", "/stories/", data=as_query_dict(pairs))


@FUZZ
@given(pairs=query(["q"]))
def test_search_survives_anything(site, pairs):
    send(Client(), "get", reverse("search"), data=as_query_dict(pairs))


@FUZZ
@given(slug=hostile_text, kind=st.sampled_from(["group", "category", "event", "embed"]))
def test_every_feed_survives_hostile_paths(site, slug, kind):
    """Feeds and widgets take a slug or uid from the path: anything else is a 404."""
    names = {
        "group": "feeds:group",
        "category": "feeds:category",
        "event": "feeds:event",
        "embed": "feeds:embed_group",
    }
    try:
        url = reverse(names[kind], args=[slug])
    except NoReverseMatch:
        url = f"/feeds/groups/{slug.replace('/', '%2F')[:300]}.ics"
    send(Client(), "get", url)


@FUZZ
@given(
    url=st.sampled_from(["feeds:city", "feeds:group", "feeds:category", "feeds:event"]),
    etag=hostile_text,
    since=hostile_text,
)
def test_feeds_survive_hostile_conditional_headers(site, url, etag, since):
    args = {
        "feeds:city": [],
        "feeds:group": [site["group"].slug],
        "feeds:category": [site["category"].slug],
        "feeds:event": [str(site["event"].uid)],
    }[url]
    clean = lambda value: "".join(c for c in value if 32 <= ord(c) < 127)[:500]  # noqa: E731
    send(
        Client(),
        "get",
        reverse(url, args=args),
        headers={"if-none-match": clean(etag), "if-modified-since": clean(since)},
    )


def _insights_urls():
    """The community figures' URLs with a period, when that app is installed."""
    found = []
    for name, args in (
        ("insights:city", []),
        ("insights_admin:dashboard", []),
        ("insights_admin:csv", ["summary"]),
    ):
        try:
            found.append(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return found


@FUZZ
@given(pairs=query(["period", "from", "to", "start", "end", "group", "year", "month"]))
def test_insights_period_params_survive_anything(site, pairs, admin_client):
    urls = _insights_urls()
    if not urls:
        pytest.skip("the community figures app has no URLs yet")
    for url in urls:
        send(admin_client, "get", url, data=as_query_dict(pairs))


# Check-in: the scanner as an organiser, passes and records -----------------------------

SCAN_ONLY = ("checkin.ScanLog",)  # every scan is logged, refused ones too


@FUZZ
@given(code=st.one_of(hostile_text, json_value))
def test_scanner_json_survives_hostile_codes(site, code):
    from events.checkin.models import Attendance

    url = reverse("checkin:scan_json", args=[site["occurrence"].pk])
    attended = Attendance.objects.count()
    response = send(
        site["scanner"],
        "post",
        url,
        data=json.dumps({"code": code}),
        content_type="application/json",
        ignore=SCAN_ONLY,
    )
    assert response.status_code in (200, 400, 413, 422), response.status_code
    assert response.json()["message"]
    assert Attendance.objects.count() == attended  # no hostile code checks anyone in


@FUZZ
@given(ticket=hostile_text, other=st.booleans())
def test_scanner_json_refuses_forged_tickets(site, ticket, other):
    """A scan without a session stands only on its ticket: a forged one checks nobody in."""
    from events.checkin.models import Attendance

    attended = Attendance.objects.count()
    pk = site["occurrence"].pk + (1 if other else 0)
    header = "".join(c for c in ticket if 32 <= ord(c) < 127)[:500]
    response = send(
        Client(),
        "post",
        reverse("checkin:scan_json", args=[pk]),
        data=json.dumps({"code": site["pass"].token}),
        content_type="application/json",
        headers={"x-scanner-ticket": header},
        ignore=SCAN_ONLY,
    )
    assert response.status_code in (403, 404), response.status_code
    assert Attendance.objects.count() == attended


@FUZZ
@given(body=st.one_of(bad_bytes, json_value.map(lambda v: json.dumps(v).encode())))
def test_scanner_json_survives_hostile_bodies(site, body):
    url = reverse("checkin:scan_json", args=[site["occurrence"].pk])
    for content_type in ("application/json", "application/x-www-form-urlencoded", "text/plain"):
        response = send(
            site["scanner"], "post", url, data=body, content_type=content_type, ignore=SCAN_ONLY
        )
        assert response.status_code < 500


@FUZZ
@given(
    endpoint=st.sampled_from(["search", "checkin_by_search", "plus_one", "door_pass", "scanner"]),
    data=form_data(["q", "participant", "nonce", "nickname", "code"]),
)
def test_other_checkin_endpoints_survive_anything(site, endpoint, data):
    url = reverse(f"checkin:{endpoint}", args=[site["occurrence"].pk])
    method = "get" if endpoint == "search" else "post"
    send(site["scanner"], method, url, data=data, ignore=SCAN_ONLY)


@FUZZ
@given(token=hostile_text, data=form_data(["code"]))
def test_pass_links_survive_hostile_tokens(site, token, data):
    safe = token.replace("/", "_")[:500] or "x"
    for name in ("checkin:pass_landing", "checkin:pass_png", "stories:mine"):
        try:
            url = reverse(name, args=[safe])
        except NoReverseMatch:
            continue
        send(Client(), "get", url)
        if name != "checkin:pass_png":
            send(Client(), "post", url, data=data)


@FUZZ
@given(cookie=hostile_text, data=form_data(["roles", "consent", "confirm"]))
def test_participant_record_survives_hostile_cookies(site, cookie, data):
    from events.checkin.views.passes import PASS_COOKIE

    client = Client()
    client.cookies[PASS_COOKIE] = "".join(c for c in cookie if 32 < ord(c) < 127 and c != ";")
    for name in ("record_mine", "record_download", "pass_mine"):
        send(client, "get", reverse(f"checkin:{name}"))
    for name in ("record_mine", "record_delete", "pass_replace"):
        send(client, "post", reverse(f"checkin:{name}"), data=data)


def test_a_good_pass_still_checks_in_after_the_fuzzing(site):
    """The fuzzing above proves nothing if a real scan were refused too."""
    response = site["scanner"].post(
        reverse("checkin:scan_json", args=[site["occurrence"].pk]),
        json.dumps({"code": site["pass"].token}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "checked_in"
    assert uuid.UUID(str(site["event"].uid))


# Huge ids, repeated parameters, digits that are not ASCII --------------------------------


def _patterns_with_ids():
    """Give (route, converters, view) for every URL pattern, ours and Wagtail's, with an id."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter
    from django.urls.resolvers import RegexPattern, RoutePattern

    from home.converters import IdConverter

    found = []

    def prefix_of(pattern) -> str | None:
        if isinstance(pattern, RoutePattern):
            return str(pattern)
        if isinstance(pattern, RegexPattern):
            regex = pattern._regex.lstrip("^").rstrip("$")
            return None if any(c in regex for c in "()[]\\*+?") else regex
        return ""  # a locale prefix, or none

    def walk(patterns, prefix, converters):
        for entry in patterns:
            part = prefix_of(entry.pattern)
            if part is None:
                continue
            here = {**converters, **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + part, here)
            elif isinstance(entry, URLPattern) and any(
                isinstance(c, IntConverter | IdConverter) for c in here.values()
            ):
                found.append((prefix + part, here, entry.callback))

    walk(get_resolver().url_patterns, "/", {})
    return found


def _url_with(route: str, converters: dict, id_value: str) -> str:
    from django.urls.converters import IntConverter

    from home.converters import IdConverter

    url = route
    for name, converter in converters.items():
        if isinstance(converter, IntConverter | IdConverter):
            value = id_value
        elif type(converter).__name__ == "UUIDConverter":
            value = str(uuid.uuid4())
        elif name in ("pk", "id") or name.endswith("_id"):
            value = id_value  # Wagtail's snippets and models take a quoted `<str:pk>`
        else:
            value = "x"
        url = url.replace(f"<{type(converter).__name__}:{name}>", value)
        for prefix in ("int", "id", "str", "slug", "uuid", "path"):
            url = url.replace(f"<{prefix}:{name}>", value)
        url = url.replace(f"<{name}>", value)
    return url


def test_every_url_with_an_id_is_found():
    """The walk below must see our id URLs and Wagtail's, or it proves nothing."""
    routes = [route for route, _converters, _view in _patterns_with_ids()]
    assert "/checkin/event/<id:pk>/poster/" in routes
    assert any(route.startswith("/admin/pages/<int:page_id>/") for route in routes)
    assert len(routes) > 100


def test_our_urlconfs_take_ids_with_the_id_converter():
    """`<int:...>` lets any length through to the database; ours all use `<id:...>`.

    (The admin's URLs are Wagtail's, made by its viewsets: the fuzzing below covers them.)
    """
    ours = [
        route
        for route, _converters, view in _patterns_with_ids()
        if view.__module__.split(".")[0] in ("home", "events") and not route.startswith("/admin/")
    ]
    assert "/checkin/event/<id:pk>/poster/" in ours
    assert not [route for route in ours if "<int:" in route], ours


@pytest.mark.parametrize("id_value", HUGE_IDS)
def test_every_url_with_an_id_refuses_huge_ids(site, admin_client, id_value):
    """A 23-digit id, one past 64 bits or padded with zeros: a 404 (or a refusal), never a 500.

    As a superuser, so every view gets as far as looking the id up; GET and POST both.
    """
    tried = 0
    for route, converters, _view in _patterns_with_ids():
        url = _url_with(route, converters, id_value)
        for method in ("get", "post"):
            send(admin_client, method, url, ignore=SCAN_ONLY + ("audit.AuditEvent",))
            tried += 1
    assert tried > 200


def test_the_poster_of_a_huge_event_id_is_not_found(site):
    response = Client().get("/checkin/event/99999999999999999999999/poster/")
    assert response.status_code == 404


REPEATED = {
    "/events/": CALENDAR_PARAMS + ["page"],
    "/feeds/events.ics": CALENDAR_PARAMS + ["download"],
    "/api/occurrences/": ["group", "category", "from", "to", "page"],
    "/stories/": ["pathway", "theme", "page"],
    "/search/": ["q", "page"],
}
REPEATED_VALUES = ["free", "lantern", "coffee", "2026-01-06", "1", "past", "month", "²"]


@pytest.mark.parametrize("url", sorted(REPEATED))
@pytest.mark.parametrize("times", [3, 500, 3000])
def test_repeated_parameters_never_overflow_the_database(site, url, times):
    """Each parameter repeated hundreds or thousands of times: an answer or a clear 400."""
    for param in REPEATED[url]:
        for value in REPEATED_VALUES:
            query = "&".join([f"{param}={value}"] * times)
            send(Client(), "get", f"{url}?{query}")


def test_insights_survive_repeated_parameters(site, admin_client):
    for url in _insights_urls():
        for param in ("group", "start", "end", "period"):
            send(admin_client, "get", url + "?" + "&".join([f"{param}=1"] * 3000))


def test_a_fact_repeated_counts_once(site):
    once = Client().get("/events/?fact=free")
    thrice = Client().get("/events/?fact=free&fact=free&fact=free")
    assert once.status_code == thrice.status_code == 200
    assert thrice.context["filters"].facts == ("free",)


@pytest.mark.parametrize("url", ["/events/", "/feeds/events.ics"])
def test_too_many_facts_are_a_clear_400(site, url):
    response = Client().get(url + "?" + "&".join(["fact=free"] * 3000))
    assert response.status_code == 400
    assert "too many things at once" in response.content.decode()


@pytest.mark.parametrize("digits", NON_ASCII_DIGITS)
def test_fields_that_take_ids_refuse_non_ascii_digits(site, admin_client, digits):
    """Each field or parameter that names a row by id, given "²" or "٣": refused, never a 500."""
    from events.checkin.models import Attendance

    occurrence = site["occurrence"]
    attended = Attendance.objects.count()
    send(
        site["scanner"],
        "post",
        reverse("checkin:checkin_by_search", args=[occurrence.pk]),
        data=json.dumps({"participant": digits}),
        content_type="application/json",
        ignore=SCAN_ONLY,
    )
    url = reverse("checkin:self_checkin", args=[site["poster_token"]])
    send(Client(), "post", url, data={"occurrence": digits, "action": "checkin"})
    assert Attendance.objects.count() == attended
    for url in _insights_urls():
        send(admin_client, "get", url, data={"group": digits})
    send(Client(), "post", reverse("checkin:pass_start"), data={"nickname": "Jo", "roles": digits})
    send(Client(), "post", reverse("events:propose"), data={"categories": digits})
    send(Client(), "post", reverse("stories:tell"), data={"groups": digits, "themes": digits})
    send(Client(), "get", "/events/", data={"page": digits})
    send(Client(), "get", reverse("feeds:api_occurrences"), data={"page": digits})


def test_the_council_insights_refuse_a_group_of_superscript_two(site, admin_client):
    response = admin_client.get("/admin/insights/?group=²")
    assert response.status_code in (200, 400)  # the form says what is wrong


# Every page type's preview and draft, as the council ----------------------------------


@pytest.fixture
def every_page_type(site, home_page, moderator, story_index):
    """One page of every type, each with a draft revision holding its relations."""
    from events.models import CalendarPage
    from tests.factories import GroupPageFactory, StandardPageFactory

    group = site["group"]
    event = site["event"]
    calendar = CalendarPage.objects.get()
    partner = GroupPageFactory(parent=group.get_parent(), live=False, title="Partner not live")
    story = StoryPageFactory(parent=story_index, live=False, title="A submitted story")
    story.groups.set([group, partner])
    story.events.set([event])
    story.save_revision()
    event.partner_groups.set([partner])
    event.is_free = True  # the edit form asks for a cost, or "free"
    event.save_revision()
    pages = [
        home_page,
        StandardPageFactory(parent=home_page),
        calendar,
        group.get_parent().specific,
        group,
        event,
        story_index,
        story,
    ]
    for page in pages:
        page.save_revision()
    return [page.specific for page in pages]


def test_every_page_type_is_covered(every_page_type):
    from wagtail.models import get_page_models

    ours = {model for model in get_page_models() if model._meta.app_label in OUR_APPS}
    assert ours == {type(page) for page in every_page_type}


def _council(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


def test_the_council_can_view_every_draft(every_page_type, moderator):
    """`/admin/pages/<id>/view_draft/` of every page type, a submitted story included."""
    council = _council(moderator)
    for page in every_page_type:
        response = send(council, "get", reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
        assert response.status_code == 200, (type(page).__name__, response.status_code)


def _stream_form_data(page) -> dict:
    """Give form data for each StreamField of `page`: one block of text.

    The edit page draws its StreamFields with JavaScript, so its HTML holds none of them.
    """
    from wagtail import blocks
    from wagtail.fields import StreamField
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    data = {}
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        for name, block in field.stream_block.child_blocks.items():
            if isinstance(block, blocks.RichTextBlock):
                value = rich_text("<p>Shown in the preview.</p>")
            elif isinstance(block, blocks.CharBlock | blocks.TextBlock):
                value = "Shown in the preview."
            else:
                continue
            data.update(nested_form_data({field.name: streamfield([(name, value)])}))
            break
    return data


def test_the_council_can_preview_every_page_type_while_editing(every_page_type, moderator):
    """Wagtail's preview_on_edit: the edit form posted as it stands, then the preview shown."""
    from wagtail.test.utils.form_data import querydict_from_html

    council = _council(moderator)
    for page in every_page_type:
        edit = council.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert edit.status_code == 200, type(page).__name__
        html = edit.content.decode()
        data = querydict_from_html(html, form_id="page-edit-form").copy()
        for key, value in _stream_form_data(page).items():
            data[key] = value
        # Wagtail's helper sends a ticked box without a value as "", which reads as unticked;
        # a browser sends "on".
        for box in re.findall(r'<input type="checkbox" name="([\w-]+)" id="[^"]*" checked>', html):
            data[box] = "on"
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        posted = send(council, "post", url, data=data, ignore=("revisions",))
        assert posted.json() == {"is_valid": True, "is_available": True}, type(page).__name__
        shown = send(council, "get", url)
        assert shown.status_code == 200, type(page).__name__
        assert page.title in shown.content.decode()

"""Every URL the project defines, asked for by every kind of person, answers as expected.

The URL resolver and the demo page tree are walked, so a new URL cannot be forgotten: a URL
pattern that is in neither EXPECTED nor WAGTAIL_OWN fails the test until someone decides
who may see it. Run with `-s` to see how many URL x role pairs were checked.
"""

import fnmatch
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import Page

ROLES = ("anonymous", "participant", "other_organiser", "organiser", "moderator", "admin")

# What an answer may be: a status code, or one of these.
LOGIN = "login"  # 302 to a log-in page
ADMIN_DENIED = "admin-denied"  # Wagtail's "you do not have permission": 302 to the admin home
REDIRECT = "redirect"  # a 302 somewhere else (a participant without a pass goes to get one)


def answers(anonymous, participant, other_organiser, organiser, moderator, admin):
    return dict(
        zip(
            ROLES,
            (anonymous, participant, other_organiser, organiser, moderator, admin),
            strict=True,
        )
    )


def everyone(code):
    return answers(*(code,) * 6)


PUBLIC = everyone(200)
NOT_FOUND = everyone(404)
GET_NOT_ALLOWED = everyone(405)
# The check-in area: the event's organisers and the council; others are refused.
ORGANISERS_ONLY = answers(LOGIN, LOGIN, 403, 200, 200, 200)
# The same, for the scanner's JSON endpoints (a JSON 403 rather than a log-in redirect).
ORGANISERS_ONLY_JSON = answers(403, 403, 403, 400, 400, 400)
# Only someone holding a pass: everyone else is sent to get one.
PASS_HOLDER = answers(REDIRECT, 200, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
# Wagtail's admin: staff with admin access; the others log in first.
ADMIN_STAFF = answers(LOGIN, LOGIN, 200, 200, 200, 200)
# The council only (moderators and superusers), inside the admin.
COUNCIL_ADMIN = answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, 200, 200)
SUPERUSER_ADMIN = answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, 200)


@dataclass
class Probe:
    """One request to make as every role, and the answer expected for each."""

    url: object  # a callable taking the demo context, giving a path
    expected: dict
    method: str = "get"
    data: object = field(default_factory=dict)  # a dict, or a callable taking the demo context
    content_type: str | None = None


def p(url, expected, **kwargs):
    return Probe(url=url, expected=expected, **kwargs)


def fixed(path):
    return lambda ctx: path


def rev(name, *args):
    """A reversed URL; an argument naming a demo fact (e.g. "occurrence") is filled from it."""
    return lambda ctx: reverse(
        name, args=[ctx.get(a, a) if isinstance(a, str) else a for a in args]
    )


# Every URL name (or pattern) of ours, with what each role gets. Keys are URL names, or
# fnmatch globs over names; a name listed here must be requested at least once.
EXPECTED: dict[str, list[Probe]] = {
    "healthz": [p(fixed("/healthz"), PUBLIC), p(fixed("/healthz"), GET_NOT_ALLOWED, method="post")],
    "search": [
        p(fixed("/search/?q=recovery"), PUBLIC),
        p(fixed("/cy/search/?q=recovery"), PUBLIC),
        p(fixed("/nl/search/?q=recovery"), PUBLIC),
    ],
    # The language switcher: anyone may choose a language (a cookie, then back to the page).
    "set_language": [
        p(fixed("/language/"), GET_NOT_ALLOWED),
        p(fixed("/language/"), everyone(REDIRECT), method="post", data={"language": "cy"}),
    ],
    "robots_txt": [
        p(fixed("/robots.txt"), PUBLIC),
        p(fixed("/robots.txt"), GET_NOT_ALLOWED, method="post"),
    ],
    # A story photo in moderation: only moderators see it (tests/home/stories/test_photos.py);
    # a name that is no private file is a 404 for everyone, the council included.
    "private_media": [p(fixed("/private-media/private-no-such-file.jpg"), NOT_FOUND)],
    "sitemap": [
        p(fixed("/sitemap.xml"), PUBLIC),
        p(fixed("/sitemap.xml"), GET_NOT_ALLOWED, method="post"),
    ],
    "wagtaildocs_serve": [
        p(lambda ctx: ctx["document"].url, PUBLIC),
        p(fixed("/documents/999999/missing.txt"), NOT_FOUND),
    ],
    "wagtaildocs_authenticate_with_password": [
        p(fixed("/documents/authenticate_with_password/999999/"), NOT_FOUND)
    ],
    "wagtailcore_authenticate_with_password": [
        p(lambda ctx: f"/_util/authenticate_with_password/999999/{ctx['home'].pk}/", NOT_FOUND)
    ],
    "wagtailcore_login": [p(fixed("/_util/login/"), PUBLIC)],
    # Stories: public forms and feeds; a private link works for whoever holds it.
    "stories:tell": [p(rev("stories:tell"), PUBLIC)],
    "stories:thanks": [p(rev("stories:thanks"), PUBLIC)],
    "stories:mine": [
        p(rev("stories:mine", "story_token"), PUBLIC),
        p(rev("stories:mine", "not-a-real-token"), NOT_FOUND),
    ],
    "stories:feed": [p(rev("stories:feed"), PUBLIC)],
    "stories:feed_atom": [p(rev("stories:feed_atom"), PUBLIC)],
    # Passes: anyone may get one; a record is its holder's only.
    "checkin:pass_start": [p(rev("checkin:pass_start"), PUBLIC)],
    "checkin:pass_mine": [p(rev("checkin:pass_mine"), PASS_HOLDER)],
    "checkin:pass_replace": [p(rev("checkin:pass_replace"), GET_NOT_ALLOWED)],
    "checkin:pass_forget": [p(rev("checkin:pass_forget"), GET_NOT_ALLOWED)],
    "checkin:record_mine": [p(rev("checkin:record_mine"), PASS_HOLDER)],
    "checkin:record_download": [p(rev("checkin:record_download"), PASS_HOLDER)],
    "checkin:record_print": [p(rev("checkin:record_print"), PASS_HOLDER)],
    "checkin:record_delete": [p(rev("checkin:record_delete"), PASS_HOLDER)],
    # A pass's QR code leads here: it says what it is, and shows nothing personal.
    "checkin:pass_landing": [
        p(rev("checkin:pass_landing", "pass_token"), PUBLIC),
        p(rev("checkin:pass_landing", "forged-token"), NOT_FOUND),
    ],
    "checkin:pass_png": [
        p(rev("checkin:pass_png", "pass_token"), PUBLIC),
        p(rev("checkin:pass_png", "forged-token"), NOT_FOUND),
    ],
    # Organisers' check-in area.
    "checkin:dashboard": [p(rev("checkin:dashboard"), answers(LOGIN, LOGIN, 200, 200, 200, 200))],
    # The scanner app's service worker and manifest: code and file names, nothing personal.
    "checkin:service_worker": [p(rev("checkin:service_worker"), PUBLIC)],
    "checkin:manifest": [p(rev("checkin:manifest"), PUBLIC)],
    "checkin:scanner": [
        p(rev("checkin:scanner", "occurrence"), ORGANISERS_ONLY),
        p(rev("checkin:scanner", 999999), answers(LOGIN, LOGIN, 404, 404, 404, 404)),
    ],
    "checkin:scan_json": [
        p(rev("checkin:scan_json", "occurrence"), GET_NOT_ALLOWED),
        p(
            rev("checkin:scan_json", "occurrence"),
            ORGANISERS_ONLY_JSON,
            method="post",
            data={"code": ""},
            content_type="application/json",
        ),
    ],
    # A short-lived signed ticket for the scanner page, given only to who may scan.
    "checkin:scanner_ticket": [
        p(rev("checkin:scanner_ticket", "occurrence"), answers(403, 403, 403, 200, 200, 200))
    ],
    "checkin:search": [p(rev("checkin:search", "occurrence"), ORGANISERS_ONLY)],
    "checkin:checkin_by_search": [
        p(rev("checkin:checkin_by_search", "occurrence"), GET_NOT_ALLOWED),
        p(
            rev("checkin:checkin_by_search", "occurrence"),
            answers(LOGIN, LOGIN, 403, 404, 404, 404),
            method="post",
            data={"participant": "999999"},
        ),
    ],
    "checkin:plus_one": [p(rev("checkin:plus_one", "occurrence"), GET_NOT_ALLOWED)],
    # The door without signal (DOOR_CONTRACT.md): what the page keeps, its queue, undo.
    "checkin:offline": [
        p(rev("checkin:offline", "occurrence"), answers(403, 403, 403, 200, 200, 200)),
        p(rev("checkin:offline", "occurrence"), GET_NOT_ALLOWED, method="post"),
    ],
    "checkin:sync": [
        p(rev("checkin:sync", "occurrence"), GET_NOT_ALLOWED),
        p(
            rev("checkin:sync", "occurrence"),
            ORGANISERS_ONLY_JSON,
            method="post",
            data={"device": "", "scans": []},
            content_type="application/json",
        ),
    ],
    "checkin:undo": [
        p(rev("checkin:undo", "occurrence"), GET_NOT_ALLOWED),
        p(
            rev("checkin:undo", "occurrence"),
            ORGANISERS_ONLY_JSON,
            method="post",
            data={},
            content_type="application/json",
        ),
    ],
    "checkin:door_pass": [
        p(rev("checkin:door_pass", "occurrence"), ORGANISERS_ONLY),
        p(
            rev("checkin:door_pass", "occurrence"),
            answers(LOGIN, LOGIN, 403, 400, 400, 400),
            method="post",
            data={"nickname": ""},
        ),
    ],
    # Corrections outside a date's check-in window: the council only.
    "checkin:correct": [
        p(rev("checkin:correct", "occurrence"), answers(LOGIN, LOGIN, 403, 403, 200, 200)),
        p(
            rev("checkin:correct", "occurrence"),
            answers(LOGIN, LOGIN, 403, 403, 400, 400),
            method="post",
            data={"reason": ""},
        ),
    ],
    "checkin:attendance": [p(rev("checkin:attendance", "occurrence"), ORGANISERS_ONLY)],
    "checkin:attendance_csv": [p(rev("checkin:attendance_csv", "occurrence"), ORGANISERS_ONLY)],
    "checkin:event_csv": [
        p(rev("checkin:event_csv", "event"), ORGANISERS_ONLY),
        p(rev("checkin:event_csv", 999999), answers(LOGIN, LOGIN, 404, 404, 404, 404)),
    ],
    "checkin:poster": [
        p(rev("checkin:poster", "event"), PUBLIC),
        p(rev("checkin:poster", 999999), NOT_FOUND),
    ],
    "checkin:self_checkin": [
        p(rev("checkin:self_checkin", "poster_token"), PUBLIC),
        p(rev("checkin:self_checkin", "forged"), NOT_FOUND),
    ],
    # Warm introductions: navigators' own pages (nobody else, the council included, makes
    # them); one introduction for its navigators, the date's organisers and the council; the
    # invitation for whoever holds its link; stopping the sharing for the person only.
    "introductions:follow_up": [
        p(rev("introductions:follow_up"), answers(LOGIN, LOGIN, 403, 403, 403, 403))
    ],
    "introductions:make": [
        p(rev("introductions:make"), answers(LOGIN, LOGIN, 403, 403, 403, 403)),
        p(
            rev("introductions:make"),
            answers(LOGIN, LOGIN, 403, 403, 403, 403),
            method="post",
            data={"occurrence": "1"},
        ),
    ],
    "introductions:detail": [
        p(rev("introductions:detail", "introduction"), ORGANISERS_ONLY),
        p(rev("introductions:detail", 999999), answers(LOGIN, LOGIN, 403, 403, 403, 403)),
    ],
    # Peer mentors: a group's organisers (and the council) mark them; mentors take duty.
    "introductions:mentors": [
        p(lambda ctx: reverse("introductions:mentors", args=[ctx["group"].pk]), ORGANISERS_ONLY),
        p(rev("introductions:mentors", 999999), NOT_FOUND),
    ],
    "introductions:welcome": [
        p(rev("introductions:welcome"), answers(LOGIN, LOGIN, 403, 403, 403, 403))
    ],
    "introductions:take_duty": [
        p(rev("introductions:take_duty", "occurrence"), GET_NOT_ALLOWED),
        p(
            rev("introductions:take_duty", "occurrence"),
            answers(LOGIN, LOGIN, 403, 403, 403, 403),
            method="post",
        ),
    ],
    "introductions:invitation": [
        p(rev("introductions:invitation", "invitation_id"), PUBLIC),
        p(rev("introductions:invitation", "no-such-invitation"), NOT_FOUND),
    ],
    "introductions:card": [
        p(rev("introductions:card", "invitation_id"), PUBLIC),
        p(rev("introductions:card", "no-such-invitation"), NOT_FOUND),
    ],
    "introductions:ics": [
        p(rev("introductions:ics", "invitation_id"), PUBLIC),
        p(rev("introductions:ics", "no-such-invitation"), NOT_FOUND),
    ],
    "introductions:stop_sharing": [
        p(rev("introductions:stop_sharing", "introduction"), GET_NOT_ALLOWED),
        p(
            rev("introductions:stop_sharing", "introduction"),
            answers(REDIRECT, 404, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
            method="post",
        ),
    ],
    # Feeds, the widget and the API are public and hold no personal data.
    "feeds:city": [p(rev("feeds:city"), PUBLIC)],
    "feeds:group": [
        p(rev("feeds:group", "group_slug"), PUBLIC),
        p(rev("feeds:group", "no-such-group"), NOT_FOUND),
    ],
    "feeds:category": [
        p(rev("feeds:category", "category_slug"), PUBLIC),
        p(rev("feeds:category", "no-such-category"), NOT_FOUND),
    ],
    "feeds:event": [
        p(rev("feeds:event", "event_uid"), PUBLIC),
        p(rev("feeds:event", "00000000-0000-0000-0000-000000000000"), NOT_FOUND),
    ],
    "feeds:event_date": [
        p(rev("feeds:event_date", "event_uid", "occurrence"), PUBLIC),
        p(rev("feeds:event_date", "event_uid", 999999), NOT_FOUND),
    ],
    "feeds:embed_group": [p(rev("feeds:embed_group", "group_slug"), PUBLIC)],
    "feeds:embed_category": [p(rev("feeds:embed_category", "category_slug"), PUBLIC)],
    "feeds:api_occurrences": [p(rev("feeds:api_occurrences"), PUBLIC)],
    # Open data for meeting-finder apps and service directories: public records only.
    "opendata:meetings": [
        p(rev("opendata:meetings"), PUBLIC),
        p(rev("opendata:meetings"), GET_NOT_ALLOWED, method="post"),
    ],
    "opendata:openreferral": [p(rev("opendata:openreferral"), PUBLIC)],
    "opendata:services": [
        p(rev("opendata:services"), PUBLIC),
        p(fixed("/openreferral/services?page=0"), everyone(400)),
    ],
    "opendata:service": [
        p(rev("opendata:service", "event_uid"), PUBLIC),
        p(rev("opendata:service", "00000000-0000-0000-0000-000000000000"), NOT_FOUND),
    ],
    "opendata:organizations": [p(rev("opendata:organizations"), PUBLIC)],
    "opendata:locations": [p(rev("opendata:locations"), PUBLIC)],
    "opendata:openapi": [p(rev("opendata:openapi"), PUBLIC)],
    "opendata:api_docs": [p(rev("opendata:api_docs"), PUBLIC)],
    "events:propose": [p(rev("events:propose"), PUBLIC)],
    "events:propose_thanks": [p(rev("events:propose_thanks"), PUBLIC)],
    # Community figures: public numbers; the dashboard for organisers (their own group's
    # figures only) and the council (any group, or the whole city).
    "insights:city": [p(rev("insights:city"), PUBLIC), p(fixed("/numbers/?year=1"), everyone(400))],
    # The editor's live schedule preview: dates worked out from the fields sent, nothing stored
    # or personal; for whoever may use the admin.
    "events_admin:schedule_preview": [
        p(fixed("/admin/events/schedule-preview.json?frequency=weekly"), ADMIN_STAFF)
    ],
    "insights_admin:dashboard": [
        p(rev("insights_admin:dashboard"), ADMIN_STAFF),
        p(
            lambda ctx: reverse("insights_admin:dashboard") + f"?group={ctx['group'].pk}",
            answers(LOGIN, LOGIN, 403, 200, 200, 200),
        ),
    ],
    # The printable report: the council only (organisers read their group on the dashboard).
    "insights_admin:report": [
        p(rev("insights_admin:report"), answers(LOGIN, LOGIN, 403, 403, 200, 200))
    ],
    "insights_admin:csv": [
        p(
            lambda ctx: (
                reverse("insights_admin:csv", args=["summary"]) + f"?group={ctx['group'].pk}"
            ),
            answers(LOGIN, LOGIN, 403, 200, 200, 200),
        ),
        p(
            lambda ctx: reverse("insights_admin:csv", args=["no-such-table"]),
            answers(LOGIN, LOGIN, 404, 404, 404, 404),
        ),
    ],
    # Importing a group's calendar: organisers (into their own groups) and the council. An
    # empty form is a 400; another group's calendar is refused (tests/events/ics_import/).
    "ics_import:start": [
        p(rev("ics_import:start"), ADMIN_STAFF),
        p(rev("ics_import:start"), answers(LOGIN, LOGIN, 400, 400, 400, 400), method="post"),
        p(
            rev("ics_import:start"),
            answers(LOGIN, LOGIN, 403, 400, 400, 400),
            method="post",
            data=lambda ctx: {"group": str(ctx["group"].pk)},
        ),
    ],
    "ics_import:confirm": [
        p(rev("ics_import:confirm"), answers(LOGIN, LOGIN, 405, 405, 405, 405)),
        p(
            rev("ics_import:confirm"),
            answers(LOGIN, LOGIN, 404, 404, 404, 404),
            method="post",
            data={"pending": "00000000-0000-0000-0000-000000000000"},
        ),
    ],
    # Navigator organisations: the council makes them and adds or removes their navigators;
    # bad input is a 400 with the form's message, never a 500; removing needs a POST.
    "navigators_admin:index": [
        p(rev("navigators_admin:index"), COUNCIL_ADMIN),
        p(
            rev("navigators_admin:index"),
            answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, 400, 400),
            method="post",
            data={"organisation": "999999"},
        ),
    ],
    "navigators_admin:detail": [
        p(rev("navigators_admin:detail", "navigator_organisation"), COUNCIL_ADMIN),
        p(
            rev("navigators_admin:detail", "navigator_organisation"),
            answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, 400, 400),
            method="post",
            data={"username": "no-such-person"},
        ),
        p(
            rev("navigators_admin:detail", 999999),
            answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, 404, 404),
        ),
    ],
    "navigators_admin:remove": [
        p(
            lambda ctx: reverse(
                "navigators_admin:remove",
                args=[ctx["navigator_organisation"], ctx["users"]["organiser"].pk],
            ),
            answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, 405, 405),
        ),
        p(
            lambda ctx: reverse(
                "navigators_admin:remove",
                args=[ctx["navigator_organisation"], ctx["users"]["organiser"].pk],
            ),
            answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, REDIRECT, REDIRECT),
            method="post",
        ),
    ],
    # The audit log: the council reads it; there is nothing to add, edit or delete.
    "audit:index": [p(rev("audit:index"), COUNCIL_ADMIN)],
    "audit:index_results": [p(rev("audit:index_results"), COUNCIL_ADMIN)],
    "audit:inspect": [p(rev("audit:inspect", "audit_entry"), COUNCIL_ADMIN)],
    # Wagtail's page tree: every page of the demo is probed below (PAGE_TREE).
    "wagtail_serve": [p(fixed("/no-such-page/"), NOT_FOUND)],
    # A representative sample of Wagtail's own admin.
    "wagtailadmin_home": [p(fixed("/admin/"), ADMIN_STAFF)],
    # Someone already logged in is sent on to the admin home.
    "wagtailadmin_login": [
        p(fixed("/admin/login/"), answers(200, 200, *(ADMIN_DENIED,) * 4)),
    ],
    "wagtailadmin_pages:edit": [
        p(
            lambda ctx: reverse("wagtailadmin_pages:edit", args=[ctx["group"].pk]),
            answers(LOGIN, LOGIN, ADMIN_DENIED, 200, 200, 200),
        )
    ],
    # Organisers have no snippet they may list (venues are added from the event form).
    "wagtailsnippets:index": [p(fixed("/admin/snippets/"), COUNCIL_ADMIN)],
    "wagtailsettings:edit": [
        p(
            fixed("/admin/settings/home/citysettings/"),
            answers(LOGIN, LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, REDIRECT),
        )
    ],
}

# Our own admin screens (snippets of our apps). Each of their URLs is requested, with one
# real object where the URL names one; what each role gets depends on the kind of action.
OUR_APPS = ("home", "events", "checkin", "stories", "audit", "insights")
ORGANISER_STAFF = answers(LOGIN, LOGIN, 200, 200, ADMIN_DENIED, 200)
SNIPPET_ACTIONS = {
    "list": "view",
    "list_results": "view",
    "inspect": "view",
    "history": "history",
    "history_results": "history",
    "add": "add",
    "copy": "add",
    "create": "add",  # the chooser's "create" tab
    "edit": "change",
    "delete": "delete",
    "usage": "change",
    # Choosers only give an object's title (checked below to hold no personal data), to
    # anyone who may use the admin, as Wagtail intends for picking related objects. A
    # private snippet's chooser lists only what the user may see (tests/home/test_choosers.py)
    # and names no other object: "chosen" follows its "chosen" rule below.
    "choose": "choose",
    "choose_results": "choose",
    "chosen": "chosen",
    "chosen_multiple": "choose",
}
# Choosing one private object by its id: refused (404) to whoever may not see it.
COUNCIL_CHOOSES = answers(LOGIN, LOGIN, 404, 404, 200, 200)
SUPERUSER_CHOOSES = answers(LOGIN, LOGIN, 404, 404, 404, 200)
_SUPERUSER_ONLY = {
    "view": SUPERUSER_ADMIN,
    "history": SUPERUSER_ADMIN,
    "add": SUPERUSER_ADMIN,
    "change": SUPERUSER_ADMIN,
    "delete": SUPERUSER_ADMIN,
}
OUR_SNIPPETS: dict[str, dict] = {
    # Organisers add venues for their events; only an admin edits or deletes one.
    "events.venue": {
        "view": ORGANISER_STAFF,
        "history": ORGANISER_STAFF,
        "add": ORGANISER_STAFF,
        "change": SUPERUSER_ADMIN,
        "delete": SUPERUSER_ADMIN,
    },
    "events.audience": _SUPERUSER_ONLY,
    "events.category": _SUPERUSER_ONLY,
    "checkin.role": _SUPERUSER_ONLY,
    "stories.pathway": _SUPERUSER_ONLY,
    "stories.theme": _SUPERUSER_ONLY,
    "stories.storymedia": {**_SUPERUSER_ONLY, "chosen": SUPERUSER_CHOOSES},
    # Personal data: the council reads; nobody but an admin changes.
    # The council may also delete a proposal (spam) and see its history.
    "events.eventproposal": {
        **_SUPERUSER_ONLY,
        "view": COUNCIL_ADMIN,
        "history": COUNCIL_ADMIN,
        "delete": COUNCIL_ADMIN,
        "chosen": COUNCIL_CHOOSES,
    },
    "stories.storysubmission": {
        **_SUPERUSER_ONLY,
        "view": COUNCIL_ADMIN,
        "chosen": COUNCIL_CHOOSES,
    },
}
SNIPPET_NAME = re.compile(r"wagtailsnippet(?:s|choosers)_(\w+?)_(\w+):(\w+)$")

# Wagtail's own admin and internals, sampled above rather than walked one by one.
WAGTAIL_OWN = ["wagtail*", "admin/*"]


def walk(patterns, prefix="", namespace=""):
    """Give (route, name) for every URL pattern, however deeply included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = namespace + pattern.name if pattern.name else None
            yield prefix + str(pattern.pattern), name


def is_ours(route: str, name: str | None) -> bool:
    if name and re.match(rf"wagtailsnippets_({'|'.join(OUR_APPS)})_", name):
        return True
    # Ours unless it is Wagtail's own: our admin screens (e.g. the figures) count too.
    return bool(name) and not name.startswith("wagtail") or not route.startswith("admin/")


def snippet_probe(route, name):
    """Give the Probe for one of our snippets' admin URLs, or None if it is not classified."""
    app_label, model_name, action = SNIPPET_NAME.match(name).groups()
    rules = OUR_SNIPPETS.get(f"{app_label}.{model_name}")
    group = SNIPPET_ACTIONS.get(action)
    if rules is None or group is None:
        return None
    if group == "chosen":
        expected = rules.get("chosen", ADMIN_STAFF)
    else:
        expected = ADMIN_STAFF if group == "choose" else rules[group]

    def url(ctx):
        kwargs = {}
        if "pk>" in route:
            kwargs["pk"] = ctx["snippets"][f"{app_label}.{model_name}"].pk
        return reverse(name, kwargs=kwargs)

    return Probe(url=url, expected=expected)


def snippet_probes():
    """Give {name: [Probe]} for every admin URL of our snippets."""
    probes = {}
    for route, name in walk(get_resolver().url_patterns):
        if name and SNIPPET_NAME.match(name) and is_ours(route, name.replace("choosers", "s")):
            probe = snippet_probe(route, name)
            if probe:
                probes[name] = [probe]
    return probes


def classify(route, name):
    """Give the EXPECTED key for a pattern, or "wagtail" for Wagtail's own, or None."""
    if name in EXPECTED:
        return name
    if name and SNIPPET_NAME.match(name) and is_ours(route, name.replace("choosers", "s")):
        return name if snippet_probe(route, name) else None
    if is_ours(route, name):
        return None
    if any(fnmatch.fnmatch(name or route, glob) for glob in WAGTAIL_OWN):
        return "wagtail"
    return None


# Demo data ---------------------------------------------------------------------------


def pass_cookie_value(token: str) -> str:
    from events.checkin.views.passes import PASS_COOKIE, PASS_COOKIE_SALT

    return signing.get_cookie_signer(salt=PASS_COOKIE + PASS_COOKIE_SALT).sign(token)


@pytest.fixture
def demo(db):
    """The demo city, one event of the Recovery Café on now, a pass, and a story's link."""
    from wagtail.documents.models import Document

    from events.checkin.services.lifecycle import participant_create
    from events.checkin.tokens import sign_poster
    from events.models import Category, EventPage, GroupPage, Occurrence
    from home.stories.models import StoryPage, StorySubmission
    from home.stories.tokens import hash_token

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cache.clear()
    group = GroupPage.objects.get(slug="recovery-cafe")
    event = EventPage.objects.child_of(group).live().first()
    if event is None:
        event = EventPage(
            title="Matrix coffee", slug="matrix-coffee", summary="Coffee.", start_date=date.today()
        )
        group.add_child(instance=event)
        event.save_revision().publish()
    now = timezone.now()
    occurrence = Occurrence.objects.create(
        event=event,
        start=now - timedelta(minutes=30),
        original_start=now - timedelta(minutes=30),
        end=now + timedelta(hours=1),
    )
    held = participant_create(nickname="Matrix Robin", email="robin@example.org")
    category = Category.objects.first() or Category.objects.create(name="Coffee", slug="coffee")
    story_token = "matrix-story-token"
    StorySubmission.objects.create(
        page=StoryPage.objects.live().first(),
        idempotency_key=uuid.uuid4(),
        token_hash=hash_token(story_token),
        consent_text="I agree.",
        consented_at=now,
        contact_email="teller@example.org",
    )
    document = Document.objects.create(
        title="Leaflet", file=ContentFile(b"Come along.", name="leaflet.txt")
    )
    from events.checkin.models import Role
    from events.models import Audience, EventProposal, Venue
    from home.stories.models import Pathway, StoryMedia, Theme

    snippets = {
        "events.venue": Venue.objects.first(),
        "events.audience": Audience.objects.first(),
        "events.category": category,
        "checkin.role": Role.objects.first()
        or Role.objects.create(name="Peer", slug="peer", community="recovery"),
        "stories.pathway": Pathway.objects.first(),
        "stories.theme": Theme.objects.first(),
        "stories.storymedia": StoryMedia.objects.first()
        or StoryMedia.objects.create(
            title="Clip", file=ContentFile(b"ID3", name="clip.mp3"), transcript="Hello."
        ),
        "events.eventproposal": EventProposal.objects.create(
            name="Proposer Pat", email="pat@example.org", group_name="Allotment friends"
        ),
        "stories.storysubmission": StorySubmission.objects.get(token_hash=hash_token(story_token)),
    }
    from home.audit.models import AuditEvent
    from home.audit.services import audit_record

    audit_entry = audit_record(
        user=None, action=AuditEvent.Action.VIEW_ATTENDANCE, target=occurrence
    )
    User = get_user_model()
    other_group = GroupPage.objects.exclude(pk=group.pk).first()
    from events.introductions.models import Introduction, NavigatorOrganisation
    from events.introductions.services import navigator_organisation_create

    introduction = Introduction.objects.create(
        organisation=NavigatorOrganisation.objects.first()
        or navigator_organisation_create(organisation=other_group),
        occurrence=occurrence,
        participant=participant_create(nickname="Matrix Jay").participant,
        chosen_name="Matrix Jay",
        note="Matrix note: likes tea",
        consent_text="I agree.",
        consented_at=now,
        submission=uuid.uuid4(),
    )
    return {
        "introduction": introduction.pk,
        "navigator_organisation": introduction.organisation_id,
        "invitation_id": introduction.invitation_id,
        "home": Page.objects.get(depth=2),
        "group": group,
        "group_slug": group.slug,
        "other_group": other_group,
        "event": event.pk,
        "event_uid": str(event.uid),
        "occurrence": occurrence.pk,
        "pass": held,
        "pass_token": held.token,
        "poster_token": sign_poster(event.pk),
        "category_slug": category.slug,
        "story_token": story_token,
        "document": document,
        "snippets": snippets,
        "audit_entry": audit_entry.pk,
        "users": {
            "other_organiser": User.objects.get(username=f"organiser-{other_group.slug}"),
            "organiser": User.objects.get(username="organiser-recovery-cafe"),
            "moderator": User.objects.get(username="council"),
            "admin": User.objects.get(username="admin"),
        },
    }


def clients(ctx) -> dict[str, Client]:
    made = {"anonymous": Client()}
    participant = Client()
    from events.checkin.views.passes import PASS_COOKIE

    participant.cookies[PASS_COOKIE] = pass_cookie_value(ctx["pass_token"])
    made["participant"] = participant
    for role, user in ctx["users"].items():
        made[role] = Client()
        made[role].force_login(user)
    return made


# Personal data in the demo context, and who besides the council may ever see it.
PRIVATE = {
    "robin@example.org": {"participant"},  # the participant's own email, in their own record
    "teller@example.org": set(),  # a story teller's contact
    "pat@example.org": set(),  # who proposed an event
    "Proposer Pat": set(),
    "Matrix note: likes tea": {"organiser"},  # a note for whoever meets them at the door
}
COUNCIL = {"moderator", "admin"}


def leaks(response, role) -> list[str]:
    """Give the personal data in a response that this role should not see."""
    if (
        role in COUNCIL
        or response.streaming
        or response.get("Content-Type", "").startswith("image/")
    ):
        return []
    body = response.content.decode("utf-8", "replace")
    return [text for text, allowed in PRIVATE.items() if text in body and role not in allowed]


def outcome(response) -> object:
    """Give the answer as the table writes it."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if "login" in location:
            return LOGIN
        if location.rstrip("/").endswith("/admin") or location == "/admin/":
            return ADMIN_DENIED
        return REDIRECT
    return response.status_code


def request(client, probe: Probe, ctx):
    url = probe.url(ctx)
    if probe.method == "get":
        return client.get(url)
    data = probe.data(ctx) if callable(probe.data) else probe.data  # a demo fact, or fixed
    if probe.content_type == "application/json":
        import json

        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def test_every_url_of_ours_is_in_the_matrix():
    unclassified = [
        f"{route} (name {name!r})"
        for route, name in walk(get_resolver().url_patterns)
        if classify(route, name) is None
    ]
    assert not unclassified, (
        "These URLs are not in the permission matrix: add them to EXPECTED in "
        "tests/project/test_permission_matrix.py with who may see them:\n" + "\n".join(unclassified)
    )


def test_every_url_answers_each_role_as_expected(demo, capsys):
    patterns = list(walk(get_resolver().url_patterns))
    table = EXPECTED | snippet_probes()
    used = {classify(route, name) for route, name in patterns} - {"wagtail", None}
    assert used == set(table), set(table) ^ used
    role_clients = clients(demo)
    failures, checked = [], 0
    for key, probes in table.items():
        for probe in probes:
            for role in ROLES:
                cache.clear()  # rate limits are tested elsewhere
                response = request(role_clients[role], probe, demo)
                got, want = outcome(response), probe.expected[role]
                checked += 1
                if leaked := leaks(response, role):
                    failures.append(f"{key}: {probe.url(demo)} shows {leaked} to {role}")
                if got != want:
                    failures.append(
                        f"{key}: {probe.method.upper()} {probe.url(demo)} as {role}: "
                        f"got {got}, expected {want}"
                    )
    # The page tree: every page, live ones public, drafts to nobody outside the admin.
    for page in Page.objects.filter(depth__gte=2).specific():
        url = page.get_url()
        if url is None:
            continue
        want = PUBLIC if page.live and not page.get_view_restrictions() else NOT_FOUND
        for role in ROLES:
            cache.clear()
            response = role_clients[role].get(url)
            got = outcome(response)
            checked += 1
            if leaked := leaks(response, role):
                failures.append(f"page {url} shows {leaked} to {role}")
            if got != want[role]:
                failures.append(f"page {url} as {role}: got {got}, expected {want[role]}")
    with capsys.disabled():
        print(f"\npermission matrix: {checked} URL x role pairs checked")
    assert not failures, f"{len(failures)} of {checked} URL x role pairs differ:\n" + "\n".join(
        failures
    )

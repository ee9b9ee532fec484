"""The demo city's site: home page, standard pages, settings and staff accounts."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from home.models import CitySettings, HomePage, StandardPage

CITY = "Northbridge"
DEMO_PASSWORD = "recovery-demo"  # noqa: S105  (demo only; printed by load_demo)


@functools.cache
def demo_password_hash() -> str:
    """Give the demo password hashed, once: every demo account shares it.

    Each hash is a second of PBKDF2 on purpose; hashing it for each of a dozen accounts
    made a newcomer's `make run` wait several seconds more.
    """
    return make_password(DEMO_PASSWORD)


HOME_BODY = [
    ("heading", {"text": "Recovery is visible here"}),
    (
        "paragraph",
        "<p>Northbridge is an Inclusive Recovery City. Recovery cafés, running clubs, "
        "arts collectives, families, faith groups, employers and the council put on "
        "events that anyone can join. Come along: no one needs to explain why they are there.</p>",
    ),
    (
        "call_to_action",
        {"text": "Find something to join this week", "page": None, "url": "/events/"},
    ),
    (
        "quote",
        {
            "quote": "The first time I walked into the café I said nothing. Now I make the tea.",
            "attribution": "Dee, volunteer at the Recovery Café",
        },
    ),
]

PRIVACY_BODY = [
    ("heading", {"text": "The short version"}),
    (
        "paragraph",
        "<p>You can use this site without telling us anything. If you take a check-in pass, "
        "a nickname is all we need, and it can be made up. We never keep your IP address. "
        "You can see, download or delete your record whenever you like.</p>",
    ),
    ("heading", {"text": "What we keep and why"}),
    (
        "paragraph",
        "<ul>"
        "<li><b>Your pass:</b> the nickname you chose and, only if you give it, an email "
        "address. The QR code on your pass holds a random code, nothing about you.</li>"
        "<li><b>Where you came:</b> when your pass is scanned, we note that you came to that "
        "date, and when. This helps groups know who comes back, and helps the city show how "
        "recovery brings people together.</li>"
        "<li><b>How you take part</b> (for example, in recovery, a neighbour, or a "
        "professional): only if you choose to tell us and tick the box to agree. Untick it "
        "and we delete it straight away.</li>"
        "<li><b>Stories:</b> what you send us, the words you agreed to, and, only if you "
        "give them, an email or phone number so the council can talk to you about it.</li>"
        "</ul>"
        "<p>Going to a recovery café, a support meeting or a workshop run with probation can "
        "say something about your health or your past. That is why we keep so little, and "
        "only with your agreement.</p>",
    ),
    ("heading", {"text": "Who can see it"}),
    (
        "paragraph",
        "<ul>"
        "<li>The organisers of an event see the nicknames of people who came to it, and "
        "when. They never see your email. Organisers of other groups see nothing.</li>"
        "<li>The city council's small team can see attendance for every event and the "
        "contact details sent with stories. Every time any of us looks at or downloads "
        "someone's details, it is written in a log that the council checks.</li>"
        "<li>Figures we publish are counts only, and we hide any number small enough to "
        "point to someone.</li>"
        "</ul>",
    ),
    ("heading", {"text": "How long we keep it"}),
    (
        "paragraph",
        "<ul>"
        "<li>Who came to a date: 24 months. After that we only keep how many came.</li>"
        "<li>The record of each scan at the door: 6 months.</li>"
        "<li>Your pass and nickname: if you have not been checked in anywhere for 12 "
        "months, we delete them for you.</li>"
        "<li>A story you take down: its words, photo and your contact details are deleted "
        "30 days later.</li>"
        "</ul>",
    ),
    ("heading", {"text": "Your rights"}),
    (
        "paragraph",
        "<p>Open your pass and choose <b>My record</b> to see where you have been, change "
        "what you agreed to, <b>download</b> everything we hold about you, or <b>delete</b> "
        "your record. Deleting it removes your nickname, email and passes at once; the "
        "events you went to only keep a count of one more person. Story tellers use the "
        "private link they were given to take their story down.</p>"
        "<p>If you would rather ask a person, or want to complain, contact the city council "
        "using the details at the bottom of every page. You can also complain to the "
        "Information Commissioner's Office (ico.org.uk).</p>",
    ),
]


def _home_page() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Welcome to Northbridge, an Inclusive Recovery City",
            slug="northbridge",
            introduction=(
                "Events, groups and stories that make recovery visible and celebrated, "
                "open to everyone in the city."
            ),
            body=HOME_BODY,
        )
    )
    # Wagtail's own placeholder page goes once the real home page exists.
    for placeholder in Page.objects.filter(depth=2).exclude(pk=home.pk).not_type(HomePage):
        placeholder.delete()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": CITY},
    )
    return home


def _serve_site_at(hostname: str, port: int) -> Site:
    """Give the default Site the address the demo is served at, so feeds link back to it."""
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()  # which rewrites the feed entries' links (events/signals.py)
    return site


def _standard_page(home: HomePage, slug: str, title: str, introduction: str, body, menu=True):
    existing = StandardPage.objects.child_of(home).filter(slug=slug).first()
    if existing:
        return existing
    return home.add_child(
        instance=StandardPage(
            title=title, slug=slug, introduction=introduction, body=body, show_in_menus=menu
        )
    )


def _user(username: str, *, first_name: str, email: str, groups=(), superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "email": email,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.password = demo_password_hash()
        user.save()
    user.groups.add(*groups)
    return user


def load(address: tuple[str, int] = ("127.0.0.1", 8000), **_context) -> dict:
    """Create the demo city's pages, settings and staff; give the pages to later steps.

    `address` (host, port) is where `make run` serves the demo: the default Site says so.
    """
    home = _home_page()
    _serve_site_at(*address)
    about = _standard_page(
        home,
        "about",
        "About Northbridge Recovery City",
        "How an Inclusive Recovery City works, and how your group can take part.",
        [
            (
                "paragraph",
                "<p>Recovery and leaving crime behind are things people do together. "
                "When the whole city joins in, stigma falls away.</p>",
            )
        ],
    )
    privacy = _standard_page(
        home,
        "privacy",
        "Privacy notice",
        "What we keep about you, why, for how long, and how to delete it.",
        PRIVACY_BODY,
        menu=False,
    )
    city = CitySettings.for_site(Site.objects.get(is_default_site=True))
    city.city_name = CITY
    city.contact_email = "recovery.city@northbridge.example"
    city.contact_phone = "01632 960 123"
    city.privacy_page = privacy
    city.crisis_line_name = "Samaritans"
    city.crisis_line_phone = "116 123"
    city.crisis_line_url = "https://www.samaritans.org/"
    city.crisis_line_hours = "Free, any time, day or night"
    city.save()

    moderators = Group.objects.get(name="Moderators")
    _user("admin", first_name="Sam", email="admin@northbridge.example", superuser=True)
    _user("council", first_name="Priya", email="priya@northbridge.example", groups=[moderators])
    return {"home": home, "about": about, "privacy": privacy}

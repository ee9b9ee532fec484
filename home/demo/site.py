"""The demo city's site: home page, standard pages, settings and staff accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from home.models import CitySettings, HomePage, StandardPage

CITY = "Northbridge"
DEMO_PASSWORD = "recovery-demo"  # noqa: S105  (demo only; printed by load_demo)

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
    ("heading", {"text": "What we collect and why"}),
    (
        "paragraph",
        "<p>This site lists public events. If you take a check-in pass, we keep only the "
        "nickname you choose and, if you give it, an email address. We never keep your IP "
        "address. You can see, download or delete your record from your pass at any time.</p>",
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
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(*groups)
    return user


def load() -> dict:
    """Create the demo city's pages, settings and staff; give the pages to later steps."""
    home = _home_page()
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
    city.save()

    moderators = Group.objects.get(name="Moderators")
    _user("admin", first_name="Sam", email="admin@northbridge.example", superuser=True)
    _user("council", first_name="Priya", email="priya@northbridge.example", groups=[moderators])
    return {"home": home, "about": about, "privacy": privacy}

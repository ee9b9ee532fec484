"""The demo city's venues, groups and organisers."""

from django.contrib.auth import get_user_model
from wagtail.models import Page

from events.models import Audience, GroupIndexPage, GroupKind, GroupPage, Venue
from home.demo.site import demo_password_hash

VENUES = [
    # name, line 1, postcode, facts, transport
    (
        "The Lantern Recovery Café",
        "14 Mill Street",
        "NB1 4AP",
        {
            "step_free": True,
            "accessible_toilet": True,
            "quiet_space": True,
            "alcohol_free": True,
            "baby_change": True,
        },
        "Buses 4 and 12 stop outside. Step-free from the front door.",
    ),
    (
        "Northbridge Central Library",
        "1 Market Square",
        "NB1 1AA",
        {
            "step_free": True,
            "accessible_toilet": True,
            "hearing_loop": True,
            "baby_change": True,
            "alcohol_free": True,
        },
        "Two minutes from Northbridge bus station; lift to all floors.",
    ),
    (
        "Riverside Park Bandstand",
        "Riverside Park, Quay Road",
        "NB2 7QT",
        {"step_free": True, "alcohol_free": True},
        "Flat tarmac paths from the Quay Road gate.",
    ),
    (
        "St Aidan’s Church Hall",
        "27 Chapel Lane",
        "NB3 2DW",
        {
            "accessible_toilet": True,
            "quiet_space": True,
            "alcohol_free": True,
            "hearing_loop": True,
        },
        "Three steps at the front; a ramp at the side door on request.",
    ),
    (
        "Harbour Works Training Centre",
        "Unit 5, Harbour Business Park",
        "NB4 9HW",
        {"step_free": True, "accessible_toilet": True, "hearing_loop": True, "alcohol_free": True},
        "Free parking. Bus 21 to Harbour Park.",
    ),
    (
        "Northbridge Leisure Centre",
        "Victoria Road",
        "NB2 3LT",
        {"step_free": True, "accessible_toilet": True, "baby_change": True},
        "Café sells alcohol at weekends only. Bus 7 or 9.",
    ),
    (
        "The Old Print Works Studio",
        "8 Foundry Yard",
        "NB1 6PW",
        {"quiet_space": True, "alcohol_free": True},
        "First floor, no lift. Ten minutes from the station.",
    ),
    (
        "Northbridge Town Hall",
        "Town Hall Square",
        "NB1 1TH",
        {"step_free": True, "accessible_toilet": True, "hearing_loop": True, "baby_change": True},
        "Step-free entrance on Guild Street.",
    ),
    (
        "Eastfield Community Centre",
        "52 Eastfield Road",
        "NB5 8EC",
        {
            "step_free": True,
            "accessible_toilet": True,
            "baby_change": True,
            "quiet_space": True,
            "alcohol_free": True,
        },
        "Bus 15. Small car park with two blue-badge spaces.",
    ),
    (
        "Northbridge College, Quayside Campus",
        "Quayside",
        "NB2 5QC",
        {"step_free": True, "accessible_toilet": True, "hearing_loop": True},
        "Ask at reception for the accessible lift.",
    ),
]

# slug, name, kind, audiences, summary, contact, organiser first name
GROUPS = [
    (
        "recovery-cafe",
        "The Lantern Recovery Café",
        GroupKind.LIVED_EXPERIENCE,
        ["people-in-recovery", "everyone"],
        "A café run by people in recovery, open to the whole city: good coffee, no judgement.",
        "hello@lanterncafe.example",
        "Dee",
    ),
    (
        "smart-recovery",
        "SMART Recovery Northbridge",
        GroupKind.MUTUAL_AID,
        ["people-in-recovery", "mental-health-recovery"],
        "Free, science-based mutual-aid meetings for anyone wanting to change their relationship "
        "with alcohol, drugs or other behaviours.",
        "smart@northbridge-recovery.example",
        "Tom",
    ),
    (
        "forward-strides",
        "Forward Strides Running Club",
        GroupKind.SPORT_ARTS,
        ["everyone", "people-in-recovery", "leaving-crime-behind"],
        "A friendly running and walking club where people in recovery and neighbours run side by side.",
        "run@forwardstrides.example",
        "Aisha",
    ),
    (
        "open-canvas",
        "Open Canvas Arts Collective",
        GroupKind.SPORT_ARTS,
        ["everyone", "mental-health-recovery"],
        "Painting, printmaking and exhibitions by artists with lived experience and their neighbours.",
        "studio@opencanvas.example",
        "Marek",
    ),
    (
        "families-together",
        "Families Together Circle",
        GroupKind.COMMUNITY,
        ["families"],
        "Support and fun days for families and friends of people affected by addiction or prison.",
        "circle@familiestogether.example",
        "Linda",
    ),
    (
        "st-aidans-kitchen",
        "St Aidan’s Community Kitchen",
        GroupKind.FAITH,
        ["everyone"],
        "A shared meal every week, cooked by volunteers of every faith and none.",
        "kitchen@staidans.example",
        "Grace",
    ),
    (
        "council-communities",
        "Northbridge City Council Communities Team",
        GroupKind.COUNCIL,
        ["everyone"],
        "The council team that supports the Inclusive Recovery City and its events.",
        "recovery.city@northbridge.example",
        "Priya",
    ),
    (
        "probation-pathways",
        "Probation Service Pathways to Work",
        GroupKind.PROBATION,
        ["leaving-crime-behind"],
        "Employment workshops run with local employers for people moving on from the justice system.",
        "pathways@probation.example",
        "Chris",
    ),
    (
        "recovery-college",
        "Northbridge Recovery College",
        GroupKind.EDUCATION,
        ["mental-health-recovery", "everyone"],
        "Free courses on wellbeing and recovery, co-written and co-taught by people with lived experience.",
        "learn@recoverycollege.example",
        "Femi",
    ),
    (
        "harbour-works",
        "Harbour Works",
        GroupKind.EMPLOYER,
        ["leaving-crime-behind", "people-in-recovery"],
        "A local manufacturer that offers second-chance jobs, open days and mentoring.",
        "people@harbourworks.example",
        "Jo",
    ),
    (
        "community-health",
        "Northbridge Community Health Team",
        GroupKind.HEALTH,
        ["people-in-recovery", "mental-health-recovery"],
        "NHS drug, alcohol and mental-health workers who come out to community events.",
        "communityhealth@nhs.example",
        "Ravi",
    ),
]


def _venues() -> dict[str, Venue]:
    venues = {}
    for name, line_1, postcode, facts, transport in VENUES:
        venue, _created = Venue.objects.get_or_create(
            name=name,
            defaults={
                "address_line_1": line_1,
                "town": "Northbridge",
                "postcode": postcode,
                "transport_notes": transport,
                **facts,
            },
        )
        venues[name] = venue
    return venues


def _group_index(home: Page) -> GroupIndexPage:
    existing = GroupIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    return home.add_child(
        instance=GroupIndexPage(
            title="Groups",
            slug="groups",
            show_in_menus=True,
            introduction="Community groups, services and employers who are part of "
            "Northbridge’s recovery community. Every one of them welcomes newcomers.",
        )
    )


def load(home: Page, **_context) -> dict:
    venues = _venues()
    index = _group_index(home)
    audiences = {a.slug: a for a in Audience.objects.all()}
    User = get_user_model()
    groups = {}
    for slug, name, kind, serves, summary, email, organiser in GROUPS:
        group = GroupPage.objects.child_of(index).filter(slug=slug).first()
        if group is None:
            group = GroupPage(
                title=name,
                slug=slug,
                kind=kind,
                summary=summary,
                contact_name=organiser,
                contact_email=email,
                story=[
                    (
                        "paragraph",
                        f"<p>{summary} Everyone is welcome to come along, "
                        "and there is always someone to say hello.</p>",
                    )
                ],
            )
            index.add_child(instance=group)
            group.serves.set([audiences[a] for a in serves])
            group.save_revision().publish()
        user, created = User.objects.get_or_create(
            username=f"organiser-{slug}",
            defaults={"first_name": organiser, "email": f"organiser-{slug}@northbridge.example"},
        )
        if created:
            user.password = demo_password_hash()
            user.save()
        user.groups.add(group.organisers)
        groups[slug] = group
    return {"venues": venues, "groups": groups, "group_index": index}

"""The demo city's recovery stories: told with respect, in the tellers' own voices.

Every teller here is invented. The stories cover each pathway and each way of being
named, and link to the demo groups (and their events, once there are any).
"""

import datetime

from django.utils import timezone
from wagtail.models import Page

from events.models import EventPage

from .models import Pathway, StoryIndexPage, StoryPage, Theme
from .naming import Naming
from .text import paragraph_html

STORIES = [
    {
        "slug": "the-morning-i-put-my-running-shoes-on",
        "title": "The morning I put my running shoes on",
        "naming": Naming.FIRST_NAME,
        "name": "Aaron",
        "summary": "Two years sober, Aaron found that a Saturday run gave his week a shape again.",
        "pathways": ["addiction-recovery", "community"],
        "themes": ["sport", "mentoring"],
        "groups": ["forward-strides", "recovery-cafe"],
        "featured": True,
        "days_ago": 12,
        "paragraphs": [
            "For a long time my weekends had no shape. Saturday ran into Sunday and I lost "
            "track of both. When I stopped drinking, the hardest part was the empty hours.",
            "Someone at the café mentioned the running club. I turned up in old trainers and "
            "jeans, sure that everyone would be an athlete. Half of them were walking. Nobody "
            "asked why I was there; they asked whether I wanted a coffee afterwards.",
            "Two years on I lead the walk-run group. The thing I tell new people is the thing "
            "I needed to hear: you do not have to be fast, you only have to come back.",
        ],
        "quote": "You do not have to be fast, you only have to come back.",
    },
    {
        "slug": "a-second-chance-on-the-shop-floor",
        "title": "A second chance on the shop floor",
        "naming": Naming.FULL_NAME,
        "name": "Marcus Bell",
        "summary": "After prison, Marcus was given a chance at Harbour Works. Now he mentors "
        "others starting out.",
        "pathways": ["desistance"],
        "themes": ["work", "mentoring"],
        "groups": ["harbour-works", "probation-pathways"],
        "featured": True,
        "days_ago": 20,
        "paragraphs": [
            "When I came out I had a bag of clothes and a letter from my probation officer. I "
            "had applied for forty jobs from the inside and heard back from none.",
            "The Pathways to Work workshop was the first time an employer sat across a table "
            "and talked to me as a person with skills. Harbour Works offered me a trial week. "
            "The supervisor showed me the machines as if I had always belonged there.",
            "Three years later I train new starters, and some of them have the same letter in "
            "their pocket that I had. I tell them the past is part of the story, not the end of it.",
        ],
        "quote": "The past is part of the story, not the end of it.",
    },
    {
        "slug": "colour-came-back",
        "title": "Colour came back",
        "naming": Naming.PSEUDONYM,
        "name": "Wren",
        "summary": "Painting with Open Canvas helped Wren through a long depression.",
        "pathways": ["mental-health-recovery"],
        "themes": ["arts", "volunteering"],
        "groups": ["open-canvas", "recovery-college"],
        "content_note": "Mentions depression and a stay in hospital.",
        "featured": True,
        "days_ago": 5,
        "paragraphs": [
            "After my time in hospital everything felt grey, and I mean that almost literally. "
            "I could not remember what I used to enjoy.",
            "A course at the Recovery College ended with a visit to the Open Canvas studio. I "
            "mixed a colour I liked and then sat there for a while, surprised to have liked "
            "something.",
            "I still have hard weeks. But I go on Thursdays, and now I help set up the "
            "exhibitions. Last spring one of my prints hung in the Town Hall.",
        ],
    },
    {
        "slug": "what-our-family-learned",
        "title": "What our family learned",
        "naming": Naming.ANONYMOUS,
        "name": "",
        "summary": "A mother on how the Families Together Circle helped her family heal.",
        "pathways": ["family", "addiction-recovery"],
        "themes": ["family"],
        "groups": ["families-together"],
        "days_ago": 30,
        "paragraphs": [
            "When my son was using, I thought we were the only family going through it. I "
            "stopped seeing friends because I did not know what to say.",
            "At the Families Together Circle nobody needed me to explain. Other parents had "
            "been where I was, and some were further along. They taught me that looking after "
            "myself was not giving up on him.",
            "My son is in recovery now, and we go to the summer fun day together. I go to the "
            "circle still, for the newer parents, because someone did that for me.",
        ],
        "quote": "Looking after myself was not giving up on him.",
    },
    {
        "slug": "the-kitchen-table",
        "title": "The kitchen table",
        "naming": Naming.FIRST_NAME,
        "name": "Grace",
        "summary": "Cooking for fifty people on a Wednesday night gave Grace a community.",
        "pathways": ["community", "mental-health-recovery"],
        "themes": ["faith", "volunteering"],
        "groups": ["st-aidans-kitchen"],
        "days_ago": 45,
        "paragraphs": [
            "I was lonely after my divorce, more lonely than I let anyone see. The community "
            "kitchen needed someone to peel potatoes, so I did.",
            "Around that table are people in recovery, people who have been in prison, "
            "students, retired teachers and a few very noisy toddlers. We do not ask what "
            "brought anyone. We ask whether they want seconds.",
            "I now run the Wednesday rota. The kitchen is where I found out that being useful "
            "to others was part of my own recovery.",
        ],
    },
    {
        "slug": "learning-to-ask-for-help",
        "title": "Learning to ask for help",
        "naming": Naming.PSEUDONYM,
        "name": "Jay",
        "summary": "Jay on SMART Recovery, a new flat, and the tools that made the difference.",
        "pathways": ["addiction-recovery", "mental-health-recovery"],
        "themes": ["housing", "mentoring"],
        "groups": ["smart-recovery", "community-health"],
        "content_note": "Mentions homelessness and overdose.",
        "days_ago": 60,
        "paragraphs": [
            "I spent a winter sofa-surfing, and after a friend's overdose I knew I needed "
            "something to change. I did not know how to ask.",
            "A worker from the community health team sat with me at a drop-in and told me "
            "about the SMART meeting at the library. The tools there were practical: writing "
            "down what a choice costs and what it gives me.",
            "I have had my own flat for a year. I still go to the meeting every week, and now "
            "I am training to co-facilitate.",
        ],
    },
    {
        "slug": "my-dad-came-home",
        "title": "My dad came home",
        "naming": Naming.FIRST_NAME,
        "name": "Leah",
        "summary": "Leah, seventeen, on her dad coming home from prison and starting again together.",
        "pathways": ["family", "desistance"],
        "themes": ["family", "sport"],
        "groups": ["families-together", "forward-strides"],
        "days_ago": 75,
        "paragraphs": [
            "My dad was away for most of my time at secondary school. When he came home we did "
            "not really know each other any more.",
            "The family days helped because there was always something to do, so we did not "
            "have to find the right words straight away. Then he joined the running club and I "
            "started going too, mostly to beat him.",
            "We did the city 5K together in the autumn. He cried at the finish. I pretended not "
            "to notice, and then I cried too.",
        ],
    },
    {
        "slug": "a-place-at-the-college",
        "title": "A place at the college",
        "naming": Naming.FULL_NAME,
        "name": "Femi Adeyemi",
        "summary": "Femi went from student to tutor at the Recovery College.",
        "pathways": ["mental-health-recovery", "community"],
        "themes": ["work", "mentoring"],
        "groups": ["recovery-college"],
        "featured": True,
        "days_ago": 9,
        "paragraphs": [
            "I signed up for a course called Understanding Anxiety because it was free and I "
            "could leave if I hated it. I did not hate it.",
            "What struck me was that the tutors had lived it. One of them said, “I have been "
            "where you are,” and I believed her.",
            "Four years on I co-teach that same course. Each term someone sits at the back near "
            "the door, the way I did, and each term I hope they stay.",
        ],
        "quote": "Each term someone sits near the door, the way I did, and I hope they stay.",
    },
    {
        "slug": "keeping-the-cafe-lights-on",
        "title": "Keeping the café lights on",
        "naming": Naming.ANONYMOUS,
        "name": "",
        "summary": "A volunteer on how serving coffee became a way back into the world.",
        "pathways": ["addiction-recovery", "desistance", "community"],
        "themes": ["volunteering", "work"],
        "groups": ["recovery-cafe", "council-communities"],
        "days_ago": 100,
        "paragraphs": [
            "I came to the café because it was warm and the coffee was cheap. I had a record "
            "and a habit and not much else.",
            "Dee asked me to help carry chairs one day, then to help on the till, then to open "
            "up on Mondays. Every job was small. Together they added up to trust.",
            "I have a paid job now, but I still volunteer on Saturdays. When the council came to "
            "film the café for Recovery Month, I kept my face out of it, but I was proud.",
        ],
    },
]

INTRODUCTION = (
    "People in Northbridge tell what changed for them: recovery from addiction, leaving "
    "crime behind, mental-health recovery, and the families and friends who walked with "
    "them. Every story is told with the teller’s consent, named the way they chose."
)


def _index(home: Page) -> StoryIndexPage:
    existing = StoryIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    return home.add_child(
        instance=StoryIndexPage(
            title="Recovery stories", slug="stories", show_in_menus=True, introduction=INTRODUCTION
        )
    )


def _body(story: dict) -> list:
    body = [("paragraph", paragraph_html(p)) for p in story["paragraphs"]]
    if story.get("quote"):
        body.insert(2, ("quote", {"quote": story["quote"], "attribution": ""}))
    return body


def _first_events(groups) -> list:
    """Give each group's first live event, where it has one."""
    return [e for group in groups for e in EventPage.objects.child_of(group).live()[:1]]


def load(home: Page, groups: dict | None = None, **_context) -> dict:
    """Create the stories index and the demo stories; leave any that exist as they are."""
    groups = groups or {}
    index = _index(home)
    pathways = {p.slug: p for p in Pathway.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    today = timezone.localdate()
    stories = {}
    for spec in STORIES:
        linked_groups = [groups[g] for g in spec["groups"] if g in groups]
        story = StoryPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if story is None:
            story = StoryPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                teller_naming=spec["naming"],
                teller_name=spec["name"],
                content_note=spec.get("content_note", ""),
                body=_body(spec),
                date=today - datetime.timedelta(days=spec["days_ago"]),
                featured=spec.get("featured", False),
            )
            story.pathways.set([pathways[p] for p in spec["pathways"] if p in pathways])
            story.themes.set([themes[t] for t in spec["themes"] if t in themes])
            story.groups.set(linked_groups)
            story.events.set(_first_events(linked_groups))
            index.add_child(instance=story)
            story.save_revision().publish()
        elif not story.events.exists() and story.live and not story.withdrawn_at:
            # The groups' events may come from a demo step that ran after this one.
            events = _first_events(linked_groups)
            if events:
                story.events.set(events)
                story.save_revision().publish()
        stories[spec["slug"]] = story
    return {"story_index": index, "stories": stories}

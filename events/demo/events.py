"""The demo city's calendar page and its events: weekly, fortnightly, monthly, one-offs.

Dates are relative to today, so the calendar always has a past (about six months of it,
for the check-in demo's attendance) and a future. Idempotent: an event whose slug exists
under its group is left alone.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from events import schedule as sched
from events.models import CalendarPage, Category, EventPage, EventProposal, OccurrenceChange
from events.services import event_proposal_create

# Series start about six months back, on a Monday, so there is history to look at.
HISTORY_WEEKS = 26


def weekly(days, begins, ends, interval=1, **extra):
    return {
        "frequency": sched.WEEKLY,
        "weekdays": ",".join(days),
        "interval": interval,
        "start_time": begins,
        "end_time": ends,
        **extra,
    }


def monthly_nth(nth, day, begins, ends, **extra):
    return {
        "frequency": sched.MONTHLY,
        "monthly_mode": sched.BY_WEEKDAY,
        "monthly_nth": nth,
        "weekdays": day,
        "start_time": begins,
        "end_time": ends,
        **extra,
    }


def monthly_day(begins, ends, **extra):
    return {
        "frequency": sched.MONTHLY,
        "monthly_mode": sched.BY_DAY,
        "start_time": begins,
        "end_time": ends,
        **extra,
    }


def once(days_ahead, begins, ends, duration_days=0, weekday=None):
    return {
        "frequency": sched.ONCE,
        "days_ahead": days_ahead,
        "on_weekday": weekday,
        "start_time": begins,
        "end_time": ends,
        "duration_days": duration_days,
    }


T = time
CAFE = "The Lantern Recovery Café"
LIBRARY = "Northbridge Central Library"
PARK = "Riverside Park Bandstand"
HALL = "St Aidan’s Church Hall"
WORKS = "Harbour Works Training Centre"
LEISURE = "Northbridge Leisure Centre"
STUDIO = "The Old Print Works Studio"
TOWN_HALL = "Northbridge Town Hall"
EASTFIELD = "Eastfield Community Centre"
COLLEGE = "Northbridge College, Quayside Campus"

# group, slug, title, summary, categories, venue, schedule, facts, partners, changes
# changes: ("cancel" | "move", nth upcoming date (0 is the next), note)
EVENTS = [
    # The Lantern Recovery Café
    (
        "recovery-cafe",
        "open-cafe",
        "Open café evening",
        "Good coffee, board games and a warm welcome from people who have been there.",
        ["social-and-cafe"],
        CAFE,
        weekly(["TU"], T(19), T(21)),
        {"welcomer": True, "family_friendly": False},
        [],
        [("cancel", 2, "The café is closed for a deep clean. See you the week after!")],
    ),
    (
        "recovery-cafe",
        "saturday-brunch",
        "Saturday recovery brunch",
        "A shared brunch cooked by volunteers. Pay what you can.",
        ["social-and-cafe"],
        CAFE,
        weekly(["SA"], T(10, 30), T(12, 30)),
        {"is_free": False, "cost": "Pay what you can", "family_friendly": True, "welcomer": True},
        [],
        [],
    ),
    (
        "recovery-cafe",
        "quiz-night",
        "Alcohol-free quiz night",
        "Teams of up to six, or join one on the night. Prizes are terrible.",
        ["social-and-cafe"],
        CAFE,
        monthly_nth(1, "TH", T(19), T(21, 30)),
        {},
        ["forward-strides"],
        [],
    ),
    (
        "recovery-cafe",
        "winter-party",
        "Winter alcohol-free party",
        "Music, mocktails and dancing until after midnight, with a DJ from the café’s own crew.",
        ["social-and-cafe", "recovery-walks-and-celebrations"],
        CAFE,
        once(40, T(20), T(0, 30), duration_days=1),
        {"family_friendly": True},
        [],
        [],
    ),
    (
        "recovery-cafe",
        "volunteer-induction",
        "Café volunteer induction",
        "Learn the ropes behind the counter: food hygiene, listening, and the till.",
        ["volunteering"],
        CAFE,
        monthly_nth(2, "MO", T(18), T(20)),
        {},
        [],
        [],
    ),
    # SMART Recovery
    (
        "smart-recovery",
        "monday-meeting",
        "SMART Recovery meeting (Monday)",
        "A free, science-based mutual-aid meeting. Come as you are; you don’t have to speak.",
        ["mutual-aid-meetings"],
        LIBRARY,
        weekly(["MO"], T(18, 30), T(20)),
        {"open_to": "recovery", "welcomer": True},
        [],
        [("move", 1, "In the library’s first-floor meeting room this week.")],
    ),
    (
        "smart-recovery",
        "thursday-meeting",
        "SMART Recovery meeting (Thursday)",
        "The same friendly meeting, on a Thursday lunchtime.",
        ["mutual-aid-meetings"],
        EASTFIELD,
        weekly(["TH"], T(12, 30), T(14)),
        {"open_to": "recovery"},
        [],
        [],
    ),
    (
        "smart-recovery",
        "family-and-friends",
        "SMART Family & Friends",
        "For people who care about someone with an addiction: tools that help.",
        ["mutual-aid-meetings", "families"],
        LIBRARY,
        weekly(["WE"], T(19), T(20, 30), interval=2),
        {},
        ["families-together"],
        [],
    ),
    (
        "smart-recovery",
        "online-meeting",
        "SMART Recovery online",
        "The meeting from your sofa, with your camera on or off.",
        ["mutual-aid-meetings"],
        None,
        weekly(["SU"], T(19), T(20)),
        {"open_to": "recovery", "online_url": "https://meet.example/smart-northbridge"},
        [],
        [],
    ),
    (
        "smart-recovery",
        "facilitator-training",
        "Become a SMART facilitator",
        "Two evenings of training for people with lived experience who want to run meetings.",
        ["learning-and-skills", "volunteering"],
        LIBRARY,
        monthly_nth(-1, "WE", T(18), T(21)),
        {},
        ["recovery-college"],
        [],
    ),
    # Forward Strides
    (
        "forward-strides",
        "tuesday-run",
        "Tuesday evening run",
        "Two paced groups, 3k and 5k, with a walker at the back. Nobody is left behind.",
        ["sport-and-movement"],
        PARK,
        weekly(["TU", "TH"], T(18, 30), T(19, 30)),
        {"family_friendly": True, "welcomer": True},
        [],
        [("cancel", 0, "The park is closed for the fair. Back on Thursday.")],
    ),
    (
        "forward-strides",
        "sunday-walk",
        "Sunday recovery walk",
        "A gentle 5k riverside walk with a café stop halfway.",
        ["sport-and-movement", "recovery-walks-and-celebrations"],
        PARK,
        weekly(["SU"], T(10), T(12)),
        {"family_friendly": True},
        [],
        [],
    ),
    (
        "forward-strides",
        "parkrun-together",
        "parkrun together",
        "Meet us at the bandstand and do parkrun as a group; tea after.",
        ["sport-and-movement"],
        PARK,
        weekly(["SA"], T(8, 45), T(10, 15), interval=2),
        {"family_friendly": True},
        [],
        [],
    ),
    (
        "forward-strides",
        "recovery-walk",
        "Northbridge Recovery Walk",
        "The city’s big celebration: walk from the Town Hall to the park with banners, drums and hundreds of neighbours.",
        ["recovery-walks-and-celebrations", "civic"],
        TOWN_HALL,
        once(24, T(11), T(15), weekday=5),
        {"family_friendly": True, "bsl": True, "welcomer": True},
        ["council-communities", "recovery-cafe", "families-together"],
        [],
    ),
    (
        "forward-strides",
        "recovery-games",
        "Recovery Games",
        "Tug of war, relay races and egg-and-spoon for teams from across the city. All abilities.",
        ["recovery-walks-and-celebrations", "sport-and-movement"],
        LEISURE,
        once(52, T(10), T(16), weekday=5),
        {"family_friendly": True, "bsl": True},
        ["council-communities", "harbour-works"],
        [],
    ),
    # Open Canvas
    (
        "open-canvas",
        "open-studio",
        "Open studio",
        "Drop in and make something. Materials provided; no experience needed.",
        ["arts-and-culture"],
        STUDIO,
        weekly(["WE"], T(13), T(16)),
        {"welcomer": True},
        [],
        [],
    ),
    (
        "open-canvas",
        "printmaking",
        "Printmaking for beginners",
        "Lino cutting and printing over four weeks. Tools provided.",
        ["arts-and-culture", "learning-and-skills"],
        STUDIO,
        weekly(["FR"], T(10), T(12, 30), interval=2),
        {"is_free": False, "cost": "£3 a session, or free if money is tight"},
        ["recovery-college"],
        [],
    ),
    (
        "open-canvas",
        "exhibition-opening",
        "“Visible” exhibition opening",
        "Work by artists in recovery and their neighbours, opened with poetry and music.",
        ["arts-and-culture", "recovery-walks-and-celebrations"],
        LIBRARY,
        once(17, T(18), T(20, 30), weekday=4),
        {"family_friendly": True, "bsl": True},
        ["council-communities"],
        [],
    ),
    (
        "open-canvas",
        "life-stories",
        "Life stories writing group",
        "Write your story, a line at a time, with people who listen well.",
        ["arts-and-culture"],
        LIBRARY,
        monthly_nth(3, "TU", T(18), T(20)),
        {},
        [],
        [],
    ),
    # Families Together
    (
        "families-together",
        "family-circle",
        "Family support circle",
        "A safe, confidential circle for families and friends of people affected by addiction or prison.",
        ["families", "mutual-aid-meetings"],
        EASTFIELD,
        weekly(["MO"], T(18, 30), T(20, 30), interval=2),
        {"welcomer": True},
        [],
        [],
    ),
    (
        "families-together",
        "fun-day",
        "Families fun day",
        "Bouncy castle, face painting and a picnic. Everyone welcome.",
        ["families", "recovery-walks-and-celebrations"],
        PARK,
        once(31, T(12), T(16), weekday=6),
        {"family_friendly": True},
        ["st-aidans-kitchen"],
        [],
    ),
    (
        "families-together",
        "homework-club",
        "Homework club and tea",
        "Help with homework for children of families in recovery, with tea for the grown-ups.",
        ["families", "learning-and-skills"],
        LIBRARY,
        weekly(["TH"], T(16), T(17, 30)),
        {"family_friendly": True},
        ["recovery-college"],
        [],
    ),
    (
        "families-together",
        "visiting-day-lifts",
        "Prison visiting-day lifts",
        "Shared lifts to HMP visiting days, with a volunteer driver and a chat on the way.",
        ["families"],
        EASTFIELD,
        monthly_nth(1, "SA", T(9), T(14)),
        {},
        ["probation-pathways"],
        [],
    ),
    # St Aidan's Community Kitchen
    (
        "st-aidans-kitchen",
        "community-meal",
        "Community meal",
        "A hot two-course meal cooked by volunteers of every faith and none. Just turn up.",
        ["social-and-cafe", "faith"],
        HALL,
        weekly(["WE"], T(17, 30), T(19)),
        {"family_friendly": True, "welcomer": True},
        [],
        [("move", 3, "One night only at Eastfield Community Centre while the hall is repaired.")],
    ),
    (
        "st-aidans-kitchen",
        "kitchen-volunteers",
        "Kitchen volunteering morning",
        "Chop, stir and chat: help prepare the week’s community meal.",
        ["volunteering", "faith"],
        HALL,
        weekly(["WE"], T(10), T(13)),
        {},
        [],
        [],
    ),
    (
        "st-aidans-kitchen",
        "quiet-prayer",
        "Quiet space for reflection",
        "A quiet hour in the church, for prayer or simply stillness. All faiths and none.",
        ["faith"],
        HALL,
        weekly(["FR"], T(12), T(13)),
        {},
        [],
        [],
    ),
    (
        "st-aidans-kitchen",
        "harvest-supper",
        "Harvest supper",
        "A celebration supper with the whole neighbourhood.",
        ["faith", "social-and-cafe"],
        HALL,
        once(-30, T(18), T(21), weekday=5),
        {"family_friendly": True},
        ["recovery-cafe"],
        [],
    ),
    # Council communities team
    (
        "council-communities",
        "recovery-city-forum",
        "Inclusive Recovery City forum",
        "Groups, residents and services plan the city’s recovery events together. Your voice counts.",
        ["civic"],
        TOWN_HALL,
        monthly_nth(2, "TU", T(17, 30), T(19)),
        {"bsl": True},
        [],
        [],
    ),
    (
        "council-communities",
        "recovery-festival",
        "Recovery Festival weekend",
        "Three days of music, stalls, talks and family fun across the city centre.",
        ["recovery-walks-and-celebrations", "arts-and-culture", "civic"],
        TOWN_HALL,
        once(66, T(17), T(18), duration_days=2, weekday=4),
        {"family_friendly": True, "bsl": True, "welcomer": True},
        ["open-canvas", "forward-strides", "recovery-cafe", "community-health"],
        [],
    ),
    (
        "council-communities",
        "councillor-surgery",
        "Meet your councillor: recovery surgery",
        "Drop in and talk to a councillor about what would make recovery easier in Northbridge.",
        ["civic"],
        LIBRARY,
        monthly_day(T(10), T(12)),
        {},
        [],
        [],
    ),
    (
        "council-communities",
        "last-year-celebration",
        "Recovery Month launch",
        "The launch of Recovery Month on the Town Hall steps.",
        ["recovery-walks-and-celebrations", "civic"],
        TOWN_HALL,
        once(-60, T(12), T(13), weekday=0),
        {"family_friendly": True},
        [],
        [],
    ),
    # Probation Pathways
    (
        "probation-pathways",
        "job-club",
        "Pathways job club",
        "CVs, disclosure letters and interview practice with people who understand.",
        ["learning-and-skills"],
        WORKS,
        weekly(["TU"], T(10), T(12)),
        {"open_to": "recovery"},
        ["harbour-works"],
        [],
    ),
    (
        "probation-pathways",
        "employer-breakfast",
        "Second-chance employer breakfast",
        "Local employers meet people moving on from the justice system, over bacon rolls.",
        ["learning-and-skills", "civic"],
        WORKS,
        monthly_nth(-1, "FR", T(8), T(9, 30)),
        {},
        ["harbour-works", "council-communities"],
        [],
    ),
    (
        "probation-pathways",
        "peer-mentor-drop-in",
        "Peer mentor drop-in",
        "Talk to someone who has been through the system and out the other side.",
        ["mutual-aid-meetings"],
        EASTFIELD,
        weekly(["WE"], T(14), T(16), interval=2),
        {"welcomer": True},
        [],
        [],
    ),
    # Recovery College
    (
        "recovery-college",
        "wellbeing-course",
        "Understanding wellbeing (course)",
        "A six-week course, co-taught by a tutor with lived experience.",
        ["learning-and-skills"],
        COLLEGE,
        weekly(["MO"], T(10), T(12), count=6, start_offset_weeks=24),
        {},
        [],
        [],
    ),
    (
        "recovery-college",
        "digital-skills",
        "Digital skills drop-in",
        "Email, online forms and staying safe online, one to one.",
        ["learning-and-skills"],
        LIBRARY,
        weekly(["FR"], T(14), T(16)),
        {},
        [],
        [],
    ),
    (
        "recovery-college",
        "open-day",
        "Recovery College open day",
        "Meet the tutors and sign up for next term’s free courses.",
        ["learning-and-skills"],
        COLLEGE,
        once(10, T(11), T(15), weekday=2),
        {"bsl": True, "family_friendly": True},
        [],
        [],
    ),
    # Harbour Works
    (
        "harbour-works",
        "open-workshop",
        "Open workshop afternoon",
        "See the factory floor, try the tools, meet the team who hire on character.",
        ["learning-and-skills"],
        WORKS,
        monthly_nth(1, "WE", T(14), T(16)),
        {},
        ["probation-pathways"],
        [],
    ),
    (
        "harbour-works",
        "five-a-side",
        "Five-a-side with Harbour Works",
        "Friendly football, mixed teams, all abilities.",
        ["sport-and-movement"],
        LEISURE,
        weekly(["TH"], T(18), T(19)),
        {},
        ["forward-strides"],
        [],
    ),
    # Community Health
    (
        "community-health",
        "health-check",
        "Drop-in health checks",
        "Blood pressure, liver checks and a friendly chat: no appointment needed.",
        ["civic"],
        CAFE,
        monthly_nth(2, "TH", T(13), T(15)),
        {},
        ["recovery-cafe"],
        [],
    ),
    (
        "community-health",
        "naloxone-training",
        "Naloxone training",
        "Learn to use naloxone, the medicine that reverses an opioid overdose. Take a kit home.",
        ["learning-and-skills"],
        LIBRARY,
        monthly_day(T(18), T(19)),
        {},
        ["smart-recovery"],
        [],
    ),
    (
        "community-health",
        "walk-and-talk",
        "Walk and talk",
        "A mental-health worker walks with you and listens. Meet at the bandstand.",
        ["sport-and-movement"],
        PARK,
        weekly(["FR"], T(11), T(12)),
        {"family_friendly": True},
        ["forward-strides"],
        [],
    ),
]


def _calendar_page(home) -> CalendarPage:
    existing = CalendarPage.objects.child_of(home).first()
    if existing:
        return existing
    page = CalendarPage(
        title="What’s on",
        slug="events",
        show_in_menus=True,
        introduction="Cafés, runs, meetings, art, meals and celebrations across Northbridge. "
        "Every event here welcomes newcomers.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _schedule_fields(spec: dict, today: date) -> dict:
    spec = dict(spec)
    series_start = today - timedelta(weeks=HISTORY_WEEKS)
    series_start -= timedelta(days=series_start.weekday())
    if spec.get("frequency") == sched.ONCE:
        day = today + timedelta(days=spec.pop("days_ahead"))
        weekday = spec.pop("on_weekday")
        if weekday is not None:
            day += timedelta(days=(weekday - day.weekday()) % 7)
        spec["start_date"] = day
        return spec
    offset = spec.pop("start_offset_weeks", 0)
    if spec.get("frequency") == sched.MONTHLY:
        spec["start_date"] = series_start.replace(day=12 if spec["monthly_mode"] == "day" else 1)
    else:
        spec["start_date"] = series_start + timedelta(weeks=offset)
    if spec.get("count"):
        spec["ends"] = "after_count"
    return spec


def _changes(event: EventPage, changes, today: date) -> list[OccurrenceChange]:
    if not changes:
        return []
    schedule = event.schedule
    now = timezone.now()
    upcoming = sched.expand(schedule, start=now, end=now + timedelta(days=120))
    made = []
    for kind, nth, note in changes:
        if nth >= len(upcoming):
            continue
        day = upcoming[nth].original_start.date()
        if kind == "cancel":
            made.append(OccurrenceChange(original_date=day, status="cancelled", note=note))
        else:
            made.append(
                OccurrenceChange(
                    original_date=day,
                    status="moved",
                    note=note,
                    # Half an hour earlier than usual, on the same day.
                    new_start_time=(
                        datetime.combine(day, schedule.start_time) - timedelta(minutes=30)
                    ).time(),
                )
            )
    return made


def load(home=None, groups=None, venues=None, **_context) -> dict:
    calendar = _calendar_page(home)
    categories = {c.slug: c for c in Category.objects.all()}
    today = timezone.localdate()
    made = 0
    for group_slug, slug, title, summary, cats, venue, spec, facts, partners, changes in EVENTS:
        group = groups[group_slug]
        if EventPage.objects.child_of(group).filter(slug=slug).exists():
            continue
        event = EventPage(
            title=title,
            slug=slug,
            summary=summary,
            description=[
                (
                    "paragraph",
                    f"<p>{summary}</p><p>New here? Just come along: someone will say hello "
                    "and show you where everything is. You don’t need to book.</p>",
                )
            ],
            venue=venues.get(venue) if venue else None,
            **_schedule_fields(spec, today),
            **facts,
        )
        for change in _changes(event, changes, today):
            if change.status == "moved" and group_slug == "st-aidans-kitchen":
                change.new_venue = venues[EASTFIELD]
            event.occurrence_changes.add(change)
        group.add_child(instance=event)
        event.categories.set([categories[c] for c in cats])
        event.partner_groups.set([groups[p] for p in partners])
        event.save_revision().publish()  # stores its dates (events.signals)
        made += 1
    _proposal(today)
    return {"calendar_page": calendar, "events_made": made}


def _proposal(today: date) -> None:
    """One proposal from a group without an account, waiting in the council's moderation."""
    if EventProposal.objects.exists():
        return
    first = today + timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday
    event_proposal_create(
        data={
            "your_name": "Maggie",
            "your_email": "maggie@knitnatter.example",
            "group_name": "Eastfield Knit and Natter",
            "title": "Knit and natter",
            "summary": "Knitting, crochet, tea and a good chat. Beginners very welcome.",
            "description": "We have spare needles and wool.",
            "start_date": first,
            "start_time": time(14),
            "end_time": time(16),
            "repeats": "weekly",
            "venue_details": "Eastfield Community Centre, 52 Eastfield Road. Step-free.",
            "categories": list(
                Category.objects.filter(slug__in=["social-and-cafe", "arts-and-culture"])
            ),
            "is_free": True,
            "alcohol_free": True,
            "family_friendly": True,
        }
    )

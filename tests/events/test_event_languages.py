"""An event in two languages is one series: one set of dates, one attendance, one feed entry."""

from datetime import date

import icalendar
import pytest
import recurring_ical_events
import time_machine
from wagtail.models import Locale

from events.models import EventPage, Occurrence

NOW = "2026-03-20 12:00 +00:00"


@pytest.fixture
def welsh_event(make_group, make_event, calendar_page):
    with time_machine.travel(NOW, tick=False):
        group = make_group(title="Forward Strides", slug="forward-strides")
        event = make_event(group, title="Tuesday run", slug="tuesday-run")
        welsh = Locale.objects.create(language_code="cy")
        # Each page from the home page down, translated (as wagtail-localize does).
        for page in [*event.get_ancestors().filter(depth__gt=1).specific(), group]:
            if not page.has_translation(welsh):
                page.copy_for_translation(welsh).save_revision().publish()
        translation = event.copy_for_translation(welsh)
        translation.title = "Rhedeg dydd Mawrth"
        translation.save_revision().publish()
    return event, EventPage.objects.get(pk=translation.pk)


@time_machine.travel(NOW, tick=False)
def test_the_dates_hang_on_the_original_page_only(welsh_event):
    event, translation = welsh_event
    assert translation.translation_key == event.translation_key
    assert translation.series_page == event and event.series_page == event
    assert Occurrence.objects.filter(event=translation).count() == 0
    assert Occurrence.objects.filter(event=event).count() > 0
    # Synchronised, not translated: the schedule is the original's.
    assert translation.schedule == event.schedule


@time_machine.travel(NOW, tick=False)
def test_a_listing_has_the_series_once(welsh_event):
    event, translation = welsh_event
    visible = set(EventPage.objects.visible().values_list("pk", flat=True))
    assert event.pk in visible and translation.pk not in visible


@time_machine.travel(NOW, tick=False)
def test_the_welsh_page_shows_the_series_dates(client, welsh_event):
    event, translation = welsh_event
    english = client.get("/groups/forward-strides/tuesday-run/").content.decode()
    welsh = client.get(translation.url).content.decode()
    assert translation.url.startswith("/cy/")
    assert 'lang="cy"' in welsh and "Rhedeg dydd Mawrth" in welsh
    first = Occurrence.objects.filter(event=event).upcoming().first()
    assert f'datetime="{first.start.date().isoformat()}' in english
    assert f'datetime="{first.start.date().isoformat()}' in welsh
    # The switcher and the alternates lead to each other's page.
    assert f'hreflang="cy" href="http://testserver{translation.url}"' in english
    assert 'hreflang="en-gb" href="http://testserver/groups/forward-strides/tuesday-run/"' in welsh


@time_machine.travel(NOW, tick=False)
def test_a_dutch_feed_has_dutch_words_and_the_same_dates(client, welsh_event):
    event, _translation = welsh_event
    first = Occurrence.objects.filter(event=event).upcoming().first()
    event.occurrence_changes.create(
        original_date=first.start.date(), status="cancelled", note="De zaal is dicht"
    )
    event.save_revision().publish()
    english = icalendar.Calendar.from_ical(client.get("/feeds/events.ics").content)
    dutch = icalendar.Calendar.from_ical(client.get("/nl/feeds/events.ics").content)
    assert "Activiteiten" in str(dutch.get("X-WR-CALNAME"))
    assert "Activiteiten" not in str(english.get("X-WR-CALNAME"))
    window = (date(2026, 3, 1), date(2026, 6, 30))
    ours = recurring_ical_events.of(english).between(*window)
    theirs = recurring_ical_events.of(dutch).between(*window)
    assert [e["DTSTART"].dt for e in ours] == [e["DTSTART"].dt for e in theirs]
    assert len({str(e["UID"]) for e in theirs}) == 1  # one series, whatever the languages
    cancelled = [e for e in theirs if str(e.get("STATUS")) == "CANCELLED"]
    assert cancelled and str(cancelled[0]["SUMMARY"]).startswith("Afgelast: ")

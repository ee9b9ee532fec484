"""The iCal feeds: what a page lists is what its feed expands to, 304s, identity, errors."""

from datetime import UTC, date, datetime, time

import icalendar
import pytest
import recurring_ical_events
import time_machine

from events.filters import parse_filters
from events.models import Category, EventPage, Occurrence, OccurrenceChange
from tests.factories import VenueFactory

pytestmark = pytest.mark.usefixtures("frozen")

# A window that crosses both clock changes (29 March and 25 October 2026).
WINDOW = (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC))


def publish(event: EventPage) -> EventPage:
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def make_event(group, *, changes=(), categories=(), **fields) -> EventPage:
    values = {
        "title": "Recovery café",
        "summary": "Tea, cake and good company.",
        "start_date": date(2026, 1, 6),
        "start_time": time(19, 0),
        "end_time": time(21, 0),
        "frequency": "weekly",
        "weekdays": "TU",
    }
    event = EventPage(**(values | fields))
    group.add_child(instance=event)
    for change in changes:
        event.occurrence_changes.add(change)
    event.categories.set(categories)
    return publish(event)


@pytest.fixture
def cafe(make_group):
    group = make_group(title="Northbridge Recovery Café", slug="recovery-cafe")
    venue = VenueFactory(name="Northbridge Library")
    hall = VenueFactory(name="Town Hall")
    event = make_event(
        group,
        venue=venue,
        categories=[Category.objects.get(slug="social-and-cafe")],
        changes=[
            OccurrenceChange(
                original_date=date(2026, 3, 31),
                status=OccurrenceChange.Status.MOVED,
                new_date=date(2026, 4, 1),
                new_start_time=time(18, 0),
                new_end_time=time(20, 0),
                new_venue=hall,
            ),
            OccurrenceChange(
                original_date=date(2026, 10, 27),
                status=OccurrenceChange.Status.CANCELLED,
                note="The library is closed for half-term.",
            ),
        ],
    )
    return event


def expand(content: bytes, window=WINDOW) -> set[tuple]:
    """(UID, UTC start, UTC end, cancelled?) for every date an independent parser finds."""
    parsed = icalendar.Calendar.from_ical(content)
    return {
        (
            str(vevent["UID"]),
            vevent["DTSTART"].dt.astimezone(UTC),
            vevent["DTEND"].dt.astimezone(UTC),
            str(vevent.get("STATUS")) == "CANCELLED",
        )
        for vevent in recurring_ical_events.of(parsed).between(*window)
    }


def listed(occurrences, window=WINDOW) -> set[tuple]:
    return {
        (
            f"{o.event.uid}@inclusive-recovery-city",
            o.start.astimezone(UTC),
            o.end.astimezone(UTC),
            o.is_cancelled,
        )
        for o in occurrences
        if window[0] <= o.start < window[1]
    }


def test_city_feed_expands_to_what_the_calendar_lists(client, cafe):
    response = client.get("/feeds/events.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = expand(response.content)
    page = listed(Occurrence.objects.calendar(parse_filters({})))
    assert feed == page
    starts = {row[1]: row for row in feed}
    # 19:00 local: GMT before 29 March, BST after, GMT again after 25 October.
    assert datetime(2026, 3, 24, 19, tzinfo=UTC) in starts
    assert datetime(2026, 4, 7, 18, tzinfo=UTC) in starts
    assert datetime(2026, 11, 3, 19, tzinfo=UTC) in starts
    # The moved date, and the cancelled one still shown as cancelled.
    assert datetime(2026, 3, 31, 18, tzinfo=UTC) not in starts
    assert starts[datetime(2026, 4, 1, 17, tzinfo=UTC)][3] is False
    assert starts[datetime(2026, 10, 27, 19, tzinfo=UTC)][3] is True


def test_feed_carries_the_moved_venue_and_the_reason(client, cafe):
    text = client.get("/feeds/events.ics").content.decode().replace("\r\n ", "")
    assert "RECURRENCE-ID;TZID=Europe/London:20260331T190000" in text
    assert "LOCATION:Town Hall\\, 1 High Street" in text
    assert "The library is closed for half-term." in text
    assert "BEGIN:VTIMEZONE" in text and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text


def test_group_feed_matches_the_group_listing_and_includes_cohosted(client, cafe, make_group):
    partner = make_group(title="Northbridge Harriers", slug="harriers")
    other = make_event(
        partner,
        title="Parkrun together",
        start_date=date(2026, 1, 3),
        start_time=time(9, 0),
        end_time=time(10, 0),
        weekdays="SA",
    )
    cafe.partner_groups.set([partner])
    publish(cafe)
    response = client.get("/feeds/groups/harriers.ics")
    assert response.status_code == 200
    feed = expand(response.content)
    page = listed(Occurrence.objects.visible().for_group(partner).with_listing_data())
    assert feed == page
    assert {row[0] for row in feed} == {
        f"{cafe.uid}@inclusive-recovery-city",
        f"{other.uid}@inclusive-recovery-city",
    }


def test_category_feed_holds_only_that_category(client, cafe, make_group):
    make_event(make_group(), title="Walk", weekdays="SU")
    response = client.get("/feeds/categories/social-and-cafe.ics")
    uids = {row[0] for row in expand(response.content)}
    assert uids == {f"{cafe.uid}@inclusive-recovery-city"}
    assert "X-WR-CALNAME:Social and café" in response.content.decode()


def test_filtered_view_feed_holds_exactly_the_filtered_dates(client, cafe, make_group):
    paid = make_event(make_group(), title="Pottery", is_free=False, cost="£3", weekdays="WE")
    step_free_venue = cafe.venue
    # A date of the café moved to a hall without step-free access leaves a step-free view.
    hall = VenueFactory(name="Old Hall", step_free=False)
    cafe.occurrence_changes.add(
        OccurrenceChange(
            original_date=date(2026, 5, 5), status=OccurrenceChange.Status.MOVED, new_venue=hall
        )
    )
    cafe = publish(cafe)
    assert step_free_venue.step_free

    query = {"fact": ["free", "step-free"]}
    response = client.get("/feeds/events.ics", query)
    assert response.status_code == 200
    feed = expand(response.content)
    page = listed(Occurrence.objects.calendar(parse_filters(query)))
    assert feed == page
    assert datetime(2026, 5, 5, 18, tzinfo=UTC) not in {row[1] for row in feed}
    assert f"{paid.uid}@inclusive-recovery-city" not in {row[0] for row in feed}
    assert len(page) > 30


def test_words_and_group_filters_give_the_same_dates_as_the_page(client, cafe, make_group):
    make_event(make_group(), title="Pottery", weekdays="WE")
    for query in ({"q": "café"}, {"group": "recovery-cafe"}, {"category": "social-and-cafe"}):
        feed = expand(client.get("/feeds/events.ics", query).content)
        assert feed == listed(Occurrence.objects.calendar(parse_filters(query)))
        assert len(feed) > 30


def test_event_feed_and_download(client, cafe):
    response = client.get(f"/feeds/event/{cafe.uid}.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert expand(response.content) == listed(cafe.occurrences.all())
    download = client.get(f"/feeds/event/{cafe.uid}.ics?download=1")
    assert download["Content-Disposition"] == f'attachment; filename="{cafe.slug}.ics"'
    assert b"X-WR-CALNAME:Recovery caf" in download.content


def test_uid_survives_a_new_title_and_slug(client, cafe):
    before = icalendar.Calendar.from_ical(client.get("/feeds/events.ics").content)
    cafe.title, cafe.slug = "Tuesday café", "tuesday-cafe"
    publish(cafe)
    after = icalendar.Calendar.from_ical(client.get("/feeds/events.ics").content)
    assert str(before.events[0]["UID"]) == str(after.events[0]["UID"])
    assert str(after.events[0]["SUMMARY"]) == "Tuesday café"
    assert client.get(f"/feeds/event/{cafe.uid}.ics").status_code == 200


def test_sequence_and_last_modified_move_when_the_schedule_changes(client, cafe):
    def master():
        parsed = icalendar.Calendar.from_ical(client.get("/feeds/events.ics").content)
        return next(e for e in parsed.events if "RECURRENCE-ID" not in e)

    first = master()
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        cafe.start_time = time(18, 30)
        publish(cafe)
        second = master()
    assert second["SEQUENCE"] == first["SEQUENCE"] + 1
    assert second["LAST-MODIFIED"].dt > first["LAST-MODIFIED"].dt
    assert second["DTSTART"].dt.time() == time(18, 30)


def test_etag_answers_304_cheaply(client, cafe, django_assert_max_num_queries):
    response = client.get("/feeds/events.ics")
    etag = response["ETag"]
    assert etag and response["Last-Modified"]
    # Page privacy and the validator: the body is neither built nor read.
    with django_assert_max_num_queries(2):
        again = client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    since = client.get("/feeds/events.ics", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    group = client.get("/feeds/groups/recovery-cafe.ics")
    # Page privacy, the group, and the validator.
    with django_assert_max_num_queries(3):
        assert (
            client.get(
                "/feeds/groups/recovery-cafe.ics", HTTP_IF_NONE_MATCH=group["ETag"]
            ).status_code
            == 304
        )


def test_etag_changes_when_an_event_is_edited_or_unpublished(client, cafe, make_group):
    etag = client.get("/feeds/events.ics")["ETag"]
    with time_machine.travel(datetime(2026, 3, 1, 13, tzinfo=UTC), tick=False):
        cafe.summary = "Now with soup."
        publish(cafe)
    edited = client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=etag)
    assert edited.status_code == 200
    assert edited["ETag"] != etag
    assert b"Now with soup." in edited.content
    other = make_event(make_group(), title="Pottery", weekdays="WE")
    with_pottery = client.get("/feeds/events.ics")["ETag"]
    other.unpublish()
    assert client.get("/feeds/events.ics")["ETag"] != with_pottery


def test_private_and_draft_events_stay_out_of_feeds(client, cafe, make_group):
    from wagtail.models import PageViewRestriction

    group = make_group(title="Members only")
    hidden = make_event(group, title="Private circle")
    PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    draft = EventPage(
        title="Draft",
        summary="Not yet.",
        start_date=date(2026, 1, 6),
        frequency="weekly",
        weekdays="TU",
        live=False,
    )
    cafe.get_parent().add_child(instance=draft)
    content = client.get("/feeds/events.ics").content
    assert str(hidden.uid).encode() not in content
    assert b"Private circle" not in content and b"Draft" not in content
    assert client.get(f"/feeds/event/{hidden.uid}.ics").status_code == 404
    assert client.get(f"/feeds/event/{draft.uid}.ics").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/groups/no-such-group.ics",
        "/feeds/categories/no-such-kind.ics",
        "/feeds/event/7d1a2b3c-0000-4000-8000-000000000000.ics",
        "/feeds/event/not-a-uuid.ics",
    ],
)
def test_unknown_feed_is_404(client, cafe, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("group=nobody", "There is no group with that name"),
        ("category=%00%ff", "Null characters are not allowed"),
        ("category=%ff%fe", "There is no kind of event"),
        ("fact=wings", "Please choose from the list"),
        ("start=tomorrow", "Please give the “From” date"),
        ("start=2026-05-01&end=2026-04-01", "Please swap them"),
    ],
)
def test_malformed_filter_is_a_clear_400(client, cafe, query, message):
    response = client.get(f"/feeds/events.ics?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_post_is_refused(client, cafe):
    assert client.post("/feeds/events.ics").status_code == 405


def test_only_the_changed_event_is_written_again(client, cafe, make_group, monkeypatch):
    from events import feeds

    pottery = make_event(make_group(), title="Pottery", weekdays="WE")
    client.get("/feeds/events.ics")
    written = []
    real = feeds.series_from_event

    def spy(event, **kwargs):
        written.append(event.title)
        return real(event, **kwargs)

    monkeypatch.setattr(feeds, "series_from_event", spy)
    with time_machine.travel(datetime(2026, 3, 1, 14, tzinfo=UTC), tick=False):
        pottery.summary = "Clay, tea and conversation."
        publish(pottery)
    body = client.get("/feeds/events.ics").content.decode().replace("\r\n ", "")
    assert written == ["Pottery"]
    assert "Clay\\, tea and conversation." in body
    assert "SUMMARY:Recovery café" in body


# --- Stored feed entries: no request builds an event's VEVENTs, and none goes stale ---------


def _unfolded(client, url="/feeds/events.ics", **headers) -> str:
    return client.get(url, **headers).content.decode().replace("\r\n ", "")


def test_a_feed_is_read_from_stored_entries_in_constant_queries(
    client, cafe, make_group, monkeypatch, django_assert_num_queries
):
    from django.core.cache import cache

    from events import feeds

    for n in range(3):
        make_event(make_group(), title=f"Walk {n}", weekdays="SA")

    def refuse(*args, **kwargs):
        raise AssertionError("a stored entry was built again")

    monkeypatch.setattr(feeds, "series_from_event", refuse)
    client.get("/feeds/events.ics")  # the city's settings are made on first use
    cache.clear()
    # Page privacy, the validator, the entries, the site and the city's name.
    with django_assert_num_queries(5):
        body = _unfolded(client)
    assert body.count("BEGIN:VEVENT") == 6  # the café (with its two changed dates) + 3 walks
    monkeypatch.undo()
    for n in range(3):
        make_event(make_group(), title=f"Swim {n}", weekdays="SU")
    monkeypatch.setattr(feeds, "series_from_event", refuse)
    cache.clear()
    with django_assert_num_queries(5):
        assert _unfolded(client).count("BEGIN:VEVENT") == 9


def test_editing_a_venue_rewrites_its_events_and_moves_the_etag(client, cafe):
    first = client.get("/feeds/events.ics")
    venue = cafe.venue
    with time_machine.travel(datetime(2026, 3, 1, 15, tzinfo=UTC), tick=False):
        venue.name = "Northbridge Central Library"
        venue.save()
    again = client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["Last-Modified"] != first["Last-Modified"]
    assert "LOCATION:Northbridge Central Library" in again.content.decode().replace("\r\n ", "")


def test_editing_the_venue_a_date_moved_to_rewrites_the_series(client, cafe):
    hall = cafe.occurrence_changes.get(status="moved").new_venue
    hall.name = "Old Town Hall"
    hall.save()
    assert "LOCATION:Old Town Hall" in _unfolded(client)
    with time_machine.travel(datetime(2026, 3, 1, 15, tzinfo=UTC), tick=False):
        hall.delete()
    body = _unfolded(client)
    assert "Old Town Hall" not in body
    assert "RECURRENCE-ID" in body  # the moved date is still moved, to the event's own venue


def test_renaming_or_deleting_a_category_rewrites_its_events(client, cafe):
    category = Category.objects.get(slug="social-and-cafe")
    category.name = "Cafés and socials"
    category.save()
    assert "CATEGORIES:Cafés and socials" in _unfolded(client)
    with time_machine.travel(datetime(2026, 3, 1, 15, tzinfo=UTC), tick=False):
        category.delete()
    assert "CATEGORIES:" not in _unfolded(client)


def test_renaming_the_host_group_rewrites_its_events(client, cafe):
    group = cafe.get_parent().specific
    group.title, group.contact_email = "Northbridge Recovery Kitchen", "hello@kitchen.example"
    group.save_revision().publish()
    body = _unfolded(client)
    assert "ORGANIZER;CN=Northbridge Recovery Kitchen:mailto:hello@kitchen.example" in body


def test_moving_an_event_gives_it_its_new_group_and_url(client, cafe, make_group):
    kitchen = make_group(
        title="Recovery Kitchen", slug="recovery-kitchen", contact_email="hi@kitchen.example"
    )
    cafe.move(kitchen, pos="last-child")
    body = _unfolded(client)
    assert "/groups/recovery-kitchen/recovery-caf" in body
    assert "ORGANIZER;CN=Recovery Kitchen:mailto:hi@kitchen.example" in body
    assert EventPage.objects.get(pk=cafe.pk).group_id == kitchen.pk


def test_a_new_site_address_rewrites_every_url(client, cafe):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "events.northbridge.example", 443
    site.save()
    assert "URL:https://events.northbridge.example/groups/" in _unfolded(client)


def test_an_entry_that_no_longer_matches_its_event_is_written_again(client, cafe):
    client.get("/feeds/events.ics")
    # An edit that did not go through publishing (a script, a data migration).
    with time_machine.travel(datetime(2026, 3, 1, 16, tzinfo=UTC), tick=False):
        EventPage.objects.filter(pk=cafe.pk).update(
            summary="Soup on Tuesdays.", last_published_at=datetime.now(tz=UTC)
        )
    assert "Soup on Tuesdays." in _unfolded(client)
    entry = cafe.__class__.objects.get(pk=cafe.pk).feed_entry
    assert "Soup on Tuesdays." in entry.text.replace("\r\n ", "")


def test_a_lost_entry_is_written_again(client, cafe):
    from events.models import FeedEntry

    FeedEntry.objects.all().delete()
    assert "SUMMARY:Recovery café" in _unfolded(client)
    assert FeedEntry.objects.filter(event=cafe).exists()


def test_a_new_city_name_moves_every_feed_etag(client, cafe):
    from home.models import CitySettings

    first = client.get("/feeds/events.ics")
    settings = CitySettings.objects.get()
    with time_machine.travel(datetime(2026, 3, 1, 17, tzinfo=UTC), tick=False):
        settings.city_name = "Southbridge"
        settings.save()
    again = client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "NAME:Southbridge events" in again.content.decode()


def test_the_feed_query_rechecks_no_entry_in_python(client, cafe, monkeypatch):
    from events import feeds

    client.get("/feeds/events.ics")
    cafe.summary = "Now with soup."
    publish(cafe)

    def refuse(*args, **kwargs):
        raise AssertionError("an entry was re-checked or rebuilt on a feed request")

    monkeypatch.setattr(feeds, "entry_source", refuse)
    monkeypatch.setattr(feeds, "series_from_event", refuse)
    assert "Now with soup." in _unfolded(client)


def _rename_venue(cafe, make_group):
    cafe.venue.name = "Northbridge Central Library"
    cafe.venue.save()
    return "LOCATION:Northbridge Central Library"


def _rename_moved_to_venue(cafe, make_group):
    hall = cafe.occurrence_changes.get(status="moved").new_venue
    hall.name = "Old Town Hall"
    hall.save()
    return "LOCATION:Old Town Hall"


def _rename_category(cafe, make_group):
    category = Category.objects.get(slug="social-and-cafe")
    category.name = "Cafés and socials"
    category.save()
    return "CATEGORIES:Cafés and socials"


def _move_event(cafe, make_group):
    kitchen = make_group(title="Recovery Kitchen", slug="recovery-kitchen")
    cafe.move(kitchen, pos="last-child")
    return "/groups/recovery-kitchen/recovery-caf"


def _move_one_date(cafe, make_group):
    change = cafe.occurrence_changes.get(status="moved")
    change.new_start_time = time(17, 30)
    change.save()
    publish(EventPage.objects.get(pk=cafe.pk))
    return "20260401T173000"


@pytest.mark.parametrize(
    "change",
    [_rename_venue, _rename_moved_to_venue, _rename_category, _move_event, _move_one_date],
    ids=["venue", "moved-to venue", "category", "event moved", "one date moved"],
)
def test_a_change_gives_a_fresh_body_and_then_304_again(client, cafe, make_group, change):
    """No worker's kept body outlives a change: the old ETag gets the new body, the new one 304."""
    first = client.get("/feeds/events.ics")
    assert first.status_code == 200
    with time_machine.travel(datetime(2026, 3, 1, 15, tzinfo=UTC), tick=False):
        expected = change(cafe, make_group)
    again = client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert expected in again.content.decode().replace("\r\n ", "")
    assert expected not in first.content.decode().replace("\r\n ", "")
    assert client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
    assert client.get("/feeds/events.ics").content == again.content

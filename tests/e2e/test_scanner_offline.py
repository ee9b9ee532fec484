"""The door without signal, in Chromium: scans kept in IndexedDB, the page kept by the service
worker, and the queue sent to the server (sync.json) when the signal comes back.

These run against the real offline.json, sync.json and undo.json (issue 13's server side).
"""

from datetime import date

import pytest

from events.checkin.models import Attendance
from events.models import EventPage
from tests.factories import OccurrenceFactory, PassFactory

PASSWORD = "scan-at-the-door"
WAIT = 20_000


@pytest.fixture
def door(make_group, make_organiser):
    """An event on now, its organiser (with a password) and five participants' passes."""
    group = make_group(title="Lantern Café", slug="lantern")
    event = EventPage(
        title="Tuesday Coffee Morning",
        slug="coffee",
        summary="Coffee.",
        start_date=date(2020, 1, 7),
    )
    group.add_child(instance=event)
    event.save_revision().publish()
    organiser = make_organiser(group, "lantern-organiser")
    organiser.set_password(PASSWORD)
    organiser.save()
    names = ["Robin", "Nat", "Kit", "Ash", "Jo"]
    return {
        "event": event,
        "occurrence": OccurrenceFactory(event=event),
        "organiser": organiser,
        "passes": [PassFactory(participant__nickname=name) for name in names],
    }


def new_context(browser, width=412, height=900):
    return browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/admin/")


def scanner_url(live_server, occurrence):
    return f"{live_server.url}/checkin/o/{occurrence.pk}/scan/"


# Whether the service worker is running and has kept this page (evaluate awaits the promise).
KEPT = """async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    if (!reg || !reg.active) return false;
    const cache = await caches.open("door-pages");
    return !!(await cache.match(location.origin + location.pathname, {ignoreVary: true}));
}"""


def open_scanner(page, live_server, occurrence):
    """Open the scanner with signal and wait until it is kept for use without one."""
    page.goto(scanner_url(live_server, occurrence))
    page.evaluate("window.doorReady")
    for _ in range(100):
        if page.evaluate(KEPT):
            return
        page.wait_for_timeout(200)
    raise AssertionError("The service worker did not keep the scanner page.")


def pass_url(live_server, held):
    return f"{live_server.url}/pass/p/{held.token}/"


def type_scan(page, code):
    page.locator("#scan-code").fill(code)
    page.keyboard.press("Enter")


def list_states(page):
    return page.eval_on_selector_all(
        "[data-queue-list] li", "items => items.map(i => [i.dataset.state, i.dataset.status || ''])"
    )


def test_five_offline_scans_survive_the_tab_closing_and_are_sent_once(browser, live_server, door):
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    open_scanner(page, live_server, door["occurrence"])

    context.set_offline(True)
    for n, held in enumerate(door["passes"], start=1):
        type_scan(page, pass_url(live_server, held))
        page.wait_for_function(
            "n => document.querySelector('[data-waiting-count]').textContent === String(n)",
            arg=n,
            timeout=WAIT,
        )
        result = page.locator("#scan-result")
        assert result.get_attribute("data-outcome") == "saved"
        assert "Saved, will be sent" in result.inner_text()
    assert not Attendance.objects.exists()

    # The tab is closed, and opened again still without signal: the page and the queue are kept.
    page.close()
    page = context.new_page()
    page.goto(scanner_url(live_server, door["occurrence"]))
    page.evaluate("window.doorReady")
    assert page.locator("[data-waiting-count]").inner_text() == "5"
    assert list_states(page) == [["waiting", ""]] * 5

    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-queue-list] li[data-state=sent]').length === 5",
        timeout=WAIT,
    )
    assert sorted(list_states(page)) == [["sent", "checked_in"]] * 5
    assert page.locator("[data-waiting-box]").is_hidden()
    assert page.locator("[data-count=attendance]").inner_text() == "5"
    context.close()
    assert Attendance.objects.filter(occurrence=door["occurrence"]).count() == 5
    assert {a.participant.nickname for a in Attendance.objects.all()} == {
        "Robin",
        "Nat",
        "Kit",
        "Ash",
        "Jo",
    }

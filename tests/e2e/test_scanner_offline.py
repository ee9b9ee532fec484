"""The door without signal, in Chromium: scans kept in IndexedDB, the page kept by the service
worker, and the queue sent to the server (sync.json) when the signal comes back.

These run against the real offline.json, sync.json and undo.json (issue 13's server side).
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.checkin.models import Attendance, Method
from events.models import EventPage, Occurrence
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
        "group": group,
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
    refused = []  # whatever the Content-Security-Policy stops (the workers, the manifest)
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    log_in(page, live_server, door["organiser"].username)
    open_scanner(page, live_server, door["occurrence"])
    assert refused == []

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
    # The names came back for the screen, but the phone keeps neither them nor the passes.
    assert "Robin" in page.locator("[data-queue-list]").inner_text()
    kept = page.evaluate(
        "async () => JSON.stringify(await DoorQueue.forOccurrence("
        "Number(document.querySelector('[data-door]').dataset.occurrence)))"
    )
    assert "Robin" not in kept
    assert "/pass/p/" not in kept
    context.close()
    assert Attendance.objects.filter(occurrence=door["occurrence"]).count() == 5
    assert {a.participant.nickname for a in Attendance.objects.all()} == {
        "Robin",
        "Nat",
        "Kit",
        "Ash",
        "Jo",
    }


# Send a batch the phone sent to sync.json once more, as a retry would; give the answers and
# what the phone recorded from the first time, each as sorted [nonce, status] pairs.
RESEND = """async body => {
    const door = document.querySelector("[data-door]");
    const response = await fetch(door.dataset.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
            "Content-Type": "application/json",
            "X-CSRFToken": document.querySelector("input[name=csrfmiddlewaretoken]").value,
            "X-Scanner-Ticket": door.dataset.ticket,
        },
        body: body,
    });
    const answer = await response.json();
    const scans = await DoorQueue.forOccurrence(Number(door.dataset.occurrence));
    return {
        before: scans.map(s => [s.nonce, s.status]).sort(),
        again: answer.results.map(r => [r.nonce, r.status]).sort(),
    };
}"""


def wait_sent(page, n):
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('[data-queue-list] li[data-state=sent]').length === n",
            arg=n,
            timeout=WAIT,
        )
    except Exception:
        lines = page.locator("[data-queue-list] li").all_inner_texts()
        status = page.locator("[data-connection]").inner_text()
        raise AssertionError(f"not all sent: {lines}; {status}") from None


def test_two_phones_offline_with_the_same_three_passes_make_three_attendances(
    browser, live_server, door, make_organiser
):
    second = make_organiser(door["group"], "lantern-second")
    second.set_password(PASSWORD)
    second.save()
    phones = []
    for user in (door["organiser"], second):
        context = new_context(browser)
        page = context.new_page()
        log_in(page, live_server, user.username)
        open_scanner(page, live_server, door["occurrence"])
        context.set_offline(True)
        phones.append((context, page))
    for _context, page in phones:
        for held in door["passes"][:3]:
            type_scan(page, pass_url(live_server, held))
        page.wait_for_function(
            "() => document.querySelector('[data-waiting-count]').textContent === '3'",
            timeout=WAIT,
        )

    batches = []
    phones[0][1].on(
        "request", lambda r: batches.append(r.post_data) if r.url.endswith("/sync.json") else None
    )
    # Both phones find the signal at the same moment (the race is also run without a browser
    # in tests/events/checkin/test_concurrency.py).
    for context, _page in phones:
        context.set_offline(False)
    for _context, page in phones:
        wait_sent(page, 3)
    statuses = sorted(status for _c, page in phones for _state, status in list_states(page))
    assert statuses == ["already"] * 3 + ["checked_in"] * 3
    assert Attendance.objects.filter(occurrence=door["occurrence"]).count() == 3
    seen_twice = phones[0][1].locator("[data-queue-list] li[data-status=already]").all_inner_texts()
    seen_twice += (
        phones[1][1].locator("[data-queue-list] li[data-status=already]").all_inner_texts()
    )
    assert all("seen 2 times" in line for line in seen_twice)

    # A batch sent again answers as before and changes nothing.
    assert len(batches) == 1
    resent = phones[0][1].evaluate(RESEND, batches[0])
    assert resent["again"] == resent["before"]
    assert Attendance.objects.filter(occurrence=door["occurrence"]).count() == 3
    for context, _page in phones:
        context.close()


def test_a_scan_queued_for_a_date_whose_window_has_closed_is_refused_with_the_reason(
    browser, live_server, door
):
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    open_scanner(page, live_server, door["occurrence"])
    context.set_offline(True)
    type_scan(page, pass_url(live_server, door["passes"][0]))
    page.locator("#scan-result[data-outcome=saved]").wait_for(timeout=WAIT)
    # While the phone was without signal the date turns out to have been yesterday's: the
    # scan's time (the phone's) lies outside its window.
    yesterday = timezone.now() - timedelta(days=1)
    Occurrence.objects.filter(pk=door["occurrence"].pk).update(
        start=yesterday, end=yesterday + timedelta(hours=2)
    )
    context.set_offline(False)
    wait_sent(page, 1)
    assert list_states(page) == [["sent", "refused"]]
    line = page.locator("[data-queue-list] li").inner_text()
    assert "refused" in line
    assert "outside this date" in line
    assert not Attendance.objects.exists()
    context.close()


def test_undo_takes_back_a_check_in_online_and_a_scan_still_waiting(browser, live_server, door):
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    open_scanner(page, live_server, door["occurrence"])
    type_scan(page, pass_url(live_server, door["passes"][0]))
    page.locator("#scan-result[data-outcome=checked_in]").wait_for(timeout=WAIT)
    assert Attendance.objects.count() == 1
    page.get_by_role("button", name="Undo").click()
    page.locator("#scan-result[data-outcome=undone]").wait_for(timeout=WAIT)
    assert not Attendance.objects.exists()
    assert page.locator("[data-count=total]").inner_text() == "0"
    assert page.get_by_role("button", name="Undo").is_hidden()

    # Without signal, Undo takes the scan off the queue: the server never hears of it.
    context.set_offline(True)
    type_scan(page, pass_url(live_server, door["passes"][1]))
    page.locator("#scan-result[data-outcome=saved]").wait_for(timeout=WAIT)
    assert page.locator("[data-waiting-count]").inner_text() == "1"
    page.get_by_role("button", name="Undo").click()
    page.locator("#scan-result[data-outcome=undone]").wait_for(timeout=WAIT)
    assert "Taken off the queue" in page.locator("#scan-result").inner_text()
    assert page.locator("[data-waiting-box]").is_hidden()
    context.set_offline(False)
    page.get_by_role("button", name="Send now").wait_for(state="hidden")
    page.wait_for_timeout(500)
    assert not Attendance.objects.exists()
    context.close()


@pytest.mark.parametrize(
    ("days", "words"),
    [(2, "not open for check-in yet"), (-3, "Check-in for this date closed at")],
)
def test_the_scanner_says_plainly_when_a_date_is_not_open(browser, live_server, door, days, words):
    start = timezone.now() + timedelta(days=days)
    shut = OccurrenceFactory(event=door["event"], start=start, end=start + timedelta(hours=2))
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    page.goto(scanner_url(live_server, shut))
    assert words in page.locator("[data-window-shut]").inner_text()
    type_scan(page, pass_url(live_server, door["passes"][0]))
    page.locator("#scan-result[data-outcome=invalid]").wait_for(timeout=WAIT)
    assert words in page.locator("#scan-result").inner_text()
    assert not Attendance.objects.exists()
    context.close()


def test_the_answer_stays_in_view_on_a_360px_phone_after_a_nickname_check_in(
    browser, live_server, door
):
    robin = door["passes"][0].participant
    earlier = timezone.now() - timedelta(days=7)
    before = OccurrenceFactory(event=door["event"], start=earlier, end=earlier + timedelta(hours=2))
    Attendance.objects.create(occurrence=before, participant=robin, method=Method.SCAN)
    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    page.goto(scanner_url(live_server, door["occurrence"]))
    # The scanner's own frame: no public header, no Wagtail user bar over the buttons.
    assert page.locator(".site-header").count() == 0
    assert page.locator("wagtail-userbar, .wagtail-userbar").count() == 0
    page.fill("#search-q", "Ro")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in Robin").click()
    result = page.locator("#scan-result[data-outcome=checked_in]")
    result.wait_for(timeout=WAIT)
    assert "Robin" in result.inner_text()
    box = result.bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 640
    assert box["width"] >= 300  # full width, less its margin
    # Done: no button is left inviting a second tap.
    assert page.get_by_role("button", name="Check in Robin").count() == 0
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # At a busy door the phone can give the scanner the whole screen.
    page.get_by_role("button", name="Full screen").click()
    page.get_by_role("button", name="Leave full screen").wait_for(timeout=WAIT)
    assert page.evaluate("() => document.fullscreenElement !== null")
    context.close()


def test_scans_wait_on_the_phone_when_the_session_has_ended(browser, live_server, door):
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    open_scanner(page, live_server, door["occurrence"])
    context.set_offline(True)
    type_scan(page, pass_url(live_server, door["passes"][0]))
    page.locator("#scan-result[data-outcome=saved]").wait_for(timeout=WAIT)
    # The session ends while the phone is without signal (here: its cookie goes).
    context.clear_cookies()
    context.set_offline(False)
    link = page.locator("[data-connection] a")
    link.wait_for(timeout=WAIT)
    assert "Log in again" in link.inner_text()
    assert "/admin/login/" in link.get_attribute("href")
    assert page.locator("[data-waiting-count]").inner_text() == "1"
    assert not Attendance.objects.exists()

    # Logged in again, the scan is sent.
    log_in(page, live_server, door["organiser"].username)
    page.goto(scanner_url(live_server, door["occurrence"]))
    wait_sent(page, 1)
    assert list_states(page) == [["sent", "checked_in"]]
    assert Attendance.objects.count() == 1
    context.close()


def test_without_signal_the_page_knows_who_is_in_and_who_is_a_regular(browser, live_server, door):
    robin, nat, kit = (held.participant for held in door["passes"][:3])
    earlier = timezone.now() - timedelta(days=7)
    before = OccurrenceFactory(event=door["event"], start=earlier, end=earlier + timedelta(hours=2))
    Attendance.objects.create(occurrence=before, participant=nat, method=Method.SCAN)
    Attendance.objects.create(occurrence=door["occurrence"], participant=robin, method=Method.SCAN)
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server, door["organiser"].username)
    open_scanner(page, live_server, door["occurrence"])
    context.set_offline(True)
    expected = [
        (door["passes"][0], "already", "Was already in."),
        (door["passes"][1], "regular", "A regular: welcome back."),
        (door["passes"][2], "unknown", "Not known here"),
    ]
    for n, (held, local, words) in enumerate(expected, start=1):
        type_scan(page, pass_url(live_server, held))
        page.wait_for_function(
            "n => document.querySelector('[data-waiting-count]').textContent === String(n)",
            arg=n,
            timeout=WAIT,
        )
        result = page.locator("#scan-result")
        assert result.get_attribute("data-local") == local
        assert words in result.inner_text()
    # The pass just saved counts as in: shown again (the bare token, past the hold), it says so.
    type_scan(page, door["passes"][2].token)
    page.wait_for_function(
        "() => document.querySelector('[data-waiting-count]').textContent === '4'", timeout=WAIT
    )
    assert page.locator("#scan-result").get_attribute("data-local") == "already"
    context.close()
    assert kit.attendances.count() == 0

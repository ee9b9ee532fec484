"""The embeddable widget in a real browser: another site frames it; our other pages refuse."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from events.schedule import WEEKDAY_CODES
from tests.factories import EventPageFactory, VenueFactory


@pytest.fixture
def cafe(make_group):
    group = make_group(title="Lantern Café", slug="lantern-cafe")
    tomorrow = timezone.localdate() + timedelta(days=1)
    event = EventPageFactory(
        parent=group,
        live=False,
        title="Coffee morning",
        slug="coffee-morning",
        start_date=tomorrow,
        weekdays=WEEKDAY_CODES[tomorrow.weekday()],
        venue=VenueFactory(name="Riverside Library"),
    )
    event.save_revision().publish()
    return group


@pytest.fixture
def library_site():
    """Another site on this machine (127.0.0.1, its own port) whose page frames ours.

    A real server rather than a faked response: Chromium only lets a page on this machine be
    framed by another local page (its local-network-access checks).
    """
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], pages
    server.shutdown()
    server.server_close()


def library_page(page, live_server, library_site, path):
    """Open the library's page that frames `path` from our site."""
    port, pages = library_site
    pages["/whats-on"] = (
        '<!DOCTYPE html><html lang="en"><head><title>Library</title></head><body><main>'
        f'<h1>What is on nearby</h1><iframe src="{live_server.url}{path}" '
        'title="Next dates" width="100%" height="420"></iframe></main></body></html>'
    )
    url = f"http://127.0.0.1:{port}/whats-on"
    # Past the suite's guard against other hosts: this one is ours, for this test.
    page.route(url, lambda route: route.continue_())
    page.goto(url)


def test_another_site_can_frame_the_widget(page, live_server, library_site, cafe):
    library_page(page, live_server, library_site, "/embed/groups/lantern-cafe/")
    frame = page.frame_locator("iframe")
    assert frame.get_by_role("heading", level=1).inner_text() == "Coming up: Lantern Café"
    assert frame.get_by_text("Coffee morning").first.is_visible()
    link = frame.get_by_role("link", name="See every date")
    assert link.get_attribute("target") == "_blank"


def test_our_other_pages_refuse_to_be_framed(page, live_server, library_site, cafe):
    library_page(page, live_server, library_site, "/groups/lantern-cafe/")
    page.wait_for_timeout(500)
    framed = page.frames[1]
    # Chromium shows its own error page instead of ours: no heading of ours is there.
    assert framed.url.startswith("chrome-error:")
    assert framed.locator("h1", has_text="Lantern Café").count() == 0


def test_widget_is_accessible_on_a_small_phone(phone_page, live_server, cafe, assert_accessible):
    phone_page.goto(live_server.url + "/embed/groups/lantern-cafe/")
    assert phone_page.get_by_text("Coffee morning").first.is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    assert_accessible(phone_page)

"""Browser tests: Playwright drives the machine's Chromium against a live server.

The browser is Debian's /usr/bin/chromium (never one downloaded by a tool).
Requests to any host other than the live server are recorded and blocked, so a
test can prove that a page loads nothing from a third party.
"""

import os
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; the ORM calls our
# tests make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="session")
def playwright_instance(django_db_setup, django_db_blocker):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop, and Django then hands this thread fresh
    # connection objects; they must keep the snapshot that serialized rollback
    # restores between browser tests.
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        yield playwright


def launch_chromium(playwright, extra_args=()):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; run `bash .ci/system-deps`.")
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = launch_chromium(playwright_instance)
    yield browser
    browser.close()


class ThirdPartyGuard:
    """Blocks and remembers every request to a host other than the live server."""

    def __init__(self, allowed_netloc):
        self.allowed_netloc = allowed_netloc
        self.blocked = []

    def __call__(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == self.allowed_netloc:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    guard = ThirdPartyGuard(urlparse(live_server.url).netloc)
    context.route("**/*", guard)
    page = context.new_page()
    page.third_party_requests = guard.blocked
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A page on a small (320 px wide) phone screen."""
    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Assert that axe-core finds no WCAG 2.1 A or AA violation on the page."""

    def check(page):
        results = axe.run(page, options=WCAG_AA)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def demo_city(live_server, transactional_db):
    """The full demo city, loaded the way `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

"""The demo city's pages in a real browser: accessible, keyboard-usable, self-contained."""

import pytest

from events.models import GroupPage

PUBLIC_PAGES = {
    "home": "/",
    "standard": "/about/",
    "group index": "/groups/",
    "group": "/groups/recovery-cafe/",
    "not found": "/no-such-page/",
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_types_have_no_wcag_aa_violations(
    page, live_server, demo_city, assert_accessible, name
):
    page.goto(live_server.url + PUBLIC_PAGES[name])
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert page.third_party_requests == []


def test_main_navigation_works_by_keyboard_alone(page, live_server, demo_city):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(live_server.url + "/")
    # Tab past the skip link and the brand to the first menu link, then on to "Groups".
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Groups":
            break
    else:
        pytest.fail("The Groups link in the main menu cannot be reached with Tab.")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link must show where focus is"
    page.keyboard.press("Enter")
    page.wait_for_url("**/groups/")
    assert page.locator("h1").inner_text() == "Groups"
    assert page.locator(".card").count() == GroupPage.objects.live().count()


def test_pages_fit_a_320px_phone_without_sideways_scrolling(phone_page, live_server, demo_city):
    for path in ("/", "/groups/", "/groups/recovery-cafe/"):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 320px screen"


def test_admin_login_page_is_served(page, live_server, demo_city):
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "council")
    page.fill("input[name=password]", "recovery-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    assert "Dashboard" in page.content() or page.locator("main").count() == 1

"""Welsh and Dutch in a real browser: accessible, the right lang, a switcher for the keyboard."""

import pytest

PAGES = {
    "home": "/",
    "calendar": "/events/",
    "group index": "/groups/",
    "group": "/groups/recovery-cafe/",
    "stories": "/stories/",
    "search": "/search/?q=walk",
}


@pytest.mark.parametrize("language", ["cy", "nl"])
@pytest.mark.parametrize("name", PAGES)
def test_welsh_and_dutch_pages_are_accessible_with_their_lang(
    page, live_server, demo_city, assert_accessible, language, name
):
    page.goto(f"{live_server.url}/{language}{PAGES[name]}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert page.third_party_requests == []


def test_the_switcher_works_by_keyboard_and_keeps_the_filters(page, live_server, demo_city):
    page.goto(live_server.url + "/events/?fact=free")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "language-switcher-select":
            break
    else:
        pytest.fail("The language list cannot be reached with Tab.")
    page.keyboard.press("ArrowDown")  # English -> Cymraeg
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Change language"
    page.keyboard.press("Enter")
    page.wait_for_url("**/cy/events/?fact=free")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("#language-switcher-select").input_value() == "cy"
    assert page.locator(".language-switcher button").inner_text() == "Newid iaith"

"""The resident's phone figures, measured the way issue 15 measured them.

On the demo city at 320 px: how many screens (viewport heights) down the first event's
link starts on the calendar, with and without filters, and how many Tab presses reach it.
Run with `-s` to see the figures; the assertions hold the improvements in place.
"""

import pytest

SCREEN = {"width": 320, "height": 640}
FILTERED = "/events/?category=social-and-cafe&fact=free"


def first_event_link(page):
    return page.locator(".occurrence__title a").first


def screens_to_first_event(page, url):
    page.goto(url)
    top = page.evaluate(
        "el => el.getBoundingClientRect().top + window.scrollY",
        first_event_link(page).element_handle(),
    )
    return round(top / SCREEN["height"], 2)


def tabs_to_first_event(page, url, limit=120):
    page.goto(url)
    href = first_event_link(page).get_attribute("href")
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement && document.activeElement.closest('.occurrence__title')"
            " ? document.activeElement.getAttribute('href') : null"
        )
        if focused == href:
            return presses
    return None


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport=SCREEN, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    yield page
    context.close()


def test_first_event_is_near_the_top_at_320px(phone, live_server, demo_city):
    plain = screens_to_first_event(phone, live_server.url + "/events/")
    filtered = screens_to_first_event(phone, live_server.url + FILTERED)
    tabs = tabs_to_first_event(phone, live_server.url + "/events/")
    tabs_filtered = tabs_to_first_event(phone, live_server.url + FILTERED)
    month_height = phone.goto(live_server.url + "/events/?view=month") and phone.evaluate(
        "() => document.documentElement.scrollHeight"
    )
    phone.goto(live_server.url + "/")
    week = phone.get_by_role("heading", name="This week").first
    home_week = round(week.bounding_box()["y"] / SCREEN["height"], 2) if week.count() else None
    print(
        f"\n320px figures: screens to first event {plain} (filtered {filtered}); "
        f"Tab presses {tabs} (filtered {tabs_filtered}); month page {month_height} px "
        f"({round(month_height / SCREEN['height'], 1)} screens); "
        f"home 'This week' at {home_week} screens"
    )
    assert plain < 1
    assert filtered < 1.1
    # 18 and 21 before the language switcher (its box and its button) came into the header.
    assert tabs is not None and tabs <= 20
    assert tabs_filtered is not None and tabs_filtered <= 23
    assert month_height < 4 * SCREEN["height"]
    assert home_week is not None and home_week < 1

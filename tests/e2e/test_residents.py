"""What residents now see, in a real browser: subscribing, passes, the calendar's filters,
search, a story's crisis line and their own record to print."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import ThirdPartyGuard
from tests.e2e.test_calendar import city  # noqa: F401  (a fixture)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_subscribing_offers_one_tap_links_a_copy_button_and_one_date(page, live_server, city):  # noqa: F811
    run = city["run"]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + run.url)
    links = page.locator(".feed-links")
    # No stray list bullet before the buttons.
    assert links.locator("li").first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    google = links.get_by_role("link", name="Add to Google Calendar")
    assert google.get_attribute("href").startswith(
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F"
    )
    outlook = links.get_by_role("link", name="Add to Outlook")
    assert outlook.get_attribute("href").startswith(
        "https://outlook.live.com/calendar/0/addfromweb?url=http"
    )
    assert links.get_by_text("On an Android phone, use").is_visible()
    # The address sits in a box that fits the screen, with a working Copy button.
    address = links.locator("input.feed-links__url")
    assert address.get_attribute("readonly") is not None
    links.get_by_role("button", name="Copy the address").click()
    expect(links.locator(".feed-links__status")).to_have_text(re.compile(r"^Copied\."))
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    # "Add just this date" beside "Add the series": a file with that one date only.
    assert links.get_by_role("link", name="Add the series").is_visible()
    with page.expect_download() as download:
        links.get_by_role("link", name="Add just this date").click()
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert text.count("BEGIN:VEVENT") == 1
    assert "RRULE" not in text.split("BEGIN:VEVENT")[1]  # one date, not the series
    assert "SUMMARY:Evening run" in text
    assert page.third_party_requests == []  # plain links: nothing of Google's or Microsoft's ran


def test_on_android_the_working_choices_come_first(browser, live_server, city):  # noqa: F811
    from urllib.parse import urlparse

    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
        is_mobile=True,
    )
    context.route("**/*", ThirdPartyGuard(urlparse(live_server.url).netloc))
    phone = context.new_page()
    phone.goto(live_server.url + city["run"].url)
    first = phone.locator(".feed-links__actions > li").evaluate_all(
        "items => items.map(li => [li.className, li.getBoundingClientRect().top,"
        " li.getBoundingClientRect().left]).sort((a, b) => a[1] - b[1] || a[2] - b[2])[0][0]"
    )
    assert first == "feed-links__google"
    context.close()


def test_an_event_page_links_to_getting_a_pass(page, live_server, city):  # noqa: F811
    page.goto(live_server.url + city["coffee"].url)
    page.locator("main").get_by_role("link", name="Get a pass").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Get a check-in pass"


def test_quick_choices_and_removable_chips(page, live_server, city):  # noqa: F811
    page.goto(live_server.url + "/events/")
    assert page.locator(".occurrence__title", has_text="Coffee morning").count() > 0
    page.locator(".quick").get_by_role("link", name="Free").click()
    assert "fact=free" in page.url
    assert page.locator(".occurrence__title", has_text="Coffee morning").count() == 0
    assert page.locator(".occurrence__title", has_text="Evening run").count() > 0
    chip = page.locator(".chips a.chip", has_text="Free")
    assert chip.is_visible()
    assert "match your filters" in page.locator("#result-count").inner_text()
    chip.click()
    assert "fact=free" not in page.url
    assert page.locator(".chips").count() == 0
    assert page.locator(".occurrence__title", has_text="Coffee morning").count() > 0


def test_the_filter_boxes_line_up(page, live_server, city):  # noqa: F811
    page.goto(live_server.url + "/events/")
    page.locator(".filters-fold__summary").click()
    boxes = page.evaluate(
        """() => ['q', 'group', 'category'].map(n => {
            const r = document.querySelector(`.filters [name=${n}]`).getBoundingClientRect();
            return [Math.round(r.top), Math.round(r.height)]; })"""
    )
    assert len({top for top, _h in boxes}) == 1, boxes  # the Words box on the same line
    assert len({h for _t, h in boxes}) == 1, boxes  # and as tall as the lists beside it


def test_the_calendar_fits_360px(browser, live_server, city):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    for path in ("/events/", "/events/?view=month"):
        phone.goto(live_server.url + path)
        phone.locator(".filters-fold__summary").click()
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        words = phone.locator(".filters [name=q]").bounding_box()
        assert words["x"] >= 0 and words["x"] + words["width"] <= 360
    context.close()


def test_a_pass_from_the_header_with_roles_beside_labels_and_the_qr_above_the_fold(
    phone_page,
    live_server,
    city,  # noqa: F811
):
    phone_page.goto(live_server.url + "/events/")
    phone_page.locator(".site-header").get_by_role("link", name="Get a pass").click()
    phone_page.wait_for_url("**/pass/")
    phone_page.wait_for_load_state()  # laid out with its style sheets, before it is measured
    rows = phone_page.locator("li.check")
    for i in range(rows.count()):
        tick = rows.nth(i).locator("input").bounding_box()
        label = rows.nth(i).locator("label").bounding_box()
        assert tick["x"] < label["x"] and abs(tick["y"] - label["y"]) < 16
    phone_page.fill("#id_nickname", "Robin")
    phone_page.check("#id_consent")
    phone_page.get_by_role("button", name="Get my pass").click()
    qr = box(phone_page, ".pass-card .qr")
    assert qr["y"] >= 0 and qr["y"] + qr["height"] <= 640  # the whole code on the first screen
    # The record, to read or print.
    phone_page.get_by_role("link", name="See where you have been").click()
    phone_page.get_by_role("link", name="Read or print everything we hold about you").click()
    assert phone_page.get_by_role("heading", level=1).inner_text() == (
        "Everything we hold about Robin"
    )
    assert phone_page.locator("dd", has_text="Robin").is_visible()
    assert phone_page.get_by_role("button", name="Print this page").is_visible()
    phone_page.emulate_media(media="print")
    assert not phone_page.locator(".site-header").is_visible()
    assert not phone_page.get_by_role("button", name="Print this page").is_visible()


def test_search_from_the_header_says_what_each_result_is(page, live_server, demo_city):
    page.goto(live_server.url + "/")
    page.locator(".site-search input").fill("café")
    page.locator(".site-search").get_by_role("button", name="Search").click()
    kinds = set(page.locator(".card__meta").all_inner_texts())
    assert "Event" in kinds or "Group" in kinds, kinds
    assert not {k for k in kinds if k.endswith(" page")}, kinds
    # A story's content note comes with the city's crisis line.
    page.goto(live_server.url + "/stories/")
    page.locator(".story-card", has_text="Has a content note").first.locator("a").first.click()
    line = page.locator(".content-note .crisis-line")
    assert line.is_visible()
    assert line.get_by_role("link", name="116 123").get_attribute("href") == "tel:116123"
    assert "any time" in line.inner_text()

"""The council's figures in a real browser: changes, summary, network key, the printed report."""

import os

from playwright.sync_api import expect

from events.insights.forms import default_period, months_back


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_the_council_prints_its_report(page, live_server, demo_city, tmp_path):
    log_in(page, live_server, "council", "recovery-demo")
    # The last three whole months, compared with the three before (the demo has both).
    _start, end = default_period()
    start = months_back(end.replace(day=1), 2)
    query = f"?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    page.goto(live_server.url + "/admin/insights/" + query)
    period = page.locator(".insights-period").first.inner_text()
    assert period.startswith(f"The 3 whole months from {start:%B %Y} to {end:%B %Y}")
    assert "compares each figure with the same months just before" in period
    assert page.locator(".insights-summary").inner_text().startswith("1")  # "11 groups held…"
    reach = page.locator("table.insights-table", has_text="Dates held")
    assert reach.locator("th", has_text="Change").is_visible()
    changes = reach.locator("td.insights-table__change").all_inner_texts()
    assert any(c.startswith(("+", "−")) or c == "no change" for c in changes), changes
    # The network: coloured by kind, with a key, and the groups with no link listed.
    assert page.locator(".insights-network__node--lived").count() >= 1
    assert page.locator(".insights-network__node--civic").count() >= 1
    assert page.locator(".insights-key li").count() == 4
    assert page.get_by_role("heading", name="Groups with no link").is_visible()
    # Only strong links drawn when asked.
    all_links = page.locator(".insights-network__edge").count()
    page.goto(live_server.url + "/admin/insights/" + query + "&strength=20")
    assert 0 < page.locator(".insights-network__edge").count() < all_links
    assert page.get_by_text("The picture draws only links of 20 or more people.").is_visible()

    page.goto(live_server.url + "/admin/insights/" + query)
    page.get_by_role("link", name="A report to print").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Community figures: the whole city"
    )
    # The button is the page's script's (hidden without it): wait for the script to show it.
    expect(page.get_by_role("button", name="Print this report")).to_be_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Print this report").is_visible()
    assert page.locator("svg.insights-chart__svg").count() == 2
    assert page.locator("svg.insights-network__svg").is_visible()
    shot = os.environ.get("REPORT_SCREENSHOT") or str(tmp_path / "report.png")
    page.set_viewport_size({"width": 800, "height": 1130})  # about A4 at 96 dpi
    page.screenshot(path=shot, full_page=True)
    assert page.third_party_requests == []


def test_an_organiser_is_refused_the_report(page, live_server, demo_city):
    log_in(page, live_server, "organiser-recovery-cafe", "recovery-demo")
    page.goto(live_server.url + "/admin/insights/report/")
    assert page.get_by_role("heading", level=1).inner_text() != "Community figures: the whole city"
    assert page.locator("svg.insights-chart__svg").count() == 0
    # Their own dashboard has no link to it.
    page.goto(live_server.url + "/admin/insights/")
    assert page.get_by_role("link", name="A report to print").count() == 0

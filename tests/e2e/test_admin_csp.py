"""Finding 20: the admin under its Content-Security-Policy, in Chromium.

Wagtail's own admin still works under the tightest policy it allows (log in, edit a page,
open a chooser, save a draft, publish), and our own staff screens (community figures,
attendance) run under the strict policy with no inline script or style, and break none of it:
Chromium reports no violation on any of these pages.
"""

import pytest

from tests.factories import (
    EventPageFactory,
    GroupIndexPageFactory,
    GroupPageFactory,
    OccurrenceFactory,
    UserFactory,
)

PASSWORD = "a-long-test-password"  # noqa: S105
# Chromium fires this for every blocked script, style or load; it is sent on to the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def staff_site(home_page):
    groups = GroupIndexPageFactory(parent=home_page)
    group = GroupPageFactory(parent=groups, title="Lantern Café")
    event = EventPageFactory(parent=group, title="Coffee morning", live=False)
    event.save_revision().publish()
    occurrence = OccurrenceFactory(event=event)
    admin = UserFactory(username="csp-admin", is_superuser=True, password=PASSWORD)
    return {"event": event, "occurrence": occurrence, "admin": admin}


@pytest.fixture
def watched(page):
    """The browser page, noting each CSP message in the console and each page's policy."""
    page.csp_messages = []
    page.policies = {}

    def on_console(message):
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            page.csp_messages.append((page.url, message.text))

    def on_response(response):
        if response.request.resource_type == "document":
            page.policies[response.url] = response.headers.get("content-security-policy", "")

    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", on_console)
    page.on("response", on_response)
    return page


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def test_wagtails_admin_works_under_its_policy(watched, live_server, staff_site):
    page = watched
    _log_in(page, live_server, staff_site["admin"])
    edit = f"{live_server.url}/admin/pages/{staff_site['event'].pk}/edit/"
    page.goto(edit)
    page.wait_for_load_state("networkidle")
    policy = page.policies[edit]
    assert "script-src-attr 'none'" in policy and "style-src-attr 'none'" in policy
    assert "http" not in policy

    page.fill("#id_title", "Coffee and cake morning")
    # A chooser: its HTML comes over fetch and its scripts are run by Wagtail's modal code.
    page.locator("[data-chooser-action-choose]").first.click()
    page.locator(".modal-content").first.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    page.locator(".modal-content [data-dismiss='modal'], .modal-content .close").first.click()

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("networkidle")
    assert "has been updated" in page.locator(".messages").inner_text()
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state("networkidle")
    assert "has been published" in page.locator(".messages").inner_text()

    event = type(staff_site["event"]).objects.get(pk=staff_site["event"].pk)
    assert event.title == "Coffee and cake morning" and event.live
    assert page.csp_messages == []


def test_our_staff_screens_run_under_the_strict_policy(watched, live_server, staff_site):
    page = watched
    _log_in(page, live_server, staff_site["admin"])
    occurrence = staff_site["occurrence"]
    screens = [
        "/admin/insights/",
        f"/admin/insights/?group={staff_site['event'].group_id}",
        "/checkin/",
        f"/checkin/o/{occurrence.pk}/attendance/",
        f"/checkin/o/{occurrence.pk}/door-pass/",
    ]
    for path in screens:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        policy = page.policies[live_server.url + path]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy, path
        assert "unsafe-inline" not in policy, path
    assert page.csp_messages == []

"""A warm introduction, end to end in Chromium: a navigator makes it on a phone; the
invitation's QR code (decoded by zbar) is the pass the organiser scans with the camera; the
scanner shows the person expected, then "came"; the navigator's list shows "came".
"""

import io
import shutil
import subprocess
from datetime import date
from urllib.parse import urlparse

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from events.checkin.models import Attendance
from events.introductions.models import Introduction
from events.introductions.services import navigator_organisation_create
from events.models import EventPage, GroupKind
from tests.e2e.conftest import ThirdPartyGuard, launch_chromium
from tests.factories import OccurrenceFactory, UserFactory

PASSWORD = "introduce-at-the-door"


@pytest.fixture
def city(make_group, make_organiser):
    group = make_group(title="Lantern Café", slug="lantern", kind=GroupKind.COMMUNITY)
    event = EventPage(
        title="Tuesday Coffee Morning",
        slug="coffee",
        summary="Coffee.",
        start_date=date(2020, 1, 7),
    )
    group.add_child(instance=event)
    event.save_revision().publish()
    organiser = make_organiser(group, "lantern-organiser")
    probation = navigator_organisation_create(
        organisation=make_group(
            title="Pathways Probation", slug="pathways", kind=GroupKind.PROBATION
        )
    )
    navigator = UserFactory(username="navigator-nia")
    navigator.groups.add(probation.navigators)
    for user in (organiser, navigator):
        user.set_password(PASSWORD)
        user.save()
    return {"occurrence": OccurrenceFactory(event=event), "organiser": organiser}


def log_in(page, live_server, username, then):
    page.goto(f"{live_server.url}/admin/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"**{then}*")


def video_of(png: bytes, tmp_path):
    (tmp_path / "pass.png").write_bytes(png)
    video = tmp_path / "pass.y4m"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(tmp_path / "pass.png"),
         "-vf", "scale=480:480,pad=640:480:80:0:white,format=yuv420p", "-t", "3", "-r", "15",
         str(video)],
        check=True,
    )  # fmt: skip
    return video


def test_a_navigator_introduces_jay_and_the_door_confirms_it(
    playwright_instance, live_server, city, tmp_path
):
    if not shutil.which("ffmpeg"):
        pytest.fail("ffmpeg is not installed; run `bash .ci/system-deps`.")
    occurrence = city["occurrence"]
    guard = ThirdPartyGuard(urlparse(live_server.url).netloc)
    browser = launch_chromium(playwright_instance)
    try:
        phone = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
        phone.route("**/*", guard)
        page = phone.new_page()
        log_in(page, live_server, "navigator-nia", "/introductions/")
        page.get_by_role("link", name="Introduce someone").click()
        page.locator(f"a[href$='?occurrence={occurrence.pk}']").click()
        page.fill("#id_chosen_name", "Jay")
        page.fill("#id_note", "A bit nervous; likes to sit near the door.")
        page.check("#id_consent")
        page.get_by_role("button", name="Make the introduction").click()
        page.wait_for_url("**/introductions/*/?made=1")
        page.get_by_role("link", name="Open the invitation").click()
        assert "Jay, you are invited" in page.inner_text("h1")
        png_url = page.get_attribute("a[download]", "href")
        png = page.request.get(live_server.url + png_url).body()
        (found,) = decode(Image.open(io.BytesIO(png)))
        scanned = found.data.decode()
        introduction = Introduction.objects.get()
        held = introduction.participant.passes.get()
        assert scanned.endswith(f"/pass/p/{held.token}/")
    finally:
        browser.close()

    video = video_of(png, tmp_path)
    door_browser = launch_chromium(
        playwright_instance,
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = door_browser.new_context(viewport={"width": 412, "height": 900}, locale="en-GB")
        context.route("**/*", guard)
        context.grant_permissions(["camera"], origin=live_server.url)
        door = context.new_page()
        scanner = f"/checkin/o/{occurrence.pk}/scan/"
        log_in(door, live_server, "lantern-organiser", scanner)
        expected = door.locator(f"[data-expected-introduction='{introduction.pk}']")
        assert "Jay" in expected.inner_text() and "Expected" in expected.inner_text()
        assert "introduced by Pathways Probation" in expected.inner_text()
        result = door.locator("#scan-result[data-outcome=checked_in]")
        result.wait_for(timeout=20_000)
        assert "Jay is here: introduced by Pathways Probation." in result.inner_text()
        came = expected.locator("[data-came]")
        came.filter(has_text="Came").wait_for(timeout=10_000)
    finally:
        door_browser.close()
    assert Attendance.objects.get().participant == introduction.participant

    browser = launch_chromium(playwright_instance)
    try:
        page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
        log_in(page, live_server, "navigator-nia", "/introductions/")
        row = page.locator(f"[data-introduction='{introduction.pk}']")
        assert "Came" in row.inner_text()
    finally:
        browser.close()
    assert guard.blocked == []

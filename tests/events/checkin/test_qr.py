"""The QR codes the app makes are read by a real decoder (zbar) back to what scans."""

import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from pyzbar.pyzbar import decode

from events.checkin.models import Attendance
from events.checkin.qr import qr_png

pytestmark = pytest.mark.django_db


def zbar(png: bytes) -> str:
    found = decode(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    return found[0].data.decode()


def test_the_pass_png_decodes_to_a_url_the_scanner_accepts(
    client, occurrence, organiser, held_pass
):
    png = client.get(reverse("checkin:pass_png", args=[held_pass.token]))
    assert png["Content-Type"] == "image/png"
    url = zbar(png.content)
    assert url == f"http://testserver/pass/p/{held_pass.token}/"
    client.force_login(organiser)
    response = client.post(
        reverse("checkin:scan_json", args=[occurrence.pk]),
        json.dumps({"code": url}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "checked_in"
    assert Attendance.objects.get().participant == held_pass.participant


def test_the_svg_on_the_card_encodes_the_same_url(client, held_pass):
    import subprocess
    import tempfile

    from events.checkin.views.passes import PASS_COOKIE, PASS_COOKIE_SALT

    response = client.get("/")
    response.set_signed_cookie(PASS_COOKIE, held_pass.token, salt=PASS_COOKIE_SALT)
    client.cookies[PASS_COOKIE] = response.cookies[PASS_COOKIE].value
    html = client.get(reverse("checkin:pass_mine")).content.decode()
    svg = html[html.index('<svg class="qr"') : html.index("</svg>") + 6]
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/card.svg"
        with open(path, "w") as handle:
            handle.write(svg.replace("<svg ", '<svg width="400" height="400" ', 1))
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-i", path, f"{folder}/card.png"], check=False
        )
        try:
            png = Path(f"{folder}/card.png").read_bytes()
        except FileNotFoundError:
            pytest.skip("this ffmpeg cannot rasterise SVG")
    assert zbar(png) == f"http://testserver/pass/p/{held_pass.token}/"


def test_a_png_of_unknown_token_is_404(client, held_pass):
    assert (
        client.get(reverse("checkin:pass_png", args=[held_pass.token[:-2] + "zz"])).status_code
        == 404
    )


def test_qr_png_round_trips_long_urls():
    url = "https://recovery.example.org/pass/p/" + "A" * 22 + ":" + "b" * 43 + "/"
    assert zbar(qr_png(url)) == url

"""The scanner as an app: its service worker and manifest, and the page's own reading of a
pass (static/js/checkin/offline.js), which must agree with the server's to the character."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from events.checkin.services.offline import pass_digest, pass_id_of
from home.middleware import build_csp

OFFLINE_JS = Path(settings.BASE_DIR) / "static" / "js" / "checkin" / "offline.js"
TOKEN = "AbCdEfGhIjKlMnOpQrStUv:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def test_the_service_worker_is_javascript_for_the_checkin_scope(client):
    response = client.get(reverse("checkin:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    # It is served from /checkin/, so its scope may be /checkin/ without Service-Worker-Allowed.
    assert reverse("checkin:service_worker").rsplit("/", 1)[0] + "/" == reverse("checkin:dashboard")
    shell = json.loads(body.split("var SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/static/js/checkin/scanner.js" in shell
    assert "/static/vendor/jsqr/dist/jsQR.js" in shell
    assert 'self.addEventListener("fetch"' in body


def test_every_file_the_service_worker_keeps_is_served(client):
    body = client.get(reverse("checkin:service_worker")).content.decode()
    shell = json.loads(body.split("var SHELL = ", 1)[1].split(";\n", 1)[0])
    from django.contrib.staticfiles import finders

    for url in shell:
        if url.startswith(settings.STATIC_URL):
            name = url[len(settings.STATIC_URL) :]
            assert finders.find(name), f"{name} is kept by the worker but not a static file"
        else:
            assert client.get(url).status_code == 200


def test_the_manifest_installs_the_scanner_standalone(client):
    response = client.get(reverse("checkin:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == reverse("checkin:dashboard")
    assert manifest["icons"] and manifest["name"]


def test_the_policy_lets_the_scanner_run_its_workers_and_manifest_from_our_own_origin():
    """worker-src and manifest-src fall back to script-src and default-src: both 'self'."""
    policy = settings.CONTENT_SECURITY_POLICY
    worker = policy.get("worker-src") or policy.get("child-src") or policy["script-src"]
    manifest = policy.get("manifest-src") or policy["default-src"]
    assert worker == ["'self'"]
    assert manifest == ["'self'"]
    assert "unsafe" not in build_csp(policy)


CODES = [
    TOKEN,
    f"  {TOKEN}  ",
    f"http://127.0.0.1:8000/pass/p/{TOKEN}/",
    f"https://irc.example/pass/p/{TOKEN}",
    f"https://irc.example/pass/p/{TOKEN.replace(':', '%3A')}/",
    f"/pass/p/{TOKEN}/",
    f"pass/p/{TOKEN}/",
    f"https://irc.example/checkin/e/{TOKEN}/",
    f"https://irc.example/pass/p/{TOKEN}/?x=1#y",
    "AbC:short",
    "no colon here at all",
    "",
    "x" * 501,
    "https://irc.example/elsewhere/",
    "Ab+Cd:abcdefghijklmnopqrstuvwxyz",
]


@pytest.mark.skipif(not shutil.which("node"), reason="needs node (it comes with npm)")
def test_the_page_reads_the_pass_id_and_its_digest_as_the_server_does():
    salt = "00112233445566778899aabbccddeeff"
    script = f"""
    global.window = {{}};
    require({json.dumps(str(OFFLINE_JS))});
    const O = window.DoorOffline;
    const codes = {json.dumps(CODES)};
    (async () => {{
      const key = await O.digestKey({json.dumps(salt)});
      const out = [];
      for (const code of codes) {{
        const id = O.passIdOf(code);
        out.push([id, id ? await O.digest(key, id) : null]);
      }}
      console.log(JSON.stringify(out));
    }})();
    """
    run = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    page = json.loads(run.stdout)
    server = [
        [pass_id_of(code), pass_digest(salt, pass_id_of(code)) if pass_id_of(code) else None]
        for code in CODES
    ]
    assert page == server
    assert pass_digest(salt, "AbCdEfGhIjKlMnOpQrStUv") == "27f7052794cbb08a"

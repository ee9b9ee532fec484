"""Finding 8: no log line holds a private token, a private path or a client's address.

The requests that log (a 404, a 400, a refused CSRF check) are made for real, and what the
configured handlers write (the production settings' LOGGING; test.py does not change it) is
read back as the text a log would keep.
"""

import contextlib
import io
import logging
import re
import runpy
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from home.log_redaction import REDACTED, RedactPrivatePaths, redact

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def written():
    """Give a function returning what the configured, redacting handlers have written."""
    streams, previous = [], []
    for logger in (logging.getLogger(), logging.getLogger("django.server")):
        for handler in logger.handlers:
            if any(isinstance(f, RedactPrivatePaths) for f in handler.filters):
                stream = io.StringIO()
                previous.append((handler, handler.setStream(stream)))
                streams.append(stream)
    assert len(streams) == 2, "both the console and the runserver handler redact"
    yield lambda: "".join(stream.getvalue() for stream in streams)
    for handler, stream in previous:
        handler.setStream(stream)


@pytest.fixture
def held_pass(db):
    from events.checkin.services.lifecycle import participant_create

    return participant_create(nickname="Robin")


def test_a_missing_story_link_is_logged_without_its_token(client, home_page, written):
    token = "Xq3-private-story-token-9f8e7d6c5b4a"
    assert client.get(f"/stories/mine/{token}/").status_code == 404
    log = written()
    assert f"Not Found: /stories/mine/{REDACTED}" in log
    assert token not in log


def test_a_bad_request_on_a_pass_link_is_logged_without_its_token(
    client, home_page, held_pass, written
):
    response = client.post(f"/pass/p/{held_pass.token}/", {"code": "WRONG123"})
    assert response.status_code == 400
    log = written()
    assert f"Bad Request: /pass/p/{REDACTED}" in log
    assert held_pass.token not in log
    assert held_pass.token.split(":")[0] not in log


def test_a_refused_csrf_check_on_a_pass_link_is_logged_without_its_token(
    home_page, held_pass, written
):
    response = Client(enforce_csrf_checks=True).post(f"/pass/p/{held_pass.token}/", {})
    assert response.status_code == 403
    log = written()
    assert "Forbidden (CSRF" in log
    assert held_pass.token not in log


def test_a_forged_self_checkin_link_is_logged_without_its_token(client, home_page, written):
    token = "123:forged-poster-signature-abcdefghijkl"
    assert client.get(f"/checkin/e/{token}/").status_code == 404
    log = written()
    assert f"Not Found: /checkin/e/{REDACTED}" in log
    assert "forged-poster-signature" not in log


def test_an_error_traceback_quoting_a_token_is_redacted(written):
    try:
        raise ValueError("could not read /pass/p/abc:secret-signature-1234567890/")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /pass/p/abc:sig/")
    log = written()
    assert "ValueError" in log
    assert "secret-signature" not in log
    assert "abc:sig" not in log


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_development_server_logs_request_lines_without_tokens_or_queries(home_page, written):
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())  # not get_wsgi_application(): it sets logging up anew
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for path in (
            "/pass/p/abc:forged-pass-signature-123456789/qr.png",
            "/pass/%70/abc:forged-pass-signature-123456789/qr.png",  # percent-encoded "p"
            "/search/?q=Robin+Nickname",
        ):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)  # noqa: S310
    finally:
        server.shutdown()
        server.server_close()
    log = written()
    assert log.count("GET /pass/p/<private>") == 2, log
    assert "/search/?<private>" in log
    assert "forged-pass-signature" not in log
    assert "Robin" not in log


def _gunicorn_logger(capsys, **overrides):
    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        cfg.set(name, overrides.get(name, conf[name]))
    capsys.readouterr()
    return cfg.logger_class(cfg)


GUNICORN_REQUEST = {
    "REQUEST_METHOD": "GET",
    "RAW_URI": "/pass/p/abc:gunicorn-secret-signature-12345/?next=/checkin/e/x:y/",
    "PATH_INFO": "/pass/p/abc:gunicorn-secret-signature-12345/",
    "QUERY_STRING": "next=/checkin/e/x:y/",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "192.0.2.44",
    "HTTP_REFERER": "https://recovery.example/stories/mine/story-secret-token/",
}


def _access(logger):
    response = SimpleNamespace(status="404 Not Found", headers=[], sent=12)
    logger.access(response, SimpleNamespace(headers=[]), GUNICORN_REQUEST, timedelta(0, 0, 3000))


def test_gunicorns_access_log_format_names_no_path_and_no_address(capsys):
    _access(_gunicorn_logger(capsys))
    line = capsys.readouterr().out
    assert line.strip() == "GET 404 12 3ms"


def test_gunicorn_redacts_even_a_format_that_names_the_path(capsys):
    logger = _gunicorn_logger(capsys, access_log_format='"%(r)s" %(U)s %(q)s "%(f)s"')
    _access(logger)
    logger.exception("Error handling request %s %s", "GET", GUNICORN_REQUEST["RAW_URI"])
    logger.warning("Invalid request from ip=192.0.2.44: Invalid HTTP request line: ''")
    written = capsys.readouterr()
    log = written.out + written.err
    assert "GET /pass/p/<private>" in log
    for secret in ("gunicorn-secret", "story-secret-token", "x:y", "192.0.2.44"):
        assert secret not in log, log


def _private_routes():
    """Give every route of the URLconf that carries a credential in its path."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [
        route
        for route in walk(get_resolver().url_patterns)
        if re.search(r"<(?:\w+:)?\w*(?:token|uidb64|key)\w*>", route)
    ]


def test_every_route_carrying_a_token_is_redacted():
    routes = _private_routes()
    assert len(routes) >= 5, routes  # pass, its PNG, self check-in, story link, reset
    for route in routes:
        path = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda m: (
                f"Secret{m.group(1)}" if "token" in m.group(1) or "uid" in m.group(1) else "7"
            ),
            route,
        )
        assert "Secret" not in redact(f"Not Found: {path}"), route


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not Found: /stories/mine/abc/", "Not Found: /stories/mine/<private>"),
        ('"GET /pass/p/a:b/qr.png HTTP/1.1" 404', '"GET /pass/p/<private> HTTP/1.1" 404'),
        ("GET /PASS/P/a:b/", "GET /PASS/P/<private>"),
        (
            "GET /checkin/o/3/search/?q=Robin HTTP/1.1",
            "GET /checkin/o/3/search/?<private> HTTP/1.1",
        ),
        ("Not Found: /events/", "Not Found: /events/"),
        ("Why? Because.", "Why? Because."),
        ("Invalid request from ip=::1: bad", "Invalid request from ip=<private>: bad"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected

"""Fetching a calendar: only http(s), limited in size and time, never a private address."""

import socket

import pytest

from events.ics_import.fetch import FetchError, fetch_calendar

from .sample import SAMPLE


@pytest.fixture
def loopback_allowed(settings):
    settings.ICS_IMPORT_ALLOW_LOOPBACK = True


def test_loopback_is_refused_by_default(web, settings):
    assert not getattr(settings, "ICS_IMPORT_ALLOW_LOOPBACK", False)
    with pytest.raises(FetchError, match="private network"):
        fetch_calendar(web.url("/cafe.ics"))


def test_the_setting_allows_the_tests_own_server(web, loopback_allowed):
    fetched = fetch_calendar(web.url("/cafe.ics"))
    assert fetched.data == SAMPLE


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/cal.ics",
        "gopher://example.org/",
        "javascript:alert(1)",
        "/just/a/path.ics",
        "cal.ics",
        "",
    ],
)
def test_other_schemes_are_refused(url, loopback_allowed):
    with pytest.raises(FetchError, match="https://|host name"):
        fetch_calendar(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/cal.ics",
        "http://172.16.5.4/cal.ics",
        "http://192.168.1.1/cal.ics",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://0.0.0.0/cal.ics",
        "http://[fd00::1]/cal.ics",
        "http://[fe80::1]/cal.ics",
        "http://[::ffff:10.0.0.1]/cal.ics",
        "http://100.64.0.1/cal.ics",
        "http://224.0.0.1/cal.ics",
    ],
)
def test_private_link_local_and_reserved_addresses_are_refused(url, loopback_allowed):
    # Refused before any connection is tried, even with loopback allowed.
    with pytest.raises(FetchError, match="private network"):
        fetch_calendar(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/cal.ics", "http://localhost/cal.ics", "http://[::1]/cal.ics"]
)
def test_loopback_names_and_addresses_are_refused_in_production(url):
    with pytest.raises(FetchError, match="private network"):
        fetch_calendar(url)


def test_a_name_with_any_private_address_is_refused(monkeypatch, loopback_allowed):
    def resolve(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchError, match="private network"):
        fetch_calendar("https://calendar.example.org/cal.ics")


def test_a_redirect_is_checked_again(web, loopback_allowed):
    web.route("/go-inside", status=302, headers={"Location": "http://10.0.0.7/admin.ics"})
    web.route("/go-file", status=301, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="private network"):
        fetch_calendar(web.url("/go-inside"))
    with pytest.raises(FetchError, match="https://"):
        fetch_calendar(web.url("/go-file"))


def test_a_redirect_to_an_allowed_address_is_followed(web, loopback_allowed):
    web.route("/old.ics", status=301, headers={"Location": "/cafe.ics"})
    fetched = fetch_calendar(web.url("/old.ics"))
    assert fetched.data == SAMPLE and fetched.url.endswith("/cafe.ics")


def test_endless_redirects_stop(web, loopback_allowed):
    web.route("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="too many times"):
        fetch_calendar(web.url("/loop"))


def test_too_big_is_refused_by_its_length_or_by_what_arrives(web, loopback_allowed):
    web.route("/big", headers={"Content-Length": str(10_000)}, body=b"x" * 10_000)
    web.route("/big-unsaid", body=b"x" * 300_000)  # no Content-Length: counted as it comes
    for path in ("/big", "/big-unsaid"):
        with pytest.raises(FetchError, match="larger than"):
            fetch_calendar(web.url(path), max_bytes=5_000)


def test_a_slow_server_times_out(web, loopback_allowed):
    web.route("/slow", body=SAMPLE, delay=2.0)
    with pytest.raises(FetchError, match="too long"):
        fetch_calendar(web.url("/slow"), timeout=0.5)


def test_an_error_answer_says_what_it_was(web, loopback_allowed):
    with pytest.raises(FetchError, match="404"):
        fetch_calendar(web.url("/missing.ics"))


def test_an_unknown_host_is_named(loopback_allowed):
    with pytest.raises(FetchError, match="could not find"):
        fetch_calendar("https://no-such-host.invalid/cal.ics")


def test_webcal_is_read_as_https(monkeypatch):
    seen = {}

    def resolve(host, port, *args, **kwargs):
        seen["port"] = port
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchError):
        fetch_calendar("webcal://calendar.example.org/cal.ics")
    assert seen["port"] == 443


def test_a_server_dripping_its_answer_stops_at_the_deadline(web, loopback_allowed):
    import time

    from .conftest import _Handler

    class Drip(_Handler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.end_headers()
            for _n in range(20):
                self.wfile.write(b"BEGIN:VCALENDAR\r\n")
                self.wfile.flush()
                time.sleep(0.2)

    web.handler_class(Drip)
    began = time.monotonic()
    with pytest.raises(FetchError, match="too long"):
        fetch_calendar(web.url("/drip"), timeout=1.0)
    assert time.monotonic() - began < 2.5

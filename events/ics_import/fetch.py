"""Fetch a group's calendar from the address they give, safely.

Only http and https; at most ``MAX_BYTES`` and ``TIMEOUT`` seconds in all; at most
``MAX_REDIRECTS`` redirects, each checked as the first address was. The host is resolved
here and every address it has must be a public one (no private, loopback, link-local,
multicast or reserved address), and the connection goes to the address we checked, so a
name that resolves differently a moment later cannot lead us inside the network. Loopback
is allowed only when ``settings.ICS_IMPORT_ALLOW_LOOPBACK`` says so (the tests' own server).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .parse import MAX_BYTES

TIMEOUT = 10.0
MAX_REDIRECTS = 3
USER_AGENT = "InclusiveRecoveryCity-calendar-import/1"


class FetchError(ValueError):
    """The calendar could not be fetched: the message says why and what to do next."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Fetched:
    url: str  # where it came from in the end (after redirects)
    data: bytes


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return bool(settings.ICS_IMPORT_ALLOW_LOOPBACK)
    return address.is_global and not address.is_multicast


def _target(url: str) -> tuple[str, str, int, str, str]:
    """Give (scheme, host, port, path, checked address) or raise FetchError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchError(_("This is not a web address we can read. Please check it.")) from error
    scheme = parts.scheme.lower()
    if scheme == "webcal":
        scheme = "https"  # calendar apps' name for a subscription over https
    if scheme not in ("http", "https"):
        raise FetchError(
            _("Please give an address starting with https:// (or http://, or webcal://).")
        )
    host = parts.hostname
    if not host:
        raise FetchError(_("This address has no host name. Please check it."))
    if parts.username or parts.password:
        raise FetchError(_("Please give the calendar's address without a user name or password."))
    port = port or (443 if scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            _("We could not find the computer “%(host)s”. Please check the address.")
            % {"host": host}
        ) from error
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in found}
    if not addresses or not all(_allowed(a) for a in addresses):
        raise FetchError(
            _(
                "This address leads inside a private network, which we do not fetch from. "
                "Please give your calendar's public address, or download it and upload the file."
            )
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, path, str(sorted(addresses, key=str)[0])


class _HTTPConnection(http.client.HTTPConnection):
    """Connects to the address checked, whatever the name resolves to now."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _timed_out() -> FetchError:
    return FetchError(
        _("Your calendar took too long to answer. Please try again, or upload the file.")
    )


def fetch_calendar(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """Give the calendar at `url` (see the module docstring), or raise FetchError."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path, address = _target(url)
        left = deadline - time.monotonic()
        if left <= 0:
            raise _timed_out()
        kind = _HTTPSConnection if scheme == "https" else _HTTPConnection
        connection = kind(host, port, address, timeout=min(left, timeout))
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/calendar, */*;q=0.5",
                    "Accept-Encoding": "identity",
                },
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(_("Your calendar's address sent us on without saying where."))
                url = urljoin(f"{scheme}://{host}:{port}{path}", location)
                continue
            if response.status != 200:
                raise FetchError(
                    _(
                        "Your calendar's address answered “%(status)s %(reason)s”. Please "
                        "check it is the iCal address and that it is public."
                    )
                    % {"status": response.status, "reason": response.reason}
                )
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_big(max_bytes)
            chunks, size = [], 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _timed_out()
                if connection.sock is not None:
                    # A server sending a byte now and then still ends at the deadline.
                    connection.sock.settimeout(left)
                chunk = response.read1(64 * 1024)  # what has come, not a full 64 KB
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise _too_big(max_bytes)
                chunks.append(chunk)
            return Fetched(url=url, data=b"".join(chunks))
        except TimeoutError as error:
            raise _timed_out() from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(
                _("We could not fetch your calendar (%(why)s). Please check the address.")
                % {"why": error.__class__.__name__}
            ) from error
        finally:
            connection.close()
    raise FetchError(_("Your calendar's address sent us on too many times. Please check it."))


def _too_big(max_bytes: int) -> FetchError:
    return FetchError(
        _("This calendar is larger than %(mb)s MB. Please import a shorter period.")
        % {"mb": max_bytes // (1024 * 1024)}
    )

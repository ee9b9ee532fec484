"""The client behind a known number of trusted proxies, grouped as addresses are handed out."""

import pytest

from home.client_address import address_group, client_address


@pytest.mark.parametrize(
    ("node", "group"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("198.51.100.7:4711", "198.51.100.7"),
        ("2001:db8:aa:1:2:3:4:5", "2001:db8:aa:1::/64"),
        ("[2001:db8:aa:1::9]:443", "2001:db8:aa:1::/64"),
        ('"[2001:DB8:AA:1::9]"', "2001:db8:aa:1::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),  # IPv4 written as IPv6 is the IPv4 address
        (" 198.51.100.7 ", "198.51.100.7"),
        ("unknown", "unknown"),
        ("_Hidden", "_hidden"),
    ],
)
def test_address_group(node, group):
    assert address_group(node) == group


XFF = "X-Forwarded-For"


@pytest.mark.parametrize(
    ("remote", "value", "header", "proxies", "client"),
    [
        # No trusted proxy: whatever the client wrote is ignored.
        ("203.0.113.9", "192.0.2.1", XFF, 0, "203.0.113.9"),
        # One proxy: the entry it appended, not what the client put before it.
        ("10.0.0.1", "198.51.100.7", XFF, 1, "198.51.100.7"),
        ("10.0.0.1", "192.0.2.1, 192.0.2.2, 198.51.100.7", XFF, 1, "198.51.100.7"),
        # Two proxies (a CDN in front of the TLS proxy): two in from the right.
        ("10.0.0.1", "192.0.2.1, 198.51.100.7, 10.0.0.2", XFF, 2, "198.51.100.7"),
        # Fewer entries than proxies (a request that came round them): the furthest one seen.
        ("10.0.0.1", "198.51.100.7", XFF, 3, "198.51.100.7"),
        ("203.0.113.9", "", XFF, 1, "203.0.113.9"),
        # RFC 7239 Forwarded.
        (
            "10.0.0.1",
            'for=192.0.2.1, for="[2001:db8:cafe::17]:4711";proto=https',
            "Forwarded",
            1,
            "2001:db8:cafe::/64",
        ),
        ("10.0.0.1", "for=198.51.100.7;by=10.0.0.1", "Forwarded", 1, "198.51.100.7"),
    ],
)
def test_client_address(remote, value, header, proxies, client):
    assert (
        client_address(
            remote_addr=remote, header_value=value, header=header, trusted_proxies=proxies
        )
        == client
    )

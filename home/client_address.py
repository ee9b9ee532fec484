"""Which client sent a request, behind a known number of trusted proxies (pure, no Django).

Behind a TLS proxy REMOTE_ADDR is the proxy, so every visitor would share one rate limit.
Each trusted proxy appends the address it saw to X-Forwarded-For (or Forwarded), so the
client is found by counting that many entries in from the right; anything further left was
written by the client and may be made up. With no trusted proxy the headers are ignored.

Addresses are grouped the way they are handed out: one IPv4 address, or one IPv6 /64 (the
block a single home or phone gets), so rotating through a /64 does not dodge a limit.
"""

import ipaddress

HEADERS = ("X-Forwarded-For", "Forwarded")


def _forwarded_for(value: str) -> list[str]:
    """Give the `for=` node of each element of an RFC 7239 Forwarded header, in order."""
    nodes = []
    for element in value.split(","):
        node = ""
        for pair in element.split(";"):
            name, _eq, token = pair.strip().partition("=")
            if name.lower() == "for":
                node = token.strip().strip('"')
        nodes.append(node)
    return nodes


def _address(node: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Give the IP address in a header node ("198.51.100.7:4711", "[2001:db8::1]:80"), if any."""
    node = node.strip().strip('"')
    if node.startswith("["):
        node = node[1:].partition("]")[0]
    elif node.count(":") == 1:  # IPv4 with a port
        node = node.partition(":")[0]
    try:
        address = ipaddress.ip_address(node.partition("%")[0])  # drop an IPv6 zone
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_group(node: str) -> str:
    """Give the group a client address counts in: the IPv4 address itself, or its IPv6 /64."""
    address = _address(node)
    if address is None:
        # Not an address ("unknown", an obfuscated node): counted on its own, as written.
        return node.strip().lower()[:100]
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_address(
    *, remote_addr: str, header_value: str, header: str, trusted_proxies: int
) -> str:
    """Give the client's address group, trusting only the last `trusted_proxies` hops."""
    if trusted_proxies <= 0 or not header_value:
        return address_group(remote_addr)
    if header == "Forwarded":
        hops = _forwarded_for(header_value)
    else:
        hops = [hop.strip() for hop in header_value.split(",")]
    chain = [*hops, remote_addr]
    # The nearest proxy is REMOTE_ADDR; each trusted proxy before it added one entry.
    return address_group(chain[max(0, len(chain) - 1 - trusted_proxies)])

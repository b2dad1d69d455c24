"""Which network addresses a webhook may be delivered to: public unicast ones only.

An endpoint URL is chosen by a customer, so without this rule a delivery could be pointed at our
own network: the cloud metadata service (169.254.169.254), Redis or PostgreSQL on a private
address, an admin page on loopback. Python's `is_global` alone is not enough: it calls multicast
addresses global, and it judges an IPv6 address that carries an IPv4 one (IPv4-mapped
`::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) by its IPv6 wrapper rather than by the
IPv4 address the packets actually reach.
"""

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for, if it is a translation or tunnel form."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def _kind(address: IPAddress) -> str:
    """A word for why an address is not public, for the delivery log; '' if it is public."""
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_reserved:
        return "reserved"
    if address.is_private or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local):
        return "private"
    if not address.is_global:
        return "not public"
    return ""


def refusal(address: str) -> str:
    """Why Warmpath must not connect to `address` ('loopback', 'private', …), or '' if it may.
    An unparsable address is refused."""
    try:
        parsed: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # drop a scope id
    except ValueError:
        return "not an IP address"
    if isinstance(parsed, ipaddress.IPv6Address):
        carried = _carried_ipv4(parsed)
        if carried is not None:
            kind = _kind(carried)
            return f"{kind}, as {carried}" if kind else ""
    return _kind(parsed)

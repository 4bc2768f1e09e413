"""Which addresses a fetch of a user-supplied URL may reach: public ones, and the allow-list.

:class:`FetchPolicy` is what :func:`wxops.sources.fetching.fetch` asks at connect time, for
every address a host resolves to, on every redirect hop. :func:`is_public` is the rule:
globally routable unicast only — loopback, private, link-local (169.254.169.254), shared,
multicast, reserved and unspecified addresses are refused, IPv4 and IPv6, and IPv6
addresses that carry an IPv4 address (mapped, NAT64, 6to4) are judged by that address.
No Django imports.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_DEADLINE_SECONDS = 30.0

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen.setdefault(sockaddr[0], None)
    return list(seen)


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may reach and how long it may take.

    ``allow`` lists exceptions to the public-addresses-only rule, for intranet portals a
    company really wants to follow: networks (``10.8.0.0/16``), addresses (``10.8.1.5``)
    or host names (``portal.corp.example``, any address it resolves to). ``resolver`` is
    injectable for tests.
    """

    allow: tuple[str, ...] = ()
    deadline: float = DEFAULT_DEADLINE_SECONDS
    resolver: Resolver = system_resolver
    _networks: tuple = field(init=False, repr=False, compare=False, default=())
    _hosts: frozenset = field(init=False, repr=False, compare=False, default=frozenset())

    def __post_init__(self):
        networks, hosts = [], set()
        for entry in self.allow:
            entry = entry.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        object.__setattr__(self, "_networks", tuple(networks))
        object.__setattr__(self, "_hosts", frozenset(hosts))

    def allows(self, host: str, address: str) -> bool:
        """May a connection to ``host`` go to ``address``?"""
        if host.lower().rstrip(".") in self._hosts:
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in network for network in self._networks if network.version == ip.version):
            return True
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            mapped = ip.ipv4_mapped
            if any(mapped in network for network in self._networks if network.version == 4):
                return True
            ip = mapped
        return is_public(ip)


#: NAT64's well-known prefix: the last 32 bits are the IPv4 address the gateway connects to.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, multicast…).

    IPv6 addresses that carry an IPv4 address to connect to are judged by that address:
    IPv4-mapped (``::ffff:127.0.0.1``), NAT64 (``64:ff9b::7f00:1``) and 6to4
    (``2002:7f00:1::``, which a 6to4 relay would deliver to 127.0.0.1). Teredo and the
    deprecated site-local ``fec0::/10`` are refused outright.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in NAT64_PREFIX:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip.teredo is not None or ip.is_site_local:
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


#: Refuses every non-public address; no exceptions.
PUBLIC_ONLY = FetchPolicy()


__all__ = ["DEFAULT_DEADLINE_SECONDS", "PUBLIC_ONLY", "FetchPolicy", "Resolver", "is_public", "system_resolver"]

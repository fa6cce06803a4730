"""The player's IP address as the platform sees it (the traces' IPJoueur)."""

from __future__ import annotations

import ipaddress
from typing import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def peer_host(peer: str) -> str:
    """autobahn's ``tcp:1.2.3.4:5678`` / ``tcp6:::1:5678`` peer string to the bare address."""
    kind, _, rest = peer.partition(":")
    host, _, _port = rest.rpartition(":")
    if kind not in ("tcp", "tcp4", "tcp6") or not host:
        raise ValueError(f"unexpected peer {peer!r}")
    return host.strip("[]")


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in trusted)


def client_address(peer_address: str, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """Walk X-Forwarded-For from the nearest hop while the hop is a trusted proxy.

    A client can write anything in X-Forwarded-For, so only entries appended by our own
    proxies count: the first address (from the right) not itself a trusted proxy is the
    player. Malformed entries stop the walk at the last address we can vouch for.
    """
    address = peer_address
    hops = [h.strip() for header in forwarded_for for h in header.split(",") if h.strip()]
    while _is_trusted(address, trusted) and hops:
        candidate = hops.pop()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            break
        address = candidate
    return str(ipaddress.ip_address(address))

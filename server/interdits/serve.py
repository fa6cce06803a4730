"""``croupier interdits serve``: a real DNS server for the banned-players zone, on loopback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from twisted.internet.interfaces import IListeningPort
from twisted.names import dns, server

from server.interdits.zone import DEFAULT_ZONE, BannedZone, ListError, read_banned_csv


def listen(zone: BannedZone, reactor: Any, port: int = 0, interface: str = "127.0.0.1") -> tuple[IListeningPort, IListeningPort]:
    """Serve the zone over UDP and TCP on the same port; returns (udp, tcp)."""
    factory = server.DNSServerFactory(authorities=[zone])
    factory.noisy = False
    protocol = dns.DNSDatagramProtocol(controller=factory)
    protocol.noisy = False
    tcp = reactor.listenTCP(port, factory, interface=interface)
    udp = reactor.listenUDP(tcp.getHost().port, protocol, interface=interface)
    return udp, tcp


def add_arguments(commands: Any) -> None:
    interdits = commands.add_parser("interdits", help="banned-players list (staging)").add_subparsers(
        dest="interdits_command", required=True)
    serve = interdits.add_parser("serve", help="serve a CSV of banned persons as the DNSBL zone")
    serve.add_argument("--list", required=True, type=Path, help="CSV: prenom;nom;AAAAMMJJ;lieu")
    serve.add_argument("--secret", required=True, help="the HMAC-SHA1 secret shared with the operator")
    serve.add_argument("--zone", default=DEFAULT_ZONE)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5353)
    serve.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from twisted.internet import reactor

    from frontal.canonical import banned_player_key

    try:
        people = read_banned_csv(args.list)
        zone = BannedZone.from_people(
            args.zone, people, lambda first, name, date: banned_player_key(args.secret, first, name, date)
        )
    except ListError as exc:
        print(f"croupier: {exc}", file=sys.stderr)
        return 2
    udp, _tcp = listen(zone, reactor, args.port, args.host)
    print(f"serving {len(people)} banned person(s) for {args.zone} on {args.host}:{udp.getHost().port}", flush=True)
    reactor.run()  # type: ignore[attr-defined]
    return 0

"""The event header (annex 1.3.1), in the order of every example (SPEC-NOTES 1)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from frontal.canonical import date_aammjjhhmmss


@dataclass(frozen=True)
class Header:
    id_oper: str
    date_evt: datetime
    id_evt: int  # provisional: the vault assigns the real one
    id_joueur: str
    hash_joueur: str
    id_session: str
    ip_joueur: str
    id_coffre: int | None = None


@lru_cache(maxsize=65536)
def ip_text(address: str) -> str:
    """IPv4 as is; IPv6 exploded, the form the annex's pattern describes. Cached: a
    session's address recurs in every one of its events."""
    ip = ipaddress.ip_address(address)
    return ip.exploded if ip.version == 6 else str(ip)


def build_header(tag: str, header: Header) -> etree._Element:
    root = etree.Element(tag)
    values = [
        ("IDOper", header.id_oper),
        ("DateEvt", date_aammjjhhmmss(header.date_evt)),
        ("IDEvt", str(header.id_evt)),
        ("IDJoueur", header.id_joueur),
        ("HashJoueur", header.hash_joueur),
        ("IDSession", header.id_session),
        ("IPJoueur", ip_text(header.ip_joueur)),
    ]
    if header.id_coffre is not None:
        values.append(("IDCoffre", str(header.id_coffre)))
    for name, text in values:
        etree.SubElement(root, name).text = text
    return root


def set_date_evt(event: etree._Element, at: datetime) -> None:
    """DateEvt is the sensor's: the request's arrival or the player's acknowledgement."""
    node = event.find("DateEvt")
    if node is None:
        raise ValueError(f"{event.tag} has no DateEvt")
    node.text = date_aammjjhhmmss(at)

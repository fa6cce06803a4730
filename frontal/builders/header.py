"""The event header (annex 1.3.1), in the order of every example (SPEC-NOTES 1)."""

from __future__ import annotations

import copy
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


_HEADER = ("IDOper", "DateEvt", "IDEvt", "IDJoueur", "HashJoueur", "IDSession", "IPJoueur", "IDCoffre")


@lru_cache(maxsize=256)
def _template(tag: str, with_coffre: bool) -> etree._Element:
    root = etree.Element(tag)
    for name in _HEADER if with_coffre else _HEADER[:-1]:
        etree.SubElement(root, name)
    return root


def build_header(tag: str, header: Header) -> etree._Element:
    values = [
        header.id_oper,
        date_aammjjhhmmss(header.date_evt),
        str(header.id_evt),
        header.id_joueur,
        header.hash_joueur,
        header.id_session,
        ip_text(header.ip_joueur),
    ]
    if header.id_coffre is not None:
        values.append(str(header.id_coffre))
    # A copy of the empty header (root and its eight children) costs less than building
    # them one by one; the texts are set (and checked by lxml) as before.
    root = copy.deepcopy(_template(tag, header.id_coffre is not None))
    for node, text in zip(root, values):
        node.text = text
    return root


def set_date_evt(event: etree._Element, at: datetime) -> None:
    """DateEvt is the sensor's: the request's arrival or the player's acknowledgement."""
    node = event.find("DateEvt")
    if node is None:
        raise ValueError(f"{event.tag} has no DateEvt")
    node.text = date_aammjjhhmmss(at)

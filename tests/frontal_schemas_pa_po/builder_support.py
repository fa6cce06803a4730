"""Turn an annex record's header into a Header, and compare built records with annex ones."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from lxml import etree

from frontal.builders.header import Header


def utc(text: str) -> datetime:
    """An annex date (aammjjhhmmss or aammjjhhmm) as an aware UTC datetime."""
    layout = "%y%m%d%H%M%S" if len(text) == 12 else "%y%m%d%H%M"
    return datetime.strptime(text, layout).replace(tzinfo=timezone.utc)


def header_of(record: etree._Element) -> Header:
    value = record.findtext
    return Header(
        id_oper=value("IDOper"),
        date_evt=utc(value("DateEvt")),
        id_evt=int(value("IDEvt")),
        id_joueur=value("IDJoueur"),
        hash_joueur=value("HashJoueur"),
        id_session=value("IDSession"),
        ip_joueur=value("IPJoueur"),
        id_coffre=int(value("IDCoffre")),
    )


def _same_text(built: str | None, expected: str | None) -> bool:
    built, expected = (built or "").strip(), (expected or "").strip()
    if built == expected:
        return True
    try:
        return Decimal(built) == Decimal(expected)  # the annex writes 500 where money() writes 500.00
    except InvalidOperation:
        return False


def differences(built: etree._Element, expected: etree._Element) -> list[str]:
    """Element-by-element differences in document order (empty when the records agree)."""
    built_nodes = [node for node in built.iter() if isinstance(node.tag, str)]
    expected_nodes = [node for node in expected.iter() if isinstance(node.tag, str)]
    found = []
    for index, (left, right) in enumerate(zip(built_nodes, expected_nodes)):
        if left.tag != right.tag:
            found.append(f"#{index}: built <{left.tag}>, annex <{right.tag}>")
            break
        if len(left) == 0 and not _same_text(left.text, right.text):
            found.append(f"#{index} <{left.tag}>: built {left.text!r}, annex {right.text!r}")
    if len(built_nodes) != len(expected_nodes):
        found.append(f"built {len(built_nodes)} elements, annex {len(expected_nodes)}")
    return found

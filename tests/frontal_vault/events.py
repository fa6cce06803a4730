"""Schema-valid events for vault tests: the vault refuses anything its XSD refuses."""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import etree

from frontal.canonical import date_aammjjhhmmss


def okcondgene(ref: str, at: datetime | None = None) -> etree._Element:
    """An OKCONDGENE whose IDSession carries ``ref``, to find the event again."""
    date = date_aammjjhhmmss(at or datetime.now(timezone.utc))
    return etree.fromstring(
        f"<OKCONDGENE><IDOper>0000</IDOper><DateEvt>{date}</DateEvt><IDEvt>0</IDEvt><IDJoueur>J1</IDJoueur>"
        "<HashJoueur>9853E488E24120BC18F9A650AED9CEE0FF72B09E</HashJoueur>"
        f"<IDSession>{ref}</IDSession><IPJoueur>192.0.2.42</IPJoueur><IDCoffre>9</IDCoffre>"
        "<TypAg>PS</TypAg></OKCONDGENE>")


def ref_of(line: str) -> str:
    return etree.fromstring(line).findtext("IDSession") or ""

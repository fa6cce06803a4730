"""Race-bet notices the player acknowledges, and the events their acknowledgement records:
PAHIGAIN (a race bet paid: won, placed, or more after a corrected result) and PAHIANNUL (a
bet on a non-runner or on a void race, its stake refunded). The data carry the bet's Tech
and Clair as its PAHIMISE had them, and the amounts as strings (race_settlement.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from frontal.builders.header import Header
from frontal.builders.pahi import RaceCancel, RaceWin, build_pahiannul, build_pahigain


def _pahigain(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    abond = data.get("gain_abond")
    return build_pahigain(header, RaceWin(
        data["tech"], data["clair"], datetime.fromisoformat(data["result_at"]), Decimal(data["solde_avant"]),
        Decimal(data["gain"]), Decimal(data["solde_apres"]), gain_abond=None if abond is None else Decimal(abond),
        info=data.get("info")))


def _pahiannul(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return build_pahiannul(header, RaceCancel(
        data["tech"], data["clair"], datetime.fromisoformat(data["cancelled_at"]), Decimal(data["solde_avant"]),
        Decimal(data["montant"]), Decimal(data["solde_apres"]), info=data.get("info")))


BUILDERS = {"PAHIGAIN": _pahigain, "PAHIANNUL": _pahiannul}

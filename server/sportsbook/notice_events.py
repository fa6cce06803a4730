"""Sportsbook notices the player acknowledges, and the events their acknowledgement records:
PASPGAIN (a bet paid: won, partly void, or more after a corrected result) and PASPANNUL
(a bet void or cancelled, its stake refunded). The data are the amounts, as strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from frontal.builders.header import Header
from frontal.builders.pasp import BetCancel, BetWin, build_paspannul, build_paspgain


def _paspgain(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    abond = data.get("gain_abond")
    return build_paspgain(header, BetWin(
        data["tech"], datetime.fromisoformat(data["result_at"]), Decimal(data["solde_avant"]), Decimal(data["gain"]),
        Decimal(data["solde_apres"]), gain_abond=None if abond is None else Decimal(abond), info=data.get("info")))


def _paspannul(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return build_paspannul(header, BetCancel(
        data["tech"], datetime.fromisoformat(data["cancelled_at"]), Decimal(data["solde_avant"]),
        Decimal(data["montant"]), Decimal(data["solde_apres"]), info=data.get("info")))


BUILDERS = {"PASPGAIN": _paspgain, "PASPANNUL": _paspannul}

"""The support calculator behind ``croupier slip calc``: a JSON slip in, four figures out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from games.betslip.calc_input import read_request
from games.betslip.checks import check_slip
from games.betslip.settlement import settle


def calculate(document: Any) -> dict[str, Any]:
    """``{"lines", "total_stake", "total_return", "max_return"}``, amounts as strings with two
    decimals. Raises ``SlipError`` (bad input, the field named) or ``SlipRefused`` (legs on one
    fixture combined, beyond the annex's limits)."""
    request = read_request(document)
    check_slip(request.slip, request.limits)
    settlement = settle(request.slip, request.outcomes, request.rules)
    return {
        "lines": settlement.lines,
        "total_stake": _money(settlement.total_stake),
        "total_return": _money(settlement.total_return),
        "max_return": _money(settlement.max_return),
    }


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"

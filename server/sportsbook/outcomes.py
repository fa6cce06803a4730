"""A bet's prognoses as the catalogue's results say they turned out (games.betslip Outcome).

The mapping (docs/sportsbook.md): win leg ``win`` -> WIN (with its dead heat); win leg
``lose`` with the place leg ``win`` -> PLACE; ``void`` -> VOID; ``half_win`` /
``half_lose`` -> WIN / LOSE with half the stake void; no result yet -> OPEN.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlalchemy.engine import Connection

from games.betslip import DeadHeat, Outcome, Outcomes, Result
from server.sportsbook.for_bets import MarketResult, market_result

HALF = Fraction(1, 2)


def outcome_of(result: MarketResult | None, selection_id: int) -> Outcome:
    if result is None:
        return Outcome()
    legs = {line.leg: line for line in result.lines if line.selection_id == selection_id}
    win = legs.get("win")
    if result.void or win is None or win.outcome == "void":
        return Outcome(Result.VOID)
    if win.outcome == "win":
        return Outcome(Result.WIN, dead_heat=DeadHeat(*win.dead_heat) if win.dead_heat else None)
    if win.outcome == "half_win":
        return Outcome(Result.WIN, void_factor=HALF)
    if win.outcome == "half_lose":
        return Outcome(Result.LOSE, void_factor=HALF)
    place = legs.get("place")
    if place is not None and place.outcome == "win":
        return Outcome(Result.PLACE, place_dead_heat=DeadHeat(*place.dead_heat) if place.dead_heat else None)
    return Outcome(Result.LOSE)


def outcomes_of(c: Connection, slip_data: dict[str, Any]) -> tuple[Outcomes, dict[int, int]]:
    """Every prognosis's outcome, and the result version of each market read (for resettlement)."""
    results: dict[int, MarketResult | None] = {}
    rows = []
    for leg in slip_data["legs"]:
        row = []
        for choice in leg["choices"]:
            market = choice["market_id"]
            if market not in results:
                results[market] = market_result(c, market)
            row.append(outcome_of(results[market], choice["selection_id"]))
        rows.append(tuple(row))
    versions = {market: result.version for market, result in results.items() if result is not None}
    return tuple(rows), versions


def all_void(outcomes: Outcomes) -> bool:
    return all(o.result is Result.VOID for row in outcomes for o in row)

"""The pure checks behind a refusal (``SlipRefused``); the server adds what needs the world
(suspended fixtures, moved odds, funds, ceilings).

- ``same_fixture``: two legs on one fixture would meet in a line. The annex keeps such
  prognoses on one leg, where they multiply the lines instead of combining ("Si au moins
  deux des pronostics ne peuvent être combinés ... le pari devient un pari combiné
  multiple"); an operator allowing related legs sets ``allow_same_fixture``. Singles, and
  legs in different combinations of a custom system, never meet;
- ``too_many_lines``: more lines (each-way parts counted) than ``max_lines``;
- ``stake_too_low``: MiseBase under ``min_line_stake`` or the total under ``min_total_stake``;
- ``annex_limit``: beyond what a PASPMISE can hold (see ``paspmise.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from games.betslip.errors import SlipRefused
from games.betslip.paspmise import check_annex_limits
from games.betslip.stakes import Pricing, price
from games.betslip.structure import Bet
from games.betslip.types import Slip


@dataclass(frozen=True)
class Limits:
    max_lines: int | None = None
    min_line_stake: Decimal | None = None
    min_total_stake: Decimal | None = None
    allow_same_fixture: bool = False


def check_slip(slip: Slip, limits: Limits = Limits()) -> Pricing:
    """Raises ``SlipRefused`` with the first reason found; returns the slip's pricing."""
    pricing = price(slip)
    if not limits.allow_same_fixture:
        for bet in pricing.bets:
            check_fixtures(slip, bet)
    if limits.max_lines is not None and pricing.lines > limits.max_lines:
        raise SlipRefused("too_many_lines", f"{pricing.lines} lines, more than the {limits.max_lines} allowed")
    if limits.min_line_stake is not None and pricing.line_stake < limits.min_line_stake:
        raise SlipRefused("stake_too_low",
                          f"{pricing.line_stake} a line is under the minimum of {limits.min_line_stake}")
    if limits.min_total_stake is not None and pricing.total_stake < limits.min_total_stake:
        raise SlipRefused("stake_too_low",
                          f"{pricing.total_stake} in all is under the minimum of {limits.min_total_stake}")
    check_annex_limits(slip, pricing)
    return pricing


def check_fixtures(slip: Slip, bet: Bet) -> None:
    for component in bet.components:
        members = [(i, False) for i in component.legs] + [(i, True) for i in component.bankers]
        for (a, a_banker), (b, b_banker) in combinations(sorted(members), 2):
            fixture = slip.legs[a].fixture
            if fixture is None or fixture != slip.legs[b].fixture:
                continue
            if a_banker or b_banker or component.pairs_meet():
                raise SlipRefused("same_fixture",
                                  f"legs[{a}] and legs[{b}] are both on fixture {fixture!r} and would meet in a "
                                  f"line: make them two prognoses of one leg, or bet them as singles")

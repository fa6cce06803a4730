"""Lines and stakes: MiseBase, the number of lines, the total.

The annex fixes the relation: "La mise totale associée à la prise de jeu est le produit de
la mise élémentaire par le nombre de combinaisons du pari" (MiseBase). So:

- ``stake_mode: line``: the amount is MiseBase; total = lines x MiseBase;
- ``stake_mode: total``: MiseBase = the amount divided by the lines, rounded down to the
  cent, and the total staked is lines x MiseBase; the cents left over (fewer than the
  number of lines) are not staked and stay with the player (``unstaked``). Splitting to the
  cent with unequal line stakes would break the annex's relation; refusing every amount
  that does not divide would refuse most round totals (10.00 on a YANKEE's 11 lines).
  An amount below one cent a line is an error.

Each-way doubles the lines: a win line and a place line for each (a 1.00 each-way YANKEE
is 22 lines, 22.00).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from games.betslip.closed_form import line_count
from games.betslip.errors import SlipError
from games.betslip.structure import Bet, bets_of
from games.betslip.types import Slip, StakeMode


CENT = Decimal("0.01")


@dataclass(frozen=True)
class Pricing:
    bets: tuple[Bet, ...]
    bet_lines: tuple[int, ...]  # lines of each bet, each-way parts both counted
    lines: int
    line_stake: Decimal  # MiseBase
    total_stake: Decimal
    unstaked: Decimal  # stake_mode total: what no line could take

    def bet_stake(self, bet: int) -> Decimal:
        return self.line_stake * self.bet_lines[bet]


def bet_lines(slip: Slip, bet: Bet) -> int:
    """One bet's lines, each-way doubling them."""
    lines = sum(line_count(component, slip) for component in bet.components)
    return 2 * lines if slip.each_way is not None else lines


def price(slip: Slip) -> Pricing:
    bets = bets_of(slip)
    per_bet = tuple(bet_lines(slip, bet) for bet in bets)
    lines = sum(per_bet)
    amount = slip.stake.amount.quantize(CENT)  # whole cents already: only the exponent changes
    if slip.stake.mode is StakeMode.LINE:
        return Pricing(bets, per_bet, lines, amount, amount * lines, Decimal("0.00"))
    cents = int(amount * 100)
    line_cents = cents // lines
    if line_cents == 0:
        raise SlipError("stake", f"{amount} split over {lines} lines is less than a cent a line")
    line_stake = (Decimal(line_cents) / 100).quantize(CENT)
    total = line_stake * lines
    return Pricing(bets, per_bet, lines, line_stake, total, amount - total)

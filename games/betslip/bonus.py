"""The operator's LUCKY15 / LUCKY31 / LUCKY63 bonuses.

Offer (``LuckyBonus``), settled for each LUCKY bet (each one of a perm on its own):

- ``one_winner_odds_multiplier`` m: with exactly one winning selection, the single on it is
  paid at m times its odds. Odds here are the net (fractional) odds, as UK bookmakers
  double them: "In the event of one winner only, your winnings are doubled"
  (betandskill.com, Lucky 15 explained), 3/1 paid 6/1. Rule 4 applies to those net odds,
  then the dead-heat share, as for any winner;
- ``all_winners_bonus_pct`` p: every selection wins: p % of the winnings are added, the
  winnings being "the return for the win part of the bet minus the win stakes for that
  bet" (same page); never negative;
- ``requires_all_run``: no bonus when a selection is void (non-runner): "Should a bet
  contain a Non-Runner then all bonuses will not apply" (Marathonbet help 2.2).

Bonuses touch the win part only ("This will only apply to the win part of any bet. The
place part of a bet will be settled at the correct odds", Marathonbet help 2.2). A winning
selection is one whose result is ``win`` (dead-heated, Rule 4-ed or half-won included).
"""

from __future__ import annotations

from fractions import Fraction
from math import comb

from games.betslip.closed_form import elementary
from games.betslip.factors import win_factor
from games.betslip.outcomes import Outcomes, Result
from games.betslip.structure import Component
from games.betslip.types import LuckyBonus, Slip


def group_qualifies(bonus: LuckyBonus, group: tuple[int, ...], resolved: Outcomes) -> bool:
    return not (bonus.requires_all_run and any(resolved[i][0].result is Result.VOID for i in group))


def winners(group: tuple[int, ...], resolved: Outcomes) -> list[int]:
    return [i for i in group if resolved[i][0].result is Result.WIN]


def boosted_single(slip: Slip, leg: int, resolved: Outcomes, bonus: LuckyBonus) -> Fraction:
    """The factor of the single on the one winner, at the bonus odds."""
    return win_factor(slip.legs[leg].choices[0].odds, resolved[leg][0], bonus.one_winner_odds_multiplier)


def percent_of_winnings(bonus: LuckyBonus, returned: Fraction, staked: Fraction) -> Fraction:
    return bonus.all_winners_bonus_pct / 100 * max(Fraction(0), returned - staked)


def closed_form_extra(slip: Slip, component: Component, resolved: Outcomes,
                      win: tuple[tuple[Fraction, ...], ...], base: Fraction) -> Fraction:
    """What the bonuses add to the win part of ``component``'s lines, at ``base`` a line."""
    bonus = slip.lucky_bonus
    if bonus is None:
        return Fraction(0)
    extra = Fraction(0)
    for group in component.groups():
        if not group_qualifies(bonus, group, resolved):
            continue
        won = winners(group, resolved)
        if len(won) == 1:
            leg = won[0]
            extra += base * (boosted_single(slip, leg, resolved, bonus) - win[leg][0])
        if len(won) == len(group) and bonus.all_winners_bonus_pct:
            e = elementary([win[i][0] for i in group], max(component.sizes))
            returned = base * sum(e[j] for j in component.sizes)
            staked = base * sum(comb(len(group), j) for j in component.sizes)
            extra += percent_of_winnings(bonus, returned, staked)
    return extra

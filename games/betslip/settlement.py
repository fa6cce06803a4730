"""Settling a slip: each bet's return now and at best, capped, rounded once.

For each bet (one PASPMISE) and each of two scenarios (``outcomes.Scenario``):

- ``total_return``: every open prognosis loses. This is the sum of the lines already
  decided: what the bet pays whatever happens next (when nothing is open, its return);
- ``max_return``: every open leg wins on its best open prognosis, at full odds.

The return of a bet is, in exact fractions: MiseBase times the sum over its lines of the
product of their factors (``factors.py``), win lines and, each-way, place lines; plus the
LUCKY bonuses (``bonus.py``); then the payout cap; then one rounding to the cent (default
down). Rounding is per bet, because each bet is paid by its own PASPGAIN: a slip of
singles returns the sum of its singles' rounded returns.

The sums come from the closed form (``closed_form.py``) unless a payout cap per line may
bind, which needs each line: then the lines are listed (``lines.py``). ``settle(...,
method=Method.ENUMERATION)`` always lists them; the tests use it as the reference.

Payout cap (``PayoutCap``): ``basis`` "return" caps what is paid; "winnings" caps what is
paid minus the stake (so the return is capped at stake + amount). ``scope`` "bet" caps
each bet (a single, or a whole multiple or system with both each-way parts and its
bonuses); "line" caps each line (each accumulator of a system, each each-way part), the
all-winners bonus then being added uncapped on the capped lines. Caps per customer or per
day are the server's: they need the other bets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from math import prod

from games.betslip.bonus import boosted_single, closed_form_extra, group_qualifies, percent_of_winnings, winners
from games.betslip.closed_form import component_total
from games.betslip.errors import SlipError
from games.betslip.factors import Factors, check_outcomes, factors, resolve, win_factor
from games.betslip.lines import iter_lines
from games.betslip.money import Rounding, is_whole_cents, to_cents
from games.betslip.outcomes import OPEN, Outcomes, Result, Scenario
from games.betslip.stakes import price
from games.betslip.structure import Bet
from games.betslip.types import Slip


class CapBasis(str, Enum):
    WINNINGS = "winnings"
    RETURN = "return"


class CapScope(str, Enum):
    BET = "bet"
    LINE = "line"


@dataclass(frozen=True)
class PayoutCap:
    amount: Decimal
    basis: CapBasis
    scope: CapScope = CapScope.BET

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite() or self.amount <= 0:
            raise SlipError("max_payout.amount", f"must be a positive amount, got {self.amount!r}")
        if not is_whole_cents(self.amount):
            raise SlipError("max_payout.amount", f"must be whole cents, got {self.amount}")

    def limit(self, stake: Fraction) -> Fraction:
        """The most a bet (or line) staked ``stake`` may return."""
        cap = Fraction(self.amount)
        return cap + stake if self.basis is CapBasis.WINNINGS else cap


@dataclass(frozen=True)
class SettlementRules:
    payout_cap: PayoutCap | None = None
    rounding: Rounding = Rounding.DOWN


class Method(str, Enum):
    CLOSED_FORM = "closed_form"
    ENUMERATION = "enumeration"


@dataclass(frozen=True)
class BetSettlement:
    lines: int
    stake: Decimal
    total_return: Decimal
    max_return: Decimal
    exact_return: Fraction  # before rounding, after bonuses and cap
    exact_max: Fraction
    method: Method


@dataclass(frozen=True)
class Settlement:
    lines: int
    line_stake: Decimal
    total_stake: Decimal
    unstaked: Decimal
    total_return: Decimal
    max_return: Decimal
    bets: tuple[BetSettlement, ...]
    open_prognoses: int

    @property
    def settled(self) -> bool:
        return self.open_prognoses == 0

    @property
    def method(self) -> Method:
        enumerated = any(bet.method is Method.ENUMERATION for bet in self.bets)
        return Method.ENUMERATION if enumerated else Method.CLOSED_FORM


def all_open(slip: Slip) -> Outcomes:
    return tuple(tuple(OPEN for _ in leg.choices) for leg in slip.legs)


def settle(slip: Slip, outcomes: Outcomes | None = None, rules: SettlementRules = SettlementRules(),
           method: Method | None = None) -> Settlement:
    """``method`` None: the closed form whenever it is exact, else the enumeration."""
    outcomes = all_open(slip) if outcomes is None else outcomes
    check_outcomes(slip, outcomes)
    pricing = price(slip)
    base = Fraction(pricing.line_stake)
    open_count = sum(outcome.result is Result.OPEN for row in outcomes for outcome in row)
    # Nothing open: the best case is the current one, computed once (half the work of a settled slip).
    scenarios = tuple(Scenario) if open_count else (Scenario.CURRENT,)
    resolved = {scenario: resolve(slip, outcomes, scenario) for scenario in scenarios}
    factored = {scenario: factors(slip, resolved[scenario]) for scenario in scenarios}
    if not open_count:
        resolved[Scenario.BEST], factored[Scenario.BEST] = resolved[Scenario.CURRENT], factored[Scenario.CURRENT]
    cap = rules.payout_cap
    line_limit = cap.limit(base) if cap is not None and cap.scope is CapScope.LINE else None
    settlements = []
    for k, bet in enumerate(pricing.bets):
        chosen = method
        binds = line_limit is not None and _line_may_exceed(slip, bet, resolved[Scenario.BEST],
                                                            factored[Scenario.BEST], base, line_limit)
        if chosen is None:
            chosen = Method.ENUMERATION if binds else Method.CLOSED_FORM
        elif chosen is Method.CLOSED_FORM and binds:
            raise ValueError("a payout cap per line may bind: the closed form cannot apply it")
        stake = Fraction(pricing.bet_stake(k))
        exact = []
        for scenario in scenarios:
            if chosen is Method.CLOSED_FORM:
                value = _closed_form(slip, bet, resolved[scenario], factored[scenario], base)
            else:
                value = _enumerated(slip, bet, resolved[scenario], factored[scenario], base, line_limit)
            if cap is not None and cap.scope is CapScope.BET:
                value = min(value, cap.limit(stake))
            exact.append(value)
        if not open_count:
            exact.append(exact[0])
        settlements.append(BetSettlement(pricing.bet_lines[k], pricing.bet_stake(k),
                                         to_cents(exact[0], rules.rounding), to_cents(exact[1], rules.rounding),
                                         exact[0], exact[1], chosen))
    return Settlement(pricing.lines, pricing.line_stake, pricing.total_stake, pricing.unstaked,
                      sum((s.total_return for s in settlements), Decimal("0.00")),
                      sum((s.max_return for s in settlements), Decimal("0.00")),
                      tuple(settlements), open_count)


def _closed_form(slip: Slip, bet: Bet, resolved: Outcomes, factored: Factors, base: Fraction) -> Fraction:
    total = Fraction(0)
    for component in bet.components:
        total += base * component_total(component, factored.win)
        total += closed_form_extra(slip, component, resolved, factored.win, base)
        if factored.place is not None:
            total += base * component_total(component, factored.place)
    return total


def _enumerated(slip: Slip, bet: Bet, resolved: Outcomes, factored: Factors, base: Fraction,
                line_limit: Fraction | None) -> Fraction:
    def capped(value: Fraction) -> Fraction:
        return value if line_limit is None else min(value, line_limit)

    bonus = slip.lucky_bonus
    total = Fraction(0)
    for component in bet.components:
        won_by_group: dict[tuple[int, ...], list[Fraction]] = {}
        for line in iter_lines(component, slip):
            win = base * prod((factored.win[leg][c] for leg, c in line.picks), start=Fraction(1))
            if bonus is not None and line.single and group_qualifies(bonus, line.group, resolved) \
                    and winners(line.group, resolved) == [line.picks[0][0]]:
                win = base * boosted_single(slip, line.picks[0][0], resolved, bonus)
            win = capped(win)
            total += win
            sums = won_by_group.setdefault(line.group, [Fraction(0), Fraction(0)])
            sums[0] += win
            sums[1] += base
            if factored.place is not None:
                total += capped(base * prod((factored.place[leg][c] for leg, c in line.picks), start=Fraction(1)))
        if bonus is not None and bonus.all_winners_bonus_pct:
            for group, (returned, staked) in won_by_group.items():
                if group_qualifies(bonus, group, resolved) and len(winners(group, resolved)) == len(group):
                    total += percent_of_winnings(bonus, returned, staked)
    return total


def _line_may_exceed(slip: Slip, bet: Bet, best: Outcomes, factored: Factors, base: Fraction,
                     limit: Fraction) -> bool:
    """Whether some line could return more than ``limit``: a bound on every line's factor
    (the best scenario's factors are never below the current one's)."""
    bound = base
    for leg in bet.legs():
        candidates = list(factored.win[leg])
        if factored.place is not None:
            candidates += factored.place[leg]
        if slip.lucky_bonus is not None:
            candidates.append(win_factor(slip.legs[leg].choices[0].odds, best[leg][0],
                                         slip.lucky_bonus.one_winner_odds_multiplier))
        bound *= max(Fraction(1), *candidates)
    return bound > limit

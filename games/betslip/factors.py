"""What one unit staked on one prognosis returns: its settlement factor.

A line returns its stake times the product of its prognoses' factors (a void leg's factor
is 1: the accumulator carries on without it). Win part of a prognosis at decimal odds o:

    win:   share x (1 + (o - 1) x (1 - rule4))     share = places / tied (dead heat), else 1
    place: 0 (placed only: the win part lost)
    lose:  0
    void:  1

then, for a part-void stake (Asian handicap), ``v + (1 - v) x factor``. The place part of
an each-way bet is the same with the net odds times the place terms:
``share x (1 + (o - 1) x place_fraction x (1 - rule4))`` for win and place results (a
winner is placed too); Rule 4 is taken from the place winnings as well (Betfair help 6556:
"applied to your winnings (17.50+3.50) due to Rule 4").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from games.betslip.errors import SlipError
from games.betslip.outcomes import Outcome, Outcomes, Result, Scenario
from games.betslip.types import Slip

ONE = Fraction(1)


def win_factor(odds: Fraction, outcome: Outcome, multiplier: Fraction = ONE) -> Fraction:
    """``multiplier`` scales the net odds: the LUCKY bonus's "double the odds"."""
    result = outcome.result
    if result is Result.OPEN:
        raise ValueError("an open prognosis has no factor: resolve a scenario first")
    if result is Result.VOID:
        return ONE
    factor = Fraction(0)
    if result is Result.WIN:
        factor = 1 + (odds - 1) * (1 - outcome.rule4) * multiplier
        if outcome.dead_heat is not None:
            factor *= outcome.dead_heat.share
    return _part_void(factor, outcome)


def place_factor(odds: Fraction, place_fraction: Fraction, outcome: Outcome) -> Fraction:
    result = outcome.result
    if result is Result.OPEN:
        raise ValueError("an open prognosis has no factor: resolve a scenario first")
    if result is Result.VOID:
        return ONE
    factor = Fraction(0)
    if result in (Result.WIN, Result.PLACE):
        factor = 1 + (odds - 1) * place_fraction * (1 - outcome.rule4)
        if outcome.place_dead_heat is not None:
            factor *= outcome.place_dead_heat.share
    return _part_void(factor, outcome)


def _part_void(factor: Fraction, outcome: Outcome) -> Fraction:
    v = outcome.void_factor
    return v + (1 - v) * factor if v else factor


def check_outcomes(slip: Slip, outcomes: Outcomes) -> None:
    """The outcomes match the slip's legs and prognoses, and suit its kind of bet."""
    if len(outcomes) != len(slip.legs):
        raise SlipError("legs", f"{len(outcomes)} legs of outcomes for {len(slip.legs)} legs")
    for i, (leg, leg_outcomes) in enumerate(zip(slip.legs, outcomes)):
        if len(leg_outcomes) != len(leg.choices):
            raise SlipError(f"legs[{i}].choices", f"{len(leg_outcomes)} outcomes for {len(leg.choices)} prognoses")
        if slip.each_way is None:
            for outcome in leg_outcomes:
                if outcome.place_dead_heat is not None:
                    raise SlipError(f"legs[{i}].place_dead_heat", "a place dead heat needs an each-way slip")


def resolve(slip: Slip, outcomes: Outcomes, scenario: Scenario) -> Outcomes:
    """The outcomes with every open prognosis settled as ``scenario`` says.

    CURRENT: open prognoses lose. BEST: on each leg, the open prognosis with the best win
    factor wins (the prognoses of one leg are outcomes of one fixture that exclude one
    another, annex 1.3.4.a.1 "ne peuvent être combinés"), the other open ones lose. A
    Rule 4 deduction already known stays.
    """
    resolved: list[tuple[Outcome, ...]] = []
    for leg, leg_outcomes in zip(slip.legs, outcomes):
        open_ones = [c for c, outcome in enumerate(leg_outcomes) if outcome.result is Result.OPEN]
        best = None
        if scenario is Scenario.BEST and open_ones:
            best = max(open_ones, key=lambda c: (win_factor(leg.choices[c].odds,
                                                            Outcome(Result.WIN, rule4=leg_outcomes[c].rule4)), -c))
        row = []
        for c, outcome in enumerate(leg_outcomes):
            if outcome.result is Result.OPEN:
                outcome = Outcome(Result.WIN if c == best else Result.LOSE, rule4=outcome.rule4)
            row.append(outcome)
        resolved.append(tuple(row))
    return tuple(resolved)


@dataclass(frozen=True)
class Factors:
    """Per leg, per prognosis: the win part's factors and, each-way, the place part's."""

    win: tuple[tuple[Fraction, ...], ...]
    place: tuple[tuple[Fraction, ...], ...] | None


def factors(slip: Slip, resolved: Outcomes) -> Factors:
    win = tuple(tuple(win_factor(choice.odds, outcome) for choice, outcome in zip(leg.choices, row))
                for leg, row in zip(slip.legs, resolved))
    place = None
    if slip.each_way is not None:
        place = tuple(tuple(place_factor(choice.odds, slip.place_fraction(i), outcome)
                            for choice, outcome in zip(leg.choices, row))
                      for i, (leg, row) in enumerate(zip(slip.legs, resolved)))
    return Factors(win, place)

"""A slip as the annex sees it: bets (one PASPMISE each) made of combinations (one PaSp each).

- S: one bet per prognosis (annex: "Un pari simple multiple correspond à N paris simples, et
  donc N mises"; example 2 makes three PASPMISE of a three-single coupon);
- C, XY, a named bet: one bet of one combination;
- a named bet permed over more selections: one bet of one combination whose lines are
  those of every named bet drawn from the selections (a YANKEE permed over 5 is the 5
  YANKEEs of 4 among 5, 55 lines); the trace lists one PaSp per named bet;
- CUSTOM: one bet of the listed combinations (annex 1.3.4.a.1, PaSp "peut être multi-valué
  dans le cas d'un pari système complexe").

Bankers join every line of every combination of their bet.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterator

from games.betslip.types import FORMULAS, BetType, Slip, custom_sizes


@dataclass(frozen=True)
class Component:
    """One combination (PaSp): every accumulator of ``sizes`` legs among ``legs``, each
    with all the ``bankers``, each with one prognosis per leg."""

    combi: BetType
    legs: tuple[int, ...]  # the non-banker legs it combines
    bankers: tuple[int, ...]
    sizes: tuple[int, ...]  # fold sizes, bankers aside
    x: int | None = None  # XY's X
    group: int | None = None  # perm: every ``group`` legs among ``legs`` form one named bet
    choice: int | None = None  # S: the one prognosis of its one leg

    def groups(self) -> Iterator[tuple[int, ...]]:
        """The named bets (their non-banker legs) this combination is made of."""
        if self.group is None:
            yield self.legs
        else:
            yield from combinations(self.legs, self.group)

    def pairs_meet(self) -> bool:
        """Whether two of its non-banker legs ever share a line."""
        return max(self.sizes) >= 2


@dataclass(frozen=True)
class Bet:
    """What one PASPMISE records."""

    components: tuple[Component, ...]

    def legs(self) -> tuple[int, ...]:
        return tuple(sorted({i for c in self.components for i in (*c.legs, *c.bankers)}))


def bets_of(slip: Slip) -> tuple[Bet, ...]:
    kind = slip.bet_type
    selections, bankers = slip.selections, slip.bankers
    if kind is BetType.S:
        return tuple(Bet((Component(kind, (i,), (), (1,), choice=c),))
                     for i in selections for c in range(len(slip.legs[i].choices)))
    if kind is BetType.C:
        return (Bet((Component(kind, selections, (), (len(selections),)),)),)
    if kind is BetType.XY:
        assert slip.x is not None
        return (Bet((Component(kind, selections, bankers, (slip.x,), x=slip.x),)),)
    if kind is BetType.CUSTOM:
        return (Bet(tuple(Component(part.combi, tuple(sorted(part.legs)), bankers, custom_sizes(part), x=part.x)
                          for part in slip.custom)),)
    formula = FORMULAS[kind]
    group = formula.selections if slip.perm else None
    return (Bet((Component(kind, selections, bankers, formula.sizes, group=group),)),)

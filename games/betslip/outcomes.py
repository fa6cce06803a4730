"""How each prognosis turned out, and the two hypotheses made about open ones.

An ``Outcome`` per prognosis (``outcomes[leg][choice]``):

- ``WIN``; ``LOSE``; ``VOID`` (non-runner, cancelled fixture: the prognosis counts at
  odds 1, "Non-runners are treated as winners with fractional odds of zero (decimal odds
  of 1)", Wikipedia, *Mathematics of bookmaking*); ``PLACE`` (placed but did not win: the
  win part of an each-way bet loses and its place part wins; a win-only bet loses);
  ``OPEN`` (not known yet);
- ``dead_heat`` (win part) and ``place_dead_heat`` (place part): so many tied for so many
  places left; the stake is divided by the number tied, times the places left, and paid at
  full odds (Betfair help 6779: two tied, "paid half your stake at the full odds");
- ``rule4``: the deduction from winnings for a withdrawn runner, as a fraction (0.15 for
  15p in the pound); the operator computes it (Tattersalls' table), the engine applies it
  to the net odds of both parts;
- ``void_factor``: the part of the stake made void, the rest settled by ``result``: an Asian
  handicap half-win is ``WIN`` with 1/2, a half-loss ``LOSE`` with 1/2 (10bet help: "Half
  of the stake is refunded, and the other half is either lost or won").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from games.betslip.errors import SlipError


class Result(str, Enum):
    WIN = "win"
    LOSE = "lose"
    VOID = "void"
    PLACE = "place"
    OPEN = "open"


@dataclass(frozen=True)
class DeadHeat:
    tied: int
    places: int  # places left to the tied runners

    def __post_init__(self) -> None:
        if not (isinstance(self.tied, int) and isinstance(self.places, int)) or isinstance(self.tied, bool):
            raise SlipError("dead_heat", "tied and places are whole numbers")
        if self.tied < 2 or not 1 <= self.places <= self.tied:
            raise SlipError("dead_heat", f"needs tied >= 2 and 1 <= places <= tied, got {self.tied} and {self.places}")

    @property
    def share(self) -> Fraction:
        return Fraction(self.places, self.tied)


@dataclass(frozen=True)
class Outcome:
    result: Result = Result.OPEN
    dead_heat: DeadHeat | None = None
    place_dead_heat: DeadHeat | None = None
    rule4: Fraction = Fraction(0)
    void_factor: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        if not 0 <= self.rule4 < 1:
            raise SlipError("rule4", f"a deduction is in [0, 1), got {self.rule4}")
        if not 0 <= self.void_factor <= 1:
            raise SlipError("void_factor", f"the void part of the stake is in [0, 1], got {self.void_factor}")
        if self.dead_heat is not None and self.result is not Result.WIN:
            raise SlipError("dead_heat", "a dead heat for the win goes with result win")
        if self.place_dead_heat is not None and self.result not in (Result.WIN, Result.PLACE):
            raise SlipError("place_dead_heat", "a dead heat for a place goes with result win or place")
        if self.void_factor and self.result in (Result.OPEN, Result.VOID):
            raise SlipError("void_factor", f"a part-void stake needs a win or lose result, not {self.result.value}")


OPEN = Outcome()

Outcomes = tuple[tuple[Outcome, ...], ...]


class Scenario(str, Enum):
    """How open prognoses are settled for the two figures a slip shows while running."""

    CURRENT = "current"  # every open prognosis loses: what is already won, whatever comes
    BEST = "best"  # every open leg wins on its best open prognosis, at full odds

"""What a bet slip is: legs, their prognoses and odds, the bet type, the stake.

Vocabulary (annex 1.3.4.a.1, PASPMISE):

- a **leg** is one ``LigSp``: one fixture and the prognoses (``PronoSp``) made on it, each
  with its odds (``Cote``); several prognoses on one leg are the annex's non-combinable
  prognoses ("victoire et défaite simultanées"): they never meet in one line, they
  multiply the lines (example 4a: Chelsea or draw, 2 lines; example 4b: 3 x 2 x 2 = 12);
- a **line** is one of the annex's "combinaisons": one accumulator (a single is a
  1-fold) with one prognosis per leg it contains, staked ``MiseBase``;
- a **banker** (``Banque``) joins every line of the other legs; X, Y and the named bets'
  selection counts count only the other legs (bwin help, "What is a banker tip?": a 2/3
  system with a banker wins when two tips of the system and the banker are right).

Everything here is immutable and validated on construction: a ``Slip`` that exists
describes a bet. Field names in errors are the calculator's JSON names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from itertools import combinations

from games.betslip.errors import SlipError
from games.betslip.money import is_whole_cents


class BetType(str, Enum):
    """The annex's ``Combi`` codes, plus CUSTOM: an operator formula given as a list of
    combinations (several ``PaSp`` in one PASPMISE)."""

    S = "S"
    C = "C"
    XY = "XY"
    TRIXIE = "TRIXIE"
    PATENT = "PATENT"
    YANKEE = "YANKEE"
    LUCKY15 = "LUCKY15"
    CANADIAN = "CANADIAN"
    LUCKY31 = "LUCKY31"
    HEINZ = "HEINZ"
    LUCKY63 = "LUCKY63"
    SUPERHEINZ = "SUPERHEINZ"
    GOLIATH = "GOLIATH"
    CUSTOM = "CUSTOM"


@dataclass(frozen=True)
class Formula:
    """A named system: so many selections, every accumulator of these sizes."""

    selections: int
    sizes: tuple[int, ...]
    lucky: bool = False  # a LUCKY bet: the operator's LUCKY bonuses may apply


def _from(n: int, smallest: int, lucky: bool = False) -> Formula:
    return Formula(n, tuple(range(smallest, n + 1)), lucky)


# The annex's table (1.3.4.a.1, "Les formules de pari système TRIXIE, PATENT, YANKEE, etc.,
# sont ainsi prédéfinies"): every fold from doubles (or singles for PATENT and the LUCKY
# bets) up to the accumulator of all selections. Its "systèmes 5/6" are the 5-folds.
FORMULAS: dict[BetType, Formula] = {
    BetType.TRIXIE: _from(3, 2),
    BetType.PATENT: _from(3, 1),
    BetType.YANKEE: _from(4, 2),
    BetType.LUCKY15: _from(4, 1, lucky=True),
    BetType.CANADIAN: _from(5, 2),
    BetType.LUCKY31: _from(5, 1, lucky=True),
    BetType.HEINZ: _from(6, 2),
    BetType.LUCKY63: _from(6, 1, lucky=True),
    BetType.SUPERHEINZ: _from(7, 2),
    BetType.GOLIATH: _from(8, 2),
}


class StakeMode(str, Enum):
    LINE = "line"  # the amount is MiseBase: total = lines x amount (the annex's convention)
    TOTAL = "total"  # the amount is split over the lines (see games.betslip.stakes)


@dataclass(frozen=True)
class Stake:
    amount: Decimal
    mode: StakeMode = StakeMode.LINE

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite() or self.amount <= 0:
            raise SlipError("stake", f"must be a positive amount, got {self.amount!r}")
        if not is_whole_cents(self.amount):
            raise SlipError("stake", f"must be whole cents, got {self.amount}")


@dataclass(frozen=True)
class Choice:
    """One prognosis on a leg (a PronoSp) at its decimal odds (its Cote)."""

    odds: Fraction
    ref: str | None = None  # the server's own id for the prognosis, carried to PASPMISE

    def __post_init__(self) -> None:
        if not isinstance(self.odds, Fraction) or self.odds <= 1:
            raise SlipError("odds", f"decimal odds must be a Fraction above 1, got {self.odds!r}")


@dataclass(frozen=True)
class Leg:
    choices: tuple[Choice, ...]
    banker: bool = False
    fixture: str | None = None  # legs on one fixture must not meet in a line (checks.py)
    place_fraction: Fraction | None = None  # each-way terms for this leg (overrides the slip's)
    ref: str | None = None  # the server's id for the LigSp

    def __post_init__(self) -> None:
        if not self.choices:
            raise SlipError("choices", "a leg needs at least one prognosis")
        if self.place_fraction is not None:
            _check_place_fraction("place_fraction", self.place_fraction)


@dataclass(frozen=True)
class EachWay:
    """Each line twice, same stake: at the win odds, and at the place terms' odds."""

    place_fraction: Fraction | None = None  # default terms; a leg's own terms win

    def __post_init__(self) -> None:
        if self.place_fraction is not None:
            _check_place_fraction("each_way.place_fraction", self.place_fraction)


@dataclass(frozen=True)
class LuckyBonus:
    """The operator's LUCKY15/31/63 offer (see games.betslip.bonus)."""

    one_winner_odds_multiplier: Fraction = Fraction(1)
    all_winners_bonus_pct: Fraction = Fraction(0)
    requires_all_run: bool = True

    def __post_init__(self) -> None:
        if self.one_winner_odds_multiplier < 1:
            raise SlipError("lucky_bonus.one_winner_odds_multiplier", "must be at least 1")
        if self.all_winners_bonus_pct < 0:
            raise SlipError("lucky_bonus.all_winners_bonus_pct", "must not be negative")


@dataclass(frozen=True)
class CustomPart:
    """One PaSp of a custom system: a Combi over some of the slip's (non-banker) legs."""

    combi: BetType
    legs: tuple[int, ...]
    x: int | None = None


@dataclass(frozen=True)
class Slip:
    bet_type: BetType
    legs: tuple[Leg, ...]
    stake: Stake
    x: int | None = None
    perm: bool = False  # a named bet over more selections: every named bet of its size
    custom: tuple[CustomPart, ...] = ()
    each_way: EachWay | None = None
    lucky_bonus: LuckyBonus | None = None
    # legs[i].banker is read through these two, computed once
    bankers: tuple[int, ...] = field(init=False, repr=False, compare=False)
    selections: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bankers", tuple(i for i, leg in enumerate(self.legs) if leg.banker))
        object.__setattr__(self, "selections", tuple(i for i, leg in enumerate(self.legs) if not leg.banker))
        _validate(self)

    def place_fraction(self, leg: int) -> Fraction:
        """The place terms of a leg in an each-way slip."""
        own = self.legs[leg].place_fraction
        if own is not None:
            return own
        assert self.each_way is not None and self.each_way.place_fraction is not None
        return self.each_way.place_fraction


def _check_place_fraction(name: str, value: Fraction) -> None:
    if not isinstance(value, Fraction) or not 0 < value <= 1:
        raise SlipError(name, f"place terms are a fraction of the odds in (0, 1], got {value!r}")


def _validate(slip: Slip) -> None:
    if not slip.legs:
        raise SlipError("legs", "a slip needs at least one leg")
    kind = slip.bet_type
    if slip.x is not None and kind is not BetType.XY:
        raise SlipError("x", f"only an XY bet takes x, not {kind.value}")
    if slip.perm and kind not in FORMULAS:
        raise SlipError("perm", "only a named bet (TRIXIE to GOLIATH) is permed")
    if slip.custom and kind is not BetType.CUSTOM:
        raise SlipError("combinations", "only a CUSTOM bet lists its combinations")
    if slip.bankers and kind in (BetType.S, BetType.C):
        # bwin help: banker tips go with system bets only, not singles or accumulators
        # (a banker in an accumulator changes nothing; in a single it makes a double)
        raise SlipError(f"legs[{slip.bankers[0]}].banker", "a banker only goes with a system bet")
    if not slip.selections:
        raise SlipError("legs", "every leg is a banker: a system needs legs to combine")
    n = len(slip.selections)
    if kind is BetType.C and n < 2:
        # annex: a combined bet is "formé à partir d'au moins deux pronostics distincts"
        raise SlipError("legs", "an accumulator (C) needs at least two legs")
    if kind is BetType.XY:
        _validate_xy("x", slip.x, n)
    if kind in FORMULAS:
        wanted = FORMULAS[kind].selections
        if n < wanted or (n > wanted and not slip.perm):
            extra = ", or perm over more" if n > wanted else ""
            raise SlipError("legs", f"a {kind.value} takes {wanted} selections{extra} (bankers aside), got {n}")
    if kind is BetType.CUSTOM:
        _validate_custom(slip)
    _validate_each_way(slip)
    _validate_lucky(slip)


def _validate_xy(name: str, x: int | None, y: int, legs: str = "legs") -> None:
    if not isinstance(x, int) or isinstance(x, bool):
        raise SlipError(name, "an XY bet needs x, a whole number")
    # annex: "X sur Y, avec X < Y" over "Y pronostics de résultats, avec Y >= 3";
    # X = Y is an accumulator (Combi C)
    if y < 3:
        raise SlipError(legs, f"an X sur Y system needs Y >= 3 legs (bankers aside), got {y}")
    if not 1 <= x < y:
        raise SlipError(name, f"X sur Y needs 1 <= X < Y, got X = {x}, Y = {y}")


def _validate_custom(slip: Slip) -> None:
    if not slip.custom:
        raise SlipError("combinations", "a CUSTOM bet lists at least one combination")
    for p, part in enumerate(slip.custom):
        where = f"combinations[{p}]"
        if part.combi is BetType.CUSTOM:
            raise SlipError(f"{where}.combi", "a combination is S, C, XY or a named bet")
        if len(set(part.legs)) != len(part.legs):
            raise SlipError(f"{where}.legs", "a leg is listed twice")
        for leg in part.legs:
            if not isinstance(leg, int) or isinstance(leg, bool) or not 0 <= leg < len(slip.legs):
                raise SlipError(f"{where}.legs", f"no leg {leg!r} on the slip")
            if slip.legs[leg].banker:
                raise SlipError(f"{where}.legs", f"leg {leg} is a banker: bankers join every combination by themselves")
        if part.x is not None and part.combi is not BetType.XY:
            raise SlipError(f"{where}.x", "only an XY combination takes x")
        k = len(part.legs)
        if part.combi is BetType.S:
            if k != 1:
                # annex: LigSp is "unique dans le cas d'un pari simple"
                raise SlipError(f"{where}.legs", "an S combination is one leg (XY with x = 1 covers several)")
            if slip.bankers:
                raise SlipError(f"{where}.combi", "a banker would turn this single into a double")
        elif part.combi is BetType.C and k < 2:
            raise SlipError(f"{where}.legs", "an accumulator (C) needs at least two legs")
        elif part.combi is BetType.XY:
            _validate_xy(f"{where}.x", part.x, k, f"{where}.legs")
        elif part.combi in FORMULAS and k != FORMULAS[part.combi].selections:
            raise SlipError(f"{where}.legs",
                            f"a {part.combi.value} takes {FORMULAS[part.combi].selections} legs, got {k}")
    sizes = [custom_sizes(part) for part in slip.custom]
    for (a, first), (b, second) in combinations(enumerate(slip.custom), 2):
        shared = len(set(first.legs) & set(second.legs))
        if any(size <= shared for size in set(sizes[a]) & set(sizes[b])):
            # the same line staked twice is a slip built by mistake, and the annex's
            # PaSp list would describe one combination twice
            raise SlipError(f"combinations[{b}]", f"repeats lines of combinations[{a}]")


def custom_sizes(part: CustomPart) -> tuple[int, ...]:
    """The fold sizes (bankers aside) of one combination of a custom system."""
    if part.combi is BetType.S:
        return (1,)
    if part.combi is BetType.C:
        return (len(part.legs),)
    if part.combi is BetType.XY:
        assert part.x is not None
        return (part.x,)
    return FORMULAS[part.combi].sizes


def _validate_each_way(slip: Slip) -> None:
    if slip.each_way is None:
        for i, leg in enumerate(slip.legs):
            if leg.place_fraction is not None:
                raise SlipError(f"legs[{i}].place_fraction", "place terms need an each-way slip")
        return
    if slip.each_way.place_fraction is None:
        for i, leg in enumerate(slip.legs):
            if leg.place_fraction is None:
                raise SlipError(f"legs[{i}].place_fraction", "an each-way slip needs place terms for every leg")


def _validate_lucky(slip: Slip) -> None:
    if slip.lucky_bonus is None:
        return
    formula = FORMULAS.get(slip.bet_type)
    if formula is None or not formula.lucky:
        raise SlipError("lucky_bonus", "the LUCKY bonuses go with LUCKY15, LUCKY31 and LUCKY63 only")
    if slip.bankers:
        # "the single on the one winner" does not exist when a banker joins every line
        raise SlipError("lucky_bonus", "a LUCKY bet with bankers has no singles to pay at bonus odds")
    for i, leg in enumerate(slip.legs):
        if len(leg.choices) > 1:
            # the bonuses count winning selections; with several prognoses per leg a
            # "selection" is no longer one thing
            raise SlipError(f"legs[{i}].choices", "the LUCKY bonuses need one prognosis per leg")

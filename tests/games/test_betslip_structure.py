"""Bet types, their lines and stakes, and the slips that are not bets."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal as D
from fractions import Fraction as F
from math import comb

import pytest

from games.betslip import (
    FORMULAS,
    BetType,
    Choice,
    CustomPart,
    EachWay,
    Leg,
    LuckyBonus,
    Slip,
    SlipError,
    Stake,
    StakeMode,
    price,
)
from games.betslip.lines import iter_lines


def leg(*odds: str, banker: bool = False) -> Leg:
    return Leg(tuple(Choice(F(o)) for o in odds or ("2.00",)), banker=banker)


def slip(kind: BetType, n: int, **fields: object) -> Slip:
    return Slip(kind, tuple(leg() for _ in range(n)), Stake(D("1.00")), **fields)  # type: ignore[arg-type]


def fold_sizes(s: Slip) -> Counter[int]:
    """How many lines of each size (legs in the line), counted one by one."""
    sizes: Counter[int] = Counter()
    for bet in price(s).bets:
        for component in bet.components:
            for line in iter_lines(component, s):
                sizes[len(line.picks)] += 1
    return sizes


# The annex's table, 1.3.4.a.1 (seeds/004 line 2739): lines and their kinds.
ANNEX_TABLE = {
    BetType.TRIXIE: (3, 4, {2: 3, 3: 1}),
    BetType.PATENT: (3, 7, {1: 3, 2: 3, 3: 1}),
    BetType.YANKEE: (4, 11, {2: 6, 3: 4, 4: 1}),
    BetType.LUCKY15: (4, 15, {1: 4, 2: 6, 3: 4, 4: 1}),
    BetType.CANADIAN: (5, 26, {2: 10, 3: 10, 4: 5, 5: 1}),
    BetType.LUCKY31: (5, 31, {1: 5, 2: 10, 3: 10, 4: 5, 5: 1}),
    BetType.HEINZ: (6, 57, {2: 15, 3: 20, 4: 15, 5: 6, 6: 1}),
    BetType.LUCKY63: (6, 63, {1: 6, 2: 15, 3: 20, 4: 15, 5: 6, 6: 1}),
    BetType.SUPERHEINZ: (7, 120, {2: 21, 3: 35, 4: 35, 5: 21, 6: 7, 7: 1}),
    BetType.GOLIATH: (8, 247, {2: 28, 3: 56, 4: 70, 5: 56, 6: 28, 7: 8, 8: 1}),
}


@pytest.mark.parametrize("kind", list(ANNEX_TABLE))
def test_named_bets_follow_the_annex_table(kind: BetType) -> None:
    selections, lines, kinds = ANNEX_TABLE[kind]
    assert FORMULAS[kind].selections == selections
    s = slip(kind, selections)
    assert price(s).lines == lines
    assert fold_sizes(s) == Counter(kinds)
    assert price(s).total_stake == D(lines)


def test_only_the_lucky_bets_are_lucky() -> None:
    assert {kind for kind, formula in FORMULAS.items() if formula.lucky} == {BetType.LUCKY15, BetType.LUCKY31,
                                                                             BetType.LUCKY63}


@pytest.mark.parametrize("x,y", [(1, 3), (2, 3), (2, 4), (3, 5), (4, 7), (5, 8)])
def test_x_sur_y_is_c_of_y_x_lines(x: int, y: int) -> None:
    s = slip(BetType.XY, y, x=x)
    assert price(s).lines == comb(y, x) == fold_sizes(s)[x]


def test_singles_accumulator_and_several_prognoses() -> None:
    assert price(slip(BetType.S, 5)).lines == 5
    assert len(price(slip(BetType.S, 5)).bets) == 5  # several singles: several bets
    assert price(slip(BetType.C, 5)).lines == 1
    # annex example 4b: 3 x 1 x 1 x 2 x 2 prognoses, an accumulator of 12 lines
    grid = Slip(BetType.C, (leg("2", "3", "4"), leg(), leg(), leg("2", "3"), leg("2", "3")), Stake(D("2.00")))
    assert (price(grid).lines, price(grid).total_stake) == (12, D("24.00"))
    # singles on a two-prognosis leg: two singles, two bets
    assert price(Slip(BetType.S, (leg("2", "3"),), Stake(D("1.00")))).lines == 2
    # a YANKEE with a two-prognosis leg: the lines holding that leg double.
    # 11 lines, 3 doubles + 3 trebles + 1 four-fold hold leg 0: 11 + 7 = 18
    yankee = Slip(BetType.YANKEE, (leg("2", "3"), leg(), leg(), leg()), Stake(D("1.00")))
    assert price(yankee).lines == 18 == sum(fold_sizes(yankee).values())


def test_bankers_join_every_line_and_are_not_counted_in_x_and_y() -> None:
    # bwin help: a 2/3 system with a banker wins when two tips and the banker are right
    s = Slip(BetType.XY, (leg(banker=True), leg(), leg(), leg()), Stake(D("1.00")), x=2)
    assert price(s).lines == 3
    assert all(line.picks[0][0] == 0 and len(line.picks) == 3
               for line in iter_lines(price(s).bets[0].components[0], s))
    # two bankers with a YANKEE: 11 lines of 4 to 6 legs
    yankee = Slip(BetType.YANKEE, (leg(banker=True), *(leg() for _ in range(4)), leg(banker=True)),
                  Stake(D("1.00")))
    assert fold_sizes(yankee) == Counter({4: 6, 5: 4, 6: 1})


def test_named_bet_permed_over_more_selections() -> None:
    # a YANKEE permed over 5 selections: the C(5, 4) = 5 YANKEEs, 55 lines
    s = slip(BetType.YANKEE, 5, perm=True)
    assert (price(s).lines, price(s).total_stake) == (55, D("55.00"))
    # each double is in C(3, 2) = 3 of them: 10 doubles x 3 = 30; trebles 10 x 2 = 20; 5 four-folds
    assert fold_sizes(s) == Counter({2: 30, 3: 20, 4: 5})
    assert price(slip(BetType.TRIXIE, 4, perm=True)).lines == 4 * 4


def test_custom_system_is_the_union_of_its_combinations() -> None:
    # annex example 6's alternative: C + XY 2/3 over the same three legs is a TRIXIE
    s = slip(BetType.CUSTOM, 3, custom=(CustomPart(BetType.C, (0, 1, 2)), CustomPart(BetType.XY, (0, 1, 2), 2)))
    assert fold_sizes(s) == fold_sizes(slip(BetType.TRIXIE, 3))
    # a single, a double elsewhere, a TRIXIE on the rest; bankers join them all
    mixed = slip(BetType.CUSTOM, 6, custom=(CustomPart(BetType.S, (0,)), CustomPart(BetType.C, (1, 2)),
                                            CustomPart(BetType.TRIXIE, (3, 4, 5))))
    assert fold_sizes(mixed) == Counter({1: 1, 2: 4, 3: 1})
    assert len(price(mixed).bets) == 1  # one PASPMISE with three PaSp


def test_stake_per_line_and_total_stake_split() -> None:
    line = price(Slip(BetType.YANKEE, tuple(leg() for _ in range(4)), Stake(D("1.50"))))
    assert (line.line_stake, line.total_stake, line.unstaked) == (D("1.50"), D("16.50"), D("0.00"))
    # 10.00 over 11 lines: 0.909... -> 0.90 a line, 9.90 staked, 0.10 left with the player
    total = price(Slip(BetType.YANKEE, tuple(leg() for _ in range(4)), Stake(D("10.00"), StakeMode.TOTAL)))
    assert (total.line_stake, total.total_stake, total.unstaked) == (D("0.90"), D("9.90"), D("0.10"))
    even = price(Slip(BetType.YANKEE, tuple(leg() for _ in range(4)), Stake(D("11.00"), StakeMode.TOTAL)))
    assert (even.line_stake, even.total_stake, even.unstaked) == (D("1.00"), D("11.00"), D("0.00"))
    # each-way: 22 lines for a YANKEE
    ew = price(Slip(BetType.YANKEE, tuple(leg() for _ in range(4)), Stake(D("22.00"), StakeMode.TOTAL),
                    each_way=EachWay(F(1, 4))))
    assert (ew.lines, ew.line_stake, ew.total_stake) == (22, D("1.00"), D("22.00"))
    with pytest.raises(SlipError, match="less than a cent a line") as error:
        price(Slip(BetType.LUCKY15, tuple(leg() for _ in range(4)), Stake(D("0.10"), StakeMode.TOTAL)))
    assert error.value.field == "stake"


def four() -> tuple[Leg, ...]:
    return tuple(leg() for _ in range(4))


@pytest.mark.parametrize("make,field,message", [
    (lambda: Slip(BetType.S, (), Stake(D("1"))), "legs", "at least one leg"),
    (lambda: Slip(BetType.C, (leg(),), Stake(D("1"))), "legs", "at least two legs"),
    (lambda: Slip(BetType.XY, four(), Stake(D("1"))), "x", "needs x"),
    (lambda: Slip(BetType.XY, four(), Stake(D("1")), x=4), "x", "1 <= X < Y"),
    (lambda: Slip(BetType.XY, four()[:2], Stake(D("1")), x=1), "legs", "Y >= 3"),
    (lambda: Slip(BetType.C, four(), Stake(D("1")), x=2), "x", "only an XY"),
    (lambda: Slip(BetType.YANKEE, four()[:3], Stake(D("1"))), "legs", "takes 4 selections"),
    (lambda: Slip(BetType.YANKEE, (*four(), leg()), Stake(D("1"))), "legs", "or perm over more"),
    (lambda: Slip(BetType.XY, four(), Stake(D("1")), x=2, perm=True), "perm", "named bet"),
    (lambda: Slip(BetType.C, (leg(banker=True), leg(), leg()), Stake(D("1"))), "legs[0].banker", "system"),
    (lambda: Slip(BetType.S, (leg(), leg(banker=True)), Stake(D("1"))), "legs[1].banker", "system"),
    (lambda: Slip(BetType.XY, (leg(banker=True),) * 4, Stake(D("1")), x=2), "legs", "every leg is a banker"),
    (lambda: Slip(BetType.S, (leg(),), Stake(D("0.001"))), "stake", "whole cents"),
    (lambda: Slip(BetType.S, (leg(),), Stake(D("0"))), "stake", "positive"),
    (lambda: Slip(BetType.S, (Leg((Choice(F(1)),)),), Stake(D("1"))), "odds", "above 1"),
    (lambda: Slip(BetType.S, (Leg(()),), Stake(D("1"))), "choices", "at least one"),
    (lambda: Slip(BetType.S, (leg(),), Stake(D("1")), each_way=EachWay()), "legs[0].place_fraction",
     "every leg"),
    (lambda: Slip(BetType.S, (Leg((Choice(F(2)),), place_fraction=F(1, 4)),), Stake(D("1"))),
     "legs[0].place_fraction", "each-way"),
    (lambda: Slip(BetType.S, (leg(),), Stake(D("1")), each_way=EachWay(F(3, 2))), "each_way.place_fraction",
     "(0, 1]"),
    (lambda: Slip(BetType.YANKEE, four(), Stake(D("1")), lucky_bonus=LuckyBonus()), "lucky_bonus", "LUCKY15"),
    (lambda: Slip(BetType.LUCKY15, (leg("2", "3"), *four()[1:]), Stake(D("1")), lucky_bonus=LuckyBonus()),
     "legs[0].choices", "one prognosis"),
    (lambda: Slip(BetType.LUCKY15, (*four(), leg(banker=True)), Stake(D("1")), lucky_bonus=LuckyBonus()),
     "lucky_bonus", "bankers"),
    (lambda: Slip(BetType.CUSTOM, four(), Stake(D("1"))), "combinations", "at least one"),
    (lambda: Slip(BetType.C, four(), Stake(D("1")), custom=(CustomPart(BetType.C, (0, 1)),)), "combinations",
     "only a CUSTOM"),
    (lambda: Slip(BetType.CUSTOM, four(), Stake(D("1")), custom=(CustomPart(BetType.C, (0, 7)),)),
     "combinations[0].legs", "no leg 7"),
    (lambda: Slip(BetType.CUSTOM, four(), Stake(D("1")), custom=(CustomPart(BetType.C, (0, 0)),)),
     "combinations[0].legs", "twice"),
    (lambda: Slip(BetType.CUSTOM, four(), Stake(D("1")), custom=(CustomPart(BetType.S, (0, 1)),)),
     "combinations[0].legs", "one leg"),
    (lambda: Slip(BetType.CUSTOM, four(), Stake(D("1")), custom=(CustomPart(BetType.TRIXIE, (0, 1)),)),
     "combinations[0].legs", "takes 3"),
    (lambda: Slip(BetType.CUSTOM, four(), Stake(D("1")),
                  custom=(CustomPart(BetType.XY, (0, 1, 2), 2), CustomPart(BetType.C, (1, 2)))),
     "combinations[1]", "repeats lines of combinations[0]"),
    (lambda: Slip(BetType.CUSTOM, (leg(banker=True), *four()), Stake(D("1")),
                  custom=(CustomPart(BetType.C, (0, 1)),)), "combinations[0].legs", "banker"),
])
def test_what_is_not_a_bet_is_refused_naming_the_field(make, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SlipError, match=re.escape(message)) as error:
        make()
    assert error.value.field == field

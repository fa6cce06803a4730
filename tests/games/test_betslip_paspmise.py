"""What a slip puts in its PASPMISE records, and that frontal's builder accepts it."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from frontal.builders import pasp
from frontal.builders.header import Header
from games.betslip import (
    BetType,
    Choice,
    CustomPart,
    EachWay,
    Leg,
    PaspBet,
    Part,
    Slip,
    SlipRefused,
    Stake,
    paspmise_bets,
)


def leg(*odds: str, banker: bool = False) -> Leg:
    return Leg(tuple(Choice(F(o), ref=f"prono-{o}") for o in odds), banker=banker, ref=f"leg-{odds[0]}")


CHELSEA, DORTMUND, OLYMPIAKOS = leg("1.65"), leg("1.70"), leg("1.95")


def shape(bet: PaspBet) -> list[tuple[str, int | None, int, list[tuple[int, bool, list[str]]]]]:
    return [(c.combi, c.x, c.combinations, [(line.leg, line.banque, [str(p.cote) for p in line.prognoses])
                                            for line in c.lines]) for c in bet.combinations]


def test_singles_are_one_paspmise_each() -> None:
    # annex example 2: a three-single coupon makes three PASPMISE, each Combi S, one LigSp
    bets = paspmise_bets(Slip(BetType.S, (CHELSEA, DORTMUND, OLYMPIAKOS), Stake(D("1.30"))))
    assert [shape(bet) for bet in bets] == [[("S", None, 1, [(0, False, ["1.65"])])],
                                            [("S", None, 1, [(1, False, ["1.70"])])],
                                            [("S", None, 1, [(2, False, ["1.95"])])]]
    assert [(bet.mise, bet.combinations[0].mise_base) for bet in bets] == [(D("1.30"), D("1.30"))] * 3
    assert bets[0].combinations[0].lines[0].ref == "leg-1.65"
    assert bets[0].combinations[0].lines[0].prognoses[0].ref == "prono-1.65"


def test_accumulator_with_two_prognoses_on_a_leg() -> None:
    # annex example 4a: one PaSp C, Chelsea's LigSp with two PronoSp (1.65, 3.40), 2 lines,
    # MiseBase 1.50, Mise 3.00
    (bet,) = paspmise_bets(Slip(BetType.C, (leg("1.65", "3.40"), DORTMUND, OLYMPIAKOS), Stake(D("1.50"))))
    assert shape(bet) == [("C", None, 2, [(0, False, ["1.65", "3.40"]), (1, False, ["1.70"]),
                                          (2, False, ["1.95"])])]
    assert (bet.mise, bet.lines, bet.combinations[0].mise_base) == (D("3.00"), 2, D("1.50"))


def test_systems_named_and_xy() -> None:
    # annex examples 5 and 6: XY with X = 2; TRIXIE without X; Mise = MiseBase x lines
    (xy,) = paspmise_bets(Slip(BetType.XY, (CHELSEA, DORTMUND, OLYMPIAKOS), Stake(D("1.50")), x=2))
    assert [(c.combi, c.x, c.combinations) for c in xy.combinations] == [("XY", 2, 3)]
    assert xy.mise == D("4.50")
    (trixie,) = paspmise_bets(Slip(BetType.TRIXIE, (CHELSEA, DORTMUND, OLYMPIAKOS), Stake(D("1.50"))))
    assert [(c.combi, c.x, c.combinations) for c in trixie.combinations] == [("TRIXIE", None, 4)]
    assert trixie.mise == D("6.00")


def test_custom_system_lists_its_pasp() -> None:
    # annex example 6's alternative: PaSp C then PaSp XY (X = 2), both over the three legs
    slip = Slip(BetType.CUSTOM, (CHELSEA, DORTMUND, OLYMPIAKOS), Stake(D("1.50")),
                custom=(CustomPart(BetType.C, (0, 1, 2)), CustomPart(BetType.XY, (0, 1, 2), 2)))
    (bet,) = paspmise_bets(slip)
    assert [(c.combi, c.x, c.combinations, c.mise_base) for c in bet.combinations] == [
        ("C", None, 1, D("1.50")), ("XY", 2, 3, D("1.50"))]
    assert bet.mise == D("6.00")


def test_perm_lists_each_named_bet_and_bankers_are_flagged() -> None:
    five = tuple(leg(f"{2 + i}.00") for i in range(5))
    (bet,) = paspmise_bets(Slip(BetType.YANKEE, five, Stake(D("1.00")), perm=True))
    assert [(c.combi, c.combinations, [line.leg for line in c.lines]) for c in bet.combinations] == [
        ("YANKEE", 11, [0, 1, 2, 3]), ("YANKEE", 11, [0, 1, 2, 4]), ("YANKEE", 11, [0, 1, 3, 4]),
        ("YANKEE", 11, [0, 2, 3, 4]), ("YANKEE", 11, [1, 2, 3, 4])]
    assert bet.mise == D("55.00")
    # a banker in the middle of a 2/3: four LigSp in slip order, the banker flagged Banque
    (system,) = paspmise_bets(Slip(BetType.XY, (CHELSEA, leg("1.26", banker=True), DORTMUND, OLYMPIAKOS),
                                   Stake(D("1.00")), x=2))
    assert shape(system) == [("XY", 2, 3, [(0, False, ["1.65"]), (1, True, ["1.26"]), (2, False, ["1.70"]),
                                           (3, False, ["1.95"])])]


def test_each_way_adds_the_place_part_at_place_odds() -> None:
    # 7/4 each way at 1/4 terms: place odds 1 + 7/4 x 1/4 = 1.4375; 8/13 shows 1.62 (rounded)
    slip = Slip(BetType.C, (Leg((Choice(F(11, 4)),)), Leg((Choice(F(21, 13)),))), Stake(D("2.00")),
                each_way=EachWay(F(1, 4)))
    (bet,) = paspmise_bets(slip)
    assert [(c.combi, c.part, c.combinations) for c in bet.combinations] == [("C", Part.WIN, 1), ("C", Part.PLACE, 1)]
    win, place = bet.combinations
    assert [(p.cote, p.cote_exact) for line in win.lines for p in line.prognoses] == [(D("2.75"), True),
                                                                                     (D("1.62"), False)]
    # place: 1 + 7/16 = 1.4375; 1 + 8/13 x 1/4 = 1 + 2/13 = 1.1538... shown 1.15
    assert [(p.cote, p.odds) for line in place.lines for p in line.prognoses] == [(D("1.4375"), F(23, 16)),
                                                                                 (D("1.15"), F(15, 13))]
    assert bet.mise == D("4.00")


def test_beyond_the_annex_limits_is_refused() -> None:
    with pytest.raises(SlipRefused, match="65 legs") as error:
        paspmise_bets(Slip(BetType.C, tuple(leg("2") for _ in range(65)), Stake(D("1"))))
    assert error.value.code == "annex_limit"
    # GOLIATH permed over 12: C(12, 8) = 495 PaSp
    with pytest.raises(SlipRefused, match="495 combinations"):
        paspmise_bets(Slip(BetType.GOLIATH, tuple(leg("2") for _ in range(12)), Stake(D("1")), perm=True))
    with pytest.raises(SlipRefused, match="65 prognoses"):
        paspmise_bets(Slip(BetType.C, (Leg(tuple(Choice(F(2)) for _ in range(65))), leg("2")), Stake(D("1"))))


def test_frontal_builder_accepts_what_the_slip_gives() -> None:
    """The server's mapping in miniature: the neutral records become frontal's dataclasses,
    and build_paspmise validates them against the annex's XSD."""
    slip = Slip(BetType.CUSTOM, (leg("1.65", "3.40"), leg("1.26", banker=True), DORTMUND, OLYMPIAKOS),
                Stake(D("0.50")), custom=(CustomPart(BetType.C, (0, 2, 3)), CustomPart(BetType.XY, (0, 2, 3), 2)),
                each_way=EachWay(F(1, 5)))
    (bet,) = paspmise_bets(slip)
    header = Header("4512", datetime(2011, 12, 4, 10, 17, 3, tzinfo=timezone.utc), 1903810, "9G3912JF",
                    "9853E488E24120BC18F9A650AED9CEE0FF72B09E", "638604", "192.0.2.42", 1)
    combinations = tuple(
        pasp.Combination(
            combi=c.combi, x=c.x, mise_base=c.mise_base,
            lines=tuple(pasp.BetLine(
                renc=f"MATCH {line.leg}", tech=f"1234:{line.leg}", sport="FOO", evnt="NT95S",
                date=datetime(2011, 12, 6, 19, 45, tzinfo=timezone.utc), banque=line.banque,
                prognostics=tuple(pasp.Prognostic((pasp.ElementaryPrognostic("HGY5U", f"TEAM{p.choice}"),), p.cote)
                                  for p in line.prognoses)) for line in c.lines))
        for c in bet.combinations)
    record = pasp.build_paspmise(header, pasp.SportsBet("CFUDIP4B", combinations,
                                                        solde=pasp.BalanceMove(D("47.33"), bet.mise,
                                                                               D("47.33") - bet.mise)))
    # lines, the banker in each: C over Chelsea (2 prognoses), Dortmund, Olympiakos: 2;
    # XY 2/3 over the same: Chelsea-Dortmund 2, Chelsea-Olympiakos 2, Dortmund-Olympiakos 1:
    # 5. 7 lines a part, 14 with the place part: 14 x 0.50 = 7.00
    assert (bet.lines, bet.mise) == (14, D("7.00"))
    assert [node.findtext("Combi") for node in record.findall("PaSp")] == ["C", "XY", "C", "XY"]
    assert record.findtext("Mise") == "7.00"
    assert [node.findtext("Cote") for node in record.find("PaSp").findall("LigSp")] == ["1.65", "1.26", "1.70",
                                                                                       "1.95"]
    assert len(record.find("PaSp").find("LigSp").findall("PronoSp")) == 2
    assert record.find("PaSp").findall("LigSp")[1].find("Banque") is not None

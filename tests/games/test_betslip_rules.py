"""Settlement rules one by one: void, dead heat, Rule 4, each-way, half stakes, open legs,
LUCKY bonuses, payout caps, rounding. Figures worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F
from typing import Any

import pytest

from games.betslip import (
    BetType,
    CapBasis,
    CapScope,
    Choice,
    DeadHeat,
    EachWay,
    Leg,
    LuckyBonus,
    Method,
    Outcome,
    PayoutCap,
    Result,
    Rounding,
    Settlement,
    SettlementRules,
    Slip,
    SlipError,
    Stake,
    read_request,
    settle,
)

W, L, V, P, O = (Outcome(r) for r in (Result.WIN, Result.LOSE, Result.VOID, Result.PLACE, Result.OPEN))


def make(kind: BetType, *odds: str, stake: str = "1.00", **fields: Any) -> Slip:
    return Slip(kind, tuple(Leg((Choice(F(o)),)) for o in odds), Stake(D(stake)), **fields)


def run(slip: Slip, *outcomes: Outcome, rules: SettlementRules = SettlementRules()) -> Settlement:
    return settle(slip, tuple((o,) for o in outcomes), rules)


def test_void_legs_count_at_odds_one() -> None:
    # a void single returns its stake; a void leg in a double leaves a single at 3.00
    assert run(make(BetType.S, "3.00", stake="5.00"), V).total_return == D("5.00")
    assert run(make(BetType.C, "2.00", "3.00", stake="5.00"), V, W).total_return == D("15.00")
    # every leg of an accumulator void: the stake back
    assert run(make(BetType.C, "2.00", "3.00", stake="5.00"), V, V).total_return == D("5.00")


def test_dead_heat_and_rule4_together() -> None:
    # 10.00 at 5.00 with a 20p Rule 4 and a two-way dead heat for the win:
    # net odds 4 x 0.80 = 3.20, so 4.20; half the stake: 10 x 4.20 / 2 = 21.00
    outcome = Outcome(Result.WIN, dead_heat=DeadHeat(2, 1), rule4=F("0.2"))
    assert run(make(BetType.S, "5.00", stake="10.00"), outcome).total_return == D("21.00")


def test_place_result_loses_a_win_only_bet() -> None:
    assert run(make(BetType.S, "5.00"), P).total_return == D("0.00")


def test_each_way_place_dead_heat_and_void() -> None:
    # 10.00 each way at 9.00 (8/1), 1/4 terms: placed, dead heat for the last place with one
    # other: place odds 1 + 8/4 = 3.00, half the stake: 10 x 3.00 / 2 = 15.00
    slip = make(BetType.S, "9.00", stake="10.00", each_way=EachWay(F(1, 4)))
    assert run(slip, Outcome(Result.PLACE, place_dead_heat=DeadHeat(2, 1))).total_return == D("15.00")
    # a non-runner: both parts void, 20.00 back
    assert run(slip, V).total_return == D("20.00")
    # an each-way double, both win, 1/5 terms at 6.00 and 11.00: win 6 x 11 = 66,
    # place (1 + 5/5) x (1 + 10/5) = 2 x 3 = 6: 72.00 for 2.00
    double = make(BetType.C, "6.00", "11.00", each_way=EachWay(F(1, 5)))
    settled = run(double, W, W)
    assert (settled.lines, settled.total_stake, settled.total_return) == (2, D("2.00"), D("72.00"))
    # first placed only: the win double loses, the place double pays 2 x 3 = 6
    assert run(double, P, W).total_return == D("6.00")


def test_leg_place_terms_override_the_slips() -> None:
    # 1.00 each way double: 5.00 at the slip's 1/4 (place 2.00), 5.00 at its own 1/5 (1.80)
    slip = Slip(BetType.C, (Leg((Choice(F(5)),)), Leg((Choice(F(5)),), place_fraction=F(1, 5))), Stake(D("1.00")),
                each_way=EachWay(F(1, 4)))
    # win 25, place 2 x 1.8 = 3.6
    assert run(slip, W, W).total_return == D("28.60")


def test_open_legs_current_and_maximum_return() -> None:
    # TRIXIE 1.50 on 1.65 (won), 1.70 (open), 1.95 (lost): no line decided in the player's
    # favour yet: 0.00; at best the open leg wins: 1.65 x 1.70 x 1.50 = 4.2075 -> 4.20
    trixie = run(make(BetType.TRIXIE, "1.65", "1.70", "1.95", stake="1.50"), W, O, L)
    assert (trixie.total_return, trixie.max_return, trixie.open_prognoses) == (D("0.00"), D("4.20"), 1)
    assert not trixie.settled
    # LUCKY15 1.00: A 2.00 won, B 3.50 open, C and D lost: single A 2.00 already;
    # at best B wins too: 2.00 + 3.50 + 7.00 = 12.50
    lucky = run(make(BetType.LUCKY15, "2.00", "3.50", "4.00", "1.50"), W, O, L, L)
    assert (lucky.total_return, lucky.max_return) == (D("2.00"), D("12.50"))
    # a Rule 4 known before the race stays in the maximum: 10.00 at 4.00 less 20p: 34.00
    open_r4 = run(make(BetType.S, "4.00", stake="10.00"), Outcome(Result.OPEN, rule4=F("0.2")))
    assert (open_r4.total_return, open_r4.max_return) == (D("0.00"), D("34.00"))


def test_at_best_one_prognosis_of_an_open_leg_wins() -> None:
    # an accumulator with a leg on "home 2.00 or draw 3.00": both cannot happen; at best the
    # draw: 3.00 x 1.50 = 4.50 (not (2.00 + 3.00) x 1.50)
    slip = Slip(BetType.C, (Leg((Choice(F(2)), Choice(F(3)))), Leg((Choice(F("1.5")),))), Stake(D("1.00")))
    assert settle(slip).max_return == D("4.50")


def test_half_win_and_half_loss_single() -> None:
    # 10bet help: half the stake refunded, the other half won or lost. 10.00 at 1.90:
    # half-win 5 + 5 x 1.90 = 14.50; half-loss 5.00
    slip = make(BetType.S, "1.90", stake="10.00")
    assert run(slip, Outcome(Result.WIN, void_factor=F(1, 2))).total_return == D("14.50")
    assert run(slip, Outcome(Result.LOSE, void_factor=F(1, 2))).total_return == D("5.00")


# --- LUCKY bonuses ------------------------------------------------------------------------

DOUBLE_ODDS = LuckyBonus(one_winner_odds_multiplier=F(2))
TEN_PERCENT = LuckyBonus(all_winners_bonus_pct=F(10))


def test_lucky_bonus_touches_the_win_part_only() -> None:
    # each-way LUCKY15 at 1.00, four winners at 3.00 (2/1), 1/4 terms (place 1.50):
    # win part (4^4 - 1) = 255 for 15 staked: 10 % of 240 = 24; place part 2.5^4 - 1 = 38.0625
    # 255 + 24 + 38.0625 = 317.0625 -> 317.06 for 30.00
    slip = make(BetType.LUCKY15, "3", "3", "3", "3", each_way=EachWay(F(1, 4)), lucky_bonus=TEN_PERCENT)
    settled = run(slip, W, W, W, W)
    assert (settled.total_stake, settled.total_return) == (D("30.00"), D("317.06"))
    # one winner each way at double odds: win single 1 + 2 x 2 = 5, place single 1.50: 6.50
    one = make(BetType.LUCKY15, "3", "3", "3", "3", each_way=EachWay(F(1, 4)), lucky_bonus=DOUBLE_ODDS)
    assert run(one, W, L, L, L).total_return == D("6.50")


def test_double_odds_after_rule4_and_dead_heat() -> None:
    # the one winner at 5.00 (4/1) with a 20p Rule 4: net 4 x 0.8 = 3.2, doubled 6.4: 7.40
    slip = make(BetType.LUCKY15, "5", "2", "2", "2", lucky_bonus=DOUBLE_ODDS)
    assert run(slip, Outcome(Result.WIN, rule4=F("0.2")), L, L, L).total_return == D("7.40")
    # dead-heated two ways instead: (1 + 2 x 4) / 2 = 4.50
    assert run(slip, Outcome(Result.WIN, dead_heat=DeadHeat(2, 1)), L, L, L).total_return == D("4.50")


def test_all_winners_bonus_is_never_negative() -> None:
    # four winners at 1.10 each dead-heated four ways (factor 0.275): returns
    # 1.275^4 - 1 = 1.642... for 15 staked: no winnings, no bonus, no deduction
    slip = make(BetType.LUCKY15, "1.10", "1.10", "1.10", "1.10", lucky_bonus=TEN_PERCENT)
    heat = Outcome(Result.WIN, dead_heat=DeadHeat(4, 1))
    settled = run(slip, heat, heat, heat, heat)
    assert settled.bets[0].exact_return == F("1.275") ** 4 - 1


def test_lucky_bonus_in_a_perm_is_per_lucky_bet() -> None:
    # LUCKY15 permed over 5: 5 LUCKY15s. Only A (3.00) wins: A is in 4 of them, each with
    # one winner: 4 singles at double odds 1 + 2 x 2 = 5: 20.00 (12.00 without the bonus)
    slip = make(BetType.LUCKY15, "3", "2", "2", "2", "2", perm=True, lucky_bonus=DOUBLE_ODDS)
    assert run(slip, W, L, L, L, L).total_return == D("20.00")
    plain = make(BetType.LUCKY15, "3", "2", "2", "2", "2", perm=True)
    assert run(plain, W, L, L, L, L).total_return == D("12.00")


# --- payout cap ---------------------------------------------------------------------------


def test_payout_cap_per_bet_on_return_or_winnings() -> None:
    # 1.00 treble at 20 x 20 x 20 = 8000
    slip = make(BetType.C, "20", "20", "20")
    capped = run(slip, W, W, W, rules=SettlementRules(PayoutCap(D("5000"), CapBasis.RETURN)))
    assert capped.total_return == D("5000.00")
    winnings = run(slip, W, W, W, rules=SettlementRules(PayoutCap(D("5000"), CapBasis.WINNINGS)))
    assert winnings.total_return == D("5001.00")  # 5000 winnings + the 1.00 stake
    # the maximum return is capped too
    assert settle(slip, rules=SettlementRules(PayoutCap(D("5000"), CapBasis.RETURN))).max_return == D("5000.00")


def test_payout_cap_per_line_lists_the_lines_when_it_may_bind() -> None:
    # 2/3 at 1.00 on three 10.00 winners: three doubles of 100.00
    slip = make(BetType.XY, "10", "10", "10", x=2)
    per_line = run(slip, W, W, W, rules=SettlementRules(PayoutCap(D("50"), CapBasis.RETURN, CapScope.LINE)))
    assert (per_line.total_return, per_line.method) == (D("150.00"), Method.ENUMERATION)
    per_bet = run(slip, W, W, W, rules=SettlementRules(PayoutCap(D("50"), CapBasis.RETURN)))
    assert (per_bet.total_return, per_bet.method) == (D("50.00"), Method.CLOSED_FORM)
    # winnings basis per line: 50 + 1.00 a line
    assert run(slip, W, W, W, rules=SettlementRules(PayoutCap(D("50"), CapBasis.WINNINGS, CapScope.LINE))) \
        .total_return == D("153.00")
    # a cap no line can reach keeps the closed form
    loose = run(slip, W, W, W, rules=SettlementRules(PayoutCap(D("1000"), CapBasis.RETURN, CapScope.LINE)))
    assert (loose.total_return, loose.method) == (D("300.00"), Method.CLOSED_FORM)
    with pytest.raises(ValueError, match="closed form"):
        settle(slip, tuple((W,) for _ in range(3)),
               SettlementRules(PayoutCap(D("50"), CapBasis.RETURN, CapScope.LINE)), method=Method.CLOSED_FORM)


def test_payout_cap_per_bet_on_singles_caps_each_single() -> None:
    # two singles at 1.00 on 80.00 winners, 50 a bet: 50 + 50
    slip = make(BetType.S, "80", "80")
    assert run(slip, W, W, rules=SettlementRules(PayoutCap(D("50"), CapBasis.RETURN))).total_return == D("100.00")


# --- rounding -----------------------------------------------------------------------------


@pytest.mark.parametrize("rounding,expected", [(Rounding.DOWN, "2.12"), (Rounding.HALF_UP, "2.13"),
                                               (Rounding.HALF_EVEN, "2.12")])
def test_one_rounding_at_the_end(rounding: Rounding, expected: str) -> None:
    # 1.00 at 2.125: 2.125 exactly
    assert run(make(BetType.S, "2.125"), W, rules=SettlementRules(rounding=rounding)).total_return == D(expected)


def test_rounding_happens_once_on_the_bet_not_per_line() -> None:
    # 2/4 at 0.10 on four 1.065 winners: six doubles of 0.10 x 1.134225 = 0.1134225 each,
    # 0.680535 in all -> 0.68; rounding each line first would pay 6 x 0.11 = 0.66
    slip = make(BetType.XY, "1.065", "1.065", "1.065", "1.065", x=2, stake="0.10")
    assert run(slip, W, W, W, W).total_return == D("0.68")


# --- outcomes that do not fit -------------------------------------------------------------


def test_outcomes_must_fit_the_slip() -> None:
    slip = make(BetType.C, "2", "3")
    with pytest.raises(SlipError, match="1 legs of outcomes"):
        settle(slip, ((W,),))
    with pytest.raises(SlipError, match="2 outcomes for 1"):
        settle(slip, ((W, W), (W,)))
    with pytest.raises(SlipError, match="each-way") as error:
        settle(slip, ((Outcome(Result.PLACE, place_dead_heat=DeadHeat(2, 1)),), (W,)))
    assert error.value.field == "legs[0].place_dead_heat"


@pytest.mark.parametrize("make_outcome,field", [
    (lambda: Outcome(Result.LOSE, dead_heat=DeadHeat(2, 1)), "dead_heat"),
    (lambda: Outcome(Result.LOSE, place_dead_heat=DeadHeat(2, 1)), "place_dead_heat"),
    (lambda: Outcome(Result.WIN, rule4=F(1)), "rule4"),
    (lambda: Outcome(Result.WIN, void_factor=F(3, 2)), "void_factor"),
    (lambda: Outcome(Result.OPEN, void_factor=F(1, 2)), "void_factor"),
    (lambda: DeadHeat(1, 1), "dead_heat"),
    (lambda: DeadHeat(2, 3), "dead_heat"),
])
def test_outcomes_that_mean_nothing_are_refused(make_outcome: Any, field: str) -> None:
    with pytest.raises(SlipError) as error:
        make_outcome()
    assert error.value.field == field


def test_calculator_input_reads_the_same_slip() -> None:
    request = read_request({"type": "XY", "x": 2, "stake": "1.00", "legs": [
        {"odds": "2.00", "banker": True, "result": "win"},
        {"odds_frac": "6/4", "result": "win", "rule4": "0.15"},
        {"choices": [{"odds": "3", "result": "lose"}, {"odds": "4", "result": "win", "void_factor": "0.5"}]},
        {"odds": "2.5", "result": "open"}]})
    assert request.slip.bankers == (0,) and request.slip.x == 2
    assert request.slip.legs[1].choices[0].odds == F(5, 2)
    assert request.outcomes[1][0].rule4 == F(15, 100)
    assert request.outcomes[2][1] == Outcome(Result.WIN, void_factor=F(1, 2))

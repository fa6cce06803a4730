"""Worked examples from the regulator's annex and from public bookmaker help pages.

Every expected figure is worked by hand in the comments from the source's own numbers,
never taken from the code under test. Where a source displays a figure rounded to the
nearest cent and Croupier pays rounded down (docs/betslip.md, "Rounding"), both are shown.
"""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F
from typing import Any

from games.betslip import Rounding, Settlement, SettlementRules, price, read_request, settle


def settle_json(document: dict[str, Any], rounding: Rounding | None = None) -> Settlement:
    request = read_request(document)
    rules = request.rules if rounding is None else SettlementRules(request.rules.payout_cap, rounding)
    return settle(request.slip, request.outcomes, rules)


def legs(*odds: str, results: str | None = None) -> list[dict[str, Any]]:
    """Legs at decimal odds; ``results`` one letter a leg: w(in) l(ose) v(oid) p(lace) o(pen)."""
    names = {"w": "win", "l": "lose", "v": "void", "p": "place", "o": "open"}
    marks = results or "o" * len(odds)
    return [{"odds": o, "result": names[m]} for o, m in zip(odds, marks)]


# --- ARJEL annex 1.4.1.a (seeds/004, from line 4167): Chelsea 1.65, Dortmund 1.70,
# --- Olympiakos 1.95, draw Chelsea-Valence 3.40, ASVEL 1.26 ------------------------------


def test_annex_example_1_single() -> None:
    # 1.50 on the draw at 3.40: "1.50 x 3.40 = 5.10"; PASPGAIN example 1 pays 5.10
    placed = settle_json({"type": "S", "stake": "1.50", "legs": legs("3.40")})
    assert (placed.lines, placed.total_stake, placed.total_return, placed.max_return) == (1, D("1.50"), D("0.00"),
                                                                                          D("5.10"))
    won = settle_json({"type": "S", "stake": "1.50", "legs": legs("3.40", results="w")})
    assert won.total_return == won.max_return == D("5.10")


def test_annex_example_2_three_singles_are_three_bets_each_rounded() -> None:
    # three singles on one coupon, stakes 1.30, 1.40, 1.50 (three PASPMISE): total 4.20.
    # The annex's "espérance de gain 7.45" is 1.30 x 1.65 + 1.40 x 1.70 + 1.50 x 1.95
    # = 2.145 + 2.38 + 2.925 = 7.45 exactly; each single is paid on its own (its own
    # PASPGAIN), rounded down: 2.14 + 2.38 + 2.92 = 7.44. One stake per slip here, so the
    # three are settled as three one-leg slips.
    figures = [settle_json({"type": "S", "stake": stake, "legs": legs(odds, results="w")})
               for stake, odds in (("1.30", "1.65"), ("1.40", "1.70"), ("1.50", "1.95"))]
    assert sum(s.total_stake for s in figures) == D("4.20")
    assert [s.total_return for s in figures] == [D("2.14"), D("2.38"), D("2.92")]
    assert sum(s.bets[0].exact_return for s in figures) == F("7.45")
    # the same legs at one stake on one slip: three bets, each rounded
    slip = settle_json({"type": "S", "stake": "1.50", "legs": legs("1.65", "1.70", "1.95", results="www")})
    # 1.50 x 1.65 = 2.475 -> 2.47; 1.50 x 1.70 = 2.55; 1.50 x 1.95 = 2.925 -> 2.92
    assert [bet.total_return for bet in slip.bets] == [D("2.47"), D("2.55"), D("2.92")]
    assert (slip.lines, slip.total_stake, slip.total_return) == (3, D("4.50"), D("7.94"))


def test_annex_example_3_accumulator() -> None:
    # 1.65 x 1.70 x 1.95 = 5.46975 ("cote totale 5.47"); x 1.50 = 8.204625 -> 8.20
    placed = settle_json({"type": "C", "stake": "1.50", "legs": legs("1.65", "1.70", "1.95")})
    assert (placed.lines, placed.total_stake, placed.max_return) == (1, D("1.50"), D("8.20"))
    won = settle_json({"type": "C", "stake": "1.50", "legs": legs("1.65", "1.70", "1.95", results="www")})
    assert won.total_return == D("8.20")  # PASPGAIN example 2: Gain 8.20


def test_annex_example_4a_two_prognoses_on_one_leg_make_two_lines() -> None:
    # Chelsea win 1.65 or draw 3.40, with Dortmund 1.70 and Olympiakos 1.95: 2 lines at
    # 1.50, 3.00 in all. Best line: 3.40 x 1.70 x 1.95 = 11.271, x 1.50 = 16.9065: the
    # annex shows 16.91 (to the nearest cent); paid rounded down, 16.90 (the annex's own
    # text for the gain, PASPGAIN example 3: "= 16.90 EUR").
    chelsea = {"choices": [{"odds": "1.65"}, {"odds": "3.40"}]}
    document = {"type": "C", "stake": "1.50", "legs": [chelsea, *legs("1.70", "1.95")]}
    placed = settle_json(document)
    assert (placed.lines, placed.total_stake, placed.max_return) == (2, D("3.00"), D("16.90"))
    assert settle_json(document, Rounding.HALF_UP).max_return == D("16.91")
    # the match was a draw, the others won
    chelsea = {"choices": [{"odds": "1.65", "result": "lose"}, {"odds": "3.40", "result": "win"}]}
    won = settle_json({"type": "C", "stake": "1.50", "legs": [chelsea, *legs("1.70", "1.95", results="ww")]})
    assert won.total_return == D("16.90")


def test_annex_example_4b_grid_of_twelve_combinations() -> None:
    # 3 prognoses on Chelsea-Valence, 1, 1, 2 on Lorient-Lyon, 2 on Novare-Naples:
    # "3 * 2 * 2 = 12 combinaisons", 2.00 each, "Mise totale [12 paris] 24.00" (odds not given)
    def grid(n: int) -> dict[str, Any]:
        return {"choices": [{"odds": "2.00"}] * n}

    pricing = price(read_request({"type": "C", "stake": "2.00",
                                  "legs": [grid(3), grid(1), grid(1), grid(2), grid(2)]}).slip)
    assert (pricing.lines, pricing.total_stake) == (12, D("24.00"))


def test_annex_example_5_two_from_three() -> None:
    # 2/3 at 1.50: 3 lines, 4.50. Max: (1.65 x 1.70 + 1.65 x 1.95 + 1.70 x 1.95) x 1.50
    # = (2.805 + 3.2175 + 3.315) x 1.50 = 9.3375 x 1.50 = 14.00625: the annex shows 14.01,
    # paid rounded down 14.00. Chelsea and Dortmund right, Olympiakos wrong:
    # 1.65 x 1.70 x 1.50 = 4.2075 -> 4.20 (PASPGAIN example 5: Gain 4.20).
    document = {"type": "XY", "x": 2, "stake": "1.50", "legs": legs("1.65", "1.70", "1.95")}
    placed = settle_json(document)
    assert (placed.lines, placed.total_stake, placed.max_return) == (3, D("4.50"), D("14.00"))
    assert placed.bets[0].exact_max == F("14.00625")
    assert settle_json(document, Rounding.HALF_UP).max_return == D("14.01")
    won = settle_json({**document, "legs": legs("1.65", "1.70", "1.95", results="wwl")})
    assert won.total_return == D("4.20")


def test_annex_example_6_trixie_and_its_alternative_are_the_same_bet() -> None:
    # TRIXIE = 1 treble + 3 doubles, 4 x 1.50 = 6.00. Max: (5.46975 + 9.3375) x 1.50
    # = 14.80725 x 1.50 = 22.210875 -> 22.21. Chelsea and Dortmund right: 4.20.
    # The annex's alternative writes it as two PaSp, C and XY (X = 2): the same bet.
    trixie = {"type": "TRIXIE", "stake": "1.50", "legs": legs("1.65", "1.70", "1.95")}
    alternative = {**trixie, "type": "CUSTOM", "combinations": [{"combi": "C", "legs": [0, 1, 2]},
                                                                {"combi": "XY", "x": 2, "legs": [0, 1, 2]}]}
    for document in (trixie, alternative):
        placed = settle_json(document)
        assert (placed.lines, placed.total_stake, placed.max_return) == (4, D("6.00"), D("22.21"))
        won = settle_json({**document, "legs": legs("1.65", "1.70", "1.95", results="wwl")})
        assert won.total_return == D("4.20")


def test_annex_example_7_yankee() -> None:
    # YANKEE on 1.65, 1.70, 1.95, 1.26 at 1.50: 11 lines, 16.50.
    # doubles 2.805 + 3.2175 + 2.079 + 3.315 + 2.142 + 2.457 = 16.0155
    # trebles 5.46975 + 3.5343 + 4.05405 + 4.1769 = 17.235; four-fold 5.46975 x 1.26 = 6.891885
    # (16.0155 + 17.235 + 6.891885) x 1.50 = 40.142385 x 1.50 = 60.2135775 -> 60.21
    placed = settle_json({"type": "YANKEE", "stake": "1.50", "legs": legs("1.65", "1.70", "1.95", "1.26")})
    assert (placed.lines, placed.total_stake, placed.max_return) == (11, D("16.50"), D("60.21"))
    assert placed.bets[0].exact_max == F("60.2135775")


# --- Yankee: Marathonbet help, bet glossary 9.13 "Yankee" --------------------------------


def test_marathonbet_yankee_all_win_and_one_loses() -> None:
    # EUR 1 Yankee, A 2.00, B 3.50, C 4.00, D 1.50.
    # doubles 7.00 + 8.00 + 3.00 + 14.00 + 5.25 + 6.00 = 43.25
    # trebles 28.00 + 10.50 + 12.00 + 21.00 = 71.50; four-fold 42.00: 156.75 ("in this case EUR 156.75")
    odds = ("2.00", "3.50", "4.00", "1.50")
    assert settle_json({"type": "YANKEE", "stake": "1.00", "legs": legs(*odds, results="wwww")}).total_return \
        == D("156.75")
    # D loses: AB 7.00 + AC 8.00 + BC 14.00 + ABC 28.00 = 57.00 ("in this case EUR 57.00")
    lost_d = settle_json({"type": "YANKEE", "stake": "1.00", "legs": legs(*odds, results="wwwl")})
    assert (lost_d.total_stake, lost_d.total_return) == (D("11.00"), D("57.00"))


# --- Lucky 15 and its bonuses -------------------------------------------------------------
# betandskill.com, "Lucky 15 explained": "In the event of one winner only, your winnings
# are doubled. For four winners out of four a bonus of 10% is generally added to winnings
# on the win part of the bet (winnings = the return for the win part of the bet minus the
# win stakes for that bet)"; Marathonbet help 2.2 "Lucky 15, 31 & 63's": "double the odds
# for one winner", "Should a bet contain a Non-Runner then all bonuses will not apply".

LUCKY = {"one_winner_odds_multiplier": 2, "all_winners_bonus_pct": 10, "requires_all_run": True}
ODDS = ("2.00", "3.50", "4.00", "1.50")  # the page's A, B, C, D (evens, 5/2, 3/1, 1/2)


def test_lucky15_all_four_win_adds_ten_percent_of_the_winnings() -> None:
    # singles 2.00 + 3.50 + 4.00 + 1.50 = 11.00, doubles 43.25, trebles 71.50, four-fold
    # 42.00: 167.75 for 15.00 staked; winnings 152.75, 10 % = 15.275; 183.025 -> 183.02
    plain = settle_json({"type": "LUCKY15", "stake": "1.00", "legs": legs(*ODDS, results="wwww")})
    assert (plain.lines, plain.total_stake, plain.total_return) == (15, D("15.00"), D("167.75"))
    bonus = settle_json({"type": "LUCKY15", "stake": "1.00", "lucky_bonus": LUCKY,
                         "legs": legs(*ODDS, results="wwww")})
    assert bonus.total_return == D("183.02")
    assert bonus.bets[0].exact_return == F("183.025")


def test_lucky15_one_winner_is_paid_at_double_odds() -> None:
    # only C (3/1) wins: its single returns 1 + 3 = 4.00; at double odds 6/1, 1 + 6 = 7.00
    plain = settle_json({"type": "LUCKY15", "stake": "1.00", "legs": legs(*ODDS, results="llwl")})
    bonus = settle_json({"type": "LUCKY15", "stake": "1.00", "lucky_bonus": LUCKY,
                         "legs": legs(*ODDS, results="llwl")})
    assert (plain.total_return, bonus.total_return) == (D("4.00"), D("7.00"))


def test_lucky15_with_a_non_runner_loses_its_bonuses() -> None:
    # C wins, B is a non-runner (odds 1), A and D lose: single C 4.00, single B 1.00,
    # double BC 1 x 4.00 = 4.00: 9.00, and no double odds (a non-runner in the bet).
    # With requires_all_run false, C is the one winner: single C at 6/1, 7.00: 12.00.
    run = settle_json({"type": "LUCKY15", "stake": "1.00", "lucky_bonus": LUCKY,
                       "legs": legs(*ODDS, results="lvwl")})
    assert run.total_return == D("9.00")
    relaxed = settle_json({"type": "LUCKY15", "stake": "1.00", "legs": legs(*ODDS, results="lvwl"),
                           "lucky_bonus": {**LUCKY, "requires_all_run": False}})
    assert relaxed.total_return == D("12.00")


def test_lucky15_at_fractional_odds_the_answerbank_formula() -> None:
    # theanswerbank.co.uk, "lucky 15 Bet Formula": 4 winners in a GBP 1 Lucky 15 at 3/1,
    # 7/1, 5/2 and evens: 5 x 9 x 4.5 x 3 = 607.50, less 1: 606.50 (each leg's decimal
    # odds plus one, multiplied, is the sum over every line plus the empty one).
    fractional = [{"odds_frac": text, "result": "win"} for text in ("3/1", "7/1", "5/2", "1/1")]
    assert settle_json({"type": "LUCKY15", "stake": "1.00", "legs": fractional}).total_return == D("606.50")


# --- dead heats ---------------------------------------------------------------------------


def test_betfair_dead_heat_for_the_win() -> None:
    # Betfair help 6779: "if you have staked GBP 10 on your horse at 10/1, your returns will
    # be GBP 55 (5 x 10 + 5 stake)": half the stake at full odds
    won = settle_json({"type": "S", "stake": "10.00",
                       "legs": [{"odds_frac": "10/1", "result": "win", "dead_heat": {"tied": 2, "places": 1}}]})
    assert won.total_return == D("55.00")


def test_draftkings_dead_heat_over_several_places() -> None:
    # DraftKings help "What is a dead heat reduction": USD 50 on top 10 at 3.0, tied 8th
    # with 5 others: 6 tied for 3 places (8th to 10th): 3.0 / (6 / 3) = 1.5, x 50 = 75
    won = settle_json({"type": "S", "stake": "50.00",
                       "legs": [{"odds": "3.0", "result": "win", "dead_heat": {"tied": 6, "places": 3}}]})
    assert won.total_return == D("75.00")


def test_dead_heat_in_a_double_carries_the_reduced_stake() -> None:
    # 10bet help "Why are my winnings lower than expected", 4: the stake on a dead heat
    # "divided by the number of winners, with full odds paid at the reduced stake". A
    # GBP 10 double, 2.00 then 3.00 dead-heated two ways: 10 x 2.00 = 20 rolls on, half of
    # it at 3.00: 10 x 3.00 = 30.00
    won = settle_json({"type": "C", "stake": "10.00", "legs": [
        {"odds": "2.00", "result": "win"},
        {"odds": "3.00", "result": "win", "dead_heat": {"tied": 2, "places": 1}}]})
    assert won.total_return == D("30.00")


# --- Rule 4 -------------------------------------------------------------------------------


def test_betsson_rule4_two_withdrawals() -> None:
    # Betsson help "Understanding your Rule 4 deduction": EUR 10 at 4.00 in market A would
    # pay 40 (30 net); runners at 5.00 (20 %) and 10.00 (10 %) withdrawn: 30 % from the net
    # winnings: 30 x 0.70 = 21, paid 10 + 21 = 31.00
    won = settle_json({"type": "S", "stake": "10.00", "legs": [{"odds": "4.00", "result": "win", "rule4": "0.30"}]})
    assert won.total_return == D("31.00")


def test_winnersodds_rule4_on_fractional_odds() -> None:
    # winnersodds.com "Understanding Rule 4 Deductions": GBP 10 at 5/1 (profit 50), the 2/1
    # favourite withdrawn, 30p in the pound: 50 - 15 = 35 profit, 45.00 returned
    won = settle_json({"type": "S", "stake": "10.00",
                       "legs": [{"odds_frac": "5/1", "result": "win", "rule4": "0.30"}]})
    assert won.total_return == D("45.00")


# --- each-way -----------------------------------------------------------------------------


def test_betfair_each_way_quarter_odds_winner_and_placed() -> None:
    # Betfair help 6576, "4 places at 1/4 odds", GBP 10 each way at 7/4 (GBP 20):
    # winner: win 10 + 17.50 = 27.50, place 10 + 17.50 / 4 = 14.375: 41.875; the page shows
    # 41.88 (nearest); paid rounded down, 41.87. Placed: 14.375, shown 14.38, paid 14.37.
    def each_way(result: str, rounding: Rounding | None = None) -> Settlement:
        return settle_json({"type": "S", "stake": "10.00", "each_way": {"place_fraction": "1/4"},
                            "legs": [{"odds_frac": "7/4", "result": result}]}, rounding)

    won = each_way("win")
    assert (won.lines, won.total_stake, won.total_return) == (2, D("20.00"), D("41.87"))
    assert won.bets[0].exact_return == F("41.875")
    assert each_way("win", Rounding.HALF_UP).total_return == D("41.88")
    assert each_way("place").total_return == D("14.37")
    assert each_way("place", Rounding.HALF_UP).total_return == D("14.38")
    assert each_way("lose").total_return == D("0.00")


def test_betfair_each_way_fifth_odds_with_rule4() -> None:
    # Betfair help 6556, "3 places at 1/5 odds", GBP 10 each way at 7/4: winner 27.50 +
    # (10 + 3.50) = 41.00 before final declarations; after them a 35 % Rule 4 "applied to
    # your winnings (17.50+3.50) ... total 21 - 35% = 13.65": 20 + 13.65 = 33.65. Placed:
    # 3.50 -> 2.275 (the page shows 2.28): 12.275, paid 12.27.
    def each_way(result: str, rule4: str) -> Settlement:
        return settle_json({"type": "S", "stake": "10.00", "each_way": {"place_fraction": "1/5"},
                            "legs": [{"odds_frac": "7/4", "result": result, "rule4": rule4}]})

    assert each_way("win", "0").total_return == D("41.00")
    assert each_way("win", "0.35").total_return == D("33.65")
    assert each_way("place", "0.35").total_return == D("12.27")


def test_each_way_at_decimal_odds_fog2014() -> None:
    # fog2014.blogspot.com, "Each Way Betting: The basics": EUR 10 each way at 21.0, one
    # fifth the odds (5.0 to place): wins 210 + 50 = 260; places only: 50
    def each_way(result: str) -> D:
        return settle_json({"type": "S", "stake": "10.00", "each_way": {"place_fraction": "1/5"},
                            "legs": [{"odds": "21.0", "result": result}]}).total_return

    assert (each_way("win"), each_way("place")) == (D("260.00"), D("50.00"))


# --- Asian handicap half-win / half-loss in an accumulator -------------------------------


def test_asian_handicap_halves_in_an_accumulator() -> None:
    # aaakk.org, "Asian Handicap string OFF / clearance calculation method" (Hong Kong odds
    # 1.015, 0.755, 1.045, 0.895, 0.965: decimal 2.015, 1.755, 2.045, 1.895, 1.965). Win
    # half: 1 + odds / 2, lose half: 1/2 (the rule of 10bet help 4.5: half the stake
    # refunded, the other half won or lost).
    # Result 2, Millwall wins half: 2.015 x 1.755 x 1.5225 x 1.895 x 1.965 = 20.0484703...
    # ("= 20.05", to the nearest): paid 20.04 on 1.00.
    odds = ("2.015", "1.755", "2.045", "1.895", "1.965")
    half_won = legs(*odds, results="wwwww")
    half_won[2]["void_factor"] = "0.5"
    settled = settle_json({"type": "C", "stake": "1.00", "legs": half_won})
    # 2.015 x 1.755 = 3.536325; x 1.5225 = 5.3840548125; x 1.895 = 10.2027838696875;
    # x 1.965 = 20.0484703039359375
    assert settled.bets[0].exact_return == F("20.0484703039359375")
    assert settled.total_return == D("20.04")
    # Result 3, Hammarby loses half: 0.5 x 1.755 x 2.045 x 1.895 x 1.965 = 6.6820882...
    # ("= 6.68")
    half_lost = legs(*odds, results="lwwww")
    half_lost[0]["void_factor"] = "0.5"
    assert settle_json({"type": "C", "stake": "1.00", "legs": half_lost}).total_return == D("6.68")

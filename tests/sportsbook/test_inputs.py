"""The operator's input, field by field: odds, times, markets, race results (dead heats, each-way)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from server.sportsbook.catalogue_input import FixtureContext, parse_market
from server.sportsbook.inputs import InputError, parse_odds, parse_time
from server.sportsbook.nomenclature import load
from server.sportsbook.racing_input import parse_race_market, parse_withdrawal
from server.sportsbook.result_input import MarketContext, parse_result

CODES = load()
MATCH = FixtureContext("FOO", {1: "CHELSEA", 2: "VALENCE CF"})
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def refused(call: Any, field: str, fragment: str = "") -> InputError:
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.field == field, caught.value
    assert fragment in caught.value.message, caught.value
    return caught.value


def test_odds() -> None:
    assert parse_odds("3.40", "o") == 340
    assert parse_odds("1.01", "o") == 101
    assert parse_odds(4.5, "o") == 450
    assert parse_odds(12, "o") == 1200
    assert parse_odds("2.500", "o") == 250  # trailing zeros are not decimals
    refused(lambda: parse_odds("1.00", "o"), "o", "above 1.00")
    refused(lambda: parse_odds("0.5", "o"), "o", "above 1.00")
    refused(lambda: parse_odds("1.655", "o"), "o", "two decimals")
    refused(lambda: parse_odds("abc", "o"), "o", "not a decimal")
    refused(lambda: parse_odds("NaN", "o"), "o", "finite")
    refused(lambda: parse_odds(True, "o"), "o")
    refused(lambda: parse_odds(None, "o"), "o")
    refused(lambda: parse_odds("10000.01", "o"), "o", "at most")


def test_times_need_their_offset() -> None:
    assert parse_time("2011-12-06T20:45:00+01:00", "t") == datetime(2011, 12, 6, 19, 45, tzinfo=timezone.utc)
    assert parse_time("2011-12-06T19:45Z", "t").hour == 19
    refused(lambda: parse_time("2011-12-06T19:45:00", "t"), "t", "offset")
    refused(lambda: parse_time("6 décembre", "t"), "t", "ISO 8601")
    refused(lambda: parse_time(1323200700, "t"), "t")
    refused(lambda: parse_time("2111-12-06T19:45:00+00:00", "t"), "t", "2000 to 2099")


def selection(**fields: Any) -> dict[str, Any]:
    return {"label": "Chelsea", "odds": "1.65", **fields}


def test_markets() -> None:
    market = parse_market({"label": "Résultat d'un match", "type_res": "HGY5U", "selections": [
        selection(participant=1), {"label": "Nul", "type_res": "E4VGB", "choix": "", "odds": "3.40"},
        selection(label="Valence CF", participant=2, odds="4.50"),
        selection(label="Chelsea (-1)", participant=1, odds="2.60",
                  **{"with": [{"type_res": "6H9OE", "choix": "1"}]})]}, CODES, MATCH)
    assert [s.prognostic for s in market.selections] == [
        (("HGY5U", "CHELSEA"),), (("E4VGB", ""),), (("HGY5U", "VALENCE CF"),),
        (("HGY5U", "CHELSEA"), ("6H9OE", "1"))]
    assert [s.odds for s in market.selections] == [165, 340, 450, 260]
    assert market.label == "Résultat d'un match" and not market.live


@pytest.mark.parametrize(("body", "field", "fragment"), [
    ({"selections": [selection(type_res="HGY5U", participant=1)]}, "label", "required"),
    ({"label": "M", "selections": []}, "selections", "1 to 64"),
    ({"label": "M", "selections": [selection(participant=1)]}, "selections[0].type_res", "required"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection()]}, "selections[0].choix", "required for"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=3)]}, "selections[0].participant", ""),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=1, choix="X")]},
     "selections[0].choix", "not both"),
    ({"label": "M", "selections": [selection(type_res="E4VGB", choix="NUL")]}, "selections[0].choix",
     "takes no choice"),
    ({"label": "M", "type_res": "KYYIC", "selections": [selection(choix="x")]}, "type_res", "not a result type"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=1, odds="1")]},
     "selections[0].odds", "above 1.00"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=1), selection(participant=2)]},
     "selections[1].label", "the same as selections[0]"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=1),
                                                         selection(label="Chelsea again", participant=1)]},
     "selections[1]", "same prognostic"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=1, **{"with": [{"choix": "1"}]})]},
     "selections[0].with[0].type_res", "required"),
    ({"label": "M", "type_res": "HGY5U", "live": "yes", "selections": [selection(participant=1)]}, "live", ""),
    ({"label": "M", "colour": "red", "selections": []}, "colour", "unknown field"),
    ({"label": "M", "type_res": "HGY5U", "selections": [selection(participant=1, choix_="x")]},
     "selections[0].choix_", "unknown field"),
])
def test_market_refusals_name_the_field(body: dict[str, Any], field: str, fragment: str) -> None:
    refused(lambda: parse_market(body, CODES, MATCH), field, fragment)


def test_a_result_type_of_another_sport_is_refused(tmp_path: Any) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("sport;TEN;Tennis\nresult_type;SETS1;Score en sets;TEN\n", encoding="utf-8")
    codes = load(path)
    refused(lambda: parse_market({"label": "M", "type_res": "SETS1", "selections": [selection(choix="2-0")]},
                                 codes, MATCH), "type_res", "belongs to sport TEN, not FOO")


def lines(result: Any) -> dict[tuple[int, str], tuple[str, Any]]:
    return {(x.selection_id, x.leg): (x.outcome, x.dead_heat) for x in result.lines}


def test_sport_results() -> None:
    market = MarketContext("sport", {11: None, 12: None, 13: None})
    result = parse_result({"outcomes": [{"selection_id": 11, "outcome": "win", "dead_heat": {"tied": 2, "places": 1}},
                                        {"selection_id": 13, "outcome": "half_lose"}]}, market, NOW, False)
    assert lines(result) == {(11, "win"): ("win", (2, 1)), (12, "win"): ("lose", None),
                             (13, "win"): ("half_lose", None)}
    assert result.result_at == NOW and not result.void and result.reason is None
    void = parse_result({"void": True, "result_at": "2026-05-01T11:00:00+00:00"}, market, NOW, False)
    assert {x.outcome for x in void.lines} == {"void"} and len(void.lines) == 3
    corrected = parse_result({"outcomes": [{"selection_id": 12, "outcome": "win"}], "reason": "VAR"}, market, NOW,
                             True)
    assert corrected.reason == "VAR"
    refused(lambda: parse_result({"outcomes": [{"selection_id": 12, "outcome": "win"}]}, market, NOW, True),
            "reason", "required")
    refused(lambda: parse_result({"outcomes": [{"selection_id": 99, "outcome": "win"}]}, market, NOW, False),
            "outcomes[0].selection_id", "not a selection")
    refused(lambda: parse_result({"outcomes": [{"selection_id": 11, "outcome": "won"}]}, market, NOW, False),
            "outcomes[0].outcome", "win or lose")
    refused(lambda: parse_result({"outcomes": [{"selection_id": 11, "outcome": "lose",
                                                "dead_heat": {"tied": 2, "places": 1}}]}, market, NOW, False),
            "outcomes[0].dead_heat", "only a win")
    refused(lambda: parse_result({"outcomes": [{"selection_id": 11, "outcome": "win",
                                                "dead_heat": {"tied": 2, "places": 2}}]}, market, NOW, False),
            "outcomes[0].dead_heat.places", "1 to 1")
    refused(lambda: parse_result({"outcomes": [{"selection_id": 11, "outcome": "win"},
                                               {"selection_id": 11, "outcome": "lose"}]}, market, NOW, False),
            "outcomes[1].selection_id", "twice")
    refused(lambda: parse_result({"outcomes": []}, market, NOW, False), "outcomes", "1 to 3")
    refused(lambda: parse_result({"void": True, "outcomes": [{"selection_id": 11, "outcome": "win"}]}, market, NOW,
                                 False), "outcomes", "void market")
    refused(lambda: parse_result({"outcomes": [{"selection_id": 11, "outcome": "win"}],
                                  "result_at": (NOW + timedelta(minutes=1)).isoformat()}, market, NOW, False),
            "result_at", "future")


def test_each_way_results_with_dead_heats_and_a_non_runner() -> None:
    # Runners 1 to 6, selections 101 to 106; runner 6 withdrawn; 3 places paid.
    each_way = MarketContext("each_way", {100 + n: n for n in range(1, 7)}, places=3, withdrawn=frozenset({6}))
    result = parse_result({"placings": [{"runner": 2, "position": 1}, {"runner": 5, "position": 1},
                                        {"runner": 1, "position": 3}, {"runner": 3, "position": 3},
                                        {"runner": 4, "position": 3}]}, each_way, NOW, False)
    assert lines(result) == {
        # Two tied for first: the win leg pays half the stake; both are placed in full.
        (102, "win"): ("win", (2, 1)), (102, "place"): ("win", None),
        (105, "win"): ("win", (2, 1)), (105, "place"): ("win", None),
        # Three tied for third, one place left for them: a third of the place stake each.
        (101, "win"): ("lose", None), (101, "place"): ("win", (3, 1)),
        (103, "win"): ("lose", None), (103, "place"): ("win", (3, 1)),
        (104, "win"): ("lose", None), (104, "place"): ("win", (3, 1)),
        (106, "win"): ("void", None), (106, "place"): ("void", None),
    }
    assert {x.position for x in result.lines if x.selection_id == 101} == {3}
    win = MarketContext("win", {101: 1, 102: 2, 103: 3})
    assert lines(parse_result({"placings": [{"runner": 3, "position": 1}, {"runner": 1, "position": 2}]}, win, NOW,
                              False)) == {(101, "win"): ("lose", None), (102, "win"): ("lose", None),
                                          (103, "win"): ("win", None)}
    refused(lambda: parse_result({"placings": [{"runner": 6, "position": 1}]}, each_way, NOW, False),
            "placings[0].runner", "non-runner")
    refused(lambda: parse_result({"placings": [{"runner": 1, "position": 2}]}, each_way, NOW, False),
            "placings", "no runner is placed first")
    refused(lambda: parse_result({"placings": [{"runner": 1, "position": 1}, {"runner": 2, "position": 1},
                                               {"runner": 3, "position": 2}]}, each_way, NOW, False),
            "placings", "position 2 cannot follow 2 runners tied at 1")
    refused(lambda: parse_result({"placings": [{"runner": 9, "position": 1}]}, each_way, NOW, False),
            "placings[0].runner", "no runner 9")
    refused(lambda: parse_result({"outcomes": []}, each_way, NOW, False), "outcomes", "unknown field")


def test_race_markets_and_withdrawals() -> None:
    odds = [{"runner": n, "odds": f"{n + 1}.50"} for n in (1, 2, 3, 4, 5)]
    market = parse_race_market({"kind": "each_way", "each_way": {"fraction": "1/4", "places": 2}, "odds": odds},
                               [1, 2, 3, 4, 5], {6})
    assert market.place_terms == (1, 4, 2) and market.odds[3] == 450 and "1/4" in market.label
    body = {"kind": "win", "odds": odds}
    assert parse_race_market(body, [1, 2, 3, 4, 5], set()).place_terms is None
    refused(lambda: parse_race_market({"kind": "place", "odds": odds}, [1, 2], set()), "kind")
    refused(lambda: parse_race_market({"kind": "each_way", "odds": odds}, [1, 2, 3, 4, 5], set()), "each_way",
            "required")
    refused(lambda: parse_race_market({"kind": "each_way", "each_way": {"fraction": "4/1", "places": 2},
                                       "odds": odds}, [1, 2, 3, 4, 5], set()), "each_way.fraction")
    refused(lambda: parse_race_market({"kind": "each_way", "each_way": {"fraction": "1/4", "places": 5},
                                       "odds": odds}, [1, 2, 3, 4, 5], set()), "each_way.places", "fewer places")
    refused(lambda: parse_race_market({"kind": "win", "each_way": {"fraction": "1/4", "places": 2}, "odds": odds},
                                      [1, 2, 3, 4, 5], set()), "each_way", "belong to an each_way")
    refused(lambda: parse_race_market({"kind": "win", "odds": odds[:4]}, [1, 2, 3, 4, 5], set()), "odds",
            "missing: 5")
    refused(lambda: parse_race_market({"kind": "win", "odds": odds + [{"runner": 6, "odds": "9"}]},
                                      [1, 2, 3, 4, 5], {6}), "odds[5].runner", "non-runner")
    refused(lambda: parse_race_market({"kind": "win", "odds": odds + [{"runner": 1, "odds": "9"}]},
                                      [1, 2, 3, 4, 5], set()), "odds[5].runner", "priced twice")
    start = NOW + timedelta(hours=1)
    withdrawal = parse_withdrawal({"rule4_deduction": 25}, NOW, start)
    assert (withdrawal.withdrawn_at, withdrawal.deduction) == (NOW, 25)
    assert parse_withdrawal({"rule4_deduction": 0, "withdrawn_at": "2026-05-01T11:00:00+00:00"}, NOW,
                            start).withdrawn_at.hour == 11
    refused(lambda: parse_withdrawal({}, NOW, start), "rule4_deduction", "required")
    refused(lambda: parse_withdrawal({"rule4_deduction": 95}, NOW, start), "rule4_deduction", "0 to 90")
    refused(lambda: parse_withdrawal({"rule4_deduction": 10, "withdrawn_at": "2026-05-01T12:01:00+00:00"}, NOW,
                                     start), "withdrawn_at", "future")
    refused(lambda: parse_withdrawal({"rule4_deduction": 10}, NOW, NOW), "withdrawn_at", "race's start")

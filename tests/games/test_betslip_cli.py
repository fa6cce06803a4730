"""``croupier slip calc``: JSON in, four figures out; bad input named, exit 2, stdout empty."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from games.betslip import SlipError, read_request
from server.slip_cli import main
from tests.support import REPO

ANNEX_YANKEE = {"type": "YANKEE", "stake": "1.50",
                "legs": [{"odds": "1.65"}, {"odds": "1.70"}, {"odds": "1.95"}, {"odds": "1.26"}]}


def calc(document: Any) -> tuple[int, str, str]:
    text = document if isinstance(document, str) else json.dumps(document)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main([], io.StringIO(text), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_croupier_slip_calc_as_a_user_runs_it() -> None:
    run = subprocess.run([sys.executable, "-m", "server.cli", "slip", "calc"], input=json.dumps(ANNEX_YANKEE),
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stderr) == (0, "")
    # annex 1.4.1.a.1 example 7: 11 lines, 16.50, at best 60.2135775 -> 60.21
    assert json.loads(run.stdout) == {"lines": 11, "total_stake": "16.50", "total_return": "0.00",
                                      "max_return": "60.21"}


def test_every_input_field_of_the_format() -> None:
    # LUCKY15 each way at 1/4, 1.00 a line (30 lines, 30.00), capped at 5000 of winnings,
    # with the LUCKY bonuses: leg 0 won at 3.00 with a 10p Rule 4, leg 1 won at 6/4
    # dead-heated two ways for the win, leg 2 placed at 5.00 on its own 1/5 terms and
    # dead-heated for that place, leg 3 open at 2.00
    document = {
        "type": "LUCKY15", "x": None, "perm": False, "stake": "1.00", "stake_mode": "line",
        "each_way": {"place_fraction": "1/4"},
        "max_payout": {"amount": "5000", "basis": "winnings", "scope": "bet"},
        "lucky_bonus": {"one_winner_odds_multiplier": 2, "all_winners_bonus_pct": 10, "requires_all_run": True},
        "rounding": "down",
        "legs": [
            {"odds": "3.00", "result": "win", "rule4": "0.10"},
            {"odds_frac": "6/4", "result": "win", "dead_heat": {"tied": 2, "places": 1}},
            {"odds": "5.00", "result": "place", "place_fraction": "1/5", "place_dead_heat": {"tied": 2, "places": 1}},
            {"odds": "2.00", "result": "open", "banker": False, "fixture": "f4"},
        ],
    }
    code, out, err = calc(document)
    assert (code, err) == (0, "")
    # win factors: leg 0 1 + 2 x 0.9 = 2.8; leg 1 2.5 / 2 = 1.25; leg 2 0; leg 3 0 now, 2 at best
    # place factors: leg 0 1 + 2 x 1/4 x 0.9 = 1.45; leg 1 1 + 1.5 / 4 = 1.375;
    # leg 2 (1 + 4 / 5) / 2 = 0.9; leg 3 0 now, 1 + 1/4 = 1.25 at best
    # a LUCKY15 returns (1 + f0)(1 + f1)(1 + f2)(1 + f3) - 1 a unit (every non-empty subset)
    # now: win 3.8 x 2.25 - 1 = 7.55; place 2.45 x 2.375 x 1.9 - 1 = 10.055625; two winners,
    #   no bonus: 17.605625 -> 17.60
    # at best: win 3.8 x 2.25 x 3 - 1 = 24.65; place 11.055625 x 2.25 - 1 = 23.87515625;
    #   three winners (leg 2 only placed), no bonus: 48.52515625 -> 48.52
    assert json.loads(out) == {"lines": 30, "total_stake": "30.00", "total_return": "17.60", "max_return": "48.52"}


def test_stake_split_and_perm_and_custom() -> None:
    # 10.00 over a YANKEE permed over 5 (55 lines): 0.18 a line, 9.90 staked
    code, out, _ = calc({"type": "YANKEE", "perm": True, "stake": "10.00", "stake_mode": "total",
                         "legs": [{"odds": "2"}] * 5})
    assert code == 0 and json.loads(out)["total_stake"] == "9.90" and json.loads(out)["lines"] == 55
    # custom: a single on leg 0 and the double of legs 1 and 2, written as lists of legs
    code, out, _ = calc({"type": "CUSTOM", "stake": "1", "combinations": [[0], [1, 2]],
                         "legs": [{"odds": "2", "result": "win"}, {"odds": "3", "result": "win"},
                                  {"odds": "4", "result": "lose"}]})
    assert json.loads(out) == {"lines": 2, "total_stake": "2.00", "total_return": "2.00", "max_return": "2.00"}


@pytest.mark.parametrize("document,message", [
    ("{not json", "input is not JSON"),
    ([], "slip: must be a JSON object"),
    ({"stake": "1", "legs": [{"odds": "2"}]}, "type: is required"),
    ({"type": "S", "legs": [{"odds": "2"}]}, "stake: is required"),
    ({"type": "S", "stake": "1"}, "legs: is required"),
    ({"type": "S", "stake": "1", "legs": []}, "legs: must be a non-empty list"),
    ({"type": "Z", "stake": "1", "legs": [{"odds": "2"}]}, "type: must be one of S|C|XY|"),
    ({"type": "S", "stake": "1", "stake_mod": "total", "legs": [{"odds": "2"}]}, "stake_mod: unknown field"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2"}, {"odds": "one"}]}, "legs[1].odds: decimal odds must be"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2", "odds_frac": "1/1"}]}, "legs[0].odds: give the odds once"),
    ({"type": "S", "stake": "1", "legs": [{}]}, "legs[0].odds: give the odds once"),
    ({"type": "S", "stake": "1", "legs": [{"odds_frac": "6-4"}]}, "legs[0].odds_frac: fractional odds must be"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2", "result": "won"}]}, "legs[0].result: must be one of"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2", "result": "lose", "dead_heat": {"tied": 2, "places": 1}}]},
     "legs[0].dead_heat: a dead heat for the win goes with result win"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2", "result": "win", "dead_heat": {"tied": 1, "places": 1}}]},
     "legs[0].dead_heat: needs tied >= 2"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2", "result": "win", "rule4": "1.5"}]},
     "legs[0].rule4: a deduction is in [0, 1)"),
    ({"type": "S", "stake": "1", "legs": [{"odds": "2", "choices": [{"odds": "3"}]}]},
     "legs[0].odds: with choices, odds and results go in each choice"),
    ({"type": "S", "stake": "1", "legs": [{"choices": [{"odds": "3"}, {"odds": "x"}]}]},
     "legs[0].choices[1].odds:"),
    ({"type": "S", "stake": "1", "legs": [{"choices": [{"odds": "3", "colour": "red"}]}]},
     "legs[0].choices[0].colour: unknown field"),
    ({"type": "XY", "stake": "1", "legs": [{"odds": "2"}] * 3}, "x: an XY bet needs x"),
    ({"type": "XY", "x": 3, "stake": "1", "legs": [{"odds": "2"}] * 3}, "x: X sur Y needs 1 <= X < Y"),
    ({"type": "YANKEE", "stake": "1", "legs": [{"odds": "2"}] * 3}, "legs: a YANKEE takes 4 selections"),
    ({"type": "S", "stake": "-1", "legs": [{"odds": "2"}]}, "stake: an amount must be a decimal number"),
    ({"type": "S", "stake": "0.001", "legs": [{"odds": "2"}]}, "stake: must be whole cents"),
    ({"type": "S", "stake": "1", "each_way": {"place_fraction": "5/4"}, "legs": [{"odds": "2"}]},
     "each_way.place_fraction: place terms are a fraction"),
    ({"type": "S", "stake": "1", "max_payout": {"amount": "100"}, "legs": [{"odds": "2"}]},
     "max_payout.basis: is required"),
    ({"type": "YANKEE", "stake": "1", "lucky_bonus": {"all_winners_bonus_pct": 10}, "legs": [{"odds": "2"}] * 4},
     "lucky_bonus: the LUCKY bonuses go with LUCKY15"),
    ({"type": "CUSTOM", "stake": "1", "combinations": [[0, 5]], "legs": [{"odds": "2"}] * 2},
     "combinations[0].legs: no leg 5"),
    ({"type": "C", "stake": "1", "legs": [{"odds": "2", "fixture": "f"}, {"odds": "3", "fixture": "f"}]},
     "refused (same_fixture): legs[0] and legs[1]"),
])
def test_bad_input_names_the_field_exits_2_and_prints_nothing(document: Any, message: str) -> None:
    code, out, err = calc(document)
    assert (code, out) == (2, "")
    assert err.startswith("croupier slip calc: ") and message in err, err


def test_json_numbers_are_read_exactly_and_floats_refused() -> None:
    # the CLI parses JSON numbers as Decimal, exactly: a double at 0.10 on two 1.1 winners
    # returns 0.10 x 1.21 = 0.121 -> 0.12
    code, out, _ = calc('{"type": "C", "stake": 0.10, "legs": [{"odds": 1.1, "result": "win"}, '
                        '{"odds": 1.1, "result": "win"}]}')
    assert code == 0 and json.loads(out)["total_return"] == "0.12"
    # a float handed to the reader directly is refused: it is not the number it prints
    with pytest.raises(SlipError) as error:
        read_request({"type": "S", "stake": "1", "legs": [{"odds": 2.5}]})
    assert error.value.field == "legs[0].odds"


def test_same_fixture_allowed_by_the_operator() -> None:
    code, out, _ = calc({"type": "C", "stake": "1", "allow_same_fixture": True,
                         "legs": [{"odds": "2", "fixture": "f"}, {"odds": "3", "fixture": "f"}]})
    assert code == 0 and json.loads(out)["max_return"] == "6.00"

"""Real hands (and a few written for the rules) replayed on the engine: the final stacks the
sources give, the refusals and undetermined results that are expected, and PokerKit's own
replay of the same files for every hand the engine replays."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pokerkit.notation import HandHistory

from games.phh import Outcome, Replay, parse_phh, replay
from tests.games.test_phh import pokerkit_stacks

FIXTURES = Path(__file__).parent / "fixtures"

# The dataset's files carry fields PokerKit does not know (time_zone_abbreviation...).
pytestmark = [pytest.mark.filterwarnings("ignore:The field"), pytest.mark.filterwarnings("ignore:A card being dealt")]


def replays(name: str, text: str | None = None) -> dict[int, Replay]:
    source = text if text is not None else (FIXTURES / name).read_text(encoding="utf-8")
    return {phh.number: replay(phh) for phh in parse_phh(source)}


# Final stacks as PokerKit's test suite asserts them for these hands.
PUBLISHED = {
    ("dwan-ivey-2009.phh", 1): ["572100", "1997500", "1109500"],
    ("antonius-blom-2009.phh", 1): ["1937923.75", "0.00"],
    ("wsop-2023-43-5.phhs", 1): ["7340000", "3775000", "5110000", "8935000", "4545000"],
    ("wsop-2023-43-5.phhs", 30): ["10125000", "7700000", "4050000", "4300000", "3525000"],
    ("wsop-2023-43-5.phhs", 34): ["3075000", "11925000", "7750000", "3150000", "3800000"],
}


@pytest.mark.parametrize(("name", "number"), sorted(PUBLISHED))
def test_published_hands_end_with_the_published_stacks(name: str, number: int) -> None:
    result = replays(name)[number]
    assert result.outcome is Outcome.OK, result.message
    assert result.final_stacks_text() == PUBLISHED[name, number]


def test_a_dataset_hand_that_skips_a_fold_is_refused_and_with_it_matches_the_datasets_stacks() -> None:
    name = "wsop-2019-42-3-00-01-07.phh"
    [result] = replays(name).values()
    # The button (p8) never acts in the history: the engine will not let p1 act for it.
    assert (result.outcome, result.message) == (Outcome.REFUSED, 'action 14 "p1 cc" refused: not p1\'s turn: p8 acts')
    text = (FIXTURES / name).read_text(encoding="utf-8").replace("'p7 cbr 1150000',", "'p7 cbr 1150000', 'p8 f',")
    [fixed] = replays(name, text).values()
    assert fixed.outcome is Outcome.OK
    assert fixed.final_stacks == fixed.phh.finishing_stacks  # the big-blind ante is dead money


# The starting stacks, by seat, of the next hand at the same table in the dataset's file
# (tables [7], [8], [18], [20] and [22]): where the engine's hand ends, less the site's rake
# after a flop (PHH has no rake; [9]'s winnings, 13.75 of a 15.00 pot, show its 1.25).
NEXT_HAND = {
    1: {3: "80.60", 5: "197", 6: "201.30"},
    6: {6: "180.60", 2: "202.55", 3: "205.15", 4: "52.25"},
    9: {6: "137.29", 3: "190.32", 4: "225.80", 5: "45.60"},
    11: {3: "44.05", 4: "88.55", 5: "202.30", 6: "138.50", 1: "54.25", 2: "78.95"},
    21: {5: "196.50", 3: "82.90"},
}
RAKE = {(9, 6): "1.25", (11, 2): "0.05", (11, 3): "0.05"}


def test_online_hands_end_where_the_tables_next_hand_starts() -> None:
    results = replays("handhq-abs-100nl.phhs")
    assert sorted(results) == [1, 2, 6, 9, 11, 21]
    assert results[2].outcome is Outcome.UNDETERMINED
    assert results[2].message.startswith("p2 and p3 reach the showdown with unknown hole cards")
    for number, next_start in NEXT_HAND.items():
        result = results[number]
        assert result.outcome is Outcome.OK, (number, result.message)
        assert result.phh.seats is not None
        ours = dict(zip(result.phh.seats, map(Decimal, result.final_stacks_text())))
        for seat, start in next_start.items():
            assert ours[seat] - Decimal(RAKE.get((number, seat), "0")) == Decimal(start), (number, seat)


def test_the_rules_hands_replay_or_are_refused_for_the_engines_rules() -> None:
    results = replays("croupier-rules.phhs")
    assert results[1].final_stacks_text() == ["414", "198", "188", "0", "200"]
    assert results[2].message == 'action 6 "p4 cbr 6" refused: raise to 6 is below the minimum 8'
    assert results[3].message == ('action 8 "p2 cbr 10" refused: raising is not allowed here '
                                  '(betting not reopened, cap reached or no chips)')
    assert results[4].final_stacks_text() == ["114", "86", "100"]
    assert results[5].outcome is Outcome.UNDETERMINED


def test_a_game_the_engine_does_not_deal_is_unsupported() -> None:
    [result] = replays("phua-xuan-2019.phh").values()
    assert result.outcome is Outcome.UNSUPPORTED and result.message.startswith("variant 'NS'")


@pytest.mark.parametrize("name", ["dwan-ivey-2009.phh", "antonius-blom-2009.phh", "wsop-2023-43-5.phhs",
                                  "handhq-abs-100nl.phhs", "croupier-rules.phhs"])
def test_pokerkit_replays_every_hand_the_engine_replays_to_the_same_stacks(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    histories = list(HandHistory.loads_all(text)) if name.endswith(".phhs") else [HandHistory.loads(text)]
    compared = 0
    for history, result in zip(histories, replays(name).values()):
        if result.ok:
            assert [Decimal(s) for s in result.final_stacks_text()] == pokerkit_stacks(history), result.phh.number
            compared += 1
    assert compared >= 1

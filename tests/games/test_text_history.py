"""PokerStars-style text histories: one fixed hand word for word, and random hands checked for
structure, for chips (every seat's final stack follows from the text's own amounts) and for
privacy (a player's history shows nobody else's cards unless they were shown)."""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

import pytest

from games.betting import Action, Structure
from games.cards import from_str, to_str
from games.evaluator import evaluate
from games.hand import Acted, BoardDealt, Hand, Rules, Shown, Variant
from games.text_history import describe, text_history
from tests.games.known_decks import deck_with, hold_em_positions
from tests.games.pokerkit_oracle import GAMES
from tests.games.random_hands import random_hand

def cards_in(text: str) -> set[str]:
    """Every card the history names (cards are only ever written in brackets)."""
    return {card for listed in re.findall(r"\[([^\]]*)\]", text) for card in listed.split()}


WHEN = dt.datetime(2024, 5, 1, 21, 7, 42, tzinfo=dt.timezone(dt.timedelta(hours=2), "CEST"))


def fixed_hand() -> Hand:
    """Antes, a short all-in raise, a raise on the flop folded to (uncalled chips), a run-out
    and a side pot."""
    order = [1, 3, 5, 6]
    hole = {1: ("1Pi", "1Co"), 3: ("RTr", "RCa"), 5: ("DPi", "VPi"), 6: ("7Tr", "2Ca")}
    deck = deck_with(hold_em_positions(order, hole, ["9Pi", "10Co", "2Co", "3Tr", "8Ca"]))
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10, ante=1)
    hand = Hand(rules, [(1, 1000), (3, 150), (5, 1000), (6, 600)], 6, deck)
    hand.act(5, Action.RAISE, 30)
    hand.act(6, Action.FOLD)
    hand.act(1, Action.RAISE, 100)
    hand.act(3, Action.RAISE, 149)  # all-in for less than a full raise
    hand.act(5, Action.CALL)
    hand.act(1, Action.CALL)
    hand.act(1, Action.CHECK)
    hand.act(5, Action.RAISE, 200)
    hand.act(1, Action.RAISE, 600)
    hand.act(5, Action.FOLD)
    return hand


GOLDEN = """\
Croupier Hand #20240501001: Hold'em No Limit (€0.05/€0.10, ante €0.01 EUR) - 2024/05/01 21:07:42 CEST
Table 'Paris 1' 6-max Seat #6 is the button
Seat 1: Alice (€10 in chips)
Seat 3: Bruno (€1.50 in chips)
Seat 5: Chloé (€10 in chips)
Seat 6: Dimitri (€6 in chips)
Alice: posts the ante €0.01
Bruno: posts the ante €0.01
Chloé: posts the ante €0.01
Dimitri: posts the ante €0.01
Alice: posts small blind €0.05
Bruno: posts big blind €0.10
*** HOLE CARDS ***
Dealt to Alice [As Ah]
Dealt to Bruno [Kc Kd]
Dealt to Chloé [Qs Js]
Dealt to Dimitri [7c 2d]
Chloé: raises €0.20 to €0.30
Dimitri: folds
Alice: raises €0.70 to €1
Bruno: raises €0.49 to €1.49 and is all-in
Chloé: calls €1.19
Alice: calls €0.49
*** FLOP *** [9s Th 2h]
Alice: checks
Chloé: bets €2
Alice: raises €4 to €6
Chloé: folds
Uncalled bet (€4) returned to Alice
*** TURN *** [9s Th 2h] [3c]
*** RIVER *** [9s Th 2h 3c] [8d]
*** SHOW DOWN ***
Alice: shows [As Ah] (a pair of Aces)
Bruno: shows [Kc Kd] (a pair of Kings)
Alice collected €4.51 from main pot
Alice collected €4 from side pot-1
*** SUMMARY ***
Total pot €8.51 Main pot €4.51. Side pot-1 €4. | Rake €0
Board [9s Th 2h 3c 8d]
Seat 1: Alice (small blind) showed [As Ah] and won (€8.51) with a pair of Aces
Seat 3: Bruno (big blind) showed [Kc Kd] and lost with a pair of Kings
Seat 5: Chloé folded on the Flop
Seat 6: Dimitri (button) folded before Flop (didn't bet)
"""


def test_golden_history_of_a_fixed_hand() -> None:
    text = text_history(fixed_hand(), hand_id=20240501001, when=WHEN,
                        names={1: "Alice", 3: "Bruno", 5: "Chloé", 6: "Dimitri"}, table="Paris 1", seat_count=6,
                        unit=Decimal("0.01"), symbol="€", currency="EUR")
    assert text == GOLDEN


def test_a_players_history_shows_only_their_cards_before_the_showdown() -> None:
    text = text_history(fixed_hand(), hand_id=1, when=WHEN, viewer=5)
    assert "Dealt to Player5 [Qs Js]" in text and "Dealt to" not in text.replace("Dealt to Player5", "")
    assert not {"7c", "2d"} & cards_in(text)  # the button's cards were never shown
    assert {"7c", "2d"} <= cards_in(text_history(fixed_hand(), hand_id=1, when=WHEN))


def test_hands_shown_after_the_hand_are_public() -> None:
    from tests.games.test_phh import river_showdown

    hand = river_showdown()
    before = text_history(hand, hand_id=1, when=WHEN, viewer=2)
    assert "Player3: mucks hand" in before and "Seat 3: Player3 (big blind) mucked" in before
    assert "3c" not in cards_in(before)
    hand.show(3)
    after = text_history(hand, hand_id=1, when=WHEN, viewer=2)
    lines = after.splitlines()
    assert lines[lines.index("*** SUMMARY ***") - 1] == "Player3: shows [3c 7d] (high card Jack)"  # after the pots
    assert "Seat 3: Player3 (big blind) showed [3c 7d] and lost with high card Jack" in after

    uncontested = Hand(Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10), [(1, 500), (2, 500), (3, 500)], 1,
                       deck_with({}))
    uncontested.act(1, Action.RAISE, 40)
    uncontested.act(2, Action.FOLD)
    uncontested.act(3, Action.FOLD)
    assert "Player1: doesn't show hand" in text_history(uncontested, hand_id=2, when=WHEN, viewer=3)
    uncontested.show(1)
    text = text_history(uncontested, hand_id=2, when=WHEN, viewer=3)
    cards = " ".join(map(to_str, uncontested.hole[1]))
    assert f"Player1: shows [{cards}]" in text and "doesn't show hand" not in text
    assert f"Seat 1: Player1 (button) showed [{cards}] and won (25)" in text


@pytest.mark.parametrize(("cards", "words"), [
    ("AsKdQh9c7d", "high card Ace"),
    ("9s9dKh4c2d", "a pair of Nines"),
    ("KsKd9h9c2d", "two pair, Kings and Nines"),
    ("QsQdQh4c2d", "three of a kind, Queens"),
    ("As2d3h4c5d", "a straight, Ace to Five"),
    ("9sTdJhQcKd", "a straight, Nine to King"),
    ("As9s7s4s2s", "a flush, Ace high"),
    ("KsKdKh9c9d", "a full house, Kings full of Nines"),
    ("AsAdAhAc2d", "four of a kind, Aces"),
    ("9sTsJsQsKs", "a straight flush, Nine to King"),
    ("TsJsQsKsAs", "a Royal Flush"),
])
def test_hand_values_in_words(cards: str, words: str) -> None:
    assert describe(evaluate([from_str(cards[i:i + 2]) for i in range(0, 10, 2)])) == words


# -- random hands --------------------------------------------------------------------------------

DECISION = re.compile(r"^(?P<name>[^:]+): (?:folds|checks|calls (?P<call>\d+)|bets (?P<bet>\d+)|"
                      r"raises \d+ to (?P<to>\d+))(?: and is all-in)?$")
POST = re.compile(r"^(?P<name>[^:]+): posts (?P<kind>the ante|small blind|big blind|straddle) (?P<amount>\d+)"
                  r"(?: and is all-in)?$")
STREETS = ("*** FLOP ***", "*** TURN ***", "*** RIVER ***")


def final_stacks_from(text: str) -> dict[str, int]:
    """Every name's stack at the end, from the history's own amounts alone."""
    stacks = {m["name"]: int(m["chips"]) for m in re.finditer(r"^Seat \d+: (?P<name>.+) \((?P<chips>\d+) in chips\)$",
                                                               text, re.M)}
    street_bets: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith(STREETS):
            street_bets = {}
        elif post := POST.match(line):
            stacks[post["name"]] -= int(post["amount"])
            if post["kind"] != "the ante":  # blinds and straddles count towards the round's bet
                street_bets[post["name"]] = street_bets.get(post["name"], 0) + int(post["amount"])
        elif decision := DECISION.match(line):
            name, before = decision["name"], street_bets.get(decision["name"], 0)
            if decision["call"]:
                after = before + int(decision["call"])
            elif decision["bet"] or decision["to"]:
                after = int(decision["bet"] or decision["to"])
            else:
                after = before
            stacks[name] -= after - before
            street_bets[name] = after
        elif returned := re.match(r"^Uncalled bet \((\d+)\) returned to (.+)$", line):
            stacks[returned[2]] += int(returned[1])
        elif collected := re.match(r"^(.+) collected (\d+) from ", line):
            stacks[collected[1]] += int(collected[2])
    return stacks


def test_random_histories_hold_together() -> None:
    rng = random.Random("text-history")
    for number in range(150):
        hand = random_hand(rng, rng.choice(sorted(GAMES)), button_last=False)
        result = hand.result
        assert result is not None
        viewer = rng.choice([None, *hand.order])
        text = text_history(hand, hand_id=number, when=WHEN, viewer=viewer)
        lines = text.splitlines()
        context = (number, text)

        sections = [line for line in lines if line.startswith("***")]
        boards = [e for e in hand.log if isinstance(e, BoardDealt)]
        expected = ["*** HOLE CARDS ***", *(STREETS[e.street - 1] for e in boards),
                    *(["*** SHOW DOWN ***"] if result.showdown else []), "*** SUMMARY ***"]
        assert [s.split(" [")[0] for s in sections] == expected, context

        decisions = [line for line in lines if DECISION.match(line)]
        assert len(decisions) == sum(isinstance(e, Acted) for e in hand.log), context

        names = {seat: f"Player{seat}" for seat in hand.order}
        assert final_stacks_from(text) == {names[s]: chips for s, chips in result.final_stacks.items()}, context

        summary = lines[lines.index("*** SUMMARY ***") + 1:]
        total = re.match(r"^Total pot (\d+).* \| Rake (\d+)$", summary[0])
        assert total is not None, context
        assert int(total[1]) - int(total[2]) == sum(result.settlement.winnings.values()), context
        if hand.board:
            assert summary[1] == "Board [" + " ".join(map(to_str, hand.board)) + "]", context
        assert [line.split(":")[0] for line in summary if line.startswith("Seat ")] == [
            f"Seat {seat}" for seat in hand.order], context

        shown = {e.seat for e in hand.log if isinstance(e, Shown)}
        dealt_to = [line for line in lines if line.startswith("Dealt to ")]
        assert len(dealt_to) == (len(hand.order) if viewer is None else 1), context
        for seat in hand.order:
            if viewer is not None and seat != viewer and seat not in shown:
                assert not {to_str(card) for card in hand.hole[seat]} & cards_in(text), context

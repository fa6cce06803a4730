"""POPARTIE from the engine: the annex's example 1.4.2.g.1 replayed, and random hands validated."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from frontal.builders import po
from frontal.builders.header import Header
from frontal.xsd import validate_event
from games.betting import Action, Structure
from games.dealer import Dealer
from games.hand import Blinds, Hand, Rules, Variant
from games.hand_views import seat_view
from server.poker_traces import HandContext, Player, cents, popartie
from tests.frontal_schemas_pa_po.builder_support import differences, header_of, utc
from tests.frontal_schemas_pa_po.schema_support import annex
from tests.games.known_decks import FixedDeck, deck_with, hold_em_positions

# Example 1: seats 1, 3, 4, 7, 9, 10; mimi75 (3) on the button, Illustre (4) small blind,
# charles36 (7) big blind; grego82 (9) holds 2Tr 8Pi; the flop is 2Co 2Ca 8Co.
STACKS = [(1, 375), (3, 970), (4, 240), (7, 410), (9, 1060), (10, 990)]
PLAYERS = {1: "1111", 3: "3333", 4: "4444", 7: "7777", 9: "9999", 10: "1010"}
PREFLOP = [(9, Action.CALL, None), (10, Action.CALL, None), (1, Action.FOLD, None), (3, Action.CALL, None),
           (4, Action.FOLD, None), (7, Action.CHECK, None)]
FLOP = [(7, Action.CHECK, None), (9, Action.CHECK, None), (10, Action.RAISE, 100), (3, Action.FOLD, None),
        (7, Action.FOLD, None), (9, Action.RAISE, 1050), (10, Action.FOLD, None)]
# The annex dates grego82's own decisions and the rounds; the others carry none.
DATES = {"start": "091015144000", (0, 9): "091015144010", "flop": "091015144150", (1, 9): ["091015144155",
                                                                                                 "091015144200"],
         "end": "091015144210"}


def example_hand() -> tuple[Hand, list[datetime]]:
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10)
    dealing_order = [4, 7, 9, 10, 1, 3]  # left of the button first
    deck = deck_with(hold_em_positions(dealing_order, {9: ("2Tr", "8Pi")}, ["2Co", "2Ca", "8Co"]))
    hand = Hand(rules, STACKS, 3, deck)
    times = [utc(DATES["start"])] * len(hand.log)
    own_flop = iter(DATES[(1, 9)])
    for street, actions in ((0, PREFLOP), (1, FLOP)):
        for seat, action, amount in actions:
            assert hand.street == street
            hand.act(seat, action, amount)
            while len(times) < len(hand.log):  # the decision, then a dealt street or the settlement
                times.append(times[-1])
            decision_index = next(i for i in range(len(hand.log) - 1, -1, -1)
                                  if getattr(hand.log[i], "decision", None) is not None)
            if seat == 9:
                times[decision_index] = utc(DATES[(0, 9)] if street == 0 else next(own_flop))
            if hand.street == 1 and street == 0:
                times[-1] = utc(DATES["flop"])
    times[-1] = utc(DATES["end"])
    return hand, times


def test_example_1_replayed_through_the_engine_gives_the_annex_record() -> None:
    hand, times = example_hand()
    assert hand.result is not None and not hand.result.showdown
    assert hand.result.final_stacks == {1: 375, 3: 960, 4: 235, 7: 400, 9: 1195, 10: 880}
    expected = annex("L6015")
    context = HandContext("PK942045", "P592958", "T245", hand.rules,
                          {seat: Player(id_joueur, "4512") for seat, id_joueur in PLAYERS.items()}, times)
    built = po.build_popartie(header_of(expected), popartie(seat_view(hand, 9), context))
    # The annex lists grego82's best five as 8Co 2Ca 2Co 2Tr 8Pi; Croupier lists them high to low.
    found = differences(built, expected)
    assert [d for d in found if "MainMax" not in d] == []
    assert sorted(built.xpath("//MainMax/text()")) == sorted(expected.xpath("//MainMax/text()"))


def test_each_seat_sees_only_its_own_cards_when_nobody_shows_down() -> None:
    hand, times = example_hand()
    for seat in PLAYERS:
        view = seat_view(hand, seat)
        assert view.rounds[0].cards == tuple(hand.hole[seat])
        assert [r.seat for r in view.results][0] == seat
        for result in view.results:
            if result.seat != seat:
                assert result.cards == () and result.best_five == ()
    # A player who folded keeps no cards in its own result.
    assert seat_view(hand, 4).results[0].cards == ()


def _random_hand(rng: random.Random) -> Hand:
    variant = rng.choice(list(Variant))
    structure = rng.choice(list(Structure))
    players = rng.randint(2, 9)
    seats = sorted(rng.sample(range(1, 11), players))
    ante = rng.choice([0, 0, 1, 5])
    rules = Rules(variant, structure, 5, 10, ante=ante, big_blind_ante=bool(ante) and rng.random() < 0.5)
    deck = Dealer(FixedDeck(rng.sample(range(52), 52))).new_deck("random")  # test data only
    hand = Hand(rules, [(s, rng.randint(1, 300)) for s in seats], rng.choice(seats), deck)
    while hand.result is None:
        legal = hand.betting.legal()
        pick = rng.random()
        if pick < 0.05:
            hand.time_out(legal.seat)
        elif pick < 0.2 and not legal.can_check:
            hand.act(legal.seat, Action.FOLD)
        elif pick < 0.7 or legal.min_raise_to is None:
            hand.act(legal.seat, Action.CHECK if legal.can_check else Action.CALL)
        else:
            assert legal.max_raise_to is not None
            hand.act(legal.seat, Action.RAISE, rng.randint(legal.min_raise_to, legal.max_raise_to))
    return hand


HEADER = Header(id_oper="4512", date_evt=datetime(2026, 11, 29, tzinfo=timezone.utc), id_evt=0, id_joueur="p",
                hash_joueur="0" * 40, id_session="s", ip_joueur="192.0.2.1", id_coffre=1)


@pytest.mark.parametrize("seed", range(4))
def test_random_hands_give_valid_popartie_for_every_seat_and_amounts_add_up(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        hand = _random_hand(rng)
        assert hand.result is not None
        start = datetime(2026, 11, 29, 12, tzinfo=timezone.utc)
        times = [start + timedelta(seconds=i) for i in range(len(hand.log))]
        players = {seat: Player(f"J{seat}") for seat in hand.order}
        collected = hand.result.collected
        for seat in hand.order:
            view = seat_view(hand, seat)
            context = HandContext(f"T{seat}", "H1", "T1", hand.rules, players, times, amount=cents)
            record = po.build_popartie(HEADER, popartie(view, context))  # validates against PO.xsd
            validate_event(etree.fromstring(etree.tostring(record)))
            mine = view.results[0]
            assert mine.seat == seat
            start_stack = hand.starting_stacks[seat]
            assert start_stack - mine.total_bet + (mine.won or 0) == hand.result.final_stacks[seat]
            assert (mine.won or 0) == collected.get(seat, 0)
            shown = {e.seat for e in hand.log if type(e).__name__ == "Shown"}
            for other in view.results[1:]:
                assert bool(other.cards) == (other.seat in shown)
            assert sum(r.total for r in view.rounds) == sum(hand.contributed.values()) + sum(
                hand.dead_money.values())
        total_in = sum(hand.starting_stacks.values())
        assert total_in == sum(hand.result.final_stacks.values()) + hand.result.settlement.rake

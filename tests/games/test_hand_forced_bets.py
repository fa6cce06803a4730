"""Forced bets (antes, big-blind ante, straddles, live and dead posts), time-outs, showdown order, rake."""

from __future__ import annotations

from fractions import Fraction

import pytest

from games.betting import Action, IllegalAction, Structure
from games.hand import Blinds, Hand, HandError, Mucked, Posted, PostKind, Rules, Shown, Variant
from games.pots import RakeRule
from tests.games.known_decks import deck_with, hold_em_positions

NL = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10)


def deck_for(order: list[int], button: int, hole: dict[int, tuple[str, str]], board: list[str]):
    start = (order.index(button) + 1) % len(order)
    return deck_with(hold_em_positions(order[start:] + order[:start], hole, board))


def posts(hand: Hand) -> list[tuple[int, PostKind, int]]:
    return [(e.seat, e.kind, e.amount) for e in hand.log if isinstance(e, Posted)]


def check_down(hand: Hand) -> None:
    while hand.result is None:
        legal = hand.betting.legal()
        hand.act(legal.seat, Action.CHECK if legal.can_check else Action.CALL)


def test_antes_are_posted_first_and_a_player_all_in_on_the_ante_wins_only_the_antes() -> None:
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10, ante=2)
    deck = deck_for([1, 2, 3], 1, {1: ("1Pi", "1Co"), 2: ("3Tr", "7Ca"), 3: ("4Tr", "9Ca")},
                    ["RTr", "DCa", "2Co", "5Pi", "6Pi"])
    hand = Hand(rules, [(1, 2), (2, 100), (3, 100)], 1, deck)
    assert posts(hand)[:3] == [(1, PostKind.ANTE, 2), (2, PostKind.ANTE, 2), (3, PostKind.ANTE, 2)]
    assert hand.stacks[1] == 0
    check_down(hand)
    assert hand.result is not None
    # Seat 1's aces win the 6 chips of antes; the blinds' 20 go to the better of 2 and 3.
    assert hand.result.final_stacks[1] == 6
    assert hand.result.final_stacks[1] + hand.result.final_stacks[2] + hand.result.final_stacks[3] == 202


def test_big_blind_ante_is_dead_money_and_a_short_big_blind_posts_the_blind_first() -> None:
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10, ante=10, big_blind_ante=True)
    deck = deck_for([1, 2, 3], 1, {}, [])
    hand = Hand(rules, [(1, 100), (2, 100), (3, 14)], 1, deck)
    assert posts(hand) == [(2, PostKind.SMALL_BLIND, 5), (3, PostKind.BIG_BLIND, 10),
                           (3, PostKind.BIG_BLIND_ANTE, 4)]
    hand = Hand(rules, [(1, 100), (2, 100), (3, 100)], 1, deck_for([1, 2, 3], 1, {}, []))
    hand.act(1, Action.FOLD)
    hand.act(2, Action.CALL)
    check_down(hand)
    assert hand.result is not None
    assert sum(p.amount for p in hand.result.settlement.pots) == 30  # 10 + 10 + the 10 of ante
    assert hand.result.settlement.returned == {}  # nobody "calls" an ante, so none comes back


def test_straddle_moves_first_action_and_minimum_raise_and_keeps_the_option() -> None:
    deck = deck_for([1, 2, 3, 4], 1, {}, [])
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500), (4, 500)], 1, deck, Blinds(2, 3, straddles=((4, 20),)))
    assert hand.turn == 1  # after the straddler
    legal = hand.betting.legal()
    assert (legal.call, legal.min_raise_to) == (20, 40)
    hand.act(1, Action.CALL)
    hand.act(2, Action.CALL)
    hand.act(3, Action.CALL)
    assert hand.turn == 4 and hand.betting.legal().can_check  # the straddler's option
    assert hand.betting.legal().min_raise_to == 40


def test_returning_player_posts_live_big_blind_and_dead_small_blind() -> None:
    deck = deck_for([1, 2, 3, 4], 1, {}, [])
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500), (4, 500)], 1, deck, Blinds(2, 3, live=((1, 10),), dead=((1, 5),)))
    assert hand.turn == 4
    hand.act(4, Action.CALL)
    hand.act(1, Action.CHECK)  # the live post counts towards the call and keeps the option
    hand.act(2, Action.CALL)
    hand.act(3, Action.CHECK)
    assert hand.street == 1
    check_down(hand)
    assert hand.result is not None
    assert hand.result.settlement.returned == {}
    assert sum(p.amount for p in hand.result.settlement.pots) == 45


def test_bad_forced_bets_are_refused() -> None:
    seats = [(1, 500), (2, 500), (3, 500)]
    with pytest.raises(HandError, match="straddle"):
        Hand(NL, seats, 1, deck_for([1, 2, 3], 1, {}, []), Blinds(2, 3, straddles=((1, 10),)))
    with pytest.raises(HandError, match="fixed limit"):
        Hand(Rules(Variant.HOLDEM, Structure.FIXED_LIMIT, 5, 10), seats, 1, deck_for([1, 2, 3], 1, {}, []),
             Blinds(2, 3, straddles=((1, 20),)))
    with pytest.raises(HandError, match="not dealt in"):
        Hand(NL, seats, 1, deck_for([1, 2, 3], 1, {}, []), Blinds(2, 7))


def test_time_out_folds_the_seat_to_act_and_only_it() -> None:
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1, deck_for([1, 2, 3], 1, {}, []))
    with pytest.raises(IllegalAction, match="turn"):
        hand.time_out(2)
    decision = hand.time_out(1)
    assert decision.action is Action.FOLD and 1 in hand.folded
    assert hand.log[-1].timed_out  # type: ignore[union-attr]


def test_showdown_river_bettor_shows_first_and_a_beaten_hand_is_mucked() -> None:
    hole = {1: ("1Pi", "1Co"), 2: ("RTr", "RCa"), 3: ("3Tr", "7Ca")}
    deck = deck_for([1, 2, 3], 1, hole, ["2Tr", "8Ca", "9Co", "VPi", "4Co"])
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1, deck)
    hand.act(1, Action.CALL)
    hand.act(2, Action.CALL)
    hand.act(3, Action.CHECK)
    for _ in range(2):
        for seat in (2, 3, 1):
            hand.act(seat, Action.CHECK)
    hand.act(2, Action.RAISE, 20)  # seat 2 bets the river
    hand.act(3, Action.CALL)
    hand.act(1, Action.CALL)
    events = [(type(e).__name__, e.seat) for e in hand.log if isinstance(e, (Shown, Mucked))]
    # Seat 2 bet last and shows first; seat 3 cannot beat kings and mucks; seat 1's aces show.
    assert events == [("Shown", 2), ("Mucked", 3), ("Shown", 1)]


def test_all_in_run_out_shows_every_hand() -> None:
    hole = {1: ("1Pi", "1Co"), 2: ("RTr", "RCa"), 3: ("3Tr", "7Ca")}
    deck = deck_for([1, 2, 3], 1, hole, ["2Tr", "8Ca", "9Co", "VPi", "4Co"])
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1, deck)
    hand.act(1, Action.RAISE, 500)
    hand.act(2, Action.CALL)
    hand.act(3, Action.CALL)
    assert hand.result is not None and hand.ran_out
    assert sorted(e.seat for e in hand.log if isinstance(e, Shown)) == [1, 2, 3]


def test_rake_is_taken_after_the_flop_capped_and_not_before() -> None:
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10, rake=RakeRule(Fraction(5, 100), cap=3))
    hand = Hand(rules, [(1, 500), (2, 500), (3, 500)], 1, deck_for([1, 2, 3], 1, {}, []))
    hand.act(1, Action.CALL)
    hand.act(2, Action.CALL)
    hand.act(3, Action.CHECK)
    check_down(hand)
    assert hand.result is not None and hand.result.settlement.rake == 1  # 5% of 30, floored
    hand = Hand(rules, [(1, 500), (2, 500), (3, 500)], 1, deck_for([1, 2, 3], 1, {}, []))
    hand.act(1, Action.RAISE, 200)
    hand.act(2, Action.CALL)
    hand.act(3, Action.FOLD)
    check_down(hand)
    assert hand.result is not None and hand.result.settlement.rake == 3  # capped
    assert sum(hand.result.final_stacks.values()) == 1500 - 3
    hand = Hand(rules, [(1, 500), (2, 500), (3, 500)], 1, deck_for([1, 2, 3], 1, {}, []))
    hand.act(1, Action.RAISE, 200)
    hand.act(2, Action.FOLD)
    hand.act(3, Action.FOLD)
    assert hand.result is not None and hand.result.settlement.rake == 0  # no flop, no drop


def test_a_player_may_show_a_mucked_or_uncontested_hand_after_it_ends_and_others_then_see_it() -> None:
    from games.hand_views import seat_view

    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1, deck_for([1, 2, 3], 1, {}, []))
    with pytest.raises(HandError, match="over"):
        hand.show(1)
    hand.act(1, Action.RAISE, 40)
    hand.act(2, Action.FOLD)
    hand.act(3, Action.FOLD)
    assert all(r.cards == () for r in seat_view(hand, 2).results if r.seat == 1)
    with pytest.raises(HandError, match="not among"):
        hand.show(2)
    hand.show(1)
    with pytest.raises(HandError, match="already"):
        hand.show(1)
    assert [r.cards for r in seat_view(hand, 2).results if r.seat == 1] == [tuple(hand.hole[1])]

"""Random finished hands for the tests of hand exports (PHH, text histories, the hand CLI)."""

from __future__ import annotations

import random

from games.betting import Action, Structure
from games.dealer import Dealer
from games.hand import Blinds, Hand, Rules
from tests.games.pokerkit_oracle import GAMES, KnownDeck, _reopened_by_short_all_ins


def random_hand(rng: random.Random, game: str, *, button_last: bool = True) -> Hand:
    """A finished hand with random seats, stakes, antes, straddles and decisions.

    ``button_last``: the button is the highest seat number, so that p1..pN go up in seat
    order as PokerKit's player indices do (``pokerkit_odd_chips`` compares by seat number).
    Raises are chosen among those PokerKit allows too: the engine lets short all-ins add up
    to a full raise, PokerKit does not (tests/games/pokerkit_oracle.py lists the differences).
    """
    variant, structure, _ = GAMES[game]
    count = rng.randint(2, 7)
    seats = sorted(rng.sample(range(1, 11), count))
    button = seats[-1] if button_last else rng.choice(seats)
    small, big = rng.choice([(1, 2), (5, 10), (25, 50), (50, 100)])
    antes = rng.choice(["none", "each", "big_blind"])
    ante = 0 if antes == "none" else rng.choice([1, big // 2, big])
    stacks = {seat: rng.randint(1, 80) * rng.choice([big // 2, big, 3 * big]) for seat in seats}
    order = seats[seats.index(button) + 1:] + seats[:seats.index(button) + 1]  # p1 ... pN
    big_blind_seat = order[0] if count == 2 else order[1]
    if antes == "big_blind":
        # The engine posts a short big blind's blind before the ante, PokerKit the ante first.
        stacks[big_blind_seat] = max(stacks[big_blind_seat], big + ante + 1)
    straddles: tuple[tuple[int, int], ...] = ()
    if structure is not Structure.FIXED_LIMIT and count >= 4 and rng.random() < 0.3:
        levels = [2 * big, 4 * big][: rng.randint(1, min(2, count - 3))]
        straddles = tuple(zip(order[2:], levels))
        for seat, amount in straddles:  # a straddler covers the straddle: short ones differ in PokerKit
            stacks[seat] = max(stacks[seat], amount + 1)
    rules = Rules(variant, structure, small, big, ante=ante, big_blind_ante=antes == "big_blind")
    blinds = Blinds.standard(seats, button)
    blinds = Blinds(blinds.small_blind, blinds.big_blind, straddles)
    hand = Hand(rules, [(seat, stacks[seat]) for seat in seats], button, Dealer(KnownDeck(rng)).new_deck("phh"),
                blinds)
    while hand.result is None:
        turn = hand.turn
        assert turn is not None
        legal = hand.betting.legal()
        choice = rng.random()
        can_raise = legal.min_raise_to is not None and not _reopened_by_short_all_ins(hand, turn)
        if choice < 0.15 and not legal.can_check:
            hand.act(turn, Action.FOLD)
        elif choice < 0.6 or not can_raise:
            hand.act(turn, Action.CHECK if legal.can_check else Action.CALL)
        else:
            low, high = legal.min_raise_to, legal.max_raise_to
            assert low is not None and high is not None
            hand.act(turn, Action.RAISE, high if rng.random() < 0.2 else rng.randint(low, high))
    return hand

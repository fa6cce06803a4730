"""Differential test: Croupier's hands against PokerKit's, same cards, same random decisions."""

from __future__ import annotations

import random

import pytest

from tests.games.pokerkit_oracle import GAMES, play


# PokerKit's automatic burn takes cards from its own deck; the cards dealt here come from
# Croupier's deck, which PokerKit flags as "not recommended". The hands stay identical.
pytestmark = pytest.mark.filterwarnings("ignore:A card being dealt")


def run(seed: int, hands: int) -> None:
    rng = random.Random(seed)
    for number in range(hands):
        game = rng.choice(sorted(GAMES))
        ours, theirs, log = play(rng, game)
        assert [ours[seat] for seat in range(len(theirs))] == theirs, (number, log, ours, theirs)


def test_random_hands_match_pokerkit() -> None:
    run(seed=11, hands=300)


@pytest.mark.slow
@pytest.mark.timeout(7200)
def test_a_hundred_thousand_hands_match_pokerkit() -> None:
    run(seed=12, hands=100_000)

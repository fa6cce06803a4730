"""The dealer: unbiased CSPRNG shuffles, injected decks through the same interface, the audit's view."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from scipy.stats import chisquare

from games import dealer as dealer_module
from games.cards import DECK_SIZE, CardError, full_deck, parse_cards
from games.dealer import CsprngDeckSource, DealEnd, Dealer, DeckExhausted, fisher_yates


class FixedDeck:
    """Tests only: a known deck, through the interface the dealer uses in production."""

    def __init__(self, top: list[int]) -> None:
        rest = [c for c in full_deck() if c not in top]
        self.cards = top + rest

    def deck(self) -> list[int]:
        return list(self.cards)


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[int, ...]]] = []
        self.ended: list[tuple[str, DealEnd]] = []

    def deck_dealt(self, deal_id: str, deck: tuple[int, ...]) -> None:
        self.seen.append((deal_id, deck))

    def deal_closed(self, deal_id: str, end: DealEnd) -> None:
        self.ended.append((deal_id, end))


def test_every_shuffle_is_a_permutation_and_they_differ() -> None:
    decks = [tuple(CsprngDeckSource().deck()) for _ in range(200)]
    assert all(sorted(d) == full_deck() for d in decks)
    assert len(set(decks)) == 200


def test_all_orders_of_a_small_deck_are_equally_likely() -> None:
    # 4 cards: 24 orders. A biased algorithm (swap with any position, or sort by random
    # keys with collisions) fails this at once; alpha 1e-6 keeps a fair one from flaking.
    counts = Counter(tuple(fisher_yates([0, 1, 2, 3])) for _ in range(48_000))
    assert len(counts) == 24
    assert chisquare(list(counts.values())).pvalue > 1e-6


def test_orders_are_equally_likely_when_indices_need_rejections() -> None:
    # 6 cards: a two-byte number per deck, drawn again at or above 65,520 (the largest
    # multiple of 720 under 2^16): keeping the values above it (modulo, or clamping) would
    # skew the 720 orders.
    counts = Counter(tuple(fisher_yates(list(range(6)))) for _ in range(144_000))
    assert len(counts) == 720
    assert chisquare(list(counts.values())).pvalue > 1e-6


def test_the_chi_square_would_catch_the_classic_bias() -> None:
    import secrets

    def naive(cards: list[int]) -> list[int]:  # swap each position with any position
        for i in range(len(cards)):
            j = secrets.randbelow(len(cards))
            cards[i], cards[j] = cards[j], cards[i]
        return cards

    counts = Counter(tuple(naive([0, 1, 2, 3])) for _ in range(48_000))
    assert chisquare([counts.get(p, 0) for p in itertools.permutations(range(4))]).pvalue < 1e-6


def test_each_card_lands_uniformly_on_each_position() -> None:
    trials = 6_000
    positions = Counter(CsprngDeckSource().deck().index(0) for _ in range(trials))
    expected = trials / DECK_SIZE
    observed = [positions.get(i, 0) for i in range(DECK_SIZE)]
    assert chisquare(observed, [expected] * DECK_SIZE).pvalue > 1e-6


def test_injected_decks_deal_in_order_and_the_audit_sees_every_deck() -> None:
    recorder = Recorder()
    top = parse_cards("AhKs2c")
    dealer = Dealer(FixedDeck(top), recorder)
    deck = dealer.new_deck("hand-1")
    assert deck.draw(2) == top[:2] and deck.burn() == top[2]
    assert deck.dealt == tuple(top) and deck.remaining == 49
    with pytest.raises(DeckExhausted):
        deck.draw(50)
    assert recorder.seen == [("hand-1", tuple(FixedDeck(top).cards))]


def test_the_end_of_a_deal_names_its_seats_sample_seat_and_last_street() -> None:
    recorder = Recorder()
    dealer = Dealer(FixedDeck([]), recorder)
    dealer.close_deal("hand-1", [4, 6, 1, 2], 3)  # dealt from seat 4; seat 1 is dealt third
    dealer.close_deal("hand-2", [2, 5], 0)
    dealer.close_deal("hand-3", [9, 3, 7], 5)
    assert recorder.ended == [("hand-1", DealEnd(4, 2, 1)), ("hand-2", DealEnd(2, 0, 0)), ("hand-3", DealEnd(3, 1, 3))]
    assert DealEnd.of([1, 2, 3], 4).street == 2
    for order, board in (([1], 0), (list(range(11)), 0), ([1, 2], 2), ([1, 2], 6)):
        with pytest.raises(ValueError):
            dealer.close_deal("bad", order, board)
    Dealer(FixedDeck([])).close_deal("unobserved", [1, 2], 5)  # no observer: nothing to tell


def test_a_source_giving_a_bad_deck_is_refused() -> None:
    class Broken:
        def deck(self) -> list[int]:
            return [0] * 52

    with pytest.raises(CardError, match="duplicate"):
        Dealer(Broken()).new_deck("x")


def test_production_shuffles_with_secrets_only() -> None:
    source = open(dealer_module.__file__).read()
    assert "secrets.token_bytes" in source
    assert "import random" not in source and "numpy" not in source.split('"""', 2)[2]

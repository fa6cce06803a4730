"""The one-number-per-deck shuffle: the decoding is a bijection, the rejection is exact, short decks too."""

from __future__ import annotations

import itertools
import math
import secrets
from collections import Counter

import pytest
from scipy.stats import chisquare

from games import dealer as dealer_module
from games.cards import full_deck
from games.dealer import CsprngDeckSource, fisher_yates, permute_by_rank


def plan(n: int) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    return dealer_module._PLANS.get(n) or dealer_module._plan(n)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
def test_decoding_every_rank_below_n_factorial_gives_every_order_once(n: int) -> None:
    orders = [tuple(permute_by_rank(list(range(n)), rank)) for rank in range(math.factorial(n))]
    assert sorted(orders) == sorted(itertools.permutations(range(n)))


@pytest.mark.parametrize("n", [2, 4, 5, 6])
def test_every_accepted_number_maps_the_same_number_of_times_to_each_order(n: int) -> None:
    # What fisher_yates keeps is uniform on 0 .. limit - 1; each order must get limit / n! of them.
    limit, size, _ = plan(n)
    counts = Counter(tuple(permute_by_rank(list(range(n)), r)) for r in range(limit))
    assert len(counts) == math.factorial(n)
    assert set(counts.values()) == {limit // math.factorial(n)}
    assert limit % math.factorial(n) == 0 and limit <= 256**size < limit + math.factorial(n)


def test_the_52_card_plan() -> None:
    limit, size, steps = plan(52)
    orders = math.factorial(52)
    assert orders.bit_length() == 226 and size == 29
    assert limit == 85 * orders
    assert limit / 256**size == pytest.approx(0.99336, abs=1e-5)
    assert steps == tuple((i, i + 1) for i in range(51, 0, -1))
    # The highest number accepted decodes to a permutation; ranks n! apart give the same order.
    assert sorted(permute_by_rank(full_deck(), limit - 1)) == full_deck()
    assert permute_by_rank(full_deck(), 12345 + orders) == permute_by_rank(full_deck(), 12345)
    assert permute_by_rank(full_deck(), 0) != permute_by_rank(full_deck(), 1)


def test_numbers_at_or_above_the_limit_are_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    limit, size, _ = plan(52)
    draws = [(256**size - 1).to_bytes(size, "big"), limit.to_bytes(size, "big"), (limit - 1).to_bytes(size, "big")]
    asked: list[int] = []

    def scripted(count: int) -> bytes:
        asked.append(count)
        return draws.pop(0)

    monkeypatch.setattr(dealer_module.secrets, "token_bytes", scripted)
    assert fisher_yates(full_deck()) == permute_by_rank(full_deck(), limit - 1)
    assert asked == [29, 29, 29]


def test_decks_shorter_than_two_cards_are_returned_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dealer_module.secrets, "token_bytes", lambda count: pytest.fail("no draw needed"))
    assert fisher_yates([]) == [] and fisher_yates([7]) == [7]


def test_all_orders_of_4_and_6_cards_are_equally_likely() -> None:
    # The same code path as the 52-card deck: 4 cards draw 1 byte (limit 240: rejections
    # 6.25% of the time), 6 cards 2 bytes (limit 65,520).
    for n, draws in ((4, 48_000), (6, 144_000)):
        counts = Counter(tuple(fisher_yates(list(range(n)))) for _ in range(draws))
        assert len(counts) == math.factorial(n)
        assert chisquare(list(counts.values())).pvalue > 1e-6


def test_the_chi_square_would_catch_a_modulo_instead_of_the_rejection() -> None:
    def modulo(cards: list[int]) -> list[int]:  # one byte mod 24: 16 orders get 11/256, 8 get 10/256
        return permute_by_rank(cards, secrets.token_bytes(1)[0] % 24)

    # A 4% skew: at 96,000 decks the chi-square misses it with probability 1.4e-10 (48,000: 0.6%).
    counts = Counter(tuple(modulo([0, 1, 2, 3])) for _ in range(96_000))
    assert chisquare([counts.get(p, 0) for p in itertools.permutations(range(4))]).pvalue < 1e-6


def test_production_decks_are_permutations_of_the_52_cards() -> None:
    decks = [tuple(CsprngDeckSource().deck()) for _ in range(500)]
    assert all(sorted(d) == full_deck() for d in decks) and len(set(decks)) == 500

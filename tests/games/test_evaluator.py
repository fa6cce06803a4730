"""Hand values against PokerKit (the oracle), and the annex's needs (the five cards used)."""

from __future__ import annotations

import random
from itertools import combinations, combinations_with_replacement

import pytest
from pokerkit import OmahaHoldemHand, StandardHighHand

from games.cards import format_cards, parse_cards
from games.evaluator import (CATEGORY_NAMES, EvaluationError, best_five, best_omaha_five, category_of,
                             evaluate, evaluate7, evaluate_omaha)


def sign(x: int) -> int:
    return (x > 0) - (x < 0)


def compare_with_pokerkit(rng: random.Random, hands: int, omaha: bool) -> None:
    hole_size = 4 if omaha else 2
    oracle = OmahaHoldemHand if omaha else StandardHighHand
    for _ in range(hands):
        cards = rng.sample(range(52), 5 + 2 * hole_size)
        board, first, second = cards[:5], cards[5:5 + hole_size], cards[5 + hole_size:]
        if omaha:
            ours = [evaluate_omaha(first, board), evaluate_omaha(second, board)]
        else:
            ours = [evaluate([*first, *board]), evaluate7(*second, *board)]
        theirs = [oracle.from_game(format_cards(h), format_cards(board)) for h in (first, second)]
        expected = 1 if theirs[0] > theirs[1] else -1 if theirs[0] < theirs[1] else 0
        assert sign(ours[0] - ours[1]) == expected, (format_cards(first), format_cards(second), format_cards(board))


def test_holdem_agrees_with_pokerkit() -> None:
    compare_with_pokerkit(random.Random(5), 2_000, omaha=False)


def test_omaha_agrees_with_pokerkit() -> None:
    compare_with_pokerkit(random.Random(6), 1_000, omaha=True)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_a_hundred_thousand_showdowns_agree_with_pokerkit() -> None:
    compare_with_pokerkit(random.Random(8), 100_000, omaha=False)
    compare_with_pokerkit(random.Random(9), 100_000, omaha=True)


def test_categories_agree_with_pokerkit_on_rare_hands() -> None:
    # Decks biased towards few ranks and one suit make quads, full houses, straight flushes.
    rng = random.Random(7)
    names = {"Straight flush": 8, "Four of a kind": 7, "Full house": 6, "Flush": 5, "Straight": 4,
             "Three of a kind": 3, "Two pair": 2, "One pair": 1, "High card": 0}
    seen = set()
    for _ in range(3_000):
        pool = [c for c in range(52) if c >> 2 in rng.sample(range(13), 6) or c & 3 == 2]
        seven = rng.sample(pool, 7)
        oracle = StandardHighHand.from_game(format_cards(seven[:2]), format_cards(seven[2:]))
        category = category_of(evaluate(seven))
        label = next(v for k, v in names.items() if str(oracle).startswith(k))
        assert category == label, (format_cards(seven), str(oracle), CATEGORY_NAMES[category])
        seen.add(category)
    assert seen == set(range(9))


@pytest.mark.parametrize("cards, category, five", [
    ("AhKhQhJhTh2c3d", "straight flush", "AhKhQhJhTh"),
    ("5d4d3d2dAd9c9s", "straight flush", "5d4d3d2dAd"),
    ("Ah2c3d4s5h9c9d", "straight", "5h4s3d2cAh"),
    ("9c9d9h9sAhKhKd", "four of a kind", "9s9h9d9cAh"),
    ("KcKdKh2s2h2dAc", "full house", "KhKdKc2s2h"),
    ("7h6h2h9hJc3hQh", "flush", "Qh9h7h6h3h"),
])
def test_best_five_gives_the_cards_that_make_the_hand(cards: str, category: str, five: str) -> None:
    value, used = best_five(parse_cards(cards))
    assert CATEGORY_NAMES[category_of(value)] == category
    assert sorted(used) == sorted(parse_cards(five))


def test_omaha_uses_exactly_two_hole_cards() -> None:
    # Four hearts in hand and a board with one heart: no flush in Omaha (it is in Hold'em).
    hole, board = parse_cards("AhKhQhJh"), parse_cards("2h7c8d9sTc")
    value, used = best_omaha_five(hole, board)
    assert category_of(value) == 4  # straight: Q-J from the hand, 8-9-T from the board
    assert sorted(used) == sorted(parse_cards("QhJh8d9sTc"))
    assert category_of(evaluate([*hole, *board[:3]])) == 5


def test_bad_input_is_refused() -> None:
    with pytest.raises(EvaluationError):
        evaluate(parse_cards("AhKh"))
    with pytest.raises(EvaluationError):
        evaluate_omaha(parse_cards("AhKh"), parse_cards("2c3c4c5c6c"))
    with pytest.raises(ValueError, match="duplicate"):
        best_five(parse_cards("AhAhKd2c3c"))


def test_the_batch_path_gives_the_scalar_values() -> None:
    import numpy as np

    from games.evaluator_batch import evaluate7_batch, evaluate_omaha_batch

    rng = random.Random(10)
    hands = [rng.sample(range(52), 7) for _ in range(20_000)]
    assert evaluate7_batch(np.array(hands)).tolist() == [evaluate7(*h) for h in hands]
    deals = [rng.sample(range(52), 9) for _ in range(5_000)]
    batch = evaluate_omaha_batch(np.array([d[:4] for d in deals]), np.array([d[4:] for d in deals]))
    assert batch.tolist() == [evaluate_omaha(d[:4], d[4:]) for d in deals]
    flushes = [parse_cards("AhKhQhJh2h3h4h"), parse_cards("2c3c4c5c6c7d8d")]
    assert evaluate7_batch(np.array(flushes)).tolist() == [evaluate(h) for h in flushes]
    with pytest.raises(EvaluationError):
        evaluate7_batch(np.array([[0, 1, 2, 3, 4, 5, 52]]))


def omaha_by_brute_force(hole: list[int], board: list[int]) -> int:
    return max(evaluate([*two, *three]) for two in combinations(hole, 2) for three in combinations(board, 3))


def test_omaha_matches_brute_force_on_random_deals() -> None:
    rng = random.Random(11)
    for _ in range(5_000):
        cards = rng.sample(range(52), 9)
        hole, board = cards[:4], cards[4:]
        assert evaluate_omaha(hole, board) == omaha_by_brute_force(hole, board), (format_cards(hole),
                                                                                  format_cards(board))


def test_omaha_matches_brute_force_on_suited_and_paired_deals() -> None:
    # Few ranks and a favoured suit: quads and trips on board, 3 to 5 board cards of a suit,
    # four suited hole cards, straight flushes; random deals rarely show these.
    rng = random.Random(12)
    for _ in range(5_000):
        pool = [c for c in range(52) if c >> 2 in rng.sample(range(13), 5) or c & 3 == 1]
        cards = rng.sample(pool, 9)
        hole, board = cards[:4], cards[4:]
        assert evaluate_omaha(hole, board) == omaha_by_brute_force(hole, board), (format_cards(hole),
                                                                                  format_cards(board))


def test_omaha_pair_slots_name_every_rank_pair_apart() -> None:
    # The Omaha table finds a hole rank pair by adding two per-card numbers: a clash would
    # give some pairs another pair's value, on deals random tests may never draw.
    from games.evaluator import _GOLOMB

    slots = {_GOLOMB[a] + _GOLOMB[b] for a, b in combinations_with_replacement(range(13), 2)}
    assert len(slots) == 91


@pytest.mark.parametrize("hole, board, category", [
    ("KdKc2c3s", "9c9d9h9sKh", "full house"),  # quads on board: only three of them can play
    ("9cKd2c3s", "9d9h9sAcKh", "four of a kind"),  # quads with one hole nine
    ("AhKhQhJh", "2h7c8d9sTc", "straight"),  # four suited hole cards, one suited board card
    ("AhKh2c3d", "QhJh4h7c8d", "flush"),  # three of a suit on board
    ("AhKh2c3d", "QhJh4h7h8d", "flush"),  # four of a suit on board
    ("Ah2h2c3d", "QhJh4h7h8h", "flush"),  # five of a suit on board, flush needs two hole hearts
    ("Ts9s2c3d", "QhJh4h7h8h", "straight"),  # board flush, no hole heart: no flush
    ("Ah2c9d8d", "3h4d5cJsKs", "straight"),  # wheel A-2-3-4-5
    ("Ah2h8c8d", "3h4h5h9cJs", "straight flush"),  # steel wheel
    ("6h2h8c8d", "3h4h5h9cJs", "straight flush"),  # six high beats the wheel
    ("AhAd2c3d", "AcAs7h8h9h", "four of a kind"),  # two aces in hand, two on board
    ("AhAdKcKs", "AcKh7h8c9d", "three of a kind"),  # two pair in hand: only one pair plays
])
def test_omaha_edge_cases(hole: str, board: str, category: str) -> None:
    hole_cards, board_cards = parse_cards(hole), parse_cards(board)
    value = evaluate_omaha(hole_cards, board_cards)
    assert value == omaha_by_brute_force(hole_cards, board_cards)
    assert CATEGORY_NAMES[category_of(value)] == category

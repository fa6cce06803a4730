"""Poker hand values: Hold'em (best 5 of 5 to 7 cards) and Omaha (2 hole + 3 board).

A hand's value is an ``int``, higher is better, equal means a split: the category in the
high bits (0 high card ... 8 straight flush), then five 4-bit ranks in order of
significance. Evaluation is table-driven and exact:

- a card's rank contributes ``5 ** rank`` to a key: with at most four cards of a rank the
  key is the hand's rank counts written in base 5, so one dict lookup gives the best
  non-flush value of any 5, 6 or 7 cards;
- a card's suit contributes ``1 << 4 * suit``: four 4-bit counters; adding 3 to each and
  testing bit 3 finds a suit with five cards or more, whose 13-bit rank mask indexes the
  flush table.

The tables are built once, at import, from the rank counts (about 74,000 entries); they
are constants, never changed. Omaha has a table of its own, derived from that one
(see ``_OMAHA_ROWS``). :func:`best_five` and :func:`best_omaha_five`
return the five cards that make the value, for the records (POPARTIE's ``MainMax``).
"""

from __future__ import annotations

from array import array
from itertools import combinations, combinations_with_replacement
from typing import Sequence

from games.cards import Card, check_distinct

HIGH_CARD, PAIR, TWO_PAIR, TRIPS, STRAIGHT, FLUSH, FULL_HOUSE, QUADS, STRAIGHT_FLUSH = range(9)
CATEGORY_NAMES = ("high card", "pair", "two pair", "three of a kind", "straight", "flush", "full house",
                  "four of a kind", "straight flush")
ACE = 12

_RANK_KEY = tuple(5 ** (card >> 2) for card in range(52))
_SUIT_KEY = tuple(1 << 4 * (card & 3) for card in range(52))
_BIT = tuple(1 << (card >> 2) for card in range(52))


class EvaluationError(ValueError):
    pass


def _value(category: int, ranks: Sequence[int]) -> int:
    value = category
    for index in range(5):
        value = value << 4 | (ranks[index] if index < len(ranks) else 0)
    return value


def category_of(value: int) -> int:
    return value >> 20


def _straight_top(mask: int) -> int:
    """The top rank of the best straight in a 13-bit rank mask, or -1."""
    for top in range(ACE, 3, -1):
        run = 0b11111 << (top - 4)
        if mask & run == run:
            return top
    if mask & 0b1000000001111 == 0b1000000001111:  # A-2-3-4-5, the wheel: five high
        return 3
    return -1


def _flush_value(mask: int) -> int:
    top = _straight_top(mask)
    if top >= 0:
        return _value(STRAIGHT_FLUSH, [top])
    ranks = [r for r in range(ACE, -1, -1) if mask >> r & 1][:5]
    return _value(FLUSH, ranks)


def _counts_value(counts: Sequence[int]) -> int:
    """Best non-flush value of cards with these rank counts (index = rank)."""
    present: list[int] = []  # every rank held, highest first
    groups: tuple[list[int], ...] = ([], [], [], [], [])  # ranks by how many are held
    mask = 0
    for rank in range(ACE, -1, -1):
        held = counts[rank]
        if held:
            present.append(rank)
            groups[held].append(rank)
            mask |= 1 << rank
    quads, trips, pairs = groups[4], groups[3], groups[2]
    if quads:
        return _value(QUADS, [quads[0], next(r for r in present if r != quads[0])])
    if trips and (len(trips) > 1 or pairs):
        return _value(FULL_HOUSE, [trips[0], max(trips[1:] + pairs)])
    top = _straight_top(mask)
    if top >= 0:
        return _value(STRAIGHT, [top])
    if trips:
        return _value(TRIPS, [trips[0], *[r for r in present if r != trips[0]][:2]])
    if len(pairs) >= 2:
        return _value(TWO_PAIR, [pairs[0], pairs[1], next(r for r in present if r not in pairs[:2])])
    if pairs:
        return _value(PAIR, [pairs[0], *[r for r in present if r != pairs[0]][:3]])
    return _value(HIGH_CARD, present[:5])


def _build_rank_table() -> dict[int, int]:
    table: dict[int, int] = {}
    counts = [0] * 13

    def fill(rank: int, left: int, key: int) -> None:
        if rank == 13:
            if left <= 2:  # 5, 6 or 7 cards placed
                table[key] = _counts_value(counts)
            return
        weight = 5 ** rank
        for c in range(min(4, left) + 1):
            counts[rank] = c
            fill(rank + 1, left - c, key + c * weight)
        counts[rank] = 0

    fill(0, 7, 0)
    return table


_RANK_TABLE = _build_rank_table()
_FLUSH_TABLE = tuple(_flush_value(m) if bin(m).count("1") >= 5 else 0 for m in range(1 << 13))


def evaluate(cards: Sequence[Card]) -> int:
    """Value of the best five of 5, 6 or 7 distinct cards (Hold'em: hole cards plus board)."""
    count = len(cards)
    if not 5 <= count <= 7:
        raise EvaluationError(f"a hand is 5 to 7 cards, not {count}")
    suits = 0
    key = 0
    for card in cards:
        suits += _SUIT_KEY[card]
        key += _RANK_KEY[card]
    flush = (suits + 0x3333) & 0x8888
    if flush:
        suit = (flush.bit_length() - 4) >> 2
        mask = 0
        for card in cards:
            if card & 3 == suit:
                mask |= _BIT[card]
        return max(_FLUSH_TABLE[mask], _RANK_TABLE[key])
    return _RANK_TABLE[key]


def evaluate7(c0: Card, c1: Card, c2: Card, c3: Card, c4: Card, c5: Card, c6: Card) -> int:
    """:func:`evaluate` unrolled for seven cards: the showdown's hot path."""
    sk = _SUIT_KEY
    flush = (sk[c0] + sk[c1] + sk[c2] + sk[c3] + sk[c4] + sk[c5] + sk[c6] + 0x3333) & 0x8888
    rk = _RANK_KEY
    value = _RANK_TABLE[rk[c0] + rk[c1] + rk[c2] + rk[c3] + rk[c4] + rk[c5] + rk[c6]]
    if flush:
        suit = (flush.bit_length() - 4) >> 2
        mask = 0
        for card in (c0, c1, c2, c3, c4, c5, c6):
            if card & 3 == suit:
                mask |= _BIT[card]
        flush_value = _FLUSH_TABLE[mask]
        return flush_value if flush_value > value else value
    return value


# Omaha's non-flush part is precomputed per board: for each multiset of five board ranks,
# the best value of every hole rank pair with any three of them (6,175 boards x 91 pairs).
# A deal is then one board lookup and six pair lookups instead of 60 five-card lookups.
# A pair's slot in a board's row is the sum of its two cards' marks on an optimal Golomb
# ruler: all sums of two marks (a mark with itself too) differ, so adding two per-card
# numbers names the rank pair with no second lookup, at the price of 213 slots for 91 pairs.
_GOLOMB = (0, 2, 5, 25, 37, 43, 59, 70, 85, 89, 98, 99, 106)
_PAIR_SLOT = tuple(_GOLOMB[card >> 2] for card in range(52))
_ROW_WIDTH = 2 * _GOLOMB[-1] + 1
def _build_omaha_rows() -> dict[int, array[int]]:
    import numpy as np  # only to build: a call reads plain arrays

    rank_key = _RANK_KEY[::4]  # by rank
    triples = list(combinations_with_replacement(range(13), 3))
    pairs = list(combinations_with_replacement(range(13), 2))
    # Three of a rank with two of it would be five of a kind: no deal makes one, so 0 fills
    # its slot, as it fills the 122 slots that name no pair.
    pair_keys = [rank_key[a] + rank_key[b] for a, b in pairs]
    values = np.array([[_RANK_TABLE.get(rank_key[x] + rank_key[y] + rank_key[z] + p, 0) for p in pair_keys]
                       for x, y, z in triples], dtype=np.intc)
    by_triple = np.zeros((len(triples), _ROW_WIDTH), dtype=np.intc)
    by_triple[:, [_GOLOMB[a] + _GOLOMB[b] for a, b in pairs]] = values
    triple_index = {triple: index for index, triple in enumerate(triples)}
    boards = [b for b in combinations_with_replacement(range(13), 5) if b[0] != b[4]]  # not five of a kind
    board_triples = np.array([[triple_index[t] for t in combinations(b, 3)] for b in boards])
    best = by_triple[board_triples[:, 0]]
    for column in range(1, board_triples.shape[1]):
        np.maximum(best, by_triple[board_triples[:, column]], out=best)
    return {sum(rank_key[r] for r in board): array("i", row.tobytes()) for board, row in zip(boards, best)}


# Built at import like the Hold'em table (about 0.03 s, 6.6 MB): a constant, never changed.
_OMAHA_ROWS = _build_omaha_rows()


def _omaha_flush(best: int, suit: int, hole: Sequence[Card], board: Sequence[Card]) -> int:
    """``best`` raised to the best flush of ``suit`` made of two hole and three board cards."""
    bit = _BIT
    hole_bits = [bit[c] for c in hole if c & 3 == suit]
    if len(hole_bits) < 2:
        return best
    pair_masks = [x | y for x, y in combinations(hole_bits, 2)]
    flush_table = _FLUSH_TABLE
    for x, y, z in combinations([bit[c] for c in board if c & 3 == suit], 3):
        triple_mask = x | y | z
        for pair_mask in pair_masks:
            value = flush_table[pair_mask | triple_mask]
            if value > best:
                best = value
    return best


def evaluate_omaha(hole: Sequence[Card], board: Sequence[Card]) -> int:
    """Omaha: exactly two of the four hole cards with exactly three of the five board cards."""
    if len(hole) != 4 or len(board) != 5:
        raise EvaluationError("Omaha takes 4 hole cards and a 5-card board")
    b0, b1, b2, b3, b4 = board
    rk = _RANK_KEY
    row = _OMAHA_ROWS[rk[b0] + rk[b1] + rk[b2] + rk[b3] + rk[b4]]
    slot = _PAIR_SLOT
    h0, h1, h2, h3 = hole
    s0, s1, s2, s3 = slot[h0], slot[h1], slot[h2], slot[h3]
    best = max(row[s0 + s1], row[s0 + s2], row[s0 + s3], row[s1 + s2], row[s1 + s3], row[s2 + s3])
    sk = _SUIT_KEY
    # A flush needs three board cards of one suit (at most one suit has three of five):
    # a 4-bit counter reaching 3 shows as bit 3 once 5 is added.
    board_suits = (sk[b0] + sk[b1] + sk[b2] + sk[b3] + sk[b4] + 0x5555) & 0x8888
    if board_suits:
        return _omaha_flush(best, (board_suits.bit_length() - 4) >> 2, hole, board)
    return best


def best_five(cards: Sequence[Card]) -> tuple[int, tuple[Card, ...]]:
    """The value and the five cards that make it (ties: the first in card order)."""
    check_distinct(cards)
    value = evaluate(cards)
    for five in combinations(sorted(cards, reverse=True), 5):
        if evaluate(five) == value:
            return value, five
    raise EvaluationError("no five cards reach the hand's value")  # unreachable by construction


def best_omaha_five(hole: Sequence[Card], board: Sequence[Card]) -> tuple[int, tuple[Card, ...]]:
    check_distinct([*hole, *board])
    value = evaluate_omaha(hole, board)
    for two in combinations(sorted(hole, reverse=True), 2):
        for three in combinations(sorted(board, reverse=True), 3):
            if evaluate((*two, *three)) == value:
                return value, (*two, *three)
    raise EvaluationError("no two hole and three board cards reach the hand's value")

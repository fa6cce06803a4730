"""Batch evaluation with numpy: the same values as :mod:`games.evaluator`, many hands a call.

For simulations, equity tables and the RNG audit's statistics, not for dealing: numpy
here only computes, it never draws. The scalar tables are turned into arrays once: the
base-5 rank keys sorted (``searchsorted`` finds a key's row) with their values, and the
flush table indexed by the 13-bit rank mask.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt

from games import evaluator

_KEYS = np.array(sorted(evaluator._RANK_TABLE), dtype=np.int64)
_VALUES = np.array([evaluator._RANK_TABLE[k] for k in _KEYS.tolist()], dtype=np.int64)
_FLUSH = np.array(evaluator._FLUSH_TABLE, dtype=np.int64)
_RANK_KEY = np.array(evaluator._RANK_KEY, dtype=np.int64)
_SUIT_KEY = np.array(evaluator._SUIT_KEY, dtype=np.int64)
_BIT = np.array(evaluator._BIT, dtype=np.int64)
_PAIRS = np.array(list(combinations(range(4), 2)), dtype=np.intp)
_TRIPLES = np.array(list(combinations(range(5), 3)), dtype=np.intp)
# Omaha hands are exactly five cards: a table of the 6,175 five-card rank multisets is
# smaller, so its search is faster than in the 5-to-7-card one.
_FIVE = [k for k in evaluator._RANK_TABLE if sum(int(d) for d in np.base_repr(k, 5)) == 5]
_KEYS5 = np.array(sorted(_FIVE), dtype=np.int64)
_VALUES5 = np.array([evaluator._RANK_TABLE[k] for k in _KEYS5.tolist()], dtype=np.int64)

Cards = npt.NDArray[np.integer]


def _non_flush(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return _VALUES[np.searchsorted(_KEYS, keys)]


def _check(cards: Cards, width: int) -> npt.NDArray[np.intp]:
    array = np.asarray(cards)
    if array.ndim != 2 or array.shape[1] != width:
        raise evaluator.EvaluationError(f"expected an array of shape (n, {width})")
    if array.size and (array.min() < 0 or array.max() > 51):
        raise evaluator.EvaluationError("cards are integers 0 to 51")
    return array.astype(np.intp, copy=False)


def evaluate7_batch(cards: Cards) -> npt.NDArray[np.int64]:
    """Values of ``n`` seven-card hands given as an ``(n, 7)`` array."""
    hands = _check(cards, 7)
    values = _non_flush(_RANK_KEY[hands].sum(axis=1))
    suit_counters = _SUIT_KEY[hands].sum(axis=1) + 0x3333
    flush = (suit_counters & 0x8888) != 0
    if flush.any():
        rows = hands[flush]
        suit = (np.log2((suit_counters[flush] & 0x8888).astype(np.float64)).astype(np.int64) - 3) >> 2
        in_suit = (rows & 3) == suit[:, None]
        masks = np.where(in_suit, _BIT[rows], 0).sum(axis=1)
        values[flush] = np.maximum(values[flush], _FLUSH[masks])
    return values


def evaluate_omaha_batch(hole: Cards, board: Cards) -> npt.NDArray[np.int64]:
    """Values of ``n`` Omaha hands: ``(n, 4)`` hole cards, ``(n, 5)`` boards.

    The 60 hands of a deal are every hole pair (6) with every board triple (10): their keys,
    suits and rank masks are built by broadcasting the pairs' and the triples' own.
    """
    holes, boards = _check(hole, 4), _check(board, 5)
    pair_cards = holes[:, _PAIRS]  # (n, 6, 2)
    triple_cards = boards[:, _TRIPLES]  # (n, 10, 3)
    keys = _RANK_KEY[triple_cards].sum(axis=2)[:, :, None] + _RANK_KEY[pair_cards].sum(axis=2)[:, None, :]
    values = _VALUES5[np.searchsorted(_KEYS5, keys)]  # (n, 10, 6)
    pair_suits = pair_cards & 3
    pair_suit = np.where(pair_suits[:, :, 0] == pair_suits[:, :, 1], pair_suits[:, :, 0], -1)
    triple_suits = triple_cards & 3
    triple_suit = np.where((triple_suits == triple_suits[:, :, :1]).all(axis=2), triple_suits[:, :, 0], -2)
    flush = triple_suit[:, :, None] == pair_suit[:, None, :]
    if flush.any():
        masks = (np.bitwise_or.reduce(_BIT[triple_cards], axis=2)[:, :, None]
                 | np.bitwise_or.reduce(_BIT[pair_cards], axis=2)[:, None, :])
        values = np.where(flush, _FLUSH[masks], values)
    return values.reshape(len(values), -1).max(axis=1)

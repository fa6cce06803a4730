"""Statistics on DEALT cards only: what the regulator can recompute from POPARTIE records.

Card encoding: ``games.cards`` (card = rank*4 + suit, rank 0 = deuce .. 12 = ace).

Independence caveats (why the inputs are restricted):
* hole cards of different seats of the SAME deal are drawn without replacement from one
  deck, hence dependent; the tests below assume one hand per deal (pass ``deal_ids`` to
  keep the first row of each deal, e.g. the first seat dealt);
* boards only exist for hands that reached the flop/turn/river, and whether a hand goes on
  depends on the players' hole cards, which are correlated with the board (card removal).
  Board statistics are therefore exact only on boards dealt regardless of the play (e.g.
  the full-deck array, or the "run-out" of every deal); on real dealt boards a very large
  month may show this selection effect without any RNG fault. The deck-order tests
  (``deck_tests``) have no such bias.

Exact probabilities: C(52,2) = 1326 hole combinations, C(52,3) = 22100 flops,
C(52,5) = 2598960 five-card boards; derivations are in the docstrings and checked by
enumeration in ``tests/rng_audit/test_dealt_cards.py``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from functools import lru_cache

import numpy as np
from scipy import stats

from frontal.rng_audit.chi2 import gof
from frontal.rng_audit.result import TestResult

N_CARDS, N_RANKS, N_SUITS = 52, 13, 4
DEALT_NULL = "dealt cards are a uniformly random draw without replacement from the 52-card deck"


def one_per_deal(rows: np.ndarray, deal_ids: np.ndarray | None) -> np.ndarray:
    """Keep the first row of each deal (rows in dealing order)."""
    if deal_ids is None:
        return rows
    _, first = np.unique(np.asarray(deal_ids), return_index=True)
    return rows[np.sort(first)]


# ------------------------------------------------------------------ hole cards


def combo_index(holes: np.ndarray) -> np.ndarray:
    """Index 0..1325 of an unordered pair {i, j}, i < j: j(j-1)/2 + i."""
    a = np.minimum(holes[:, 0], holes[:, 1]).astype(np.int64)
    b = np.maximum(holes[:, 0], holes[:, 1]).astype(np.int64)
    if np.any(a == b):
        raise ValueError("a hand holds the same card twice")
    return b * (b - 1) // 2 + a


def starting_class(holes: np.ndarray) -> np.ndarray:
    """Class 0..168: 13 pairs (rank), then 78 suited, then 78 offsuit (high*(high-1)/2 + low)."""
    r = holes >> 2
    s = holes & 3
    hi = np.maximum(r[:, 0], r[:, 1]).astype(np.int64)
    lo = np.minimum(r[:, 0], r[:, 1]).astype(np.int64)
    pair = hi == lo
    suited = (s[:, 0] == s[:, 1]) & ~pair
    unpaired = hi * (hi - 1) // 2 + lo
    return np.where(pair, hi, np.where(suited, 13 + unpaired, 13 + 78 + unpaired))


def starting_class_probs() -> np.ndarray:
    """Pair: C(4,2) = 6 combos; suited: 4; offsuit: 4*3 = 12; each over 1326 (13*6 + 78*16 = 1326)."""
    return np.array([6] * 13 + [4] * 78 + [12] * 78, dtype=float) / 1326


def starting_hands_test(holes: np.ndarray, deal_ids: np.ndarray | None = None) -> TestResult:
    """The 169 starting-hand classes vs their exact probabilities: chi-square, 168 df."""
    h = one_per_deal(np.asarray(holes), deal_ids)
    x2, df, p = gof(np.bincount(starting_class(h), minlength=169), starting_class_probs())
    return TestResult("starting_hand_classes", f"{DEALT_NULL}; one hand per deal", x2, float(df), p, {"hands": int(len(h))})


def hole_combos_test(holes: np.ndarray, deal_ids: np.ndarray | None = None) -> TestResult:
    """The 1326 two-card combinations, each with probability 1/1326: chi-square, 1325 df."""
    h = one_per_deal(np.asarray(holes), deal_ids)
    x2, df, p = gof(np.bincount(combo_index(h), minlength=1326), np.full(1326, 1 / 1326))
    return TestResult("hole_combinations", f"{DEALT_NULL}; one hand per deal", x2, float(df), p, {"hands": int(len(h))})


# ------------------------------------------------------------------ board ranks and suits


def _board_frequency(name: str, values: np.ndarray, n_cat: int, k: int) -> TestResult:
    """Pearson X^2 of category counts over k cards per board, corrected for no replacement.

    One board's category counts are multivariate hypergeometric (52 cards, k drawn):
    Cov = k (52-k)/51 (diag(p) - p p^T), so X^2 ~ ((52-k)/51) chi2(n_cat - 1);
    we report X^2 * 51/(52-k) against chi2(n_cat - 1).
    """
    counts = np.bincount(values.ravel(), minlength=n_cat).astype(float)
    expected = counts.sum() / n_cat
    raw = float(((counts - expected) ** 2 / expected).sum())
    stat = raw * (N_CARDS - 1) / (N_CARDS - k)
    df = n_cat - 1
    return TestResult(name, f"{DEALT_NULL}; each board's {k} cards drawn without replacement", stat, float(df),
                      float(stats.chi2.sf(stat, df)), {"boards": int(values.shape[0]), "cards_per_board": k,
                                                       "pearson_x2_raw": raw, "correction": f"x 51/(52-{k})"})


def board_rank_test(boards: np.ndarray) -> TestResult:
    return _board_frequency("board_ranks", np.asarray(boards) >> 2, N_RANKS, boards.shape[1])


def board_suit_test(boards: np.ndarray) -> TestResult:
    return _board_frequency("board_suits", np.asarray(boards) & 3, N_SUITS, boards.shape[1])


def board_card_test(boards: np.ndarray) -> TestResult:
    return _board_frequency("board_cards", np.asarray(boards), N_CARDS, boards.shape[1])


# ------------------------------------------------------------------ flop textures

PAIRING = ("unpaired", "paired", "trips")
SUITEDNESS = ("rainbow", "two_tone", "monotone")
CONNECTEDNESS = ("paired_or_trips", "three_in_a_row", "one_gap_span_3_4", "disconnected")


def _span(ranks: np.ndarray) -> np.ndarray:
    """Smallest max-min rank span of three distinct ranks, the ace also counting as low."""
    r = np.sort(ranks, axis=1)
    high = r[:, 2] - r[:, 0]
    # ace (12) as low (-1): the other two ranks and -1
    low = np.where(r[:, 2] == 12, r[:, 1] + 1, 99)
    return np.minimum(high, low)


def flop_textures(flops: np.ndarray) -> dict[str, np.ndarray]:
    """Per flop: pairing, suitedness and connectedness codes (indices into the tuples above)."""
    f = np.asarray(flops)[:, :3].astype(np.int64)
    r, s = f >> 2, f & 3
    distinct_r = 1 + (r[:, 0] != r[:, 1]) + ((r[:, 2] != r[:, 0]) & (r[:, 2] != r[:, 1]))
    pairing = 3 - distinct_r  # 3 distinct -> 0 unpaired, 2 -> paired, 1 -> trips
    distinct_s = 1 + (s[:, 0] != s[:, 1]) + ((s[:, 2] != s[:, 0]) & (s[:, 2] != s[:, 1]))
    suitedness = 3 - distinct_s
    span = _span(r)
    conn = np.where(pairing > 0, 0, np.where(span <= 2, 1, np.where(span <= 4, 2, 3)))
    return {"pairing": pairing, "suitedness": suitedness, "connectedness": conn}


@lru_cache(maxsize=1)
def flop_texture_probs() -> dict[str, list[Fraction]]:
    """Exact texture probabilities by enumerating the 22100 flops.

    Closed forms (checked in the tests): paired = 13*C(4,2)*48/22100 = 3744/22100,
    trips = 13*4/22100 = 52/22100 (so P(any pair) = 1 - 48*44/(51*50));
    monotone = 4*C(13,3)/22100 = 1144/22100, rainbow = 4*13^3/22100 = 8788/22100,
    two-tone = 4*3*C(13,2)*13/22100 = 12168/22100.
    """
    allf = np.array(list(itertools.combinations(range(N_CARDS), 3)), dtype=np.int64)
    tex = flop_textures(allf)
    sizes = {"pairing": 3, "suitedness": 3, "connectedness": 4}
    return {k: [Fraction(int(c), len(allf)) for c in np.bincount(v, minlength=sizes[k])] for k, v in tex.items()}


def flop_texture_tests(flops: np.ndarray) -> list[TestResult]:
    """Chi-square of each texture family against its exact probabilities (df = categories-1)."""
    tex = flop_textures(flops)
    probs = flop_texture_probs()
    out = []
    for key, codes in tex.items():
        pr = np.array([float(x) for x in probs[key]])
        x2, df, p = gof(np.bincount(codes, minlength=pr.size), pr)
        out.append(TestResult(f"flop_{key}", f"{DEALT_NULL}; one flop per deal", x2, float(df), p,
                              {"flops": int(len(codes)), "probabilities": [str(x) for x in probs[key]]}))
    return out


# ------------------------------------------------------------------ five-card categories

CATEGORIES = ("high_card", "pair", "two_pair", "trips", "straight", "flush", "full_house", "quads", "straight_flush")
#: Counts among the C(52,5) = 2598960 five-card sets (standard combinatorics, e.g.
#: straight flush 10*4 = 40, quads 13*48 = 624, full house 13*4*12*6 = 3744,
#: flush 4*C(13,5) - 40 = 5108, straight 10*4^5 - 40 = 10200, trips 13*4*C(12,2)*16 = 54912,
#: two pair C(13,2)*36*44 = 123552, pair 13*6*C(12,3)*64 = 1098240, high card
#: (C(13,5) - 10)*(4^5 - 4) = 1302540).
CATEGORY_COUNTS = (1302540, 1098240, 123552, 54912, 10200, 5108, 3744, 624, 40)
_STRAIGHT_MASKS = np.array([0b1111 << i | 1 << (i + 4) for i in range(9)] + [0b1000000001111], dtype=np.int64)


def five_card_category(boards: np.ndarray) -> np.ndarray:
    """Category index (see CATEGORIES) of each five-card set, vectorised."""
    b = np.asarray(boards)[:, :5].astype(np.int64)
    r, s = b >> 2, b & 3
    rc = np.zeros((b.shape[0], N_RANKS), dtype=np.int64)
    np.add.at(rc, (np.arange(b.shape[0])[:, None], r), 1)
    top = np.sort(rc, axis=1)[:, ::-1]
    flush = np.all(s == s[:, :1], axis=1)
    mask = (1 << r).sum(axis=1)  # distinct ranks give distinct bits only when unpaired
    straight = (top[:, 0] == 1) & np.isin(mask, _STRAIGHT_MASKS)
    cat = np.zeros(b.shape[0], dtype=np.int64)
    cat[(top[:, 0] == 2) & (top[:, 1] == 1)] = 1
    cat[(top[:, 0] == 2) & (top[:, 1] == 2)] = 2
    cat[(top[:, 0] == 3) & (top[:, 1] == 1)] = 3
    cat[straight] = 4
    cat[flush] = 5
    cat[(top[:, 0] == 3) & (top[:, 1] == 2)] = 6
    cat[top[:, 0] == 4] = 7
    cat[straight & flush] = 8
    return cat


def five_card_category_test(boards: np.ndarray) -> TestResult:
    """Categories of five-card boards vs their exact probabilities; rare cells are pooled
    with neighbours when their expected count is below 5 (df = pooled cells - 1)."""
    probs = np.array(CATEGORY_COUNTS, dtype=float) / 2598960
    x2, df, p = gof(np.bincount(five_card_category(boards), minlength=9), probs)
    return TestResult("board_five_card_categories", f"{DEALT_NULL}; one board per deal", x2, float(df), p,
                      {"boards": int(len(boards))})

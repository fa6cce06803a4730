"""Exact probabilities of dealt-card statistics: closed forms vs enumeration, and
simulated null months (numpy's Generator simulates; it never deals)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from frontal.rng_audit import dealt_cards as dcards


def _draw(rng: np.random.Generator, rows: int, k: int) -> np.ndarray:
    return rng.permuted(np.tile(np.arange(52, dtype=np.uint8), (rows, 1)), axis=1)[:, :k]


def test_starting_class_probabilities_by_enumeration() -> None:
    holes = np.array(list(itertools.combinations(range(52), 2)), dtype=np.int64)
    counts = np.bincount(dcards.starting_class(holes), minlength=169)
    assert np.allclose(counts / 1326, dcards.starting_class_probs())
    assert sorted(np.bincount(dcards.combo_index(holes))) == [1] * 1326
    # e.g. AA is class 12, AKs 13 + 12*11/2 + 11
    aa = np.array([[51, 50]])
    aks = np.array([[51, 47]])
    assert dcards.starting_class(aa)[0] == 12 and dcards.starting_class(aks)[0] == 13 + 66 + 11


def test_flop_texture_closed_forms() -> None:
    p = dcards.flop_texture_probs()
    total = math.comb(52, 3)
    assert p["pairing"] == [Fraction(18304, total), Fraction(3744, total), Fraction(52, total)]
    assert 1 - p["pairing"][0] == 1 - Fraction(48 * 44, 51 * 50)
    assert p["suitedness"] == [Fraction(8788, total), Fraction(12168, total), Fraction(1144, total)]
    # three in a row: 12 windows (A23 .. QKA) x 4^3 suit choices
    assert p["connectedness"][1] == Fraction(12 * 64, total)
    assert sum(p["connectedness"]) == 1


def test_five_card_categories_by_full_enumeration() -> None:
    allb = np.array(list(itertools.combinations(range(52), 5)), dtype=np.uint8)
    counts = np.bincount(dcards.five_card_category(allb), minlength=9)
    assert tuple(counts.tolist()) == dcards.CATEGORY_COUNTS
    assert sum(dcards.CATEGORY_COUNTS) == math.comb(52, 5)


def test_null_false_alarm_rates() -> None:
    rng = np.random.default_rng(5)
    months, alpha = 400, 0.05
    names: dict[str, list[float]] = {}
    for _ in range(months):
        holes = _draw(rng, 3000, 2)
        board = _draw(rng, 2000, 5)
        res = [dcards.starting_hands_test(holes), dcards.board_rank_test(board), dcards.board_suit_test(board),
               dcards.board_card_test(board), dcards.five_card_category_test(board), *dcards.flop_texture_tests(board)]
        for r in res:
            names.setdefault(r.name, []).append(r.p_value)
    tol = 4 * math.sqrt(alpha * (1 - alpha) / months)
    for name, ps in names.items():
        rate = float(np.mean(np.array(ps) < alpha))
        assert abs(rate - alpha) < tol, (name, rate)


def test_board_frequency_correction_matters() -> None:
    # Without the 51/(52-k) factor, 5-card boards would be scored ~10% too high.
    rng = np.random.default_rng(6)
    raw = [dcards.board_card_test(_draw(rng, 500, 5)).detail["pearson_x2_raw"] for _ in range(400)]
    assert np.mean(raw) == pytest.approx(51 * 47 / 51, rel=0.03)


def test_one_per_deal_and_bias_detection() -> None:
    holes = np.array([[0, 1], [2, 3], [4, 5]])
    assert dcards.one_per_deal(holes, np.array([7, 7, 8])).tolist() == [[0, 1], [4, 5]]
    rng = np.random.default_rng(7)
    h = _draw(rng, 200_000, 2)
    h[: 2000] = [51, 50]  # 1% extra pocket aces
    assert dcards.starting_hands_test(h).p_value < 1e-10

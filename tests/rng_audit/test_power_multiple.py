"""Power formulas vs simulation at one point; multiple-testing helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from frontal.rng_audit import deck_counts as dc
from frontal.rng_audit import deck_tests as dt
from frontal.rng_audit import multiple, power


def test_power_table_shape_and_order() -> None:
    rows = power.power_table()
    assert [r["relative_excess"] for r in rows] == [0.01, 0.05, 0.10]
    for r in rows:
        assert r["deals_anywhere_52x52"] > r["deals_named_cell"]
        assert power.named_cell_power(r["deals_named_cell"], r["relative_excess"]) == pytest.approx(0.99, abs=1e-3)
        assert power.full_table_power(r["deals_anywhere_52x52"], r["relative_excess"]) == pytest.approx(0.99, abs=1e-3)
    # 1/delta^2 scaling
    assert rows[0]["deals_anywhere_52x52"] / rows[2]["deals_anywhere_52x52"] == pytest.approx(100, rel=1e-3)


def _biased_month(rng: np.random.Generator, n: int, delta: float, card: int = 0, pos: int = 0) -> np.ndarray:
    d = rng.permuted(np.tile(np.arange(52, dtype=np.uint8), (n, 1)), axis=1)
    rows = np.flatnonzero(rng.random(n) < delta / 51)  # forcing with q = delta/51
    where = np.argmax(d[rows] == card, axis=1)
    d[rows, where] = d[rows, pos]
    d[rows, pos] = card
    return d


def test_power_matches_simulation_at_one_point() -> None:
    rng = np.random.default_rng(99)
    delta, n_full, n_named, months, alpha = 1.0, 10_000, 800, 200, 0.01
    full_rej, named_rej = [], []
    crit = stats.norm.isf(alpha / 2)
    for _ in range(months):
        d = _biased_month(rng, n_full, delta)
        full_rej.append(dt.card_position_test(dc.card_position_counts(d)).p_value < alpha)
        x = np.count_nonzero(d[:n_named, 0] == 0)
        named_rej.append(abs(x - n_named * power.P0) / math.sqrt(n_named * power.P0 * (1 - power.P0)) > crit)
    want_full = power.full_table_power(n_full, delta, alpha)
    want_named = power.named_cell_power(n_named, delta, alpha)
    assert 0.2 < want_full < 0.9 and 0.5 < want_named < 0.99  # informative operating points
    tol = 4 * math.sqrt(0.25 / months)
    assert abs(np.mean(full_rej) - want_full) < tol
    assert abs(np.mean(named_rej) - want_named) < tol


def test_holm_adjust_known_values() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted 0.005, 0.01, 0.03, 0.04 -> 4*0.005=0.02, 3*0.01=0.03, 2*0.03=0.06, 1*0.04 -> max(0.06, 0.04)=0.06
    assert multiple.holm_adjust(p).tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert multiple.holm_reject(p, 0.05).tolist() == [True, False, False, True]
    assert multiple.family_p_value(p) == pytest.approx(0.02)


def test_month_battery_and_uniformity() -> None:
    results = dt.deck_battery(np.random.default_rng(1).permuted(np.tile(np.arange(52, dtype=np.uint8), (3000, 1)), axis=1))
    month = multiple.month_battery(results, alpha=0.01)
    assert len(month.detail["holm_p"]) == len(results)
    rng = np.random.default_rng(2)
    assert multiple.p_value_uniformity(rng.random(120)).p_value > 1e-3
    assert multiple.p_value_uniformity(rng.random(120) ** 2).p_value < 1e-3  # skewed towards 0

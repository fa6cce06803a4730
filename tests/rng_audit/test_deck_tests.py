"""Null theory of the deck-order statistics: exact enumeration on small decks, then
simulated months (numpy's Generator simulates the null here; it never deals)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from frontal.rng_audit import deck_counts as dc
from frontal.rng_audit import deck_tests as dt

MONTHS = 2000
ALPHA = 0.05
# Binomial tolerance on a rejection rate over MONTHS months: 4 standard deviations.
TOL = 4 * math.sqrt(ALPHA * (1 - ALPHA) / MONTHS)


def all_perms(n: int) -> np.ndarray:
    return np.array(list(itertools.permutations(range(n))), dtype=np.uint8)


def random_decks(rng: np.random.Generator, rows: int, n: int = 52) -> np.ndarray:
    return rng.permuted(np.tile(np.arange(n, dtype=np.uint8), (rows, 1)), axis=1)


# ---------------------------------------------------------------- exact enumeration


def _cp_indicators(perms: np.ndarray, m: int) -> np.ndarray:
    n = perms.shape[1]
    x = np.zeros((perms.shape[0], n, m))
    for p in range(m):
        x[np.arange(perms.shape[0]), perms[:, p], p] = 1
    return x.reshape(perms.shape[0], -1)


@pytest.mark.parametrize("m", [1, 2, 3, 5])
def test_card_position_covariance_eigenvalues_exact(m: int) -> None:
    n = 5
    x = _cp_indicators(all_perms(n), m)
    sigma = n * np.cov(x.T, bias=True)  # covariance of Z = (C - E)/sqrt(E), one deal
    eig = np.sort(np.linalg.eigvalsh(sigma))[::-1]
    want = [n / (n - 1)] * ((n - 1) * (m - 1)) + [(n - m) / (n - 1)] * (n - 1)
    want += [0.0] * (n * m - len(want))
    assert np.allclose(eig, sorted(want, reverse=True), atol=1e-10)


@pytest.mark.parametrize("m", [1, 2, 4, 6])
def test_card_position_statistic_has_mean_df_exactly(m: int) -> None:
    # E[T] = tr(A Sigma) is exact for any N, so one deal over all n! orders must give df.
    perms = all_perms(6)
    ts = [dt.card_position_test(dc.card_position_counts(p[None, :], m)) for p in perms]
    assert np.mean([t.statistic for t in ts]) == pytest.approx(ts[0].df, rel=1e-9)


def _serial_indicators(perms: np.ndarray) -> np.ndarray:
    n = perms.shape[1]
    x = np.zeros((perms.shape[0], n, n))
    rows = np.arange(perms.shape[0])
    for p in range(n - 1):
        x[rows, perms[:, p], perms[:, p + 1]] = 1
    off = ~np.eye(n, dtype=bool)
    return x[:, off]


def test_serial_covariance_eigenvalues_exact() -> None:
    n = 6
    sigma = n * np.cov(_serial_indicators(all_perms(n)).T, bias=True)
    eig = np.sort(np.linalg.eigvalsh(sigma))[::-1]
    want = [(n + 1) / (n - 1)] * ((n - 1) * (n - 2) // 2) + [1.0] * (n * (n - 3) // 2)
    want += [1 / (n - 1)] * (2 * n - 2) + [0.0]
    assert np.allclose(eig, sorted(want, reverse=True), atol=1e-10)


def test_serial_statistic_has_mean_df_exactly() -> None:
    perms = all_perms(6)
    ts = [dt.serial_test(dc.serial_counts(p[None, :])) for p in perms]
    assert np.mean([t.statistic for t in ts]) == pytest.approx(6 * 5 - 1, rel=1e-9)
    # and the raw Pearson X^2 does not: its mean is (n-1)^2, not n(n-1)-1
    assert np.mean([t.detail["pearson_x2_raw"] for t in ts]) == pytest.approx(25, rel=1e-9)


def test_gap_and_eulerian_laws_by_enumeration() -> None:
    n = 6
    perms = all_perms(n)
    pos = dc.positions(perms).astype(int)
    gaps = np.bincount(np.abs(pos[:, 0] - pos[:, 1]), minlength=n)[1:] / len(perms)
    assert np.allclose(gaps, dt.pair_gap_probs(n))
    desc = np.bincount((pos[:, 1:] < pos[:, :-1]).sum(axis=1), minlength=n) / len(perms)
    assert np.allclose(desc, dt.eulerian_probs(n))
    moves = np.abs(pos[:, None, 0] - pos[None, :, 0]).ravel()
    assert np.allclose(np.bincount(moves, minlength=n) / moves.size, dt.inter_deal_gap_probs(n))
    assert dt.eulerian_probs(52).sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- simulated months


@pytest.fixture(scope="module")
def null_months() -> list[np.ndarray]:
    rng = np.random.default_rng(20240601)
    return [random_decks(rng, 300) for _ in range(MONTHS)]


def _rate(ps: list[float]) -> float:
    return float(np.mean(np.asarray(ps) < ALPHA))


def test_card_position_false_alarm_rate(null_months: list[np.ndarray]) -> None:
    corrected, raw = [], []
    for d in null_months:
        r = dt.card_position_test(dc.card_position_counts(d))
        corrected.append(r.p_value)
        raw.append(stats.chi2.sf(r.detail["pearson_x2_raw"], 51**2))
    assert abs(_rate(corrected) - ALPHA) < TOL
    assert _rate(raw) > ALPHA + 3 * TOL  # uncorrected X^2 vs chi2(2601): ~18% false alarms


def test_card_position_first_m_false_alarm_rate(null_months: list[np.ndarray]) -> None:
    m = 9  # e.g. 2 hole cards x 2 players + burn + flop
    corrected, whole_scaled = [], []
    for d in null_months:
        r = dt.card_position_test(dc.card_position_counts(d, m))
        corrected.append(r.p_value)
        whole_scaled.append(stats.chi2.sf(r.detail["pearson_x2_raw"] * 51 / (52 - m), 51 * m))
    assert abs(_rate(corrected) - ALPHA) < TOL
    # scaling the whole table by 51/(52-m) only fits m = 1: here it rejects almost always
    assert _rate(whole_scaled) > 0.5


def test_serial_false_alarm_rate(null_months: list[np.ndarray]) -> None:
    corrected, raw = [], []
    for d in null_months:
        r = dt.serial_test(dc.serial_counts(d))
        corrected.append(r.p_value)
        raw.append(stats.chi2.sf(r.detail["pearson_x2_raw"], 52 * 51 - 1))
    assert abs(_rate(corrected) - ALPHA) < TOL
    assert _rate(raw) < ALPHA / 2  # naive df 2651: ~1% false alarms, a half-blind test
    assert stats.kstest(corrected, "uniform").pvalue > 1e-3


def test_marginals_and_gaps_do_not_exceed_level(null_months: list[np.ndarray]) -> None:
    fams = {"card": [], "pos": [], "gap": [], "inter": [], "rising": [], "runs": []}
    for d in null_months[:500]:
        cp = dc.card_position_counts(d)
        pos = dc.positions(d)
        fams["card"].append(dt.per_card_marginals(cp).p_value)
        fams["pos"].append(dt.per_position_marginals(cp).p_value)
        fams["gap"].append(dt.pair_gap_test(pos).p_value)
        fams["inter"].append(dt.inter_deal_gap_test(pos).p_value)
        fams["rising"].append(dt.rising_sequences_test(pos).p_value)
        fams["runs"].append(dt.card_runs_test(pos).p_value)
    tol500 = 4 * math.sqrt(ALPHA * (1 - ALPHA) / 500)
    for name, ps in fams.items():
        assert _rate(ps) < ALPHA + tol500, name  # Holm families are conservative
    assert abs(_rate(fams["rising"]) - ALPHA) < tol500


# ---------------------------------------------------------------- power on known defects


def test_biased_card_position_is_detected() -> None:
    rng = np.random.default_rng(7)
    d = random_decks(rng, 100_000)
    # Swap card 0 into position 0 in an extra 3% of deals.
    rows = np.flatnonzero(rng.random(d.shape[0]) < 0.03)
    where0 = np.argmax(d[rows] == 0, axis=1)
    d[rows, where0] = d[rows, 0]
    d[rows, 0] = 0
    cp = dc.card_position_counts(d)
    assert dt.card_position_test(cp).p_value < 1e-6
    fam = dt.per_card_marginals(cp)
    assert fam.p_value < 1e-6 and fam.detail["worst_item"] == 0


def test_few_riffles_are_detected() -> None:
    # Inverse Gilbert-Shannon-Reeds: 3 riffles == stable sort by 3 random bits per card.
    rng = np.random.default_rng(8)
    digits = rng.integers(0, 8, size=(5000, 52))
    decks = np.argsort(digits, axis=1, kind="stable").astype(np.uint8)
    pos = dc.positions(decks)
    assert dt.rising_sequences_test(dc.positions(pos)).p_value < 1e-10 or dt.rising_sequences_test(pos).p_value < 1e-10
    assert dt.pair_gap_test(pos).p_value < 1e-10


def test_sticky_shuffle_between_deals_is_detected() -> None:
    rng = np.random.default_rng(9)
    d = random_decks(rng, 20_000)
    d[1::2] = d[0::2]
    # swap two random positions in each repeated deck so that no row is an exact duplicate
    rows = np.arange(1, d.shape[0], 2)
    a, b = rng.integers(0, 52, rows.size), rng.integers(0, 52, rows.size)
    tmp = d[rows, a].copy()
    d[rows, a] = d[rows, b]
    d[rows, b] = tmp
    assert dt.inter_deal_gap_test(dc.positions(d)).p_value < 1e-10


def test_duplicates() -> None:
    rng = np.random.default_rng(10)
    d = random_decks(rng, 10_000)
    clean = dt.duplicate_test(d)
    assert clean.statistic == 0 and clean.p_value == 1.0
    d[5000] = d[17]
    d[6000] = d[17]
    r = dt.duplicate_test(d)
    assert r.statistic == 3 and r.detail["repeated_decks"] == 1
    assert r.p_value < 1e-100
    # small deck: lambda = C(200,2)/5! = 165.8, so many pairs are expected
    small = random_decks(rng, 200, n=5)
    rs = dt.duplicate_test(small)
    assert 0.0 < rs.p_value <= 1.0 and rs.detail["lambda"] == pytest.approx(19900 / 120)


def test_check_decks_refuses_non_permutations() -> None:
    d = random_decks(np.random.default_rng(11), 10)
    assert dc.check_decks(d) == 52
    d[3, 5] = d[3, 6]
    with pytest.raises(dc.DeckArrayError):
        dc.check_decks(d)


def test_card_runs_known_answer() -> None:
    # 4-card decks; card 0 at positions 0, 3, 1, 2, 0: top half (< 2) T F T F T, 5 runs, 4 changes
    # in 4 trials: z = (2*4 - 4) / 2 = 2, z^2 = 4, p = P(chi2(1) > 4) = 0.0455.
    pos = np.array([[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [2, 3, 0, 1], [0, 1, 2, 3]], dtype=np.uint8)
    r = dt.card_runs_test(pos)
    assert r.detail["runs"] == [5, 5, 5, 5] and r.detail["expected_runs"] == 3
    assert r.detail["statistics"][0] == pytest.approx(4.0)
    assert r.detail["p_values"][0] == pytest.approx(0.04550026)
    assert r.df == 1
    with pytest.raises(ValueError):
        dt.card_runs_test(pos[:1])


def test_card_runs_catch_a_deck_that_remembers_its_halves() -> None:
    rng = np.random.default_rng(14)
    d = random_decks(rng, 4000)
    # Every other deal keeps each half of the previous deck, shuffled within the half: the
    # position of a card moves (the inter-deal move is not zero) but its half sticks.
    for r in range(1, len(d), 2):
        d[r, :26], d[r, 26:] = rng.permutation(d[r - 1, :26]), rng.permutation(d[r - 1, 26:])
    assert dt.card_runs_test(dc.positions(d)).p_value < 1e-10
    # A deck turned over every deal: each card alternates halves, too many runs.
    d = random_decks(rng, 200)
    d[1::2] = d[0::2, ::-1]
    assert dt.card_runs_test(dc.positions(d)).p_value < 1e-10


def test_positions_is_inverse() -> None:
    d = random_decks(np.random.default_rng(12), 100)
    pos = dc.positions(d)
    assert np.array_equal(np.take_along_axis(d, pos.astype(np.intp), axis=1), np.tile(np.arange(52), (100, 1)))


def test_battery_on_null_month_runs() -> None:
    d = random_decks(np.random.default_rng(13), 5000)
    results = dt.deck_battery(d)
    assert len(results) == dt.DECK_BATTERY_SIZE == 9
    for r in results:
        assert 0.0 <= r.p_value <= 1.0 and r.null_hypothesis

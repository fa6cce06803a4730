"""Statistics on full deck orders (the month array ``decks``, shape (N, n), n = 52).

Every function is pure and returns a ``TestResult`` stating its null hypothesis (always
"each deck is an independent uniformly random permutation", specialised to what the
statistic sees), its statistic, degrees of freedom and p-value. The counting functions
live in ``deck_counts``; the functions here take the counts so that the heavy pass over a
month is done once and the null theory can be tested on small decks (n = 5, 6).

Null distributions are derived in the docstrings; each derivation is checked in
``tests/rng_audit`` both by exact enumeration of all permutations of a small deck
(covariance eigenvalues) and by simulating thousands of months (false-alarm rate).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np
from scipy import stats

from frontal.rng_audit import deck_counts
from frontal.rng_audit.chi2 import gof
from frontal.rng_audit.multiple import family_p_value, holm_adjust
from frontal.rng_audit.result import TestResult

UNIFORM_NULL = "deck orders are independent, uniformly random permutations of the n cards"


# ---------------------------------------------------------------------------------------
# a. card x position
# ---------------------------------------------------------------------------------------


def card_position_test(counts: np.ndarray, n_cards: int | None = None) -> TestResult:
    """Card x position table of the first m positions, corrected for the permutation constraint.

    ``counts`` is (n, m): ``counts[c, p]`` over N deals. Each deal adds a partial
    permutation matrix, so the cells are not multinomial. With E = N/n and
    Z = (C - E)/sqrt(E), one deal's covariance of Z is (I_n - J_n/n) (x) M with
    M = (n/(n-1)) I_m - J_m/(n-1); the eigenvalues of M are n/(n-1) (m-1 times) and
    (n-m)/(n-1) (once, along the all-positions direction). Hence Pearson's
    X^2 = sum Z^2 splits into two asymptotically independent parts:

    * Y = sum_c (R_c - mE)^2 / (mE), R_c = card c's count over the m positions:
      Y ~ ((n-m)/(n-1)) chi2(n-1) (finite-population correction: m cards drawn without
      replacement); identically 0 when m = n.
    * X^2 - Y ~ (n/(n-1)) chi2((n-1)(m-1)): the position-dependence part.

    For m = n this is the known result X^2 ~ (n/(n-1)) chi2((n-1)^2): we report
    X^2 (n-1)/n against chi2((n-1)^2). Note that scaling the WHOLE X^2 by
    (n-1)/(n-m) is right only for m = 1; for 1 < m < n the two parts need their own
    scale (the test suite shows the whole-table scaling fails).
    Reported statistic: T = (n-1)/n (X^2 - Y) + (n-1)/(n-m) Y, df = (n-1)(m-1) + (n-1)[m<n].
    """
    counts = np.asarray(counts, dtype=float)
    n = counts.shape[0] if n_cards is None else n_cards
    m = counts.shape[1]
    n_deals = counts[:, 0].sum()
    expected = n_deals / n
    x2 = float(((counts - expected) ** 2).sum() / expected)
    row = counts.sum(axis=1)
    y = float(((row - m * expected) ** 2).sum() / (m * expected))
    pos_part = (n - 1) / n * (x2 - y)
    pos_df = (n - 1) * (m - 1)
    if m < n:
        card_part = (n - 1) / (n - m) * y
        card_df = n - 1
    else:
        card_part, card_df = 0.0, 0
    total = pos_part + card_part
    df = pos_df + card_df
    detail = {
        "n_deals": int(n_deals),
        "positions": m,
        "pearson_x2_raw": x2,
        "position_part": {"statistic": pos_part, "df": pos_df,
                          "p_value": float(stats.chi2.sf(pos_part, pos_df)) if pos_df else 1.0},
        "card_frequency_part": {"statistic": card_part, "df": card_df,
                                "p_value": float(stats.chi2.sf(card_part, card_df)) if card_df else 1.0},
        "correction": "X2-Y scaled by (n-1)/n, Y scaled by (n-1)/(n-m)",
    }
    return TestResult(
        name=f"card_position_{m}",
        null_hypothesis=f"{UNIFORM_NULL}: each of the first {m} positions holds each card with probability 1/n",
        statistic=total,
        df=float(df),
        p_value=float(stats.chi2.sf(total, df)),
        detail=detail,
    )


# ---------------------------------------------------------------------------------------
# b. marginals
# ---------------------------------------------------------------------------------------


def per_card_marginals(counts: np.ndarray) -> TestResult:
    """For each card, its position distribution over the m counted positions (+ "later").

    Within one card the N deals are independent and the card's position is uniform on n
    positions, so the row (plus the count of deals where it came after position m) is an
    exact multinomial: chi-square with m df (n-1 when m = n). The n cards are then
    combined by Holm; the family p-value is the smallest Holm-adjusted p-value.
    """
    counts = np.asarray(counts, dtype=float)
    n, m = counts.shape
    n_deals = counts[:, 0].sum()
    probs = np.full(m, 1.0 / n)
    if m < n:
        probs = np.append(probs, (n - m) / n)
    stats_, dfs, ps = [], [], []
    for c in range(n):
        obs = counts[c]
        if m < n:
            obs = np.append(obs, n_deals - obs.sum())
        x2, df, p = gof(obs, probs)
        stats_.append(x2), dfs.append(df), ps.append(p)
    return _family("per_card_marginals", "each card's position is uniform on 0..n-1", stats_, dfs, ps)


def per_position_marginals(counts: np.ndarray) -> TestResult:
    """For each position, its card distribution: multinomial(N, 1/n): chi-square n-1 df, Holm."""
    counts = np.asarray(counts, dtype=float)
    n, m = counts.shape
    probs = np.full(n, 1.0 / n)
    stats_, dfs, ps = [], [], []
    for p in range(m):
        x2, df, pv = gof(counts[:, p], probs)
        stats_.append(x2), dfs.append(df), ps.append(pv)
    return _family("per_position_marginals", "each position holds a uniformly random card", stats_, dfs, ps)


def _family(name: str, null: str, statistics: Sequence[float], dfs: Sequence[int], ps: Sequence[float]) -> TestResult:
    p = np.asarray(ps, dtype=float)
    adjusted = holm_adjust(p)
    worst = int(np.argmin(p))
    return TestResult(
        name=name,
        null_hypothesis=f"{UNIFORM_NULL}: {null} (all {p.size} items; Holm across items)",
        statistic=float(statistics[worst]),
        df=float(dfs[worst]),
        p_value=family_p_value(p),
        detail={
            "statistic_is": f"chi-square of the item with the smallest p-value (item {worst})",
            "worst_item": worst,
            "statistics": [float(s) for s in statistics],
            "dfs": [int(d) for d in dfs],
            "p_values": p.tolist(),
            "holm_p_values": adjusted.tolist(),
        },
    )


# ---------------------------------------------------------------------------------------
# c. serial (adjacent positions)
# ---------------------------------------------------------------------------------------


def serial_test(counts: np.ndarray) -> TestResult:
    """Ordered pairs (card at p, card at p+1), p = 0..n-2, over N deals.

    Each deal has n-1 adjacent pairs; each ordered pair of distinct cards appears at most
    once, with probability (n-1)/(n(n-1)) = 1/n, so E = N/n on the n(n-1) off-diagonal
    cells (the diagonal is structurally 0). The cells are dependent. With
    Z = (S - E)/sqrt(E), one deal's covariance (exact, from the pair/triple/disjoint-pair
    adjacency probabilities) is

        Sigma = I - (I + R + C + T)/(n-1) + J/(n(n-1))

    (R, C: same row / same column, T: transpose, J: all cells), whose eigenspaces are
      - symmetric tables with zero row and column sums: eigenvalue 1, dim n(n-3)/2;
      - antisymmetric tables with zero row sums: (n+1)/(n-1), dim (n-1)(n-2)/2;
      - tables u(a) + v(b) orthogonal to constants: 1/(n-1), dim 2n-2 (these carry the
        first- and last-position marginals);
      - the constant: 0 (the total is fixed).
    So the raw X^2 = sum Z^2 is NOT chi2(n(n-1)-1) (for n = 52 its mean is 2601, not 2651,
    and its variance ~5302). We project Z on the three spaces and rescale each part:
    T = Q_sym + Q_anti (n-1)/(n+1) + Q_rc (n-1) ~ chi2(n(n-1) - 1) = chi2(2651) for n = 52.
    """
    counts = np.asarray(counts, dtype=float)
    n = counts.shape[0]
    if np.any(np.diag(counts) != 0):
        raise ValueError("a card cannot follow itself: diagonal must be zero")
    n_deals = counts.sum() / (n - 1)
    expected = n_deals / n
    off = ~np.eye(n, dtype=bool)
    z = np.where(off, (counts - expected) / math.sqrt(expected), 0.0)
    # Least-squares projection on {u(a) + v(b)} restricted to off-diagonal cells; the
    # normal equations are r_a = (n-1) u_a + V - v_a, c_b = U - u_b + (n-1) v_b.
    eye, ones = np.eye(n), np.ones((n, n))
    a_mat = np.block([[(n - 1) * eye, ones - eye], [ones - eye, (n - 1) * eye]])
    rhs = np.concatenate([z.sum(axis=1), z.sum(axis=0)])
    sol = np.linalg.lstsq(a_mat, rhs, rcond=None)[0]
    u, v = sol[:n], sol[n:]
    fitted = np.where(off, u[:, None] + v[None, :], 0.0)
    w = z - fitted
    q_rc = float((fitted**2).sum())
    q_sym = float((((w + w.T) / 2) ** 2).sum())
    q_anti = float((((w - w.T) / 2) ** 2).sum())
    parts = {
        "symmetric": (q_sym, n * (n - 3) // 2),
        "antisymmetric": (q_anti * (n - 1) / (n + 1), (n - 1) * (n - 2) // 2),
        "first_last_marginals": (q_rc * (n - 1), 2 * n - 2),
    }
    total = sum(s for s, _ in parts.values())
    df = n * (n - 1) - 1
    return TestResult(
        name="serial_adjacent_pairs",
        null_hypothesis=f"{UNIFORM_NULL}: every ordered pair of distinct cards is adjacent (a then b) with probability 1/n per deal",
        statistic=total,
        df=float(df),
        p_value=float(stats.chi2.sf(total, df)),
        detail={
            "n_deals": int(round(n_deals)),
            "pearson_x2_raw": float((z**2).sum()),
            "parts": {k: {"statistic": s, "df": d, "p_value": float(stats.chi2.sf(s, d))} for k, (s, d) in parts.items()},
            "correction": "projection on the covariance eigenspaces; antisymmetric part x(n-1)/(n+1), marginal part x(n-1)",
        },
    )


# ---------------------------------------------------------------------------------------
# d. repeated deck orders
# ---------------------------------------------------------------------------------------


def duplicate_test(decks: np.ndarray) -> TestResult:
    """Identical deck orders within the month.

    Under the null the number of identical pairs among N decks is ~ Poisson with
    lambda = C(N, 2) / n! (birthday approximation; 52! ~ 8.07e67, so lambda ~ 6e-55 for
    N = 10^7: any repeat is decisive). A repeat points at a small seed space (e.g. 32-bit
    seeds repeat after ~2^16 deals) or at a replayed state.
    """
    n_rows, n = decks.shape
    pairs, repeated = deck_counts.duplicate_rows(decks)
    log_lam = math.log(n_rows * (n_rows - 1) / 2) - math.lgamma(n + 1) if n_rows > 1 else -math.inf
    lam = math.exp(log_lam)
    if pairs == 0:
        p = 1.0
    else:
        p = float(stats.poisson.sf(pairs - 1, lam))
        if p == 0.0 or lam < 1e-12:
            # sf underflows in floating point; the tail is dominated by its first term.
            p = math.exp(pairs * log_lam - lam - math.lgamma(pairs + 1))
    return TestResult(
        name="duplicate_decks",
        null_hypothesis=f"{UNIFORM_NULL}: identical-pair count ~ Poisson(C(N,2)/n!)",
        statistic=float(pairs),
        df=None,
        p_value=p,
        detail={"n_deals": n_rows, "identical_pairs": pairs, "repeated_decks": repeated,
                "lambda": lam, "log10_lambda": log_lam / math.log(10)},
    )


# ---------------------------------------------------------------------------------------
# e. gaps and rising sequences
# ---------------------------------------------------------------------------------------


def pair_gap_probs(n: int) -> np.ndarray:
    """P(|pos(a) - pos(b)| = g), g = 1..n-1, for two fixed cards: 2(n-g)/(n(n-1)).

    (n-g) position pairs have difference g, times 2 orders, over n(n-1) ordered pairs.
    """
    g = np.arange(1, n)
    return 2.0 * (n - g) / (n * (n - 1))


def pair_gap_test(pos: np.ndarray, pairs: Sequence[tuple[int, int]] | None = None) -> TestResult:
    """Distance between two fixed cards within a deal, for each of a set of card pairs.

    Default pairs are (2i, 2i+1): cards next to each other in a new deck (same rank,
    clubs/diamonds and hearts/spades), which an incomplete shuffle keeps close. For one
    pair the N gaps are i.i.d. with the law of ``pair_gap_probs``: chi-square with n-2 df
    (after pooling tail cells of expected count < 5). Holm across pairs.
    """
    n = pos.shape[1]
    pairs = [(2 * i, 2 * i + 1) for i in range(n // 2)] if pairs is None else list(pairs)
    probs = pair_gap_probs(n)
    s, d, ps = [], [], []
    for a, b in pairs:
        gaps = np.abs(pos[:, a].astype(np.int32) - pos[:, b].astype(np.int32))
        obs = np.bincount(gaps, minlength=n)[1:]
        x2, df, p = gof(obs, probs)
        s.append(x2), d.append(df), ps.append(p)
    res = _family("pair_gaps", "the gap |pos(a)-pos(b)| between two fixed cards has law 2(n-g)/(n(n-1))", s, d, ps)
    res.detail["pairs"] = pairs
    return res


def inter_deal_gap_probs(n: int) -> np.ndarray:
    """P(|X - Y| = g), g = 0..n-1, X, Y independent uniform on 0..n-1: 1/n, then 2(n-g)/n^2."""
    g = np.arange(n)
    p = 2.0 * (n - g) / n**2
    p[0] = 1.0 / n
    return p


def inter_deal_gap_test(pos: np.ndarray) -> TestResult:
    """Each card's position move between deal 2k and deal 2k+1 (rows in chronological order).

    Detects a shuffle that does not fully forget the previous deck. Non-overlapping pairs of
    deals keep the observations independent, so for one card the floor(N/2) moves are
    i.i.d. with the law of ``inter_deal_gap_probs``: chi-square with n-1 df. Holm across cards.
    """
    n_rows, n = pos.shape
    end = 2 * (n_rows // 2)
    probs = inter_deal_gap_probs(n)
    # Histograms per card, a block of deals at a time: the whole month's moves as int32 were
    # gigabytes at 10 million deals.
    counts = np.zeros(n * n, dtype=np.int64)
    offsets = np.arange(n, dtype=np.intp) * n
    for start in range(0, end, 2 * deck_counts.CHUNK_ROWS):
        stop = min(start + 2 * deck_counts.CHUNK_ROWS, end)
        moves = np.abs(pos[start:stop:2].astype(np.int16) - pos[start + 1:stop:2].astype(np.int16))
        counts += np.bincount((moves.astype(np.intp) + offsets).ravel(), minlength=n * n)
    s, d, ps = [], [], []
    for c in range(n):
        x2, df, p = gof(counts[c * n:(c + 1) * n], probs)
        s.append(x2), d.append(df), ps.append(p)
    return _family("inter_deal_gaps", "a card's position in deal 2k+1 is independent of its position in deal 2k", s, d, ps)


def card_runs_test(pos: np.ndarray) -> TestResult:
    """Runs per card: whether a card lies in the top half of the deck (position < n/2), deal
    after deal (rows in chronological order).

    Under the null each card is in the top half with probability exactly 1/2, independently
    from deal to deal; then the N-1 changes between consecutive deals are i.i.d.
    Bernoulli(1/2) (with p = 1/2 a change is independent of the previous state), so the
    number of runs R satisfies R - 1 ~ Binomial(N-1, 1/2): z = (2(R-1) - (N-1)) / sqrt(N-1),
    statistic z^2 against chi-square(1). Too few runs is a card that sticks to its half of
    the deck from one deal to the next; too many, one that alternates. Holm across cards.
    """
    n_rows, n = pos.shape
    if n % 2 or n_rows < 2:
        raise ValueError("runs per card need an even deck size and at least two deals")
    changes = np.zeros(n, dtype=np.int64)
    for start in range(0, n_rows - 1, deck_counts.CHUNK_ROWS):  # blocks overlap by one deal
        top = pos[start:start + deck_counts.CHUNK_ROWS + 1] < n // 2
        changes += (top[1:] != top[:-1]).sum(axis=0)
    trials = n_rows - 1
    z = (2 * changes - trials) / math.sqrt(trials)
    statistics = z**2
    ps = stats.chi2.sf(statistics, 1)
    res = _family("card_runs", "a card's half of the deck (top or bottom) is independent from one deal to the next",
                  statistics.tolist(), [1] * n, ps.tolist())
    res.detail["runs"] = (changes + 1).tolist()
    res.detail["expected_runs"] = 1 + trials / 2
    return res


def eulerian_probs(n: int) -> np.ndarray:
    """P(a uniform permutation of n has k descents), k = 0..n-1: Eulerian A(n,k)/n!, exact."""
    row = [1]  # A(1, 0)
    for size in range(2, n + 1):
        new = [0] * size
        for k in range(size):
            a = (k + 1) * row[k] if k < len(row) else 0
            b = (size - k) * row[k - 1] if k >= 1 else 0
            new[k] = a + b
        row = new
    fact = math.factorial(n)
    return np.array([float(Fraction(a, fact)) for a in row])


def rising_sequences_test(pos: np.ndarray) -> TestResult:
    """Number of rising sequences (Bayer-Diaconis), relative to the new-deck order 0..n-1.

    Rising sequences = 1 + #{c : pos(c+1) < pos(c)}, i.e. 1 + the descents of the
    inverse permutation. A riffle shuffle done too few times leaves too few rising
    sequences. For a uniform permutation, descents of the inverse (also uniform) follow
    the Eulerian law A(n,k)/n! (mean (n-1)/2, variance (n+1)/12); chi-square over the
    pooled Eulerian cells, df = cells - 1.
    """
    n_rows, n = pos.shape
    obs = np.zeros(n, dtype=np.int64)
    total = 0
    for start in range(0, n_rows, deck_counts.CHUNK_ROWS):  # blocks: bounded memory at any month size
        block = pos[start:start + deck_counts.CHUNK_ROWS]
        descents = (block[:, 1:] < block[:, :-1]).sum(axis=1)
        obs += np.bincount(descents, minlength=n)
        total += int(descents.sum())
    x2, df, p = gof(obs, eulerian_probs(n))
    return TestResult(
        name="rising_sequences",
        null_hypothesis=f"{UNIFORM_NULL}: descents of the inverse permutation follow the Eulerian law",
        statistic=x2,
        df=float(df),
        p_value=p,
        detail={"mean_rising_sequences": total / n_rows + 1 if n_rows else 0.0,
                "expected_mean": (n + 1) / 2},
    )


# ---------------------------------------------------------------------------------------
# the month's deck battery
# ---------------------------------------------------------------------------------------


#: Tests in :func:`deck_battery`: the Bonferroni share of a power prediction (alpha / this).
DECK_BATTERY_SIZE = 9


def deck_battery(decks: np.ndarray, card_position: np.ndarray | None = None) -> list[TestResult]:
    """All deck-order tests over one month (validated input, one pass per count).

    ``card_position``: the decks' ``card_position_counts``, when the caller already checked
    the decks and counted them (the monthly report needs the table too: a 10^7-deal month
    is then checked and counted once)."""
    if card_position is None:
        deck_counts.check_decks(decks)
        cp = deck_counts.card_position_counts(decks)
    else:
        cp = card_position
    pos = deck_counts.positions(decks)
    return [
        card_position_test(cp),
        per_card_marginals(cp),
        per_position_marginals(cp),
        serial_test(deck_counts.serial_counts(decks)),
        duplicate_test(decks),
        pair_gap_test(pos),
        inter_deal_gap_test(pos),
        card_runs_test(pos),
        rising_sequences_test(pos),
    ]

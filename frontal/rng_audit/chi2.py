"""Goodness-of-fit helpers shared by the deck and dealt-card statistics."""

from __future__ import annotations

import numpy as np
from scipy import stats


def pool_small(observed: np.ndarray, expected: np.ndarray, min_expected: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """Merge consecutive categories until each expected count reaches ``min_expected``.

    The chi-square approximation needs expected counts of a few units; merging neighbours
    (rather than dropping cells) keeps the test exact in its total and the df honest.
    Leftover small categories at the end are merged into the last full group.
    """
    obs_out: list[float] = []
    exp_out: list[float] = []
    acc_o = acc_e = 0.0
    for o, e in zip(observed.tolist(), expected.tolist()):
        acc_o += o
        acc_e += e
        if acc_e >= min_expected:
            obs_out.append(acc_o)
            exp_out.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0 or acc_o > 0:
        if exp_out:
            obs_out[-1] += acc_o
            exp_out[-1] += acc_e
        else:
            obs_out.append(acc_o)
            exp_out.append(acc_e)
    return np.array(obs_out), np.array(exp_out)


def gof(observed: np.ndarray, probs: np.ndarray, min_expected: float = 5.0) -> tuple[float, int, float]:
    """Pearson chi-square of multinomial ``observed`` against cell probabilities ``probs``.

    Returns (X^2, df, p). df = cells after pooling - 1 (probabilities are fully specified).
    """
    observed = np.asarray(observed, dtype=float).ravel()
    probs = np.asarray(probs, dtype=float).ravel()
    total = observed.sum()
    obs, exp = pool_small(observed, probs * total, min_expected)
    df = obs.size - 1
    if df < 1:
        return 0.0, 0, 1.0
    x2 = float(((obs - exp) ** 2 / exp).sum())
    return x2, df, float(stats.chi2.sf(x2, df))

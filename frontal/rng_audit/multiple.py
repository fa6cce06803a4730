"""Multiple-testing control for a month's battery, and the across-months uniformity check.

Holm-Bonferroni is used rather than Bonferroni because it controls the same family-wise
error rate under ANY dependence between the tests (our battery's tests share the same
decks, so they are dependent) while rejecting at least as often. Across months, p-values of
a fair dealer are independent U(0,1); a Kolmogorov-Smirnov test on them detects drifts too
small to trip any single month.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import stats

from frontal.rng_audit.result import TestResult


def holm_adjust(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values, in the input order.

    adjusted p_(i) = max_{j<=i} min(1, (K - j + 1) p_(j)) for the sorted p_(1) <= ... ;
    a hypothesis is rejected at family-wise level alpha iff its adjusted p < alpha.
    """
    p = np.asarray(p_values, dtype=float)
    k = p.size
    if k == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (k - np.arange(k)) * p[order])
    adjusted_sorted = np.maximum.accumulate(scaled)
    out = np.empty(k)
    out[order] = adjusted_sorted
    return out


def holm_reject(p_values: Sequence[float] | np.ndarray, alpha: float) -> np.ndarray:
    return holm_adjust(p_values) < alpha


def family_p_value(p_values: Sequence[float] | np.ndarray) -> float:
    """p-value of "no member of the family deviates": the smallest Holm-adjusted p-value.

    It equals min(1, K * min p), i.e. Bonferroni on the minimum; valid under any dependence.
    """
    p = np.asarray(p_values, dtype=float)
    return float(min(1.0, p.size * p.min())) if p.size else 1.0


def month_battery(results: Sequence[TestResult], alpha: float = 0.01) -> TestResult:
    """Holm over one month's battery: the month fails iff some adjusted p-value < alpha."""
    names = [r.name for r in results]
    raw = np.array([r.p_value for r in results], dtype=float)
    adjusted = holm_adjust(raw)
    return TestResult(
        name="month_battery_holm",
        null_hypothesis="every test of the month's battery has a true null hypothesis",
        statistic=float(raw.min()) if raw.size else 1.0,
        df=None,
        p_value=float(adjusted.min()) if raw.size else 1.0,
        detail={
            "method": "Holm-Bonferroni step-down, family-wise error rate controlled under any dependence",
            "alpha": alpha,
            "tests": names,
            "raw_p": raw.tolist(),
            "holm_p": adjusted.tolist(),
            "rejected": [n for n, a in zip(names, adjusted) if a < alpha],
        },
    )


def p_value_uniformity(p_values: Sequence[float] | np.ndarray, name: str = "p_uniformity") -> TestResult:
    """Kolmogorov-Smirnov of a series of p-values (e.g. one test's over the months) vs U(0,1).

    Only valid for tests whose p-values are continuous under the null (chi-square, z);
    discrete p-values (duplicates test, exact tails with few categories) are not uniform.
    """
    p = np.asarray(p_values, dtype=float)
    res = stats.kstest(p, "uniform")
    return TestResult(
        name=name,
        null_hypothesis="the p-values are independent draws from U(0,1)",
        statistic=float(res.statistic),
        df=None,
        p_value=float(res.pvalue),
        detail={"n": int(p.size), "method": "scipy.stats.kstest against uniform(0,1), exact/asymptotic per scipy"},
    )

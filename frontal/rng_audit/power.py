"""How many deals the audit needs to see a biased card/position cell.

Alternative model: ONE card c lands at ONE position p with probability (1+delta)/52
instead of 1/52, the excess taken evenly from the rest of its row and column so that the
table stays doubly stochastic (every deal is still a permutation). Equivalently, with
probability q = delta/51 the dealer forces c to p and deals the rest uniformly. The cell
deviation is then D = (delta/52) (52/51)^2 (e_c - 1/52)(e_p - 1/52)^T, with
sum(D^2) = delta^2/51^2.

(a) cell named in advance: two-sided z test on the binomial count of that cell,
    N = ((z_{1-a/2} sqrt(p0 q0) + z_{power} sqrt(p1 q1)) / (p1 - p0))^2.
(b) anywhere: the corrected 52x52 statistic T = X^2 * 51/52 ~ chi2(2601) under the
    null; under the alternative T ~ noncentral chi2(2601, lambda) with
    lambda = 51 N sum(D^2) = N delta^2 / 51 (the shift lies in the doubly-centred space
    whose covariance eigenvalue is 52/51, which the 51/52 factor cancels).
"""

from __future__ import annotations

import math

from scipy import optimize, stats

P0 = 1.0 / 52
FULL_DF = 51 * 51


def named_cell_power(n_deals: float, delta: float, alpha: float = 0.01) -> float:
    p1 = P0 * (1 + delta)
    z = stats.norm.isf(alpha / 2)
    shift = n_deals * (p1 - P0)
    return float(stats.norm.sf((z * math.sqrt(n_deals * P0 * (1 - P0)) - shift) / math.sqrt(n_deals * p1 * (1 - p1))))


def named_cell_deals(delta: float, alpha: float = 0.01, power: float = 0.99) -> int:
    p1 = P0 * (1 + delta)
    za, zb = stats.norm.isf(alpha / 2), stats.norm.isf(1 - power)
    return math.ceil(((za * math.sqrt(P0 * (1 - P0)) + zb * math.sqrt(p1 * (1 - p1))) / (p1 - P0)) ** 2)


def full_table_noncentrality(n_deals: float, delta: float) -> float:
    return n_deals * delta**2 / 51


def full_table_power(n_deals: float, delta: float, alpha: float = 0.01) -> float:
    crit = stats.chi2.isf(alpha, FULL_DF)
    return float(stats.ncx2.sf(crit, FULL_DF, full_table_noncentrality(n_deals, delta)))


def full_table_deals(delta: float, alpha: float = 0.01, power: float = 0.99) -> int:
    crit = stats.chi2.isf(alpha, FULL_DF)
    lam = optimize.brentq(lambda nc: stats.ncx2.sf(crit, FULL_DF, nc) - power, 1e-6, 1e5)
    return math.ceil(lam * 51 / delta**2)


def power_table(deltas: tuple[float, ...] = (0.01, 0.05, 0.10), alpha: float = 0.01,
                power: float = 0.99) -> list[dict[str, float]]:
    """Rows: relative excess, deals needed (named cell), deals needed (anywhere), ratio."""
    rows = []
    for d in deltas:
        a, b = named_cell_deals(d, alpha, power), full_table_deals(d, alpha, power)
        rows.append({"relative_excess": d, "alpha": alpha, "power": power,
                     "deals_named_cell": a, "deals_anywhere_52x52": b, "ratio": b / a})
    return rows

"""One battery over a stack of deck orders, Holm across it, and power predictions for it.

``run_battery(decks, alpha)`` runs every deck-order test of :func:`deck_tests.deck_battery`
(card x position table, per-card and per-position marginals, serial pairs, repeated
decks, pair gaps, inter-deal gaps, rising sequences) and, when given a bit stream, the
NIST SP 800-22 subset of :mod:`nist`; it combines them with Holm-Bonferroni
(:func:`multiple.holm_adjust`): the battery fails iff some Holm-adjusted p-value < alpha.

NIST tests judge a stream of bits (the CSPRNG's bytes). A shuffler's output is a deck
order, not a bit stream, so the NIST tests are only run when the caller supplies the
generator's raw bits (``croupier rng-audit selftest`` passes ``secrets.token_bytes``
output); ``croupier rng-audit run`` on a candidate shuffler runs the deck tests only.

Pure functions of numpy arrays, like the rest of the package (the deals are collected by
``server.rng_audit_cli``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from scipy import optimize, stats

from frontal.rng_audit import deck_tests, nist
from frontal.rng_audit.multiple import holm_adjust
from frontal.rng_audit.result import TestResult

NIST_SKIPPED = ("NIST SP 800-22 tests not run: they judge a generator's raw bit stream, and "
                "a deck order is not one; only the deck-order tests apply to a shuffler's output")


@dataclass(frozen=True)
class BatteryResult:
    alpha: float
    n_deals: int
    tests: list[TestResult]
    holm_p: list[float]
    nist: str = "not run"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(p >= self.alpha for p in self.holm_p)

    @property
    def rejected(self) -> list[str]:
        return [t.name for t, p in zip(self.tests, self.holm_p) if p < self.alpha]

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "alpha": self.alpha,
            "n_deals": self.n_deals,
            "multiple_testing": "Holm-Bonferroni across the battery (family-wise error rate <= alpha "
                                "under any dependence); a test fails iff its Holm-adjusted p < alpha",
            "nist": self.nist,
            "rejected": self.rejected,
            "tests": [
                {"name": t.name, "null_hypothesis": t.null_hypothesis, "statistic": t.statistic,
                 "df": t.df, "p_value": t.p_value, "holm_p_value": h,
                 "verdict": "fail" if h < self.alpha else "pass", "detail": _plain(t.detail)}
                for t, h in zip(self.tests, self.holm_p)
            ],
            **_plain(self.extra),
        }


def run_battery(decks: np.ndarray, alpha: float = 0.01, nist_bits: np.ndarray | None = None,
                card_position: np.ndarray | None = None) -> BatteryResult:
    """Deck-order battery (+ NIST on ``nist_bits`` if given), Holm at level ``alpha``;
    ``card_position``: see ``deck_tests.deck_battery``."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    results = deck_tests.deck_battery(decks, card_position)
    nist_note = NIST_SKIPPED
    if nist_bits is not None:
        results += nist.battery(nist_bits)
        nist_note = f"run on {int(np.asarray(nist_bits).size)} bits of the generator's raw output"
    adjusted = holm_adjust([r.p_value for r in results])
    return BatteryResult(alpha=alpha, n_deals=int(decks.shape[0]), tests=results,
                         holm_p=[float(a) for a in adjusted], nist=nist_note)


# ---------------------------------------------------------------------------------------
# power predictions
# ---------------------------------------------------------------------------------------


def swap_shuffle_matrix(steps: Sequence[tuple[int, np.ndarray]], n: int = 52) -> np.ndarray:
    """Exact card x position probabilities of a swap shuffle of the ordered deck.

    ``steps`` are ``(i, q)``: swap position ``i`` with ``j`` drawn from ``q`` (length n),
    independently of the cards. Since ``j`` does not depend on the deck, each card's
    position distribution evolves linearly: ``P[c, p]`` is returned.
    """
    prob = np.eye(n)
    for i, q in steps:
        q = np.asarray(q, dtype=float)
        at_i = prob[:, i].copy()
        new = prob * (1.0 - q)[None, :] + np.outer(at_i, q)
        new[:, i] = prob @ q
        prob = new
    return prob


def card_position_deals(prob: np.ndarray, alpha: float, power: float = 0.99, n_tests: int = 1) -> int | None:
    """Deals for the 52x52 card x position test to reject with ``power`` at ``alpha / n_tests``.

    As in :mod:`power`: T ~ noncentral chi2(2601, lambda), lambda = 51 N sum(D^2), D the
    deviation of the table from 1/52. ``n_tests`` is the battery size (Holm's first step is
    Bonferroni, so ``alpha / n_tests`` is the level the smallest p-value must beat).
    ``None`` when the table is uniform (this test cannot see the fault).
    """
    n = prob.shape[0]
    d2 = float(((prob - 1.0 / n) ** 2).sum())
    if d2 < 1e-15:
        return None
    df = (n - 1) ** 2
    crit = stats.chi2.isf(alpha / n_tests, df)
    lam = optimize.brentq(lambda nc: stats.ncx2.sf(crit, df, nc) - power, 1e-9, 1e7)
    return math.ceil(lam / ((n - 1) * d2))


def repeat_deals(distinct_decks: int, alpha: float, power: float = 0.99) -> int:
    """Deals for at least one repeated deck with probability ``power`` (birthday bound).

    One repeat among N fair decks has p ~ C(N,2)/52! (~1e-62 for N = 1000), below any alpha,
    so the duplicates test rejects as soon as a repeat occurs: N is the smallest with
    1 - prod_{k<N} (1 - k/S) >= power. ``alpha`` is accepted for symmetry and not used.
    """
    log_none, k = 0.0, 0
    target = math.log1p(-power)
    while log_none > target:
        k += 1
        if k >= distinct_decks:
            return k + 1
        log_none += math.log1p(-k / distinct_decks)
    return k + 1


def _plain(value: Any) -> Any:
    """JSON-safe copy (numpy scalars and arrays to Python; inf/nan to strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value

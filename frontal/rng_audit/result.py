"""The one shape every audit statistic reports in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TestResult:
    """A test's outcome, self-describing so that a report can be read without the code.

    ``df`` is ``None`` when the reference distribution is not a chi-square (z tests,
    Poisson tails, family-wise minima); ``detail`` carries what an auditor needs to redo
    the computation (counts summaries, components, per-item p-values).
    """

    __test__ = False  # not a pytest test class despite the name

    name: str
    null_hypothesis: str
    statistic: float
    df: float | None
    p_value: float
    detail: dict[str, Any] = field(default_factory=dict)

    def rejected(self, alpha: float) -> bool:
        return self.p_value < alpha

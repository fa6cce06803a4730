"""Sums over all the lines of a combination without listing them.

A line pays its stake times the product of its prognoses' factors; a combination's lines
are every ``j``-subset of its legs (``j`` among its fold sizes), with one prognosis per
leg. Summing over the prognoses of a leg first (lines multiply, so the sum distributes),
with ``F_i`` the sum of leg i's factors:

    sum over the j-subsets S of prod_{i in S} F_i  =  e_j(F_1, ..., F_Y)

the elementary symmetric polynomial, built in O(j x Y) by ``e_j += e_(j-1) x F_i`` leg by
leg. Bankers multiply every line: the sum is multiplied by their ``F``. A named bet permed
over Y selections in groups of k counts each j-subset once per group containing it,
``C(Y - j, k - j)`` times. With every factor 1 the same sums count the lines. The tests
check the sums equal the enumeration of every line exactly.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Sequence, Union

from games.betslip.structure import Component
from games.betslip.types import Slip

Exact = Union[int, Fraction]  # never a float


def elementary(values: Sequence[Exact], top: int) -> list[Exact]:
    """``[e_0, e_1, ..., e_top]`` of ``values``."""
    e: list[Exact] = [1] + [0] * top
    for seen, value in enumerate(values, 1):
        # downwards, so e[j - 1] is still the value before this leg
        for j in range(min(top, seen), 0, -1):
            e[j] += e[j - 1] * value
    return e


def component_total(component: Component, per_leg: Sequence[Sequence[Exact]]) -> Exact:
    """Sum over the component's lines of the product of ``per_leg[leg][prognosis]``."""
    if component.choice is not None:
        return per_leg[component.legs[0]][component.choice]
    sums = [sum(per_leg[i]) for i in component.legs]
    e = elementary(sums, max(component.sizes))
    n = len(component.legs)
    total: Exact
    if component.group is None:
        total = sum(e[j] for j in component.sizes)
    else:
        total = sum(comb(n - j, component.group - j) * e[j] for j in component.sizes)
    for banker in component.bankers:
        total *= sum(per_leg[banker])
    return total


def line_count(component: Component, slip: Slip) -> int:
    count = component_total(component, [[1] * len(leg.choices) for leg in slip.legs])
    assert isinstance(count, int)
    return count

"""Every line of a combination, one by one: the reference the closed form is checked
against, and the way to settle when each line must be looked at (a payout cap per line)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, product
from typing import Iterator

from games.betslip.structure import Component
from games.betslip.types import Slip


@dataclass(frozen=True)
class Line:
    picks: tuple[tuple[int, int], ...]  # (leg, prognosis), in leg order, bankers included
    group: tuple[int, ...]  # the named bet it belongs to: its non-banker legs

    @property
    def single(self) -> bool:
        return len(self.picks) == 1


def iter_lines(component: Component, slip: Slip) -> Iterator[Line]:
    if component.choice is not None:
        yield Line(((component.legs[0], component.choice),), component.legs)
        return
    for group in component.groups():
        for size in component.sizes:
            for subset in combinations(group, size):
                members = tuple(sorted((*subset, *component.bankers)))
                for picks in product(*(range(len(slip.legs[i].choices)) for i in members)):
                    yield Line(tuple(zip(members, picks)), group)

"""Finishing places from the order of busts, and the prizes they win, ties included.

Players out at the same time form a **bust group**: those who lost their last chips in
one hand, or, during hand-for-hand play, in one round of hands (every table's hand of the
round counts as simultaneous). Places are counted from the winner down: the last group
out takes the places just below the players still in, and so on back to the first.

Within a group, the standard rule: the player who started the hand with more chips
finishes higher. Players of a group who started with the same number of chips **tie**:
they share the places they cover, splitting the sum of those places' prizes equally; the
odd cents go one each to the tied players by bigger starting stack, then table, then seat
(the earlier seat). Each tied player's finishing position is the best of the shared
places ("tied 3rd" for places 3 and 4). (The TDA also ties players busting at *different*
tables in one hand-for-hand hand whatever their stacks; here the starting-stack rule
applies across the round, which keeps one rule for every simultaneous bust.)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Sequence

from games.tournament.errors import TournamentError


@dataclass(frozen=True)
class Bust:
    player: str
    starting_stack: int  # chips when the hand they lost began
    table: int
    seat: int

    @property
    def precedence(self) -> tuple[int, int, int]:
        """Sorts higher finishers first; also the odd-cent order of a tie."""
        return (-self.starting_stack, self.table, self.seat)


@dataclass(frozen=True)
class Finish:
    player: str
    place: int  # the finishing position: the best place of a tie
    last_place: int  # == place unless tied
    precedence: tuple[int, int, int] = (0, 0, 0)

    @property
    def tied(self) -> bool:
        return self.last_place > self.place


@dataclass(frozen=True)
class Award:
    """A prize for POGAIN: the finishing position, the player, the amount in cents."""

    place: int
    player: str
    amount: int
    last_place: int  # == place unless the places place..last_place were shared


def finishes(groups: Sequence[Sequence[Bust]], still_in: int) -> list[Finish]:
    """Places of the busted players, best first; ``groups`` in the order they went out and
    ``still_in`` players above them all (1 once there is a winner)."""
    out: list[Finish] = []
    next_place = still_in + 1
    for group in reversed(groups):
        ranked = sorted(group, key=lambda b: b.precedence)
        for _, tie in groupby(ranked, key=lambda b: b.starting_stack):
            tied = list(tie)
            last = next_place + len(tied) - 1
            out.extend(Finish(b.player, next_place, last, b.precedence) for b in tied)
            next_place = last + 1
    return out


def awards(amounts: Sequence[int], ranked: Sequence[Finish]) -> list[Award]:
    """Prizes for ``ranked`` players (places as :func:`finishes` gives them; ``amounts[i]``
    pays place ``i + 1``). Places beyond the paid ones pay nothing; nothing-won is left out."""
    by_range: dict[tuple[int, int], list[Finish]] = {}
    for finish in ranked:
        by_range.setdefault((finish.place, finish.last_place), []).append(finish)
    out: list[Award] = []
    for (first, last), tied in sorted(by_range.items()):
        if len(tied) != last - first + 1:
            raise TournamentError(f"places {first}-{last} are shared by {len(tied)} players")
        total = sum(amounts[place - 1] for place in range(first, last + 1) if place <= len(amounts))
        each, odd = divmod(total, len(tied))
        for i, finish in enumerate(sorted(tied, key=lambda f: f.precedence)):
            amount = each + (1 if i < odd else 0)
            if amount:
                out.append(Award(first, finish.player, amount, last))
    return out

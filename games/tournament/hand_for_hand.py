"""Hand-for-hand play on the bubble.

It begins once the field is final (late registration over) and exactly one player more
than the places paid remains, and lasts until the bubble bursts (no more players than
places paid) at the end of a round. Meanwhile play goes in **rounds**: every table that
can deal plays one hand, and no table starts its next hand before every table has
finished the round's. Busts in one round are simultaneous (one bust group, see
``games.tournament.places``). Hands already running when it begins finish first, and
count on their own; the first round starts once they are over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection


def due(remaining: int, places_paid: int, field_final: bool) -> bool:
    """Whether hand-for-hand play should begin now."""
    return field_final and remaining == places_paid + 1 and remaining >= 2


@dataclass
class HandForHand:
    on: bool = False
    dealt: set[int] = field(default_factory=set)  # tables that started this round's hand

    def may_start(self, table: int, playing: Collection[int]) -> bool:
        """Off: any time. On: once per round, after the hands from before the round."""
        if not self.on:
            return True
        return table not in self.dealt and set(playing) <= self.dealt

    def start(self, table: int) -> bool:
        """Record a hand starting; True when it belongs to a round."""
        if self.on:
            self.dealt.add(table)
        return self.on

    def round_over(self, playing: Collection[int], can_deal: Collection[int]) -> bool:
        """Every table that could deal has played the round's hand and none is still playing."""
        return self.on and bool(self.dealt) and not playing and set(can_deal) <= self.dealt

    def next_round(self) -> None:
        self.dealt.clear()

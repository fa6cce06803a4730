"""When a rebuy or the add-on is allowed.

- A **rebuy** is allowed during the rebuy period (levels 1 to ``until_level``) while the
  player's stack is at most ``threshold`` (0: only once busted), up to ``limit`` rebuys
  per player. A player busted during the period who may still rebuy is not out yet: they
  keep their seat, are dealt no hand, and are out when they decline or the period ends.
- The **add-on** is taken once per player, "at the end of the rebuy period": during
  level ``at_level`` (usually the rebuy period's last) and, once that level is over, until
  the player's table starts its next hand; the break that usually follows is that window.
  Any player still in may take it, whatever their stack (a busted player must rebuy first).
- Chips are added between hands only: a player dealt into a running hand waits for its end.

Each purchase pays its price into the prize pool and its fee to the operator
(``games.tournament.ledger``).
"""

from __future__ import annotations

from dataclasses import dataclass

from games.tournament.errors import TournamentError
from games.tournament.ledger import Price


@dataclass(frozen=True)
class RebuyRule:
    cost: Price
    threshold: int  # chips: rebuy while the stack is at most this
    until_level: int  # the rebuy period is levels 1..until_level
    limit: int | None = None  # per player; None: no limit

    def __post_init__(self) -> None:
        if self.threshold < 0 or self.until_level < 1 or (self.limit is not None and self.limit < 1):
            raise TournamentError("a rebuy threshold >= 0, a period of at least one level, a limit >= 1")

    def in_period(self, level_index: int) -> bool:
        return level_index < self.until_level

    def refusal(self, level_index: int, stack: int, rebuys_made: int) -> str | None:
        """Why a rebuy is refused, or None when it is allowed."""
        if not self.in_period(level_index):
            return "the rebuy period is over"
        if stack > self.threshold:
            return f"a rebuy needs a stack of at most {self.threshold}"
        if self.limit is not None and rebuys_made >= self.limit:
            return f"at most {self.limit} rebuys"
        return None

    def may_still_rebuy(self, level_index: int, rebuys_made: int) -> bool:
        """Whether a player busting now keeps their seat awaiting a rebuy."""
        return self.refusal(level_index, 0, rebuys_made) is None


@dataclass(frozen=True)
class AddOnRule:
    cost: Price
    at_level: int  # from 1: offered during this level and until the table's next hand after it

    def __post_init__(self) -> None:
        if self.at_level < 1:
            raise TournamentError("the add-on level counts from 1")

    def refusal(self, level_index: int, table_hand_level: int | None, taken: bool) -> str | None:
        """``table_hand_level``: the level (from 0) of the last hand started at the player's table."""
        if taken:
            return "one add-on per player"
        last = self.at_level - 1
        if level_index < last:
            return f"the add-on opens at level {self.at_level}"
        if level_index > last and table_hand_level is not None and table_hand_level > last:
            return "the add-on closed when the next level's first hand started"
        return None

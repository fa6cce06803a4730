"""What replaying a history gives: an outcome, and the final stacks when it is OK."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from games.hand import Hand
from games.phh.model import PhhHand


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"  # the engine refused an action (or the table), with its reason
    INVALID = "invalid"  # the history contradicts itself or the course of the hand
    UNDETERMINED = "undetermined"  # the result depends on cards the history does not show
    UNSUPPORTED = "unsupported"  # a game or forced bet the engine does not deal


@dataclass(frozen=True)
class Replay:
    phh: PhhHand
    outcome: Outcome
    message: str = ""
    final_stacks: tuple[int, ...] | None = None  # OK only: p1 first, in 1/scale of the file's unit
    hand: Hand | None = None  # the engine's hand, as far as it went

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def final_stacks_text(self) -> list[str]:
        """The final stacks as decimal strings in the file's unit."""
        if self.final_stacks is None:
            raise ValueError(f"no final stacks: {self.outcome.value}: {self.message}")
        return [self.phh.format_chips(chips) for chips in self.final_stacks]


class _Stop(Exception):
    def __init__(self, outcome: Outcome, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message

"""Blind levels, how they advance (by time or by hands), and the breaks.

Times are seconds elapsed since the tournament started (the caller's clock, passed in).

- **Breaks** (``Breaks(every=3600, length=300)``: "5 minutes every hour") take the last
  ``length`` seconds of every period of ``every`` seconds from the start, the online
  "top of the hour" habit: play 0:00-0:55, break 0:55-1:00, play 1:00-1:55, ... No hand
  starts during a break; a hand already running finishes.
- **Time-paced levels** count *play* time only: the level clock stops during breaks, so
  a 15-minute level interrupted by a break still gives 15 minutes of play.
- **Hand-paced levels** count hands started (the caller says which count: the tournament
  uses the most hands started at any one of its tables, see ``games.tournament.tournament``).
- The last level lasts until the end.
- A level change takes effect at the next hand: the level is read when a hand starts and
  stays with that hand (``Tournament.start_hand``), never changed under a running hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from games.betting import Structure
from games.hand import Rules, Variant
from games.tournament.errors import TournamentError


@dataclass(frozen=True)
class BlindLevel:
    small_blind: int
    big_blind: int
    ante: int = 0  # per player, or the big blind's single ante when big_blind_ante
    big_blind_ante: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.small_blind <= self.big_blind:
            raise TournamentError(f"blinds {self.small_blind}/{self.big_blind}: 0 < small <= big")
        if self.ante < 0 or (self.big_blind_ante and self.ante == 0):
            raise TournamentError("an ante is positive; a big-blind ante needs an amount")

    def rules(self, variant: Variant, structure: Structure) -> Rules:
        """The hand engine's rules at this level (tournament tables take no rake)."""
        return Rules(variant, structure, self.small_blind, self.big_blind, ante=self.ante,
                     big_blind_ante=self.big_blind_ante)


class Pace(Enum):
    TIME = "time"  # a level lasts ``length`` seconds of play
    HANDS = "hands"  # a level lasts ``length`` hands


@dataclass(frozen=True)
class Breaks:
    every: int  # seconds: one break closes each period of this length
    length: int  # seconds: the last ones of each period

    def __post_init__(self) -> None:
        if not 0 < self.length < self.every:
            raise TournamentError("a break is shorter than the period it closes")

    def on_break(self, elapsed: float) -> bool:
        return elapsed >= 0 and elapsed % self.every >= self.every - self.length

    def ends_at(self, elapsed: float) -> float | None:
        """When the break under way at ``elapsed`` ends (None: not on a break)."""
        if not self.on_break(elapsed):
            return None
        return (elapsed // self.every + 1) * self.every

    def break_time(self, elapsed: float) -> float:
        """Seconds spent on breaks between the start and ``elapsed``."""
        if elapsed <= 0:
            return 0
        periods, into = divmod(elapsed, self.every)
        return periods * self.length + max(0.0, into - (self.every - self.length))

    def elapsed_for_play(self, play: float) -> float:
        """The first elapsed time at which ``play`` seconds of play have gone by."""
        per_period = self.every - self.length
        periods, into = divmod(play, per_period)
        if into == 0 and periods > 0:  # reached just as a break begins
            return periods * self.every - self.length
        return periods * self.every + into


@dataclass(frozen=True)
class Schedule:
    levels: tuple[BlindLevel, ...]
    pace: Pace
    length: int  # seconds of play (TIME) or hands (HANDS) per level
    breaks: Breaks | None = None

    def __post_init__(self) -> None:
        if not self.levels:
            raise TournamentError("a schedule has at least one level")
        if self.length <= 0:
            raise TournamentError("a level lasts a positive time or number of hands")
        if any(b.big_blind < a.big_blind for a, b in zip(self.levels, self.levels[1:])):
            raise TournamentError("blinds never go down from one level to the next")

    def play_time(self, elapsed: float) -> float:
        elapsed = max(0.0, elapsed)
        return elapsed - (self.breaks.break_time(elapsed) if self.breaks else 0)

    def on_break(self, elapsed: float) -> bool:
        return self.breaks is not None and self.breaks.on_break(elapsed)

    def level_index(self, elapsed: float, hands: int = 0) -> int:
        """The level in force (from 0) after ``elapsed`` seconds and ``hands`` hands started."""
        if self.pace is Pace.TIME:
            reached = int(self.play_time(elapsed) // self.length)
        else:
            reached = max(0, hands) // self.length
        return min(reached, len(self.levels) - 1)

    def level_number(self, elapsed: float, hands: int = 0) -> int:
        """As players see it: the first level is level 1."""
        return self.level_index(elapsed, hands) + 1

    def level_at(self, elapsed: float, hands: int = 0) -> BlindLevel:
        return self.levels[self.level_index(elapsed, hands)]

    def next_level_at(self, elapsed: float) -> float | None:
        """Time-paced: the elapsed time at which the next level comes into force (None: the
        last level, or hand-paced)."""
        if self.pace is not Pace.TIME:
            return None
        index = self.level_index(elapsed)
        if index == len(self.levels) - 1:
            return None
        play = (index + 1) * self.length
        return self.breaks.elapsed_for_play(play) if self.breaks else float(play)

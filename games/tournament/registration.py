"""Registration before the start: windows, field limits, unregistration, start or cancel.

- Registration opens at ``opens_at`` and, before the start, closes at ``closes_at`` (by
  default the scheduled start). A sit-and-go has no start time: it starts as soon as it
  is full (``max_players`` registered) and takes registrations until then.
- A scheduled tournament starts at ``starts_at`` when at least ``min_players`` are
  registered; otherwise it is cancelled and every registrant is refunded buy-in and fee.
- Late registration (scheduled only) runs after the start while the level in force is
  at most ``late_until_level`` (levels counted from 1), never during hand-for-hand play,
  and never beyond ``max_players``; the running tournament takes those entries
  (``Tournament.register_late``).
- Until the start a player may unregister: buy-in and fee are refunded. Once started,
  nobody unregisters.
- The operator may cancel at any time before the start: everyone is refunded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from games.tournament.errors import TournamentError
from games.tournament.ledger import Ledger, Price, Purchase, PurchaseKind, Refund


class Format(Enum):
    SIT_AND_GO = "sit_and_go"  # starts when full
    SCHEDULED = "scheduled"  # starts at its time, if enough players


@dataclass(frozen=True)
class RegistrationRules:
    format: Format
    entry: Price  # buy-in (to the prize pool), fee, starting chips
    min_players: int
    max_players: int
    opens_at: datetime
    starts_at: datetime | None = None  # scheduled tournaments only
    closes_at: datetime | None = None  # before the start; default: the start
    late_until_level: int | None = None  # scheduled only: last level (from 1) taking entries

    def __post_init__(self) -> None:
        if not 2 <= self.min_players <= self.max_players:
            raise TournamentError("2 <= min players <= max players")
        if self.format is Format.SCHEDULED:
            if self.starts_at is None or self.starts_at < self.opens_at:
                raise TournamentError("a scheduled tournament starts after registration opens")
            if self.closes_at is not None and not self.opens_at <= self.closes_at <= self.starts_at:
                raise TournamentError("pre-start registration closes between its opening and the start")
        elif self.starts_at is not None or self.late_until_level is not None:
            raise TournamentError("a sit-and-go starts when full: no start time, no late registration")
        if self.late_until_level is not None and self.late_until_level < 1:
            raise TournamentError("late registration runs until a level counted from 1")

    def late_registration_open(self, level_index: int) -> bool:
        """After the start: may an entry still be taken at this level (from 0)?"""
        return self.late_until_level is not None and level_index < self.late_until_level


class Phase(Enum):
    OPEN = "open"
    STARTED = "started"
    CANCELLED = "cancelled"


class Decision(Enum):
    WAIT = "wait"
    START = "start"
    CANCEL = "cancel"


@dataclass(frozen=True)
class StartDecision:
    decision: Decision
    entries: tuple[Purchase, ...] = ()  # START: the buy-ins, in registration order
    refunds: tuple[Refund, ...] = ()  # CANCEL: buy-in plus fee to each registrant


class Registration:
    def __init__(self, rules: RegistrationRules) -> None:
        self.rules = rules
        self.phase = Phase.OPEN
        self._ledger = Ledger()

    @property
    def players(self) -> tuple[str, ...]:
        return self._ledger.players

    @property
    def full(self) -> bool:
        return len(self.players) >= self.rules.max_players

    def is_open(self, now: datetime) -> bool:
        rules = self.rules
        if self.phase is not Phase.OPEN or now < rules.opens_at or self.full:
            return False
        closes = rules.closes_at if rules.closes_at is not None else rules.starts_at
        return closes is None or now < closes

    def register(self, player: str, now: datetime) -> Purchase:
        """The buy-in paid (for POINSCRIT and POCAVE)."""
        if player in self.players:
            raise TournamentError(f"{player} is already registered")
        if not self.is_open(now):
            raise TournamentError("registration is not open")
        return self._ledger.add(Purchase.of(player, PurchaseKind.BUY_IN, self.rules.entry))

    def unregister(self, player: str, now: datetime) -> Refund:
        starts_at = self.rules.starts_at
        if self.phase is not Phase.OPEN or (starts_at is not None and now >= starts_at):
            raise TournamentError("only before the start")
        if player not in self.players:
            raise TournamentError(f"{player} is not registered")
        return self._ledger.withdraw(player)

    def decide(self, now: datetime) -> StartDecision:
        """Start, keep waiting, or cancel for want of players; START and CANCEL are final."""
        if self.phase is not Phase.OPEN:
            raise TournamentError(f"registration is already {self.phase.value}")
        rules = self.rules
        if rules.format is Format.SIT_AND_GO:
            return self._start() if self.full else StartDecision(Decision.WAIT)
        assert rules.starts_at is not None
        if now < rules.starts_at:
            return StartDecision(Decision.WAIT)
        if len(self.players) >= rules.min_players:
            return self._start()
        return StartDecision(Decision.CANCEL, refunds=self.cancel())

    def cancel(self) -> tuple[Refund, ...]:
        """Operator cancellation before the start: buy-in plus fee back to everyone."""
        if self.phase is not Phase.OPEN:
            raise TournamentError(f"registration is already {self.phase.value}")
        self.phase = Phase.CANCELLED
        return self._ledger.refunds()

    def _start(self) -> StartDecision:
        self.phase = Phase.STARTED
        return StartDecision(Decision.START, entries=self._ledger.purchases)

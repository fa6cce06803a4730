"""A tournament table: the cash table's hand loop, with the tournament deciding who plays.

The hand loop, the action clock and what each seat is told are the cash table's
(:class:`~server.cardroom.runtime.TableRuntime`); three things differ:

- who is dealt in, the button and the level come from the running tournament
  (``games.tournament.Tournament.start_hand``) through the ``planner``;
- everyone is dealt in every hand: a disconnected player is never sat out nor stood up,
  their clock folds them (or checks), as the tournament directors' rules have it;
- seats change only when the tournament says so (busts, moves, a broken table): the driver
  calls :meth:`unseat` and :meth:`sit`, between hands as far as this table is concerned,
  even while the last hand's records are still being written.
"""

from __future__ import annotations

from typing import Any, Callable

from games.dealer import Dealer
from server.cardroom.runtime import DealPlan, Scheduler, Seated, TableConfig, TableListener, TableRuntime

Planner = Callable[["TournamentTable"], DealPlan | None]


class TournamentTable(TableRuntime):
    def __init__(self, config: TableConfig, listener: TableListener, scheduler: Scheduler, planner: Planner,
                 dealer: Dealer | None = None) -> None:
        super().__init__(config, listener, scheduler, dealer)
        self.planner = planner

    def _plan(self) -> DealPlan | None:
        return self.planner(self)

    def _sit_out_absent(self, seated: Seated, now: float) -> None:
        """Absent players stay dealt in: the clock acts for them."""

    def _finished(self, result: Any) -> Any:
        # Nobody stands up at a tournament table: busted players were unseated by the driver.
        self._finishing = False
        self._last_hand_seats = set()
        self._schedule_next_hand()
        return result

    def kick(self) -> None:
        """Deal when the tournament allows it (another table finished, a break ended)."""
        self._schedule_next_hand()

    def unseat(self, player_id: str, reason: str) -> Seated:
        """The tournament freed this seat (bust, move, broken table): never during a hand it plays."""
        seated = self._seated(player_id)
        assert not self.in_hand(player_id), "a seat in a hand is never moved"
        del self.seated[seated.seat]
        self._broadcast({"event": "left", "seat": seated.seat, "player_id": player_id, "reason": reason})
        self.listener.send(player_id, {"type": "table", "table_id": self.config.table_id, "event": "left",
                                       "seat": seated.seat, "player_id": player_id, "reason": reason})
        return seated

    def close(self) -> tuple[str, list[Seated]] | None:
        """No more hands here (broken table, the end, a cancellation); the hand under way, if
        any, is stopped where it is: its id and the seats dealt in, for their POANNUL."""
        self.closing = True
        self._cancel_clock()
        if self._next_hand is not None and self._next_hand.active():
            self._next_hand.cancel()
        self._next_hand = None
        if self.hand is None or self.id_partie is None:
            return None
        voided = (self.id_partie, list(self._in_hand.values()))
        self._broadcast({"event": "hand_void", "hand_id": self.id_partie})
        self.hand = None
        self._in_hand = {}
        return voided

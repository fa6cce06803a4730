"""Which players move between tables: breaking tables and balancing them.

Called whenever the player count or the tables' state changes (a table finished a hand,
a bust, a late entry). Only **idle** tables (between hands) give players or break; a
moved player may land at a table in the middle of a hand and is dealt in at its next one.
The rules, applied until nothing more can be done:

1. **Break**: when the players fit in one table less (``ceil(players / max_seats)`` is
   below the number of tables), the table with the fewest players breaks (among those,
   an idle one, the highest-numbered). Its players, in seat order, each go to the table
   then having the fewest players (lowest number on a tie), into its worst seat. While
   the table that should break is in a hand, nothing moves: it breaks when it is idle.
2. **Balance**: while the biggest and smallest tables differ by two players or more, the
   biggest table (lowest-numbered among the biggest idle ones) gives the player who
   would be its next big blind to the smallest table (lowest number on a tie), into the
   worst seat there (the one that posts the big blind soonest, ``seating.worst_seat``).
   If no biggest table is idle, wait.

With every table idle (between hand-for-hand rounds, or in the tests) the result always
has ``ceil(players / max_seats)`` tables whose sizes differ by at most one. The last
break leaves the final table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Sequence

from games.tournament.errors import TournamentError
from games.tournament.seating import next_positions, worst_seat


class Reason(Enum):
    BREAK = "break"
    BALANCE = "balance"


@dataclass(frozen=True)
class Move:
    player: str
    from_table: int
    from_seat: int
    to_table: int
    to_seat: int
    reason: Reason


@dataclass
class TableView:
    table: int
    seats: dict[int, str]  # seat -> player
    last_button: int | None
    idle: bool = True

    @property
    def size(self) -> int:
        return len(self.seats)


@dataclass(frozen=True)
class Plan:
    moves: tuple[Move, ...] = ()
    broken: tuple[int, ...] = ()  # tables closed, in the order they broke
    tables: tuple[TableView, ...] = field(default=())  # the tables afterwards


def plan(tables: Sequence[TableView], max_seats: int) -> Plan:
    """The moves that break and balance ``tables`` (left unchanged: views are copied)."""
    work = {t.table: TableView(t.table, dict(t.seats), t.last_button, t.idle) for t in tables}
    if len(work) != len(tables):
        raise TournamentError("a table is listed once")
    if any(t.size > max_seats for t in work.values()):
        raise TournamentError(f"a table seats at most {max_seats}")
    moves: list[Move] = []
    broken: list[int] = []
    while True:
        players = sum(t.size for t in work.values())
        needed = max(1, -(-players // max_seats))
        if len(work) > needed:
            fewest = min(t.size for t in work.values())
            idle = [t for t in work.values() if t.size == fewest and t.idle]
            if not idle:
                break  # the table to break is in a hand: it breaks once idle
            closing = max(idle, key=lambda t: t.table)
            del work[closing.table]
            broken.append(closing.table)
            for seat in sorted(closing.seats):
                moves.append(_seat(closing.seats[seat], closing.table, seat, _smallest(work), max_seats,
                                   Reason.BREAK))
            continue
        biggest = max(t.size for t in work.values())
        smallest = _smallest(work)
        if biggest - smallest.size < 2:
            break
        givers = [t for t in work.values() if t.size == biggest and t.idle]
        if not givers:
            break
        giver = min(givers, key=lambda t: t.table)
        positions = next_positions(giver.seats, giver.last_button)
        assert positions is not None  # the biggest table has at least two players here
        seat = positions.big_blind
        player = giver.seats.pop(seat)
        moves.append(_seat(player, giver.table, seat, smallest, max_seats, Reason.BALANCE))
    return Plan(tuple(moves), tuple(broken), tuple(sorted(work.values(), key=lambda t: t.table)))


def _smallest(work: dict[int, TableView]) -> TableView:
    return min(work.values(), key=lambda t: (t.size, t.table))


def _seat(player: str, from_table: int, from_seat: int, to: TableView, max_seats: int, reason: Reason) -> Move:
    seat = worst_seat(to.seats, to.last_button, max_seats)
    to.seats[seat] = player
    return Move(player, from_table, from_seat, to.table, seat, reason)

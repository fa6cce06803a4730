"""Seats at tournament tables: the random first seating, positions, the worst seat.

Seats are numbered 1..``max_seats``. Positions follow the moving button of
``games.button`` with everyone dealt in (tournaments deal every player in): each hand the
button goes to the next occupied seat after the last button's seat (the seat number
counts, whether or not its player is still there), the next two players post the small
and big blinds, and heads-up the button posts the small blind (``Blinds.standard``).

- **First seating**: the players are shuffled, split over ``ceil(n / max_seats)`` tables
  whose sizes differ by at most one, and each table's players get random seats; each
  table's first button is drawn among its players. All through the injected chooser.
- **Worst seat** (where a moved player sits): the empty seat that will post the big
  blind soonest under the moving button, so nobody gains a free round of blinds by being
  moved; among equals, the lowest seat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Sequence

from games.tournament.chooser import Chooser, pick, shuffled
from games.tournament.errors import TournamentError


@dataclass(frozen=True)
class Positions:
    button: int
    small_blind: int
    big_blind: int


def _after(seats: Collection[int], seat: int) -> int:
    """The first of ``seats`` clockwise after seat number ``seat``."""
    ordered = sorted(seats)
    return next((s for s in ordered if s > seat), ordered[0])


def next_positions(occupied: Collection[int], last_button: int | None) -> Positions | None:
    """The next hand's button and blinds (None with fewer than two players). No last
    button yet: the button goes to the lowest seat (callers draw it instead)."""
    if len(occupied) < 2:
        return None
    button = _after(occupied, last_button) if last_button is not None else min(occupied)
    if len(occupied) == 2:
        return Positions(button, button, _after(occupied, button))
    small = _after(occupied, button)
    return Positions(button, small, _after(occupied, small))


def hands_until_big_blind(occupied: Collection[int], last_button: int | None, seat: int) -> int:
    """How many hands from now until ``seat`` (one of ``occupied``) posts the big blind:
    1 when it is the next hand's big blind."""
    if seat not in occupied:
        raise TournamentError(f"seat {seat} is not occupied")
    button = last_button
    for hands in range(1, len(occupied) + 2):
        positions = next_positions(occupied, button)
        if positions is None:
            return len(occupied) + 1
        if positions.big_blind == seat:
            return hands
        button = positions.button
    return len(occupied) + 1


def worst_seat(occupied: Collection[int], last_button: int | None, max_seats: int) -> int:
    """The empty seat that will post the big blind soonest once taken."""
    empty = [s for s in range(1, max_seats + 1) if s not in occupied]
    if not empty:
        raise TournamentError("the table is full")
    return min(empty, key=lambda s: (hands_until_big_blind({*occupied, s}, last_button, s), s))


def button_before(occupied: Collection[int], button: int) -> int:
    """The last-button seat that makes ``button`` the next hand's button."""
    ordered = sorted(occupied)
    i = ordered.index(button)
    return ordered[i - 1]


def table_sizes(players: int, max_seats: int) -> list[int]:
    """The fewest tables that seat everyone, their sizes differing by at most one."""
    if players < 1:
        return []
    tables = -(-players // max_seats)
    base, extra = divmod(players, tables)
    return [base + 1 if i < extra else base for i in range(tables)]


@dataclass(frozen=True)
class SeatedTable:
    table: int
    seats: dict[int, str]  # seat -> player
    last_button: int  # set so that the drawn button deals the first hand


def first_seating(players: Sequence[str], max_seats: int, chooser: Chooser) -> list[SeatedTable]:
    """Tables numbered from 1, random seats and a random first button at each."""
    if not 2 <= max_seats <= 10:
        raise TournamentError("a table seats 2 to 10 players")
    if len(set(players)) != len(players):
        raise TournamentError("a player is seated once")
    order = shuffled(players, chooser)
    tables: list[SeatedTable] = []
    start = 0
    for number, size in enumerate(table_sizes(len(order), max_seats), start=1):
        seat_numbers = sorted(shuffled(range(1, max_seats + 1), chooser)[:size])
        seats = dict(zip(seat_numbers, order[start:start + size]))
        start += size
        button = pick(seat_numbers, chooser)
        tables.append(SeatedTable(number, seats, button_before(seat_numbers, button)))
    return tables

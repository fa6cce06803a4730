"""Who is dealt in, who has the button and who posts what: the cash table's blind policy.

Croupier uses a **moving button** (the common online rule): every hand the button moves
to the next player ready to play, the small blind is the next ready player after it and
the big blind the next player after that (heads-up, the button posts the small blind).
Nobody is skipped from the button or the small blind by a dead button; instead blinds a
player avoids by sitting out are owed:

- a seat sitting out when the blinds pass over it owes them: between the button and the
  small blind it missed the small blind; between the small and big blinds (or on the big
  blind's seat), the big blind;
- a player joining the table, or coming back owing blinds, either waits until the big
  blind reaches their seat (then posts it like anyone and owes nothing more), or posts at
  once: a live big blind (which counts towards their call and keeps their option), plus
  the small blind as dead chips when they owe it;
- a player waiting for the big blind is never the button or the small blind.

Tournaments deal everyone in every hand: absent players post and fold on their clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from games.hand import Blinds


@dataclass(frozen=True)
class SeatStatus:
    seat: int
    sitting_out: bool = False
    waiting: bool = False  # new at the table, or back owing blinds: not dealt in until they post
    owes_small: bool = False
    owes_big: bool = False
    post_now: bool = False  # a waiting player who asked to post rather than wait for the big blind


@dataclass(frozen=True)
class HandPlan:
    button: int
    dealt_in: tuple[int, ...]  # in seat order
    blinds: Blinds
    seats: tuple[SeatStatus, ...]  # every seat's status after this hand's posts, for the next plan


def _clockwise_from(seats: Sequence[int], after: int) -> list[int]:
    """``seats`` in clockwise order starting with the first seat after ``after``."""
    ordered = sorted(seats)
    later = [s for s in ordered if s > after]
    return later + [s for s in ordered if s <= after]


def _between(seat: int, start: int, end: int) -> bool:
    """``seat`` lies strictly after ``start`` and strictly before ``end``, clockwise."""
    if start < end:
        return start < seat < end
    return seat > start or seat < end


def sit_back_in(status: SeatStatus, post_now: bool = False) -> SeatStatus:
    """A player coming back: ready at once, or waiting for the big blind when owing blinds."""
    owes = status.owes_small or status.owes_big
    return replace(status, sitting_out=False, waiting=owes, post_now=post_now and owes)


def join(seat: int, post_now: bool = False) -> SeatStatus:
    """A player taking a seat: waits for the big blind, or posts one at once."""
    return SeatStatus(seat, waiting=True, post_now=post_now)


def plan_hand(statuses: Sequence[SeatStatus], previous_button: int | None, *, small_blind: int,
              big_blind: int) -> HandPlan | None:
    """The next hand's positions and posts, or None when fewer than two players can play."""
    by_seat = {s.seat: s for s in statuses}
    if len(by_seat) != len(statuses):
        raise ValueError("a seat is listed once")
    active = [s.seat for s in statuses if not s.sitting_out]
    ready = [seat for seat in active if not by_seat[seat].waiting]
    posting = [seat for seat in active if by_seat[seat].waiting and by_seat[seat].post_now]
    if not ready:
        return None
    button = _clockwise_from(ready, previous_button if previous_button is not None else max(by_seat))[0]
    small = next((s for s in _clockwise_from(ready, button) if s != button), button)
    big = next((s for s in _clockwise_from(active, small) if s != small), None)
    if big is None or big == button and small == button:
        return None
    dealt = set(ready) | {big} | set(posting)
    if len(dealt) < 2:
        return None
    if len(dealt) > 2 and big == button:  # only a player posting out of turn sits between: they take it
        big = next(s for s in _clockwise_from(sorted(dealt), small) if s not in (small, button))
    if len(dealt) == 2:  # heads-up: the button posts the small blind
        small = button
        big = next(s for s in dealt if s != button)
    live = tuple((seat, big_blind) for seat in sorted(posting) if seat != big)
    dead = tuple((seat, small_blind) for seat in sorted(posting) if seat != big and by_seat[seat].owes_small)

    updated = []
    for status in statuses:
        if status.seat in dealt:
            updated.append(SeatStatus(status.seat))  # posting the big blind, in turn or live, settles debts
        elif status.sitting_out:
            updated.append(replace(status, owes_small=status.owes_small or _between(status.seat, button, small),
                                   owes_big=status.owes_big or _between(status.seat, small, big)))
        else:
            updated.append(status)
    return HandPlan(button, tuple(sorted(dealt)), Blinds(small, big, live=live, dead=dead), tuple(updated))

"""Settling a hand's chips: uncalled bet, main and side pots, rake, split and odd chips.

Everything is integer chips (cents at cash tables). The rules, as a referee applies them:

- the part of the largest contribution that nobody matched is returned to its owner
  before anything else (it was never called);
- pots are layered by the contributions of the players still in the hand: each layer
  takes from every seat (folded ones included) what it put in between the previous level
  and this one, and only the players still in who reached the level can win it;
- dead chips (a big-blind ante, a missed small blind) join the main pot: nobody called
  them, so they are never returned, and they set no level;
- rake (cash tables only) is a share of the pots, capped, and not taken when the hand
  ended before the flop ("no flop, no drop"); it is taken from the main pot first;
- a pot goes to the best value among its eligible players; a tie splits it equally and
  the odd chips go one each to the tied winners in seat order starting left of the
  button;
- a hand won without showdown (everyone else folded) gives every pot to the last player.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence


class PotError(ValueError):
    pass


@dataclass(frozen=True)
class RakeRule:
    share: Fraction = Fraction(0)  # e.g. Fraction(5, 100)
    cap: int = 0  # chips; 0: no cap
    no_flop_no_drop: bool = True

    def taken_from(self, total: int, saw_flop: bool) -> int:
        if self.share <= 0 or (self.no_flop_no_drop and not saw_flop):
            return 0
        rake = int(total * self.share)  # floor: the house never rounds up
        return min(rake, self.cap) if self.cap else rake


@dataclass(frozen=True)
class Pot:
    amount: int
    eligible: tuple[int, ...]  # seats that can win it, in seat order


@dataclass
class Settlement:
    returned: dict[int, int] = field(default_factory=dict)  # uncalled bets given back
    pots: list[Pot] = field(default_factory=list)  # after rake
    rake: int = 0
    winnings: dict[int, int] = field(default_factory=dict)  # what each seat collects from pots
    winners: list[tuple[int, ...]] = field(default_factory=list)  # per pot


def _left_of_button(seats: Sequence[int], button: int, seat_count: int) -> list[int]:
    return sorted(seats, key=lambda s: (s - button - 1) % seat_count)


def settle(contributions: Mapping[int, int], live: Sequence[int], values: Mapping[int, int] | None,
           *, button: int, seat_count: int, rake: RakeRule = RakeRule(), saw_flop: bool = True,
           dead: Mapping[int, int] | None = None) -> Settlement:
    """``contributions``: chips each seat put in during the hand; ``live``: seats not folded;
    ``values``: hand value of each live seat at showdown (``None``: no showdown, one live seat);
    ``dead``: dead chips (a big-blind ante, a missed small blind): they go to the main pot,
    are never returned as uncalled and set no pot level."""
    dead_total = sum((dead or {}).values())
    if any(c < 0 for c in contributions.values()) or any(c < 0 for c in (dead or {}).values()):
        raise PotError("a contribution is never negative")
    live_seats = sorted(set(live))
    if not live_seats or not set(live_seats) <= set(contributions):
        raise PotError("the live seats must be contributors")
    if values is None and len(live_seats) != 1:
        raise PotError("without a showdown exactly one player is left")
    if values is not None and set(values) != set(live_seats):
        raise PotError("every live seat, and only they, need a hand value at showdown")
    put = dict(contributions)
    result = Settlement()

    ordered = sorted(put.values(), reverse=True)
    top = ordered[0] if ordered else 0
    second = ordered[1] if len(ordered) > 1 else 0
    if top > second:
        owner = next(seat for seat, amount in put.items() if amount == top)
        result.returned[owner] = top - second
        put[owner] = second

    levels = sorted({put[s] for s in live_seats if put[s] > 0})
    previous = 0
    pots: list[Pot] = []
    for level in levels:
        amount = sum(min(c, level) - min(c, previous) for c in put.values())
        eligible = tuple(s for s in live_seats if put[s] >= level)
        if amount:
            pots.append(Pot(amount, eligible))
        previous = level
    if dead_total:
        if pots and len(pots[0].eligible) == len(live_seats):
            pots[0] = Pot(pots[0].amount + dead_total, pots[0].eligible)
        else:  # a live seat put in no live chip (all-in on a dead post): it contests the dead chips
            pots.insert(0, Pot(dead_total, tuple(live_seats)))
    # Chips of folded seats above the highest live level belong to the last pot.
    leftover = sum(max(0, c - previous) for c in put.values())
    if leftover:
        if not pots:
            pots.append(Pot(0, tuple(live_seats)))
        pots[-1] = Pot(pots[-1].amount + leftover, pots[-1].eligible)

    result.rake = rake.taken_from(sum(p.amount for p in pots), saw_flop)
    to_take = result.rake
    for index, pot in enumerate(pots):
        taken = min(pot.amount, to_take)
        to_take -= taken
        pots[index] = Pot(pot.amount - taken, pot.eligible)
    result.pots = pots

    for pot in pots:
        if values is None:
            winners = (live_seats[0],)
        else:
            best = max(values[s] for s in pot.eligible)
            winners = tuple(_left_of_button([s for s in pot.eligible if values[s] == best], button, seat_count))
        share, odd = divmod(pot.amount, len(winners))
        for position, seat in enumerate(winners):
            result.winnings[seat] = result.winnings.get(seat, 0) + share + (1 if position < odd else 0)
        result.winners.append(winners)
    return result

"""Cancelling a running tournament: the operator's choice of two rules.

Before the start, a cancellation always refunds buy-in and fee to every registrant
(``Registration.cancel``). Once started, :class:`CancelPolicy` says:

- ``REFUND``: everyone who paid anything, busted players included, gets back everything
  they paid: buy-in, rebuys and add-on, fees included (POANNUL). No prize is paid.
- ``CHIP_SPLIT``: the prize pool is paid out in full, fees are kept:
  1. players already out in the money get their place's prize (ties shared as usual);
  2. when the players still in are within the places paid, each is guaranteed the prize
     of the lowest place they could still finish in (``still_in``-th place);
  3. the rest of the pool is split in proportion to chips among the players still in:
     each gets the floor of ``rest * chips / all chips`` cents, and the cents left over
     (fewer than the players) go one each to the biggest stacks first (ties: the order
     the caller lists them in; the tournament lists them by table, then seat).
  These are prizes (POGAIN). Chips are those after each table's last finished hand: a
  hand under way when the tournament is cancelled is void.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from games.tournament.errors import TournamentError
from games.tournament.ledger import Refund
from games.tournament.places import Award, Finish, awards


class CancelPolicy(Enum):
    REFUND = "refund"
    CHIP_SPLIT = "chip_split"


@dataclass(frozen=True)
class Share:
    """A player still in when the tournament was cancelled, and what they get (cents)."""

    player: str
    chips: int
    amount: int


@dataclass(frozen=True)
class CancellationSettlement:
    policy: CancelPolicy
    refunds: tuple[Refund, ...] = ()  # REFUND: everything paid, back (POANNUL)
    awards: tuple[Award, ...] = ()  # CHIP_SPLIT: players out in the money (POGAIN)
    shares: tuple[Share, ...] = ()  # CHIP_SPLIT: players still in (POGAIN)

    @property
    def total(self) -> int:
        return (sum(r.amount for r in self.refunds) + sum(a.amount for a in self.awards)
                + sum(s.amount for s in self.shares))


def split_by_chips(amount: int, stacks: Sequence[tuple[str, int]]) -> list[int]:
    """``amount`` cents in proportion to ``stacks`` (player, chips); exact to the cent."""
    total = sum(chips for _, chips in stacks)
    if total <= 0:
        raise TournamentError("chips to split by")
    parts = [amount * chips // total for _, chips in stacks]
    left = amount - sum(parts)
    biggest_first = sorted(range(len(stacks)), key=lambda i: -stacks[i][1])  # stable: caller's order on ties
    for i in biggest_first[:left]:
        parts[i] += 1
    return parts


def chip_split(prize_pool: int, amounts: Sequence[int], busted: Sequence[Finish],
               stacks: Sequence[tuple[str, int]]) -> CancellationSettlement:
    """``amounts``: the prize of each paid place; ``busted``: the places of the players out;
    ``stacks``: (player, chips) of the players still in."""
    paid_out = awards(amounts, busted)
    still_in = len(stacks)
    guaranteed = amounts[still_in - 1] if still_in <= len(amounts) else 0
    rest = prize_pool - sum(a.amount for a in paid_out) - guaranteed * still_in
    if rest < 0:
        raise TournamentError("the prizes already won exceed the prize pool")
    parts = split_by_chips(rest, stacks)
    shares = tuple(Share(player, chips, guaranteed + part) for (player, chips), part in zip(stacks, parts))
    return CancellationSettlement(CancelPolicy.CHIP_SPLIT, awards=tuple(paid_out), shares=shares)


def refund_all(refunds: Sequence[Refund]) -> CancellationSettlement:
    return CancellationSettlement(CancelPolicy.REFUND, refunds=tuple(refunds))

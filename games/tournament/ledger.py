"""Money in: buy-ins, rebuys and add-ons, what each player paid, and the prize pool.

Everything is integer cents. Each purchase splits into a ``price`` that goes to the prize
pool and a ``fee`` that is the operator's; the prize pool is the sum of the prices and
nothing is taken from it. What a purchase reports is what POINSCRIT (a buy-in) and POCAVE
(any purchase: amount paid, chips received) need.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from games.tournament.errors import TournamentError


class PurchaseKind(Enum):
    BUY_IN = "buy_in"
    REBUY = "rebuy"
    ADD_ON = "add_on"


@dataclass(frozen=True)
class Price:
    """What one purchase costs and gives."""

    price: int  # cents into the prize pool
    fee: int  # cents, the operator's
    chips: int

    def __post_init__(self) -> None:
        if self.price < 0 or self.fee < 0 or self.price + self.fee <= 0:
            raise TournamentError("a purchase costs something, in whole cents")
        if self.chips <= 0:
            raise TournamentError("a purchase gives chips")


@dataclass(frozen=True)
class Purchase:
    player: str
    kind: PurchaseKind
    price: int  # cents into the prize pool
    fee: int  # cents, the operator's
    chips: int

    @staticmethod
    def of(player: str, kind: PurchaseKind, price: Price) -> Purchase:
        return Purchase(player, kind, price.price, price.fee, price.chips)

    @property
    def paid(self) -> int:
        return self.price + self.fee


@dataclass(frozen=True)
class Refund:
    player: str
    amount: int  # cents given back
    fees: int  # the part of ``amount`` that was fees


class Ledger:
    def __init__(self, purchases: Iterable[Purchase] = ()) -> None:
        self._purchases: list[Purchase] = list(purchases)

    def add(self, purchase: Purchase) -> Purchase:
        self._purchases.append(purchase)
        return purchase

    def remove(self, purchase: Purchase) -> None:
        """Take back one purchase (its payment failed): the last one equal to it."""
        for index in range(len(self._purchases) - 1, -1, -1):
            if self._purchases[index] == purchase:
                del self._purchases[index]
                return
        raise TournamentError("no such purchase")

    def withdraw(self, player: str) -> Refund:
        """Take back everything ``player`` bought (unregistration): a full refund."""
        refund = self.refund_of(player)
        self._purchases = [p for p in self._purchases if p.player != player]
        return refund

    @property
    def purchases(self) -> tuple[Purchase, ...]:
        return tuple(self._purchases)

    @property
    def players(self) -> tuple[str, ...]:
        """Everyone who bought anything, in order of their first purchase."""
        return tuple(dict.fromkeys(p.player for p in self._purchases))

    @property
    def prize_pool(self) -> int:
        return sum(p.price for p in self._purchases)

    @property
    def fees(self) -> int:
        return sum(p.fee for p in self._purchases)

    def count(self, player: str, kind: PurchaseKind) -> int:
        return sum(1 for p in self._purchases if p.player == player and p.kind is kind)

    def refund_of(self, player: str) -> Refund:
        mine = [p for p in self._purchases if p.player == player]
        if not mine:
            raise TournamentError(f"{player} bought nothing")
        return Refund(player, sum(p.paid for p in mine), sum(p.fee for p in mine))

    def refunds(self) -> tuple[Refund, ...]:
        """Everything everyone paid, fees included, in order of first purchase."""
        return tuple(self.refund_of(player) for player in self.players)

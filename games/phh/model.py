"""Typed PHH histories: a hand's fields and its actions, as read from a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Union

from games.cards import Card


class PhhError(ValueError):
    """A text that is not a readable PHH history, or a hand PHH cannot express."""


def player_label(index: int) -> str:
    """``p1`` for the player of index 0."""
    return f"p{index + 1}"


Cards = tuple[Union[Card, None], ...]  # None: an unknown card, ``??``


@dataclass(frozen=True)
class DealHole:
    player: int  # index from 0: p1 is 0
    cards: Cards


@dataclass(frozen=True)
class DealBoard:
    cards: Cards


@dataclass(frozen=True)
class Fold:
    player: int


@dataclass(frozen=True)
class CheckCall:
    player: int


@dataclass(frozen=True)
class BetRaiseTo:
    player: int
    amount: int  # the round total, in 1/scale of the file's unit


@dataclass(frozen=True)
class ShowMuck:
    player: int
    cards: Cards | None  # None: mucked, unless ``dealt``
    dealt: bool = False  # ``sm -``: shows the cards dealt


@dataclass(frozen=True)
class StandPatDiscard:
    player: int
    cards: Cards


@dataclass(frozen=True)
class BringIn:
    player: int


Move = Union[DealHole, DealBoard, Fold, CheckCall, BetRaiseTo, ShowMuck, StandPatDiscard, BringIn]


@dataclass(frozen=True)
class PhhAction:
    index: int  # position in the file's ``actions`` array, from 1
    text: str
    move: Move
    commentary: str | None = None

    @property
    def where(self) -> str:
        return f'action {self.index} "{self.text.strip()}"'


@dataclass(frozen=True)
class PhhHand:
    """One hand of a PHH file; every amount is an integer of ``1 / scale`` of the file's unit."""

    number: int  # 1 for a .phh; a .phhs table's number ([3] is 3), else its position
    key: str  # the .phhs table name ("1" for a .phh)
    variant: str
    places: int  # decimal places of the file's amounts: scale = 10 ** places
    antes: tuple[int, ...]
    blinds_or_straddles: tuple[int, ...] | None
    min_bet: int | None
    small_bet: int | None
    big_bet: int | None
    bring_in: int | None
    starting_stacks: tuple[int | None, ...]  # None: unknown (``inf``)
    actions: tuple[PhhAction, ...]  # no-ops (empty, a commentary alone) left out
    ante_trimming_status: bool = False
    seats: tuple[int, ...] | None = None
    players: tuple[str, ...] | None = None
    hand_id: str | int | None = None  # the ``hand`` field
    finishing_stacks: tuple[int, ...] | None = None
    winnings: tuple[int, ...] | None = None
    currency: str | None = None
    other: Mapping[str, Any] = field(default_factory=dict)  # the optional fields not typed above

    @property
    def scale(self) -> int:
        return 10 ** self.places

    @property
    def player_count(self) -> int:
        return len(self.starting_stacks)

    def to_unit(self, chips: int) -> Decimal:
        return Decimal(chips).scaleb(-self.places)

    def format_chips(self, chips: int) -> str:
        """``12345`` at two places is ``"123.45"``: the file's unit, with the file's precision."""
        if self.places == 0:
            return str(chips)
        whole, part = divmod(chips, self.scale)
        return f"{whole}.{part:0{self.places}d}"

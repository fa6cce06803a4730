"""The dealer: decks shuffled by the operating system's CSPRNG, and what the audit sees.

Shuffling is Fisher-Yates whose indices are the mixed-radix digits of one number per deck,
drawn by rejection sampling over fresh bytes from ``secrets`` (the OS CSPRNG): every one
of the 52! orders is equally likely; no modulo bias, no seed, no sort by random keys.
numpy never touches it.

A :class:`Dealer` takes its decks from a :class:`DeckSource`. Production builds it with
no argument and gets :class:`CsprngDeckSource`; the only other sources live in the
tests, which inject known decks through this same interface. Every deck the dealer uses
is reported to an optional :class:`DealObserver` (which card sits at which position, per
deal), which is what the RNG audit (annex 4.3.2.c) reads; so is, when the hand is over, how
the deck was dealt (:class:`DealEnd`: the seats, the sample seat, the last street), which
is what the vault's POPARTIE records of the hand show of that deck.
"""

from __future__ import annotations

import math
import secrets
from typing import NamedTuple, Protocol, Sequence

from games.cards import DECK_SIZE, Card, CardError, check_distinct, full_deck


class DeckSource(Protocol):
    def deck(self) -> list[Card]:
        """The 52 cards in the order they will be dealt."""


BOARD_STREETS = {0: 0, 3: 1, 4: 2, 5: 3}  # board cards dealt -> last street (0 pre-flop .. 3 river)


class DealEnd(NamedTuple):
    """How a finished hand used its deck.

    ``seats``: players dealt in; hole cards go one at a time in the dealing order (left of
    the button first). ``sample_index``: the dealing index of the LOWEST seat number, the
    one hand per deal the audit samples (frontal.rng_audit.from_vault picks the lowest
    JSiege, which the vault's records show without the button). ``street``: the last street
    dealt, 0 pre-flop, 1 flop, 2 turn, 3 river."""

    seats: int
    sample_index: int
    street: int

    @classmethod
    def of(cls, dealing_order: Sequence[int], board_cards: int) -> "DealEnd":
        if not 2 <= len(dealing_order) <= 10 or board_cards not in BOARD_STREETS:
            raise ValueError(f"{len(dealing_order)} seats and {board_cards} board cards is not a hand")
        return cls(len(dealing_order), list(dealing_order).index(min(dealing_order)), BOARD_STREETS[board_cards])


class DealObserver(Protocol):
    def deck_dealt(self, deal_id: str, deck: tuple[Card, ...]) -> None:
        """``deck[i]`` is the card at position ``i`` of deal ``deal_id``."""

    def deal_closed(self, deal_id: str, end: DealEnd) -> None:
        """The hand of ``deal_id`` is over (a hand that never ends, e.g. cut by a restart, never
        calls this)."""


def fisher_yates(cards: list[Card]) -> list[Card]:
    """Shuffle in place with the OS CSPRNG and return the list (any length).

    One number per deck. For ``n`` cards, take the fewest whole bytes ``b`` with
    ``n! <= 256**b`` (52 cards: 29 bytes, 232 bits; 52! < 2**226) and the largest multiple of
    ``n!`` that fits, ``limit = m * n!`` (52 cards: ``m`` = 85). Draw ``r`` from
    ``secrets.token_bytes(b)``, uniform on ``0 .. 256**b - 1``, and draw again while
    ``r >= limit``: what is kept is uniform on ``0 .. limit - 1`` (rejection sampling, no
    modulo). Accepted with probability ``m * n! / 256**b`` (52 cards: 0.99336; 4 cards:
    0.9375; 6 cards: 0.99976), so a 52-card deck costs 29 / 0.99336 = 29.19 bytes of the
    CSPRNG on average, in one system call 99.3% of the time.

    :func:`permute_by_rank` then reads ``r`` in the mixed radix ``n, n-1, ..., 2`` (then
    ``m`` for what is left): that is a bijection between ``0 .. limit - 1`` and the tuples
    (``j[n-1]`` in ``0..n-1``, ..., ``j[1]`` in ``0..1``, ``q`` in ``0..m-1``), so a uniform ``r``
    makes the digits independent and each ``j[i]`` uniform on ``0..i``: exactly the indices of
    Fisher-Yates (swap position ``i`` with ``j[i]``, ``i`` from ``n-1`` down to 1), which maps
    the ``n!`` digit tuples one to one onto the ``n!`` orders. Each order therefore comes out
    with probability exactly ``m / limit = 1 / n!``; ``q`` is dropped.

    One draw and 51 ``divmod`` per deck instead of a bit pool worked index by index: 12x
    the plain ``secrets.randbelow`` loop, against 5x before (bench/rng.py).
    """
    n = len(cards)
    if n < 2:
        return cards
    limit, size, steps = _PLANS.get(n) or _plan(n)
    r = int.from_bytes(secrets.token_bytes(size), "big")
    while r >= limit:
        r = int.from_bytes(secrets.token_bytes(size), "big")
    return _swap_by_digits(cards, r, steps)


def permute_by_rank(cards: list[Card], rank: int) -> list[Card]:
    """Fisher-Yates in place with the indices read off ``rank`` (mixed radix ``n, ..., 2``).

    Every ``rank`` in ``0 .. n! - 1`` gives a different order of ``cards`` (and ``rank + n!``
    the same one as ``rank``). The decoding half of :func:`fisher_yates`, for the tests.
    """
    n = len(cards)
    if n < 2:
        return cards
    return _swap_by_digits(cards, rank, (_PLANS.get(n) or _plan(n))[2])


def _swap_by_digits(cards: list[Card], r: int, steps: tuple[tuple[int, int], ...]) -> list[Card]:
    for i, radix in steps:
        r, j = divmod(r, radix)
        cards[i], cards[j] = cards[j], cards[i]
    return cards


#: Per deck length n: (m * n!, bytes per draw, the Fisher-Yates steps (i, i + 1) for i = n-1 .. 1).
_PLANS: dict[int, tuple[int, int, tuple[tuple[int, int], ...]]] = {}


def _plan(n: int) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    orders = math.factorial(n)
    size = (orders.bit_length() + 7) // 8
    limit = (256**size // orders) * orders
    plan = _PLANS[n] = (limit, size, tuple((i, i + 1) for i in range(n - 1, 0, -1)))
    return plan


class CsprngDeckSource:
    def deck(self) -> list[Card]:
        return fisher_yates(full_deck())


class DeckExhausted(CardError):
    pass


class Deck:
    """One deal's deck: cards come off the top in order; what was dealt is known."""

    def __init__(self, deal_id: str, cards: Sequence[Card]) -> None:
        self.deal_id = deal_id
        self._cards = tuple(cards)
        self._next = 0

    @property
    def dealt(self) -> tuple[Card, ...]:
        return self._cards[: self._next]

    @property
    def remaining(self) -> int:
        return len(self._cards) - self._next

    def draw(self, count: int = 1) -> list[Card]:
        if count < 0 or count > self.remaining:
            raise DeckExhausted(f"deal {self.deal_id}: {count} cards asked, {self.remaining} left")
        cards = list(self._cards[self._next : self._next + count])
        self._next += count
        return cards

    def burn(self) -> Card:
        return self.draw(1)[0]


class Dealer:
    def __init__(self, source: DeckSource | None = None, observer: DealObserver | None = None) -> None:
        self._source: DeckSource = source if source is not None else CsprngDeckSource()
        self._observer = observer

    def new_deck(self, deal_id: str) -> Deck:
        cards = self._source.deck()
        if len(cards) != DECK_SIZE:
            raise CardError(f"a deck holds {DECK_SIZE} cards, the source gave {len(cards)}")
        check_distinct(cards)
        if self._observer is not None:
            self._observer.deck_dealt(deal_id, tuple(cards))
        return Deck(deal_id, cards)

    def close_deal(self, deal_id: str, dealing_order: Sequence[int], board_cards: int) -> None:
        """The hand dealt from ``deal_id`` is over: tell the observer how its deck was used."""
        if self._observer is not None:
            self._observer.deal_closed(deal_id, DealEnd.of(dealing_order, board_cards))

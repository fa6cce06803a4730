"""The dealer: decks shuffled by the operating system's CSPRNG, and what the audit sees.

Shuffling is Fisher-Yates with indices drawn by rejection sampling over fresh bits from
``secrets`` (the OS CSPRNG): every one of the 52! orders is equally likely; no modulo
bias, no seed, no sort by random keys. numpy never touches it.

A :class:`Dealer` takes its decks from a :class:`DeckSource`. Production builds it with
no argument and gets :class:`CsprngDeckSource`; the only other sources live in the
tests, which inject known decks through this same interface. Every deck the dealer uses
is reported to an optional :class:`DealObserver` (which card sits at which position, per
deal), which is what the RNG audit (annex 4.3.2.c) reads.
"""

from __future__ import annotations

import secrets
from typing import Protocol, Sequence

from games.cards import DECK_SIZE, Card, CardError, check_distinct, full_deck


class DeckSource(Protocol):
    def deck(self) -> list[Card]:
        """The 52 cards in the order they will be dealt."""


class DealObserver(Protocol):
    def deck_dealt(self, deal_id: str, deck: tuple[Card, ...]) -> None:
        """``deck[i]`` is the card at position ``i`` of deal ``deal_id``."""


def fisher_yates(cards: list[Card]) -> list[Card]:
    """Shuffle in place with the OS CSPRNG and return the list.

    Each swap index is uniform in ``0..i`` by rejection sampling: take the next
    ``i.bit_length()`` fresh bits, retry when they name a number above ``i``. The bits come
    from ``secrets.token_bytes``, 64 bytes at a time, and each is used once: one system call
    per deck or two instead of one per card (51), which made the deck a quarter of a hand's
    cost.
    """
    pool = 0
    bits = 0
    for i in range(len(cards) - 1, 0, -1):
        width = i.bit_length()
        while True:
            if bits < width:
                pool = (pool << 512) | int.from_bytes(secrets.token_bytes(64), "big")
                bits += 512
            bits -= width
            j = pool >> bits
            pool &= (1 << bits) - 1
            if j <= i:
                break
        cards[i], cards[j] = cards[j], cards[i]
    return cards


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

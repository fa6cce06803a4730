"""Playing cards: a compact integer form for the engine, the annex's notation for traces.

A card is an ``int`` in ``0..51``: ``rank_index * 4 + suit_index``, where ``rank_index``
0 is the deuce and 12 the ace, and ``suit_index`` follows ``SUITS``. Integers keep decks,
hands and evaluator tables cheap; the annex notation (``1Co`` ace of hearts, ``10Pi``,
``VTr`` jack of clubs, ``DCa`` queen of diamonds, ``RCo`` king of hearts) and the common
English notation (``Ah``, ``Ts``) are only for the edges.
"""

from __future__ import annotations

from typing import Iterable, Sequence

Card = int

DECK_SIZE = 52
RANK_COUNT = 13
SUIT_COUNT = 4

#: English rank letters by rank index (deuce first).
RANKS = "23456789TJQKA"
#: English suit letters by suit index: clubs, diamonds, hearts, spades.
SUITS = "cdhs"

#: Annex ranks by rank index: ``1`` is the ace, ``V`` valet, ``D`` dame, ``R`` roi.
ANNEX_RANKS = ("2", "3", "4", "5", "6", "7", "8", "9", "10", "V", "D", "R", "1")
#: Annex suits by suit index: trèfle, carreau, cœur, pique.
ANNEX_SUITS = ("Tr", "Ca", "Co", "Pi")

_ANNEX_RANK_INDEX = {r: i for i, r in enumerate(ANNEX_RANKS)}
_ANNEX_SUIT_INDEX = {s: i for i, s in enumerate(ANNEX_SUITS)}


class CardError(ValueError):
    """A card string or number that names no card."""


def make_card(rank_index: int, suit_index: int) -> Card:
    if not (0 <= rank_index < RANK_COUNT and 0 <= suit_index < SUIT_COUNT):
        raise CardError(f"no card with rank index {rank_index} and suit index {suit_index}")
    return rank_index * SUIT_COUNT + suit_index


def rank_of(card: Card) -> int:
    return card >> 2


def suit_of(card: Card) -> int:
    return card & 3


def check_card(card: object) -> Card:
    if not isinstance(card, int) or isinstance(card, bool) or not 0 <= card < DECK_SIZE:
        raise CardError(f"not a card: {card!r}")
    return card


def to_annex(card: Card) -> str:
    check_card(card)
    return ANNEX_RANKS[rank_of(card)] + ANNEX_SUITS[suit_of(card)]


def from_annex(text: str) -> Card:
    rank, suit = text[:-2], text[-2:]
    try:
        return make_card(_ANNEX_RANK_INDEX[rank], _ANNEX_SUIT_INDEX[suit])
    except KeyError:
        raise CardError(f"not a card in the annex notation: {text!r}") from None


def to_str(card: Card) -> str:
    check_card(card)
    return RANKS[rank_of(card)] + SUITS[suit_of(card)]


def from_str(text: str) -> Card:
    if len(text) != 2 or text[0] not in RANKS or text[1] not in SUITS:
        raise CardError(f"not a card in the English notation: {text!r}")
    return make_card(RANKS.index(text[0]), SUITS.index(text[1]))


def parse_cards(text: str) -> list[Card]:
    """``"AhKd"`` or ``"Ah Kd"`` to cards."""
    compact = "".join(text.split())
    if len(compact) % 2:
        raise CardError(f"not a sequence of cards: {text!r}")
    return [from_str(compact[i : i + 2]) for i in range(0, len(compact), 2)]


def format_cards(cards: Iterable[Card]) -> str:
    return "".join(to_str(c) for c in cards)


def full_deck() -> list[Card]:
    """The 52 cards in a fixed, documented order (card value order)."""
    return list(range(DECK_SIZE))


_VALID = frozenset(range(DECK_SIZE))
_INT = frozenset({int})  # exactly int: bool is an int subclass, and no card


def check_distinct(cards: Sequence[Card]) -> None:
    # Every deal checks its deck: a few set operations, not a call per card.
    try:
        distinct = set(cards)
    except TypeError:  # an unhashable item: not a card, named below
        distinct = set()
    if distinct <= _VALID and set(map(type, cards)) <= _INT and len(distinct) == len(cards):
        return
    for c in cards:
        check_card(c)  # raises, naming the first card that is not one
    if len(distinct) != len(cards):
        raise CardError(f"duplicate cards: {format_cards(cards)}")

"""Decks for tests, injected through the dealer's own DeckSource interface."""

from __future__ import annotations

from typing import Mapping, Sequence

from games.cards import Card, from_annex, full_deck
from games.dealer import Dealer, Deck


class FixedDeck:
    def __init__(self, cards: Sequence[Card]) -> None:
        self.cards = list(cards)

    def deck(self) -> list[Card]:
        return list(self.cards)


def deck_with(known: Mapping[int, str], deal_id: str = "test") -> Deck:
    """A deck with the annex-named cards at the given positions, the others in card order."""
    placed = {position: from_annex(name) for position, name in known.items()}
    rest = [card for card in full_deck() if card not in placed.values()]
    cards = [placed[i] if i in placed else rest.pop(0) for i in range(52)]
    return Dealer(FixedDeck(cards)).new_deck(deal_id)


def hold_em_positions(dealing_order: Sequence[int], hole: Mapping[int, Sequence[str]], board: Sequence[str],
                      hole_cards: int = 2) -> dict[int, str]:
    """Deck positions for hole cards dealt one at a time in ``dealing_order``, then burn-and-deal the board."""
    known: dict[int, str] = {}
    for round_ in range(hole_cards):
        for index, seat in enumerate(dealing_order):
            if seat in hole:
                known[round_ * len(dealing_order) + index] = hole[seat][round_]
    position = hole_cards * len(dealing_order)
    for street, count in ((0, 3), (1, 1), (2, 1)):
        position += 1  # burn
        for card in board[sum((3, 1, 1)[:street]):][:count]:
            known[position] = card
            position += 1
    return known

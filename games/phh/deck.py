"""The cards a history deals and shows, and the deck in which the engine deals them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from games.cards import Card, full_deck, to_str
from games.phh.model import Cards, DealBoard, DealHole, PhhAction, PhhHand, ShowMuck, player_label
from games.phh.outcome import Outcome, _Stop

BOARD_SIZE = 5


@dataclass
class _Cards:
    hole: list[list[Card | None]]  # by player index, in the order dealt
    board: list[Card | None]  # as dealt in the history (fewer than five: the rest unknown)
    mucked: set[int]  # players whose last showdown word is a muck
    stand_ins: dict[int, list[Card]] = field(default_factory=dict)  # muckers' unknown cards, weakest


class HistoryDeck:
    """The deck a history implies, injected through the dealer's DeckSource interface."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self.cards = list(cards)

    def deck(self) -> list[Card]:
        return list(self.cards)


def _collect_cards(phh: PhhHand, hole_count: int) -> _Cards:
    count = phh.player_count
    dealt: list[list[Card | None]] = [[] for _ in range(count)]
    board: list[Card | None] = []
    mucked: set[int] = set()
    shows: list[tuple[PhhAction, ShowMuck]] = []
    for action in phh.actions:
        move = action.move
        if isinstance(move, DealHole):
            dealt[move.player].extend(move.cards)
        elif isinstance(move, DealBoard):
            board.extend(move.cards)
        elif isinstance(move, ShowMuck):
            if move.cards is None and not move.dealt:
                mucked.add(move.player)
            else:
                mucked.discard(move.player)
                if move.cards is not None:
                    shows.append((action, move))
    for player, cards in enumerate(dealt):
        if not cards:
            cards.extend([None] * hole_count)  # never dealt in the history: unknown
        elif len(cards) != hole_count:
            raise _Stop(Outcome.INVALID, f"{player_label(player)} is dealt {len(cards)} hole cards; "
                                         f"{phh.variant} deals {hole_count}")
    if len(board) > BOARD_SIZE:
        raise _Stop(Outcome.INVALID, f"{len(board)} board cards dealt; the board has {BOARD_SIZE}")
    for action, move in shows:
        _merge_shown(dealt[move.player], move.cards or (), action)
    known = [c for cards in (*dealt, board) for c in cards if c is not None]
    repeated = sorted({to_str(c) for c in known if known.count(c) > 1})
    if repeated:
        raise _Stop(Outcome.INVALID, f"card(s) dealt twice: {', '.join(repeated)}")
    return _Cards(dealt, board, mucked)


def _merge_shown(hole: list[Card | None], shown: Cards, action: PhhAction) -> None:
    """Cards shown at showdown fill the hole cards the deal left unknown."""
    if len(shown) != len(hole):
        raise _Stop(Outcome.INVALID, f"{action.where}: {len(shown)} cards shown, {len(hole)} dealt")
    extra = [c for c in shown if c is not None and c not in hole]
    free = [k for k, c in enumerate(hole) if c is None]
    if len(extra) > len(free):
        raise _Stop(Outcome.INVALID, f"{action.where}: shows cards the player was not dealt")
    for k, card in zip(free, extra):
        hole[k] = card


def _deck(cards: _Cards, count: int, hole_count: int) -> list[Card]:
    """The 52 cards in the order the engine deals them: hole cards one at a time from p1 (the
    first seat left of the button), then a burn before each street; unknown cards are
    replaced by the muckers' stand-ins, then by cards seen nowhere in the hand, lowest first."""
    slots: list[Card | None] = [None] * 52
    for round_ in range(hole_count):
        for player in range(count):
            hole = cards.stand_ins.get(player, cards.hole[player])
            slots[round_ * count + player] = hole[round_]
    start = count * hole_count
    board_slots = (start + 1, start + 2, start + 3, start + 5, start + 7)  # burns at start, +4, +6
    for slot, card in zip(board_slots, cards.board):
        slots[slot] = card
    known = {c for c in slots if c is not None}
    spare = iter(c for c in full_deck() if c not in known)
    return [card if card is not None else next(spare) for card in slots]

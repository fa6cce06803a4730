"""Stand-in cards for the unknown cards a player mucks: the weakest cards left."""

from __future__ import annotations

from itertools import combinations
from typing import Mapping

from games.cards import Card, full_deck
from games.evaluator import evaluate
from games.hand import Variant
from games.phh.deck import BOARD_SIZE, _Cards


def _choose_stand_ins(cards: _Cards, variant: Variant) -> None:
    """A player who mucks unknown cards forfeits; the engine cannot make them, so they are
    dealt the weakest cards left, which win nothing in most hands. Whether they did is
    checked after the showdown: if not, the result is undetermined."""
    board = cards.board
    if len(board) < BOARD_SIZE or None in board:
        return  # the showdown is undetermined anyway
    taken = {c for hole in cards.hole for c in hole if c is not None} | {c for c in board if c is not None}
    for player in sorted(cards.mucked):
        hole = cards.hole[player]
        if None not in hole:
            continue
        spare = [c for c in full_deck() if c not in taken]
        chosen = _weakest(hole, [c for c in board if c is not None], spare, variant)
        cards.stand_ins[player] = chosen
        taken.update(chosen)


def _weakest(hole: list[Card | None], board: list[Card], spare: list[Card], variant: Variant) -> list[Card]:
    """The completion of ``hole`` from ``spare`` with the lowest value on ``board``: never
    stronger than the cards the player really held, so a hand that lost still loses."""
    if variant is Variant.OMAHA:
        return _weakest_omaha(hole, board, spare)
    known = [c for c in hole if c is not None]
    best = min(combinations(spare, len(hole) - len(known)), key=lambda combo: evaluate([*known, *combo, *board]))
    filled = iter(best)
    return [c if c is not None else next(filled) for c in hole]


def _weakest_omaha(hole: list[Card | None], board: list[Card], spare: list[Card]) -> list[Card]:
    # An Omaha hand is worth its best pair of hole cards with three of the board, so the
    # weakest completion is found on pairs: add pairs cheapest first until the missing cards
    # can all be taken pairwise from what was added (tens of thousands of hands otherwise).
    known = [c for c in hole if c is not None]
    missing = len(hole) - len(known)
    triples = list(combinations(board, 3))

    def pair_value(a: Card, b: Card) -> int:
        return max(evaluate([a, b, *triple]) for triple in triples)

    floor = max((pair_value(a, b) for a, b in combinations(known, 2)), default=-1)
    cost = {c: max([floor, *(pair_value(c, k) for k in known)]) for c in spare}
    chosen: list[Card]
    if missing == 1:
        chosen = [min(spare, key=lambda c: cost[c])]
    else:
        edges = sorted((max(pair_value(a, b), cost[a], cost[b]), a, b) for a, b in combinations(spare, 2))
        linked: dict[Card, set[Card]] = {c: set() for c in spare}
        chosen = []
        for _, a, b in edges:
            linked[a].add(b)
            linked[b].add(a)
            found = _clique_with(a, b, missing, linked)
            if found:
                chosen = found
                break
    extra = iter(chosen)
    return [c if c is not None else next(extra) for c in hole]


def _clique_with(a: Card, b: Card, size: int, linked: Mapping[Card, set[Card]]) -> list[Card] | None:
    """``size`` cards (2 to 4) including a and b, every two of them linked."""
    group = [a, b]
    common = linked[a] & linked[b]
    if size == 2:
        return group
    for c in sorted(common):
        if size == 3:
            return [*group, c]
        fourth = sorted(common & linked[c])
        if fourth:
            return [*group, c, fourth[0]]
    return None

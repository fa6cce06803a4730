"""A hand as one seat saw it: what becomes that player's POPARTIE (annex 1.3.5.g).

Built from ``Hand.log`` only, so a view never holds more than the table showed that
seat: its own hole cards, the board, every decision, and other players' cards only when
they were shown down. Amounts are chips, as the annex counts them:

- a decision's amount is the seat's total for the round after it (``JMontant``: "if a
  player bets 100 and is raised to 250, a call is a call to 250");
- a round's total is every chip put in during it, forced bets included (``TotalMise``;
  the annex's example 1.4.2.g.1 counts an all-in in full, its uncalled part too);
- a player's result is what they put in over the hand (``TotalMise``) and either what
  they collected, own chips included (``Gain``), or, when they collected nothing, what
  they put in (``Perte``), as SPEC-NOTES settles it.

Results list the viewer first, then the other seats clockwise that put chips in (the
example leaves out a player who folded without a chip in the pot). Each entry carries
the index in ``Hand.log`` of the event it comes from, so the table can date it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import combinations

from games.betting import Action
from games.cards import Card
from games.evaluator import best_five, best_omaha_five, evaluate
from games.hand import Acted, BoardDealt, Hand, HoleDealt, Mucked, Posted, PostKind, Settled, Shown, Variant


class Move(Enum):
    CHECK = "check"
    CALL = "call"
    BET = "bet"  # first chips of a post-flop round
    RAISE = "raise"
    ALL_IN = "all_in"
    FOLD = "fold"


@dataclass(frozen=True)
class PlayerLine:
    seat: int
    stack: int  # at the start of the hand (JCave)
    small_blind: int | None = None
    big_blind: int | None = None  # the big blind, a straddle or a live post
    ante: int | None = None  # an ante, the big-blind ante, or a dead small blind's chips


@dataclass(frozen=True)
class ViewDecision:
    order: int  # from 1 within the round (MiseOrdre)
    seat: int
    move: Move
    amount: int | None  # the seat's total for the round; None for a check or a fold
    event: int  # index in Hand.log
    timed_out: bool = False


@dataclass(frozen=True)
class ViewRound:
    street: int  # 0 pre-flop ... 3 river
    cards: tuple[Card, ...]  # the viewer's hole cards pre-flop, the cards dealt after
    decisions: tuple[ViewDecision, ...]
    total: int
    event: int  # index in Hand.log of the round's start


@dataclass(frozen=True)
class ViewResult:
    seat: int
    total_bet: int
    won: int | None  # exactly one of won and lost is set
    lost: int | None
    cards: tuple[Card, ...] = ()
    best_five: tuple[Card, ...] = ()


@dataclass(frozen=True)
class SeatView:
    viewer: int
    players: tuple[PlayerLine, ...]  # from the small blind (or the first seat after the button) clockwise
    rounds: tuple[ViewRound, ...]
    results: tuple[ViewResult, ...]
    finished: bool
    end_event: int  # index in Hand.log of the last event seen


def _move(event: Acted) -> Move:
    decision = event.decision
    if decision.action is Action.FOLD:
        return Move.FOLD
    if decision.action is Action.CHECK:
        return Move.CHECK
    if decision.all_in:
        return Move.ALL_IN
    if decision.action is Action.CALL:
        return Move.CALL
    return Move.BET if event.bet_before == 0 else Move.RAISE


def _players(hand: Hand) -> tuple[PlayerLine, ...]:
    posted: dict[int, dict[str, int]] = {seat: {} for seat in hand.order}
    field_of = {PostKind.SMALL_BLIND: "small_blind", PostKind.BIG_BLIND: "big_blind",
                PostKind.STRADDLE: "big_blind", PostKind.LIVE: "big_blind", PostKind.ANTE: "ante",
                PostKind.BIG_BLIND_ANTE: "ante", PostKind.DEAD: "ante"}
    for event in hand.log:
        if isinstance(event, Posted):
            name = field_of[event.kind]
            posted[event.seat][name] = posted[event.seat].get(name, 0) + event.amount
    start = hand.small_blind_seat if hand.small_blind_seat is not None else hand.order[
        (hand.order.index(hand.button) + 1) % len(hand.order)]
    index = hand.order.index(start)
    ring = hand.order[index:] + hand.order[:index]
    return tuple(PlayerLine(seat, hand.starting_stacks[seat], **posted[seat]) for seat in ring)


def _best(hand: Hand, hole: tuple[Card, ...], board: list[Card]) -> tuple[Card, ...]:
    if len(board) < 3:
        return ()
    if hand.rules.variant is Variant.OMAHA:
        if len(board) == 5:
            return best_omaha_five(hole, board)[1]
        # A hand that ended before the river: two hole cards with three of the board so far.
        candidates = (tuple(sorted((*two, *three), reverse=True))
                      for two in combinations(hole, 2) for three in combinations(board, 3))
        return max(candidates, key=evaluate)
    return best_five([*hole, *board])[1]


def seat_view(hand: Hand, viewer: int) -> SeatView:
    """What ``viewer`` saw of ``hand`` so far (the whole hand once it is over)."""
    if viewer not in hand.order:
        raise ValueError(f"seat {viewer} was not dealt in")
    rounds: list[dict] = []
    put_in = {seat: 0 for seat in hand.order}
    shown: dict[int, Shown] = {}
    board: list[Card] = []
    collected: dict[int, int] | None = None
    for index, event in enumerate(hand.log):
        if isinstance(event, Posted):
            if not rounds:
                rounds.append({"street": 0, "cards": (), "decisions": [], "total": 0, "event": index})
            rounds[0]["total"] += event.amount
            put_in[event.seat] += event.amount
        elif isinstance(event, HoleDealt):
            if not rounds:
                rounds.append({"street": 0, "cards": (), "decisions": [], "total": 0, "event": index})
            if event.seat == viewer:
                rounds[0]["cards"] = event.cards
        elif isinstance(event, BoardDealt):
            board.extend(event.cards)
            rounds.append({"street": event.street, "cards": event.cards, "decisions": [], "total": 0,
                           "event": index})
        elif isinstance(event, Acted):
            decision = event.decision
            move = _move(event)
            amount = None if move in (Move.CHECK, Move.FOLD) else decision.bet_to
            rounds[-1]["decisions"].append(
                ViewDecision(event.order, decision.seat, move, amount, index, event.timed_out))
            rounds[-1]["total"] += decision.added
            put_in[decision.seat] += decision.added
        elif isinstance(event, Shown):
            shown[event.seat] = event
        elif isinstance(event, Settled):
            collected = event.result.collected
        elif not isinstance(event, Mucked):
            raise TypeError(f"unknown hand event {event!r}")
    finished = collected is not None
    ring_start = hand.order.index(viewer)
    ring = hand.order[ring_start:] + hand.order[:ring_start]
    results = []
    for seat in ring:
        if seat != viewer and (put_in[seat] == 0 or not finished):
            continue
        won = (collected or {}).get(seat, 0)
        cards: tuple[Card, ...] = ()
        five: tuple[Card, ...] = ()
        if seat in shown:
            cards, five = shown[seat].cards, shown[seat].best_five
        elif seat == viewer and seat not in hand.folded:
            cards = tuple(hand.hole[seat])
            five = _best(hand, cards, board)
        results.append(ViewResult(seat, put_in[seat], won or None, None if won else put_in[seat], cards, five))
    return SeatView(viewer, _players(hand), tuple(
        ViewRound(r["street"], r["cards"], tuple(r["decisions"]), r["total"], r["event"]) for r in rounds),
        tuple(results), finished, len(hand.log) - 1)

"""Replaying a history through the engine: its decisions on the engine's hand, then the result."""

from __future__ import annotations

import re
from typing import Mapping

from games.betting import Action, IllegalAction
from games.dealer import Dealer
from games.hand import Hand, HandError
from games.phh.deck import BOARD_SIZE, HistoryDeck, _Cards, _collect_cards, _deck
from games.phh.model import (BetRaiseTo, BringIn, CheckCall, DealBoard, DealHole, Fold, Move, PhhHand, ShowMuck,
                             StandPatDiscard, player_label)
from games.phh.outcome import Outcome, Replay, _Stop
from games.phh.stand_ins import _choose_stand_ins
from games.phh.table import _Table, _table


def replay(phh: PhhHand) -> Replay:
    """Play the history's decisions on the engine, with its cards where the engine deals them.

    The result is the final stacks, or why there are none: the first action the engine
    refused and its reason, a history at odds with itself, a game the engine does not deal,
    or a showdown decided by cards the history does not show. Unknown ``??`` cards are
    replaced by cards seen nowhere in the hand only so that the engine can deal: a player
    who mucks them is dealt the weakest cards left and forfeits if those win nothing either;
    any other result that depends on them is never given.
    """
    hand: Hand | None = None
    try:
        table = _table(phh)
        cards = _collect_cards(phh, table.rules.variant.hole_cards)
        _choose_stand_ins(cards, table.rules.variant)
        deck = Dealer(HistoryDeck(_deck(cards, phh.player_count, table.rules.variant.hole_cards))).new_deck(
            f"phh-{phh.key}")
        try:
            hand = Hand(table.rules, table.seats, table.button, deck, table.blinds)
        except HandError as exc:
            raise _Stop(Outcome.REFUSED, f"the engine refuses the table: {_explain(str(exc), table, phh, False)}")
        _walk(phh, table, hand)
        return _outcome(phh, table, hand, cards)
    except _Stop as stop:
        return Replay(phh, stop.outcome, stop.message, hand=hand)


_SEAT_OR_AMOUNT = re.compile(r"seat (\d+)|(\d+)")


def _explain(reason: str, table: _Table, phh: PhhHand, amounts: bool) -> str:
    """The engine's reason in the file's terms: p-labels for seats, amounts in its unit."""

    def swap(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            seat = int(match.group(1))
            return table.label(seat) if seat in table.seat_of else match.group(0)
        return phh.format_chips(int(match.group(2))) if amounts else match.group(0)

    return _SEAT_OR_AMOUNT.sub(swap, reason)


def _walk(phh: PhhHand, table: _Table, hand: Hand) -> None:
    board_dealt = 0
    for action in phh.actions:
        move = action.move
        if isinstance(move, (DealHole, ShowMuck)):
            continue  # their cards are in the deck already; showing is the engine's business
        if isinstance(move, DealBoard):
            board_dealt += len(move.cards)
            if board_dealt > len(hand.board):
                raise _Stop(Outcome.INVALID, f"{action.where}: the engine has not dealt that street: "
                                             f"{_waiting(hand, table)}")
            continue
        if isinstance(move, (StandPatDiscard, BringIn)):
            raise _Stop(Outcome.INVALID, f"{action.where}: not an action of Hold'em or Omaha")
        seat = table.seat_of[move.player]
        if _needless_check(hand, move, seat):
            continue
        if hand.result is not None:
            raise _Stop(Outcome.REFUSED, f"{action.where} refused: the hand is over")
        if board_dealt != len(hand.board):
            raise _Stop(Outcome.INVALID, f"{action.where}: the history has dealt {board_dealt} board cards, "
                                         f"the engine {len(hand.board)}")
        try:
            _act(hand, move, seat)
        except IllegalAction as exc:
            raise _Stop(Outcome.REFUSED, f"{action.where} refused: {_explain(str(exc), table, phh, True)}")
        except HandError as exc:
            raise _Stop(Outcome.REFUSED, f"{action.where} refused: {_explain(str(exc), table, phh, False)}")
    if hand.result is None:
        raise _Stop(Outcome.INVALID, f"the history stops before the end of the hand: {_waiting(hand, table)}")


def _waiting(hand: Hand, table: _Table) -> str:
    if hand.result is not None:
        return "the hand is over"
    return f"{table.label(hand.turn)} is to act" if hand.turn is not None else "nobody is to act"


def _needless_check(hand: Hand, move: Move, seat: int) -> bool:
    """PokerKit asks the last player with chips for a check when everyone else still in is
    all-in; the engine deals the rest at once. That check changes nothing: pass it."""
    if not isinstance(move, CheckCall) or hand.result is None or not hand.result.showdown:
        return False
    others = [s for s in hand.order if s != seat and s not in hand.folded]
    return seat not in hand.folded and hand.stacks[seat] > 0 and all(hand.stacks[s] == 0 for s in others)


def _act(hand: Hand, move: Move, seat: int) -> None:
    if isinstance(move, Fold):
        hand.act(seat, Action.FOLD)
    elif isinstance(move, CheckCall):
        can_check = hand.turn == seat and hand.betting.legal().can_check
        hand.act(seat, Action.CHECK if can_check else Action.CALL)
    elif isinstance(move, BetRaiseTo):
        hand.act(seat, Action.RAISE, move.amount)


def _outcome(phh: PhhHand, table: _Table, hand: Hand, cards: _Cards) -> Replay:
    result = hand.result
    assert result is not None
    if result.showdown:
        live = [i for i, seat in enumerate(table.seat_of) if seat not in hand.folded]
        won = result.settlement.winnings
        unknown = _unknown_at_showdown(live, table, cards, won)
        if unknown:
            raise _Stop(Outcome.UNDETERMINED, unknown)
        for i in live:
            seat = table.seat_of[i]
            if i in cards.mucked and won.get(seat, 0) > 0:
                raise _Stop(Outcome.INVALID, f"{player_label(i)} mucks at the showdown a hand that wins "
                                             f"{phh.format_chips(won[seat])}: the engine pays the best hand")
    final = tuple(result.final_stacks[seat] for seat in table.seat_of)
    return Replay(phh, Outcome.OK, final_stacks=final, hand=hand)


def _unknown_at_showdown(live: list[int], table: _Table, cards: _Cards, won: Mapping[int, int]) -> str | None:
    # A player who mucks forfeits: if the stand-in cards win them nothing either, the others
    # share the pots exactly as after a forfeit, whatever the real cards were.
    blind = [i for i in live if None in cards.hole[i]
             and not (i in cards.mucked and won.get(table.seat_of[i], 0) == 0)]
    reasons = []
    if blind:
        names = " and ".join(", ".join(map(player_label, blind)).rsplit(", ", 1))
        reasons.append(f"{names} {'reaches' if len(blind) == 1 else 'reach'} the showdown with unknown hole cards")
    if len(cards.board) < BOARD_SIZE or None in cards.board:
        reasons.append("the board is not fully known at the showdown")
    if not reasons:
        return None
    return "; ".join(reasons) + ": the result depends on cards the history does not show"

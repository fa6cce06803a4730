"""From a seat's view of a hand (games.hand_views) to the POPARTIE builder's input.

The engine counts in chips and has no clock; the table knows who sits where, the
identifiers of the registration, hand and table, when each logged event happened, and
what a chip is worth (one euro-cent at a cash table, one tournament chip otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from frontal.builders import po
from games.betting import Structure
from games.hand import Rules, Variant
from games.hand_views import Move, SeatView, ViewRound
from server.wallet.money import euros

DECISIONS = {
    Move.CHECK: po.Decision.PAROLE,
    Move.CALL: po.Decision.SUIVRE,
    Move.BET: po.Decision.MISE,
    Move.RAISE: po.Decision.RELANCE,
    Move.ALL_IN: po.Decision.TAPIS,
    Move.FOLD: po.Decision.SECOUCHE,
}

# The annex names THPL, THNL, THL and OHPL only; Omaha no-limit and limit follow its
# pattern (schemas/POCommon.xsd documents the extension).
_TYP_POKER = {
    (Variant.HOLDEM, Structure.NO_LIMIT): "THNL",
    (Variant.HOLDEM, Structure.POT_LIMIT): "THPL",
    (Variant.HOLDEM, Structure.FIXED_LIMIT): "THL",
    (Variant.OMAHA, Structure.POT_LIMIT): "OHPL",
    (Variant.OMAHA, Structure.NO_LIMIT): "OHNL",
    (Variant.OMAHA, Structure.FIXED_LIMIT): "OHL",
}

Amount = Callable[[int], Decimal | int]


def chips(value: int) -> int:
    return value


cents = euros  # a cash table's amounts: cents written as euros


def typ_poker(rules: Rules) -> str:
    return _TYP_POKER[(rules.variant, rules.structure)]


def structure_text(rules: Rules, amount: Amount = chips) -> str:
    """StructurePartie, a free field: "5-10" as the annex shows, with the ante when there is one."""
    text = f"{amount(rules.small_blind)}-{amount(rules.big_blind)}"
    if rules.ante:
        text += f" {'ante BB' if rules.big_blind_ante else 'ante'} {amount(rules.ante)}"
    return text


@dataclass(frozen=True)
class Player:
    id_joueur: str
    id_oper: str | None = None


@dataclass(frozen=True)
class HandContext:
    tech: str  # the viewer's registration (POINSCRIT's Tech)
    id_partie: str
    id_table: str
    rules: Rules
    players: Mapping[int, Player]  # by seat
    times: Sequence[datetime]  # when each event of Hand.log happened
    amount: Amount = chips


def _round(betting: ViewRound, view: SeatView, context: HandContext) -> po.Round:
    actions = tuple(
        po.Action(d.order, d.seat, DECISIONS[d.move], None if d.amount is None else context.amount(d.amount),
                  at=context.times[d.event] if d.seat == view.viewer else None)
        for d in betting.decisions)
    return po.Round(context.times[betting.event], betting.cards, actions, context.amount(betting.total))


def popartie(view: SeatView, context: HandContext) -> po.HandView:
    amount = context.amount

    def optional(value: int | None) -> Decimal | int | None:
        return None if value is None else amount(value)

    seats = tuple(
        po.Seat(context.players[line.seat].id_joueur, line.seat, amount(line.stack),
                id_oper=context.players[line.seat].id_oper, small_blind=optional(line.small_blind),
                big_blind=optional(line.big_blind), ante=optional(line.ante))
        for line in view.players)
    rounds = {r.street: _round(r, view, context) for r in view.rounds}
    results = tuple(
        po.HandResult(r.seat, amount(r.total_bet), won=optional(r.won), lost=optional(r.lost), shown=r.cards,
                      best_five=r.best_five)
        for r in view.results)
    return po.HandView(
        tech=context.tech, id_partie=context.id_partie, id_table=context.id_table,
        typ_poker=typ_poker(context.rules), structure=structure_text(context.rules, amount), seats=seats,
        preflop=rounds[0], flop=rounds.get(1), turn=rounds.get(2), river=rounds.get(3),
        ended_at=context.times[view.end_event], results=results)

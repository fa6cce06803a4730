"""Rebuys and add-ons: the player's requests, each a POCAVE around its money (annex 1.3.5.c).

There is no new registration: the purchase belongs to the entry's ``Tech``, and POCAVE
carries the chips (``UniteJeton`` ``Jeton``) with the solde's move (price plus fee; the
price joins the prize pool in the tournament's escrow, the fee is the operator's at once).
The tournament gives the chips first and the player's table deals nothing while the
money moves; a payment that fails (funds, a cancellation meanwhile) undoes the chips.

A player busted during the rebuy period keeps their seat and is offered a rebuy
(``rebuy_offered``, with a deadline); ``tournament_decline_rebuy`` or the deadline puts
them out.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from lxml import etree

from frontal.builders import po
from frontal.builders.pasp import BalanceMove
from games.tournament.errors import TournamentError
from games.tournament.ledger import PurchaseKind
from server.cardroom import tournament_money as money
from server.cardroom.buy_in import euros
from server.cardroom.tournament_play import PurchaseUnderWay, RunningTournament
from server.protocol.errors import ProtocolError

if TYPE_CHECKING:
    from server.cardroom.tournaments import Handler, TournamentRoom

NAMES = {PurchaseKind.REBUY: "rebuy", PurchaseKind.ADD_ON: "add-on"}


class PurchaseDesk:
    def __init__(self, room: TournamentRoom) -> None:
        self.room = room

    def handlers(self) -> dict[str, Handler]:
        return {"tournament_rebuy": self.rebuy, "tournament_add_on": self.add_on,
                "tournament_decline_rebuy": self.decline_rebuy}

    def _entered(self, message: dict[str, Any], player_id: str) -> RunningTournament:
        running = self.room.running.get(message["tournament_id"])
        if running is None:
            raise ProtocolError("unknown_tournament", f"no running tournament {message['tournament_id']!r}")
        if not running.techs.get(player_id):
            raise ProtocolError("not_registered", "you are not playing in this tournament")
        return running

    async def rebuy(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        return await self._buy(connection, message, PurchaseKind.REBUY)

    async def add_on(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        return await self._buy(connection, message, PurchaseKind.ADD_ON)

    async def decline_rebuy(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        player_id = self.room._session(connection).player.id
        running = self._entered(message, player_id)
        try:
            running.decline_rebuy(player_id)
        except PurchaseUnderWay as exc:
            raise ProtocolError("retry", str(exc)) from None
        except TournamentError as exc:
            raise ProtocolError("purchase_refused", str(exc)) from None
        return {"tournament_id": running.id}

    async def _buy(self, connection: Any, message: dict[str, Any], kind: PurchaseKind) -> dict[str, Any]:
        room = self.room
        session = room._session(connection)
        identity = await room.eligible(session)
        player_id = session.player.id
        running = self._entered(message, player_id)
        rules = running.core.rules
        rule = rules.rebuy if kind is PurchaseKind.REBUY else rules.add_on
        if rule is None:
            raise ProtocolError("purchase_refused", f"no {NAMES[kind]} in this tournament")
        cost = rule.cost.price + rule.cost.fee
        before = await room._solde(player_id)
        if before < cost:
            raise ProtocolError("insufficient_funds", f"the solde holds {before} cents, the {NAMES[kind]} costs {cost}")
        if room.check_stake is not None:
            await room.check_stake(session, identity, cost)
        # Checked again after the awaits: the reactor runs one thing at a time from here.
        if running is not room.running.get(running.id):
            raise ProtocolError("purchase_refused", "the tournament is over")
        if player_id in running.buying:
            raise ProtocolError("retry", "a purchase of yours is under way")
        tech = running.techs[player_id]
        try:
            purchase, snapshot = running.start_purchase(player_id, kind)
        except TournamentError as exc:
            raise ProtocolError("purchase_refused", str(exc)) from None

        def cave(at: datetime) -> etree._Element:
            return po.build_pocave(room._header(session, identity, at), po.BuyIn(
                tech, purchase.chips, "Jeton", solde=BalanceMove(euros(before), euros(cost), euros(before - cost))))

        async def pay() -> money.Moved:
            return await room.db.transaction(lambda c: money.pay_purchase(
                c, running.id, tech, player_id, purchase.price, purchase.fee, before))

        try:
            await room._traced(session, cave, pay)
        except BaseException:
            running.end_purchase(purchase, snapshot, paid=False)
            raise
        stack = running.end_purchase(purchase, snapshot, paid=True)
        return {"tournament_id": running.id, "kind": kind.value, "chips": purchase.chips, "stack": stack,
                "paid_cents": cost}

"""Tournaments on the server: operator routes, player messages, registration money and traces.

- The operator creates a sit-and-go (starts when full) or a scheduled tournament (starts at
  its time with enough players, else cancelled and refunded), lists them, cancels one.
- ``tournament_register`` is the player's request: buy-in plus fee go from the solde to the
  tournament's escrow, around which the sensor records POINSCRIT (with DescTournoi and the
  solde's move, annex 1.4.2.a); then POCAVE records the starting chips (``UniteJeton``
  ``Jeton``, no money: annex 1.4.2.b). ``tournament_unregister`` before the start refunds
  both, POANNUL recorded around the refund.
- At the start the fees go to ``operator:tournament-fees`` and
  :class:`~server.cardroom.tournament_play.RunningTournament` plays it to the end (prizes,
  POGAIN notices) or to the operator's cancellation (refunds and POANNUL, or a chip split).
- A refund the platform decides (cancellation, a registration whose POCAVE could not be
  recorded) is made at once and traced when the player acknowledges its POANNUL notice.
- Chips are not persisted hand by hand: a tournament running when the server stops is
  cancelled at the next start, everything paid refunded (POANNUL), its unfinished hands void
  (POANNUL with IDPartie). Open tournaments come back with their registrations.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from lxml import etree
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from frontal.builders import po
from frontal.builders.pasp import BalanceMove
from frontal.sensor import Sensor
from games.dealer import Dealer
from games.tournament.cancellation import CancelPolicy
from games.tournament.errors import TournamentError
from games.tournament.registration import Decision, Registration
from games.tournament.tournament import Tournament
from server import accounts
from server.cardroom import tournament_money as money
from server.cardroom.runtime import TableError
from server.cardroom.room import CardRoomSettings, PokerRoom
from server.cardroom.tournament_lobby import Lobby
from server.cardroom.tournament_play import RunningTournament
from server.cardroom.tournament_purchases import PurchaseDesk
from server.cardroom.tournament_spec import SpecError, TournamentSpec, parse_tournament_request
from server.cardroom.tournament_tables import poker_tournament_entries, poker_tournament_hands, poker_tournaments
from server.db.pool import Database
from server.hub import Hub
from server.notices import Notice, NoticeService
from server.protocol.errors import ProtocolError
from server.wallet import ledger
from server.wallet.solde import solde_account

log = Logger(namespace="croupier.tournaments")

Handler = Callable[[Any, dict[str, Any]], Awaitable[dict[str, Any]]]


class TournamentRoom(PokerRoom):
    log = log

    def __init__(self, db: Database, hub: Hub, notices: NoticeService, sensor: Sensor, settings: CardRoomSettings,
                 eligible: Callable[[accounts.Session], Awaitable[Any]], reactor: Any,
                 dealer: Dealer | None = None,
                 check_stake: Callable[[accounts.Session, Any, int], Awaitable[None]] | None = None) -> None:
        super().__init__(db, hub, notices, sensor, settings, eligible, reactor, dealer, check_stake)
        self.operator_id = settings.operator_id
        self.between_hands_seconds = settings.between_hands_seconds
        self.absent_seconds = settings.absent_seconds
        self.lobbies: dict[str, Lobby] = {}
        self.running: dict[str, RunningTournament] = {}

    # -- what a running tournament borrows ------------------------------------------------------------

    def ended(self, tournament_id: str) -> None:
        self.running.pop(tournament_id, None)

    def presence(self, player_id: str, online: bool) -> None:
        for running in self.running.values():
            running.presence(player_id, online)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.reactor.seconds(), timezone.utc)

    # -- start-up -------------------------------------------------------------------------------------

    def load(self) -> None:
        """Open tournaments come back; running ones are cancelled and refunded (chips are not kept)."""
        with self.db.engine.begin() as c:
            rows = c.execute(select(poker_tournaments).where(poker_tournaments.c.status.in_(("open", "running")))
                             .order_by(poker_tournaments.c.created_at)).all()
            lobbies = []
            for row in rows:
                if row.status == "running":
                    self._cancel_interrupted(c, row)
                    continue
                for entry in money.active_entries(c, row.id, ("registered",)):
                    if not entry.chips:  # the server stopped between POINSCRIT and POCAVE
                        moved = money.refund(c, row.id, entry, "refunded", fees_collected=False)
                        money.refund_notice(c, row.id, entry, moved, "registration incomplete: refunded")
                entries = money.active_entries(c, row.id, ("registered",))
                lobbies.append((row, [(e.player_id, e.tech) for e in entries]))
        for row, entries in lobbies:
            spec = TournamentSpec.from_json(row.spec)
            lobby = Lobby(row.id, spec, Registration(spec.rules(row.created_at).registration), row.created_at)
            for player_id, tech in entries:
                lobby.hold(player_id, row.created_at)
                lobby.enter(player_id, tech)
                lobby.release(player_id)
            self.lobbies[row.id] = lobby
            self._schedule_start(lobby)
            if lobby.ready_to_start():
                self.reactor.callLater(0, self._start, row.id)

    def _cancel_interrupted(self, c: Connection, row: Any) -> None:
        info = f"{row.name}: cancelled, the server stopped during the tournament; everything paid is refunded"
        now = datetime.now(timezone.utc)
        hands = c.execute(select(poker_tournament_hands).where(
            (poker_tournament_hands.c.tournament_id == row.id) & poker_tournament_hands.c.finished_at.is_(None))).all()
        for hand in hands:
            for seat in json.loads(hand.record or "{}").get("seats", []):
                money.void_hand_notice(c, seat["player_id"], seat["tech"], hand.id, "hand void: the server stopped")
            c.execute(update(poker_tournament_hands).where(poker_tournament_hands.c.id == hand.id).values(
                finished_at=now))
        for entry in money.active_entries(c, row.id, ("registered", "playing", "out")):
            moved = money.refund(c, row.id, entry, "refunded", fees_collected=entry.status != "registered")
            money.refund_notice(c, row.id, entry, moved, info)
        c.execute(update(poker_tournaments).where(poker_tournaments.c.id == row.id).values(
            status="cancelled", ended_at=now, info=info))
        log.info("tournament {tid} cancelled after a restart", tid=row.id)

    # -- operator routes ----------------------------------------------------------------------------

    async def create_tournament(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        now = datetime.now(timezone.utc)
        try:
            spec = parse_tournament_request(body, now)
        except SpecError as exc:
            return 400, {"error": "invalid_tournament", "message": str(exc)}
        tournament_id = f"T{secrets.token_hex(4)}"
        await self.db.transaction(lambda c: c.execute(insert(poker_tournaments).values(
            id=tournament_id, name=spec.name, format=spec.format, spec=spec.to_json(), status="open",
            created_at=now)))
        lobby = Lobby(tournament_id, spec, Registration(spec.rules(now).registration), now)
        self.lobbies[tournament_id] = lobby
        self._schedule_start(lobby)
        log.info("tournament {tid} created by {actor}", tid=tournament_id, actor=actor.name)
        return 201, {"tournament_id": tournament_id, **spec.public()}

    async def list_tournaments_api(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        rows = await self.db.transaction(lambda c: c.execute(select(poker_tournaments).order_by(
            poker_tournaments.c.created_at)).all())
        return 200, {"tournaments": [self._row(row) for row in rows]}

    async def tournament_api(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        tournament_id = match["tournament"]

        def read(c: Connection) -> tuple[Any, list[Any]]:
            row = c.execute(select(poker_tournaments).where(poker_tournaments.c.id == tournament_id)).first()
            entries = c.execute(select(poker_tournament_entries).where(
                poker_tournament_entries.c.tournament_id == tournament_id).order_by(
                poker_tournament_entries.c.created_at)).all()
            return row, list(entries)

        row, entries = await self.db.transaction(read)
        if row is None:
            return 404, {"error": "unknown_tournament", "message": "no tournament with this id"}
        return 200, {**self._row(row), "entries": [
            {"tech": e.tech, "player_id": e.player_id, "status": e.status, "price_cents": e.price, "fee_cents": e.fee,
             "chips": e.chips, "place": e.place, "prize_cents": e.prize} for e in entries]}

    def _row(self, row: Any) -> dict[str, Any]:
        spec = TournamentSpec.from_json(row.spec)
        data: dict[str, Any] = {"tournament_id": row.id, "status": row.status, **spec.public(),
                                "created_at": row.created_at.isoformat(),
                                "started_at": row.started_at.isoformat() if row.started_at else None,
                                "ended_at": row.ended_at.isoformat() if row.ended_at else None, "info": row.info}
        data.update(self._live(row.id))
        return data

    def _live(self, tournament_id: str) -> dict[str, Any]:
        lobby = self.lobbies.get(tournament_id)
        if lobby is not None:
            return {"registered": len(lobby.players)}
        running = self.running.get(tournament_id)
        return running.summary() if running is not None else {}

    async def cancel_tournament(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        tournament_id = match["tournament"]
        body = body if isinstance(body, dict) else {}
        try:
            policy = CancelPolicy(body.get("policy", CancelPolicy.REFUND.value))
        except ValueError:
            return 400, {"error": "invalid_policy", "message": "policy: refund or chip_split"}
        reason = body.get("info")
        if reason is not None and (not isinstance(reason, str) or not 1 <= len(reason) <= 512):
            return 400, {"error": "invalid_info", "message": "info: 1 to 512 characters"}
        lobby = self.lobbies.pop(tournament_id, None)
        if lobby is not None:
            lobby.registration.cancel()
            self._stop_timer(lobby)
            refunded = await self._refund_all(lobby, reason or f"{lobby.spec.name}: cancelled by the operator")
            log.info("tournament {tid} cancelled before its start by {actor}", tid=tournament_id, actor=actor.name)
            return 200, {"tournament_id": tournament_id, "status": "cancelled", "refunded": refunded}
        running = self.running.get(tournament_id)
        if running is None:
            return 404, {"error": "unknown_tournament", "message": "no open or running tournament with this id"}
        if not running.begun:  # its start (the fees' move) is being written: refunds must see it
            return 409, {"error": "starting", "message": "the tournament is starting; retry in a moment"}
        try:
            settlement = await running.cancel(policy, reason or f"{running.spec.name}: cancelled by the operator")
        except TournamentError as exc:
            return 409, {"error": "not_running", "message": str(exc)}
        log.info("tournament {tid} cancelled while running by {actor} ({policy})", tid=tournament_id,
                 actor=actor.name, policy=policy.value)
        return 200, {"tournament_id": tournament_id, "status": "cancelled", "policy": policy.value,
                     "refunded": [{"player_id": r.player, "amount_cents": r.amount} for r in settlement.refunds],
                     "paid": [{"player_id": a.player, "amount_cents": a.amount} for a in settlement.awards]
                     + [{"player_id": s.player, "amount_cents": s.amount} for s in settlement.shares]}

    async def _refund_all(self, lobby: Lobby, info: str) -> list[dict[str, Any]]:
        """Before the start: buy-in and fee back to every registration whose money is in the escrow."""
        tournament_id = lobby.tournament_id

        def work(c: Connection) -> list[tuple[Notice, int]]:
            money.lock(c, tournament_id)
            refunded = []
            for entry in money.active_entries(c, tournament_id, ("registered",)):
                moved = money.refund(c, tournament_id, entry, "refunded", fees_collected=False)
                refunded.append((money.refund_notice(c, tournament_id, entry, moved, info), moved.amount))
            c.execute(update(poker_tournaments).where(poker_tournaments.c.id == tournament_id).values(
                status="cancelled", ended_at=datetime.now(timezone.utc), info=info))
            return refunded

        refunded = await self.db.transaction(work)
        for notice, _ in refunded:
            self.notices.deliver(notice)
            self.hub.deliver(notice.player_id, {"type": "tournament", "tournament_id": tournament_id,
                                                "event": "cancelled", "info": info, "policy": "refund"})
        return [{"player_id": notice.player_id, "amount_cents": amount} for notice, amount in refunded]

    # -- the start ----------------------------------------------------------------------------------

    def _schedule_start(self, lobby: Lobby) -> None:
        starts_at = lobby.spec.start_time()
        if starts_at is not None:
            delay = max(0.0, (starts_at - self._now()).total_seconds())
            lobby.timer = self.reactor.callLater(delay, self._decide, lobby.tournament_id)

    def _stop_timer(self, lobby: Lobby) -> None:
        timer: Any = lobby.timer
        if timer is not None and timer.active():
            timer.cancel()

    def _decide(self, tournament_id: str) -> None:
        """A scheduled tournament's time: start, or cancel for want of players."""
        lobby = self.lobbies.get(tournament_id)
        if lobby is None:
            return
        if lobby.busy:  # the field is final once every request under way has settled
            lobby.timer = self.reactor.callLater(0.1, self._decide, tournament_id)
            return
        decision = lobby.registration.decide(self._now())
        if decision.decision is Decision.WAIT:
            self._schedule_start(lobby)
        elif decision.decision is Decision.CANCEL:
            del self.lobbies[tournament_id]
            info = f"{lobby.spec.name}: cancelled, fewer than {lobby.spec.min_players} players registered"
            self.track(Deferred.fromCoroutine(self._refund_all(lobby, info)))
        else:
            self._begin(lobby, decision.entries)

    def _start(self, tournament_id: str) -> None:
        """A sit-and-go is full and nobody is mid-request: it starts."""
        lobby = self.lobbies.get(tournament_id)
        if lobby is None or not lobby.ready_to_start():
            return
        decision = lobby.registration.decide(self._now())
        if decision.decision is Decision.START:
            self._begin(lobby, decision.entries)

    def _begin(self, lobby: Lobby, entries: Any) -> None:
        tournament_id = lobby.tournament_id
        del self.lobbies[tournament_id]
        now = self._now()
        # Seats and buttons are drawn by the production chooser: the secrets module, the OS CSPRNG.
        core = Tournament(lobby.spec.rules(lobby.created_at), entries, now, secrets)
        running = RunningTournament(self, tournament_id, lobby.spec, core, lobby.techs)
        self.running[tournament_id] = running
        techs = [lobby.techs[e.player] for e in entries]

        def work(c: Connection) -> int:
            fees = money.collect_fees(c, tournament_id, techs)
            c.execute(update(poker_tournaments).where(poker_tournaments.c.id == tournament_id).values(
                status="running", started_at=now))
            return fees

        async def start() -> None:
            fees = await self.db.transaction(work)
            log.info("tournament {tid} started: {players} players, {fees} cents of fees", tid=tournament_id,
                     players=len(entries), fees=fees)
            if tournament_id in self.running:
                running.begin()

        self.track(Deferred.fromCoroutine(start()))

    # -- player messages ----------------------------------------------------------------------------

    def handlers(self) -> dict[str, Handler]:
        return {"tournaments": self.list_tournaments, "tournament_register": self.register,
                "tournament_unregister": self.unregister, **PurchaseDesk(self).handlers()}

    def table_act(self, cash_act: Handler) -> Handler:
        """``table_act`` serves both kinds of table: a tournament's, else the cash room's."""

        async def act(connection: Any, message: dict[str, Any]) -> dict[str, Any]:
            for running in self.running.values():
                runtime = running.table(message["table_id"])
                if runtime is not None:
                    try:
                        runtime.act(self._session(connection).player.id, message["action"], message.get("amount"))
                    except TableError as exc:
                        raise ProtocolError(exc.code, str(exc)) from None
                    return {"table_id": runtime.config.table_id}
            return await cash_act(connection, message)

        return act

    async def list_tournaments(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        player_id = self._session(connection).player.id
        listed = []
        for tournament_id, lobby in self.lobbies.items():
            listed.append({"tournament_id": tournament_id, "status": "open", **lobby.spec.public(),
                           "registered": len(lobby.players), "you_registered": player_id in lobby.techs})
        for tournament_id, running in self.running.items():
            late = running.core.late_registration_open(self._now())
            listed.append({"tournament_id": tournament_id, "status": "running", **running.spec.public(),
                           **running.summary(), "late_registration": late,
                           "you_registered": player_id in running.techs})
        return {"tournaments": listed}

    def _spec(self, tournament_id: str) -> TournamentSpec:
        lobby = self.lobbies.get(tournament_id)
        running = self.running.get(tournament_id)
        if lobby is None and running is None:
            raise ProtocolError("unknown_tournament", f"no open or running tournament {tournament_id!r}")
        return lobby.spec if lobby is not None else running.spec  # type: ignore[union-attr]

    def _check_late(self, running: RunningTournament, player_id: str) -> None:
        if not running.begun:
            raise ProtocolError("retry", "the tournament is starting: late registration opens in a moment")
        if player_id in running.techs:
            raise ProtocolError("already_registered", "you are already in this tournament")
        if not running.core.late_registration_open(self._now()):
            raise ProtocolError("registration_closed", "the tournament has started and takes no more entries")

    async def _solde(self, player_id: str) -> int:
        account = await self.db.transaction(lambda c: solde_account(c, player_id))
        return int(await self.db.transaction(lambda c: ledger.balance(c, account)))

    async def register(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        identity = await self.eligible(session)
        tournament_id = message["tournament_id"]
        player_id = session.player.id
        spec = self._spec(tournament_id)
        paid = spec.buy_in + spec.fee
        before = await self._solde(player_id)
        if before < paid:
            raise ProtocolError("insufficient_funds", f"the solde holds {before} cents, the entry costs {paid}")
        if self.check_stake is not None:
            await self.check_stake(session, identity, paid)
        # Checked again after the awaits, then the place is held: the reactor runs one thing at a time.
        now = self._now()
        lobby = self.lobbies.get(tournament_id)
        running = self.running.get(tournament_id)
        if lobby is not None:
            lobby.check_can_register(player_id, now)
            lobby.hold(player_id, now)
        elif running is not None:
            self._check_late(running, player_id)
            running.techs[player_id] = ""  # holds the entry against a second request
        else:
            raise ProtocolError("registration_closed", "the tournament was cancelled")
        tech = f"U{secrets.token_hex(8)}"
        try:
            await self._enter(session, identity, tournament_id, spec, tech, before)
            if lobby is not None:
                lobby.enter(player_id, tech)
            else:
                assert running is not None
                self._enter_late(running, player_id, tech)
        except BaseException:
            if running is not None and running.techs.get(player_id) == "":
                del running.techs[player_id]
            raise
        finally:
            if lobby is not None:
                lobby.release(player_id)
                if lobby.ready_to_start():
                    self._start(tournament_id)
        return {"tournament_id": tournament_id, "tech": tech, "starting_chips": spec.chips,
                "registered": len(lobby.players) if lobby is not None else None}

    async def _enter(self, session: accounts.Session, identity: Any, tournament_id: str, spec: TournamentSpec,
                     tech: str, before: int) -> None:
        """POINSCRIT around the money, then POCAVE around the chips; a failed POCAVE is refunded."""
        player_id = session.player.id
        paid = spec.buy_in + spec.fee
        places = spec.payouts().places_paid(spec.max_players) if spec.sit_and_go else None

        def inscription(at: datetime) -> etree._Element:
            return po.build_poinscrit(self._header(session, identity, at), po.Registration(
                tech, f"{spec.name} ({tournament_id})",
                po.Tournament(starts_at=spec.start_time(), paid_places=places, starting_chips=spec.chips),
                min_players=spec.min_players, max_players=spec.max_players,
                solde=BalanceMove(money.euros(before), money.euros(paid), money.euros(before - paid))))

        def cave(at: datetime) -> etree._Element:
            return po.build_pocave(self._header(session, identity, at), po.BuyIn(tech, spec.chips, "Jeton"))

        await self._traced(session, inscription, lambda: self.db.transaction(lambda c: money.pay_entry(
            c, tournament_id, tech, player_id, spec.buy_in, spec.fee, before)))
        try:
            await self._traced(session, cave, lambda: self.db.transaction(
                lambda c: money.record_chips(c, tournament_id, tech, spec.chips)))
        except BaseException:
            await self._refund_incomplete(tournament_id, tech)
            raise

    async def _refund_incomplete(self, tournament_id: str, tech: str) -> None:
        def work(c: Connection) -> Notice | None:
            money.lock(c, tournament_id)
            entry = money.entry_of(c, tech)
            if entry.status not in ("registered", "playing"):
                return None  # a cancellation refunded it already
            moved = money.refund(c, tournament_id, entry, "refunded", fees_collected=entry.status == "playing")
            return money.refund_notice(c, tournament_id, entry, moved, "registration incomplete: refunded")

        notice = await self.db.transaction(work)
        if notice is not None:
            self.notices.deliver(notice)

    def _enter_late(self, running: RunningTournament, player_id: str, tech: str) -> None:
        try:
            late = running.core.register_late(player_id, self._now())
        except TournamentError as exc:
            self.track(Deferred.fromCoroutine(self._refund_incomplete(running.id, tech)))
            raise ProtocolError("registration_closed", str(exc)) from None
        running.late_entry(player_id, tech, late)

    async def unregister(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        identity = await self.eligible(session)
        tournament_id = message["tournament_id"]
        player_id = session.player.id
        spec = self._spec(tournament_id)
        before = await self._solde(player_id)
        lobby = self.lobbies.get(tournament_id)
        if lobby is None:
            raise ProtocolError("registration_closed", "the tournament has started: nobody unregisters")
        now = self._now()
        tech = lobby.check_can_unregister(player_id, now)
        lobby.hold(player_id, now)
        paid = spec.buy_in + spec.fee

        def annulment(at: datetime) -> etree._Element:
            return po.build_poannul(self._header(session, identity, at), po.Cancellation(
                at, tech, None, money.euros(before), money.euros(paid), money.euros(before + paid),
                f"{spec.name}: registration cancelled by the player"))

        def work(c: Connection) -> money.Moved:
            money.lock(c, tournament_id)
            entry = money.entry_of(c, tech)
            if entry.status != "registered":
                raise ProtocolError("registration_closed", f"the registration is {entry.status}")
            return money.refund(c, tournament_id, entry, "unregistered", fees_collected=False, expected_before=before)

        try:
            moved = await self._traced(session, annulment, lambda: self.db.transaction(work))
            lobby.leave(player_id)
        finally:
            lobby.release(player_id)
            if lobby.ready_to_start():
                self._start(tournament_id)
        return {"tournament_id": tournament_id, "refunded_cents": moved.amount, "registered": len(lobby.players)}

"""Cash tables on the server: player messages, operator routes, money and traces.

Money: a buy-in moves cents from the player's solde to the table's escrow account
(``operator:table-<id>``); leaving moves the stack back; rake goes from the escrow to
``operator:poker-rake`` with the hand's stacks, in one transaction. Traces:

- POINSCRIT (first sit at a table) and POCAVE (every buy-in and top-up) are the player's
  requests: the sensor holds them around the movement and records them once it is done;
- POREVERS: the player's ``table_leave`` between hands is a request (recorded around the
  pay-back); a stand-up the platform makes (after the hand the player asked to leave,
  or an absent or busted player) is paid at once and traced when the player acknowledges
  its notice, at the next connection if need be (annex 1.3.5.e);
- POPARTIE: one notice per seat per hand, the seat's own view, traced on acknowledgement;
- POANNUL: a hand cut short by a restart is void, stacks are those before it, and every
  seat gets a notice.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Awaitable, Callable

from lxml import etree
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from frontal.builders import po
from frontal.sensor import Sensor
from games.betting import Structure
from games.button import SeatStatus
from games.dealer import Dealer
from games.hand import Hand, Rules, Variant
from games.pots import RakeRule
from server import accounts
from server.cardroom import buy_in
from server.cardroom.buy_in import OperatorTopUp, TableMoney, euros
from server.cardroom.notice_events import popartie_data
from server.cardroom.room import CardRoomSettings, PokerRoom
from server.cardroom.runtime import FinishedHand, Seated, TableConfig, TableError, TableRuntime
from server.cardroom.tables import poker_hands, poker_registrations, poker_seats, poker_tables
from server.db.pool import Database
from server.hub import Hub
from server.notices import Notice, NoticeService, insert_notice
from server.poker_traces import HandContext, Player, cents, popartie
from server.protocol.errors import ProtocolError
from server.wallet import ledger
from server.wallet.ledger import InsufficientFunds, Posting, operator_account
from server.wallet.solde import solde_account

log = Logger(namespace="croupier.cardroom")

RAKE_ACCOUNT = operator_account("poker-rake")


def escrow(table_id: str) -> str:
    return operator_account(f"table-{table_id}")


class OperatorInputError(ValueError):
    pass


def table_config(row: Any, settings: CardRoomSettings) -> TableConfig:
    share = Fraction(Decimal(row.rake_percent)) / 100
    rules = Rules(Variant[row.variant], Structure(row.structure), row.small_blind, row.big_blind,
                  rake=RakeRule(share, row.rake_cap), ante=row.ante, big_blind_ante=row.big_blind_ante)
    return TableConfig(row.id, row.name, rules, row.seats, row.buy_in_min, row.buy_in_max,
                       decision_seconds=row.decision_seconds, between_hands_seconds=settings.between_hands_seconds,
                       absent_seconds=settings.absent_seconds, time_bank_seconds=row.time_bank_seconds,
                       time_bank_refill_seconds=row.time_bank_refill_seconds)


def money_rules(row: Any) -> TableMoney:
    return TableMoney(row.bonus_allowed, OperatorTopUp(Decimal(row.top_up_percent), row.top_up_cap))


def parse_table_request(body: Any) -> dict[str, Any]:
    """The operator's table definition, checked field by field."""
    if not isinstance(body, dict):
        raise OperatorInputError("send a JSON object")
    allowed = {"name", "variant", "structure", "small_blind_cents", "big_blind_cents", "ante_cents",
               "big_blind_ante", "seats", "buy_in_min_cents", "buy_in_max_cents", "rake_percent", "rake_cap_cents",
               "decision_seconds", "bonus_allowed", "top_up_percent", "top_up_cap_cents", "time_bank_seconds",
               "time_bank_refill_seconds"}
    unknown = set(body) - allowed
    if unknown:
        raise OperatorInputError(f"unknown fields: {', '.join(sorted(unknown))}")

    def integer(name: str, low: int, high: int, default: int | None = None) -> int:
        value = body.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise OperatorInputError(f"{name}: an integer from {low} to {high}")
        return value

    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        raise OperatorInputError("name: 1 to 64 characters")
    variant = body.get("variant", "HOLDEM")
    if variant not in ("HOLDEM", "OMAHA"):
        raise OperatorInputError("variant: HOLDEM or OMAHA")
    structure = body.get("structure", "NL")
    if structure not in ("NL", "PL", "FL"):
        raise OperatorInputError("structure: NL, PL or FL")
    small = integer("small_blind_cents", 1, 10_000_000)
    big = integer("big_blind_cents", small, 20_000_000)
    ante = integer("ante_cents", 0, big, 0)
    bb_ante = body.get("big_blind_ante", False)
    if not isinstance(bb_ante, bool):
        raise OperatorInputError("big_blind_ante: true or false")
    seats = integer("seats", 2, 10, 6)
    low = integer("buy_in_min_cents", big, 1_000_000_000, 40 * big)
    high = integer("buy_in_max_cents", low, 1_000_000_000, 100 * big)
    try:
        rake = Decimal(str(body.get("rake_percent", "0")))
    except InvalidOperation:
        raise OperatorInputError("rake_percent: a decimal from 0 to 10") from None
    if not Decimal(0) <= rake <= Decimal(10) or rake.as_tuple().exponent < -2:  # type: ignore[operator]
        raise OperatorInputError("rake_percent: a decimal from 0 to 10, at most two decimals")
    bonus_allowed = body.get("bonus_allowed", False)
    if not isinstance(bonus_allowed, bool):
        raise OperatorInputError("bonus_allowed: true or false")
    try:
        top_up = Decimal(str(body.get("top_up_percent", "0")))
    except InvalidOperation:
        raise OperatorInputError("top_up_percent: a decimal from 0 to 100") from None
    if not Decimal(0) <= top_up <= Decimal(100) or top_up.as_tuple().exponent < -2:  # type: ignore[operator]
        raise OperatorInputError("top_up_percent: a decimal from 0 to 100, at most two decimals")
    bank = integer("time_bank_seconds", 0, 600, 0)
    return {"name": name, "variant": variant, "structure": structure, "small_blind": small, "big_blind": big,
            "ante": ante, "big_blind_ante": bb_ante, "seats": seats, "buy_in_min": low, "buy_in_max": high,
            "rake_percent": str(rake), "rake_cap": integer("rake_cap_cents", 0, 100_000_000, 0),
            "decision_seconds": integer("decision_seconds", 1, 600, 20), "bonus_allowed": bonus_allowed,
            "top_up_percent": str(top_up), "top_up_cap": integer("top_up_cap_cents", 0, 100_000_000, 0),
            "time_bank_seconds": bank,
            # A refill above the bank could never be used: the bank is capped at its size.
            "time_bank_refill_seconds": integer("time_bank_refill_seconds", 0, bank, 0)}


class CardRoom(PokerRoom):
    log = log

    def __init__(self, db: Database, hub: Hub, notices: NoticeService, sensor: Sensor, settings: CardRoomSettings,
                 eligible: Callable[[accounts.Session], Awaitable[Any]], reactor: Any,
                 dealer: Dealer | None = None,
                 check_stake: Callable[[accounts.Session, Any, int], Awaitable[None]] | None = None) -> None:
        super().__init__(db, hub, notices, sensor, settings, eligible, reactor, dealer, check_stake)
        self.tables: dict[str, TableRuntime] = {}
        self._hand_rows: dict[str, Deferred[Any]] = {}  # the hand's row is written before it is finished
        self._joining: dict[str, set[int]] = {}  # seats held by joins in progress, per table
        self._joining_players: set[tuple[str, str]] = set()  # (table, player) joins in progress
        self._money: dict[str, TableMoney] = {}

    # -- start and stop ---------------------------------------------------------------------------

    def load(self) -> None:
        """Open tables and seats from the database; void hands a previous process left unfinished."""
        with self.db.engine.begin() as c:
            void = c.execute(select(poker_hands).where(poker_hands.c.finished_at.is_(None))).all()
            now = datetime.now(timezone.utc)
            for hand in void:
                record = json.loads(hand.record or "{}")
                for seat in record.get("seats", []):
                    notice = insert_notice(c, seat["player_id"], "POANNUL", {
                        "cancelled_at": now.isoformat(), "tech": seat["tech"], "id_partie": hand.id,
                        "info": "hand void: the server stopped during it; stacks are those before it"}, limit=None)
                    log.info("hand {hand} void after a restart: notice {notice}", hand=hand.id, notice=notice.id)
                c.execute(update(poker_hands).where(poker_hands.c.id == hand.id).values(finished_at=now))
            rows = c.execute(select(poker_tables).where(poker_tables.c.closed_at.is_(None))).all()
            seats = c.execute(select(poker_seats)).all()
        for row in rows:
            runtime = self._runtime(row)
            for seat in (s for s in seats if s.table_id == row.id):
                seated = runtime.sit(seat.player_id, seat.seat, seat.stack, seat.tech)
                seated.connected = False
                seated.absent_since = self.reactor.seconds()
                seated.status = SeatStatus(seated.seat, sitting_out=True)
                seated.auto_sat_out = True

    def _runtime(self, row: Any) -> TableRuntime:
        runtime = TableRuntime(table_config(row, self.settings), _Listener(self), self.reactor, self.dealer)
        self.tables[row.id] = runtime
        self._money[row.id] = money_rules(row)
        return runtime

    def presence(self, player_id: str, online: bool) -> None:
        for runtime in self.tables.values():
            runtime.connected(player_id, online)

    # -- operator routes --------------------------------------------------------------------------

    async def create_table(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        try:
            fields = parse_table_request(body)
        except OperatorInputError as exc:
            return 400, {"error": "invalid_table", "message": str(exc)}
        table_id = f"t{secrets.token_hex(4)}"
        now = datetime.now(timezone.utc)
        await self.db.transaction(lambda c: c.execute(insert(poker_tables).values(id=table_id, created_at=now,
                                                                                   **fields)))
        row = await self.db.transaction(lambda c: c.execute(select(poker_tables).where(
            poker_tables.c.id == table_id)).one())
        self._runtime(row)
        log.info("table {table} created by {actor}", table=table_id, actor=actor.name)
        return 201, {"table_id": table_id, **fields}

    async def list_tables_api(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        return 200, {"tables": self._table_list()}

    async def close_table(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        runtime = self.tables.get(match["table"])
        if runtime is None:
            return 404, {"error": "unknown_table", "message": "no open table with this id"}
        runtime.closing = True
        for seated in list(runtime.seated.values()):
            runtime.mark_leaving(seated.player_id)
            if not runtime.in_hand(seated.player_id):
                runtime.remove(seated.player_id)
                await self._stand_up(runtime, seated, "table closed")
        if runtime.hand is None:
            await self._close(runtime)
        return 200, {"table_id": runtime.config.table_id, "closing": runtime.hand is not None}

    async def _close(self, runtime: TableRuntime) -> None:
        now = datetime.now(timezone.utc)
        await self.db.transaction(lambda c: c.execute(update(poker_tables).where(
            poker_tables.c.id == runtime.config.table_id).values(closed_at=now)))
        self.tables.pop(runtime.config.table_id, None)

    def _table_list(self) -> list[dict[str, Any]]:
        result = []
        for runtime in self.tables.values():
            config = runtime.config
            rules = config.rules
            result.append({
                "table_id": config.table_id, "name": config.name, "variant": rules.variant.name,
                "structure": rules.structure.value, "small_blind_cents": rules.small_blind,
                "big_blind_cents": rules.big_blind, "ante_cents": rules.ante, "seats": config.seats,
                "buy_in_min_cents": config.buy_in_min, "buy_in_max_cents": config.buy_in_max,
                "bonus_allowed": self._money[config.table_id].bonus_allowed,
                "top_up_percent": str(self._money[config.table_id].top_up.percent),
                "top_up_cap_cents": self._money[config.table_id].top_up.cap,
                "decision_seconds": config.decision_seconds, "time_bank_seconds": config.time_bank_seconds,
                "time_bank_refill_seconds": config.time_bank_refill_seconds,
                "players": [{"seat": s.seat, "player_id": s.player_id, "stack": s.stack,
                             "sitting_out": s.status.sitting_out}
                            for s in sorted(runtime.seated.values(), key=lambda s: s.seat)],
            })
        return result

    # -- player messages --------------------------------------------------------------------------

    def handlers(self) -> dict[str, Callable[[Any, dict[str, Any]], Awaitable[dict[str, Any]]]]:
        return {"tables": self.list_tables, "table_join": self.join, "table_top_up": self.top_up,
                "table_act": self.act, "table_sit_out": self.sit_out, "table_sit_in": self.sit_in,
                "table_leave": self.leave}

    def _table(self, message: dict[str, Any]) -> TableRuntime:
        runtime = self.tables.get(message["table_id"])
        if runtime is None:
            raise ProtocolError("unknown_table", f"no open table {message['table_id']!r}")
        return runtime

    async def list_tables(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        return {"tables": self._table_list()}

    async def join(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        identity = await self.eligible(session)
        runtime = self._table(message)
        player_id = session.player.id
        amount = message["buy_in_cents"]
        config = runtime.config
        if not config.buy_in_min <= amount <= config.buy_in_max:
            raise ProtocolError("invalid_buy_in", f"buy in from {config.buy_in_min} to {config.buy_in_max} cents")
        money = buy_in.funding(amount, message.get("bonus_cents"), self._money[config.table_id])
        # Seats being paid for are held, so two joins at once never get the same seat.
        held = self._joining.setdefault(config.table_id, set())
        wanted = message.get("seat")
        if wanted is None:
            wanted = next((s for s in runtime.free_seats() if s not in held), None)
            if wanted is None and runtime.free_seats():
                raise ProtocolError("table_full", "the last free seats are being taken")
        elif wanted in held:
            raise ProtocolError("seat_taken", f"seat {wanted} is being taken")
        try:
            seat = runtime.check_can_sit(player_id, wanted)
        except TableError as exc:
            raise ProtocolError(exc.code, str(exc)) from None
        key = (config.table_id, player_id)
        if key in self._joining_players:
            raise ProtocolError("already_seated", "a join at this table is already under way for you")
        held.add(seat)
        self._joining_players.add(key)
        try:
            return await self._join(session, identity, runtime, seat, money, bool(message.get("post_now")))
        finally:
            held.discard(seat)
            self._joining_players.discard(key)

    async def _join(self, session: accounts.Session, identity: Any, runtime: TableRuntime, seat: int,
                    money: buy_in.Funding, post_now: bool) -> dict[str, Any]:
        player_id = session.player.id
        config = runtime.config
        tech = f"R{secrets.token_hex(8)}"

        def register(at: datetime) -> etree._Element:
            return po.build_poinscrit(self._header(session, identity, at), po.Registration(tech, config.table_id))

        async def registered() -> None:
            now = datetime.now(timezone.utc)
            await self.db.transaction(lambda c: c.execute(insert(poker_registrations).values(
                tech=tech, player_id=player_id, table_id=config.table_id, created_at=now)))

        await self._traced(session, register, registered)
        try:
            stack = await self._buy_in(session, identity, runtime, tech, money, seat=seat)
        except Exception:
            now = datetime.now(timezone.utc)
            await self.db.transaction(lambda c: c.execute(update(poker_registrations).where(
                poker_registrations.c.tech == tech).values(ended_at=now)))
            raise
        runtime.sit(player_id, seat, stack, tech, post_now=post_now)
        return {"table_id": config.table_id, "seat": seat, "stack": stack, "tech": tech}

    async def _buy_in(self, session: accounts.Session, identity: Any, runtime: TableRuntime, tech: str,
                      money: buy_in.Funding, seat: int | None = None) -> int:
        """POCAVE around the movement; the balances traced are the ones the movement starts from."""
        player_id = session.player.id
        config = runtime.config
        found = await self.db.transaction(lambda c: buy_in.balances(c, player_id))
        buy_in.check_funds(found, money)
        if self.check_stake is not None:
            await self.check_stake(session, identity, money.amount)

        def build(at: datetime) -> etree._Element:
            return po.build_pocave(self._header(session, identity, at),
                                   buy_in.pocave(tech, found, money, config.buy_in_min, config.buy_in_max))

        def move(c: Connection) -> int:
            buy_in.post(c, found, money, escrow(config.table_id), {"table": config.table_id, "tech": tech})
            if seat is not None:
                c.execute(insert(poker_seats).values(table_id=config.table_id, seat=seat, player_id=player_id,
                                                     tech=tech, stack=money.chips))
                return money.chips
            stack = c.execute(update(poker_seats).where((poker_seats.c.table_id == config.table_id) & (
                poker_seats.c.player_id == player_id)).values(stack=poker_seats.c.stack + money.chips)
                .returning(poker_seats.c.stack)).scalar_one()
            return int(stack)

        async def action() -> int:
            try:
                return await self.db.transaction(move)
            except InsufficientFunds as exc:
                raise ProtocolError("insufficient_funds", str(exc)) from None

        return await self._traced(session, build, action)

    async def top_up(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        identity = await self.eligible(session)
        runtime = self._table(message)
        try:
            seated = runtime.check_top_up(session.player.id, message["amount_cents"])
        except TableError as exc:
            raise ProtocolError(exc.code, str(exc)) from None
        money = buy_in.funding(message["amount_cents"], message.get("bonus_cents"),
                               self._money[runtime.config.table_id])
        await self._buy_in(session, identity, runtime, seated.tech, money)
        runtime.add_chips(session.player.id, money.chips)
        return {"table_id": runtime.config.table_id, "stack": seated.stack, "pending_cents": seated.pending_chips}

    async def act(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        runtime = self._table(message)
        try:
            runtime.act(session.player.id, message["action"], message.get("amount"))
        except TableError as exc:
            raise ProtocolError(exc.code, str(exc)) from None
        return {"table_id": runtime.config.table_id}

    async def sit_out(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        runtime = self._table(message)
        try:
            runtime.sit_out(self._session(connection).player.id)
        except TableError as exc:
            raise ProtocolError(exc.code, str(exc)) from None
        return {"table_id": runtime.config.table_id}

    async def sit_in(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        runtime = self._table(message)
        try:
            runtime.sit_in(self._session(connection).player.id, bool(message.get("post_now")))
        except TableError as exc:
            raise ProtocolError(exc.code, str(exc)) from None
        return {"table_id": runtime.config.table_id}

    async def leave(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        runtime = self._table(message)
        player_id = session.player.id
        try:
            seated = runtime.mark_leaving(player_id)
        except TableError as exc:
            raise ProtocolError(exc.code, str(exc)) from None
        if runtime.in_hand(player_id) or runtime._finishing:
            return {"table_id": runtime.config.table_id, "leaving_after_hand": True}
        identity = await self.eligible(session)
        if runtime.seat_of(player_id) is not seated:
            # Stood up while eligibility was read: a hand this seat sat out ended, and a seat
            # marked leaving goes at a hand's end, paid back by the table with its POREVERS.
            return {"table_id": runtime.config.table_id, "leaving_after_hand": True}
        runtime.remove(player_id)
        account = await self.db.transaction(lambda c: solde_account(c, player_id))
        before = await self.db.transaction(lambda c: ledger.balance(c, account))

        def build(at: datetime) -> etree._Element:
            return po.build_porevers(self._header(session, identity, at), po.CashOut(
                at, seated.tech, euros(before), euros(seated.stack), euros(before + seated.stack)))

        async def action() -> int:
            return await self.db.transaction(lambda c: self._pay_back(c, runtime, seated, before))

        try:
            await self._traced(session, build, action)
        except Exception:
            seated.leaving = False  # nothing was paid: the player keeps the seat
            runtime.sit(player_id, seated.seat, seated.stack, seated.tech, time_bank=seated.time_bank)
            raise
        return {"table_id": runtime.config.table_id, "paid_cents": seated.stack}

    def _pay_back(self, c: Connection, runtime: TableRuntime, seated: Seated, expected_before: int | None) -> int:
        table_id = runtime.config.table_id
        account = solde_account(c, seated.player_id)
        after = ledger.balance(c, account)
        if seated.stack:
            tx = ledger.post(c, "poker_cash_out", [Posting(escrow(table_id), -seated.stack),
                                                   Posting(account, seated.stack)],
                             memo={"table": table_id, "tech": seated.tech})
            after = tx.balances_after[account]
        if expected_before is not None and after != expected_before + seated.stack:
            raise ProtocolError("retry", "the solde changed while leaving; nothing was moved, try again")
        c.execute(delete(poker_seats).where((poker_seats.c.table_id == table_id) & (
            poker_seats.c.seat == seated.seat)))
        c.execute(update(poker_registrations).where(poker_registrations.c.tech == seated.tech).values(
            ended_at=datetime.now(timezone.utc)))
        return after

    async def _stand_up(self, runtime: TableRuntime, seated: Seated, reason: str) -> None:
        """The platform stands a player up: pay back now, POREVERS when they acknowledge."""
        def work(c: Connection) -> Notice:
            after = self._pay_back(c, runtime, seated, None)
            return insert_notice(c, seated.player_id, "POREVERS", {
                "paid_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(), "tech": seated.tech,
                "solde_avant": str(euros(after - seated.stack)), "cave": str(euros(seated.stack)),
                "solde_apres": str(euros(after)), "info": reason, "table_id": runtime.config.table_id}, limit=None)

        notice = await self.db.transaction(work)
        self.notices.deliver(notice)
        if runtime.closing and not runtime.seated and runtime.hand is None:
            await self._close(runtime)

    # -- hands --------------------------------------------------------------------------------------

    def hand_started(self, runtime: TableRuntime, id_partie: str, hand: Hand) -> None:
        seats = [{"seat": s, "player_id": runtime.seated[s].player_id, "tech": runtime.seated[s].tech,
                  "stack": hand.starting_stacks[s]} for s in hand.order]
        now = datetime.now(timezone.utc)
        self._hand_rows[id_partie] = self.track(self.db.transaction(lambda c: c.execute(insert(poker_hands).values(
            id=id_partie, table_id=runtime.config.table_id, started_at=now,
            record=json.dumps({"seats": seats})))))

    def hand_finished(self, runtime: TableRuntime, finished: FinishedHand) -> Deferred[Any]:
        hand = finished.hand
        result = hand.result
        assert result is not None
        config = runtime.config
        players = {seat: Player(s.player_id, self.settings.operator_id) for seat, s in finished.players.items()}
        datas = {}
        for seat, seated in finished.players.items():
            context = HandContext(seated.tech, finished.id_partie, config.table_id, config.rules, players,
                                  finished.times, amount=cents)
            datas[seat] = popartie_data(popartie(finished.views[seat], context))
        stacks = dict(result.final_stacks)
        # Relative updates: a top-up bought during the hand has already added to the row.
        won = {seat: stacks[seat] - hand.starting_stacks[seat] for seat in stacks}
        record = {"seats": [{"seat": s, "player_id": p.player_id, "tech": p.tech, "before": hand.starting_stacks[s],
                             "after": stacks[s]} for s, p in finished.players.items()],
                  "rake": result.settlement.rake, "board": [int(c) for c in hand.board]}

        def work(c: Connection) -> list[Notice]:
            for seat, delta in won.items():
                if delta:
                    c.execute(update(poker_seats).where((poker_seats.c.table_id == config.table_id) & (
                        poker_seats.c.seat == seat)).values(stack=poker_seats.c.stack + delta))
            if result.settlement.rake:
                ledger.post(c, "poker_rake", [Posting(escrow(config.table_id), -result.settlement.rake),
                                              Posting(RAKE_ACCOUNT, result.settlement.rake)],
                            idempotency_key=f"rake:{finished.id_partie}", memo={"table": config.table_id})
            c.execute(update(poker_hands).where(poker_hands.c.id == finished.id_partie).values(
                finished_at=datetime.now(timezone.utc), record=json.dumps(record)))
            return [insert_notice(c, finished.players[seat].player_id, "POPARTIE", data, limit=None)
                    for seat, data in datas.items()]

        def delivered(notices: list[Notice]) -> None:
            for notice in notices:
                self.notices.deliver(notice)

        started = self._hand_rows.pop(finished.id_partie)

        async def finish() -> None:
            await started
            delivered(await self.db.transaction(work))

        return self.track(Deferred.fromCoroutine(finish()))


class _Listener:
    def __init__(self, room: CardRoom) -> None:
        self.room = room

    def send(self, player_id: str, message: dict[str, Any]) -> None:
        self.room.hub.deliver(player_id, message)

    def hand_started(self, table: TableRuntime, id_partie: str, hand: Hand) -> None:
        self.room.hand_started(table, id_partie, hand)

    def hand_finished(self, table: TableRuntime, finished: FinishedHand) -> Any:
        return self.room.hand_finished(table, finished)

    def stand_up(self, table: TableRuntime, seated: Seated, reason: str) -> Any:
        return self.room.track(Deferred.fromCoroutine(self.room._stand_up(table, seated, reason)))

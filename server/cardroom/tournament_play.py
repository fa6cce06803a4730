"""A running tournament on the server: its tables, its hands, and what each outcome changes.

``games.tournament.Tournament`` is the authority: it says who is dealt in at which level,
who busted, who moves where, which table breaks, when it is over and who wins what. This
driver turns that into table runtimes (one :class:`TournamentTable` each), per-seat
messages, hand records, POPARTIE notices (chips as the unit: ``poker_traces.chips``),
places, prizes (POGAIN notices) and, when the operator cancels, refunds or a chip split
(POANNUL, POGAIN) and a POANNUL with its IDPartie for each seat of a hand left void.

Seat changes are applied to the runtimes at once, in the reactor, when the tournament
reports them (a table finishing a hand gives its players before its records are written),
so the runtimes always seat exactly what the tournament seats; records and notices follow
in one transaction per hand.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.engine import Connection
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from games.dealer import Dealer
from games.hand import Blinds, Hand
from games.tournament.cancellation import CancellationSettlement, CancelPolicy
from games.tournament.places import Award, Finish
from games.tournament.errors import TournamentError
from games.tournament.ledger import Purchase, PurchaseKind
from games.tournament.tournament import LateEntry, Outcome, Phase, PlayerState, Tournament
from server.cardroom import tournament_money as money
from server.cardroom.notice_events import popartie_data
from server.cardroom.runtime import DealPlan, FinishedHand, Seated, TableConfig
from server.cardroom.tournament_runtime import TournamentTable
from server.cardroom.tournament_spec import TournamentSpec
from server.cardroom.tournament_tables import poker_tournament_entries, poker_tournament_hands, poker_tournaments
from server.db.pool import Database
from server.hub import Hub
from server.notices import Notice, NoticeService, insert_notice
from server.poker_traces import HandContext, Player, chips, popartie

log = Logger(namespace="croupier.tournaments")


class Host(Protocol):
    """What the card room lends a running tournament."""

    db: Database
    hub: Hub
    notices: NoticeService
    reactor: Any
    dealer: Dealer | None
    operator_id: str
    between_hands_seconds: float
    absent_seconds: float

    def track(self, d: Deferred[Any]) -> Deferred[Any]: ...

    def ended(self, tournament_id: str) -> None: ...


class PurchaseUnderWay(Exception):
    pass


def place_text(name: str, finish: Finish | Award, entrants: int) -> str:
    last = finish.last_place
    tie = f" (tied, places {finish.place}-{last})" if last > finish.place else ""
    return f"{name}: finished {finish.place} of {entrants}{tie}"


class RunningTournament:
    def __init__(self, host: Host, tournament_id: str, spec: TournamentSpec, core: Tournament,
                 techs: dict[str, str]) -> None:
        self.host = host
        self.id = tournament_id
        self.spec = spec
        self.core = core
        self.techs = dict(techs)  # player -> the registration's Tech
        self.tables: dict[int, TournamentTable] = {}
        self.variant, self.structure = spec.game()
        self._hand_rows: dict[str, Deferred[Any]] = {}
        self._break_timers: dict[int, Any] = {}
        self.begun = False  # the start is written (fees collected) and the players are seated
        self.buying: set[str] = set()  # a rebuy or add-on being paid: their table deals no hand meanwhile
        self._rebuy_timers: dict[str, Any] = {}  # player awaiting a rebuy -> the call that declines for them

    # -- tables ------------------------------------------------------------------------------------

    def table_id(self, number: int) -> str:
        return f"{self.id}-{number}"

    def table(self, table_id: str) -> TournamentTable | None:
        return next((t for t in self.tables.values() if t.config.table_id == table_id), None)

    def _number(self, runtime: TournamentTable) -> int:
        return next(n for n, t in self.tables.items() if t is runtime)

    def _open_table(self, number: int) -> TournamentTable:
        level = self.core.rules.schedule.levels[0]
        config = TableConfig(self.table_id(number), f"{self.spec.name} #{number}",
                             level.rules(self.variant, self.structure), self.spec.seats, 0, 0,
                             decision_seconds=self.spec.decision_seconds,
                             between_hands_seconds=self.host.between_hands_seconds,
                             absent_seconds=self.host.absent_seconds,
                             time_bank_seconds=self.spec.time_bank_seconds,
                             time_bank_refill_seconds=self.spec.time_bank_refill_seconds)
        runtime = TournamentTable(config, self, self.host.reactor, self.plan, self.host.dealer)
        self.tables[number] = runtime
        return runtime

    def begin(self) -> None:
        """Seat everyone as the tournament drew them; the first hands follow the usual pause."""
        self.begun = True
        for number, seats in self.core.seating().items():
            runtime = self._open_table(number)
            for seat, player in seats.items():
                runtime.sit(player, seat, self.core.players[player].stack, self.techs[player])
                self._tell(player, "started", table_id=runtime.config.table_id, seat=seat,
                           stack=self.core.players[player].stack, entrants=self.core.entrants)

    def late_entry(self, player: str, tech: str, entry: LateEntry) -> None:
        """A late registrant, seated where the tournament put them (balancing may have moved them)."""
        self.techs[player] = tech
        self._apply(entry.outcome)
        if not any(t.seat_of(player) for t in self.tables.values()):
            runtime = self.tables.get(entry.table) or self._open_table(entry.table)
            runtime.sit(player, entry.seat, entry.purchase.chips, tech)
        table, seat = self.core.players[player].table, self.core.players[player].seat
        assert table is not None and seat is not None
        self._tell(player, "started", table_id=self.table_id(table), seat=seat, stack=entry.purchase.chips,
                   entrants=self.core.entrants)

    def presence(self, player_id: str, online: bool) -> None:
        for runtime in self.tables.values():
            runtime.connected(player_id, online)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.host.reactor.seconds(), timezone.utc)

    def _tell(self, player_id: str, event: str, **data: Any) -> None:
        self.host.hub.deliver(player_id, {"type": "tournament", "tournament_id": self.id, "event": event, **data})

    def _kick_all(self) -> None:
        for runtime in list(self.tables.values()):
            runtime.kick()

    # -- the planner: the tournament decides each hand ------------------------------------------------

    def plan(self, runtime: TournamentTable) -> DealPlan | None:
        number = self._number(runtime)
        now = self._now()
        if self.core.phase is not Phase.RUNNING:
            return None
        if any(s.player_id in self.buying for s in runtime.seated.values()):
            return None  # chips are being bought here: the purchase's end kicks the table
        reason = self.core.why_not_start(number, now)
        if reason is not None:
            if self.core.on_break(now):
                self._after_break(number, runtime, now)
            return None
        seats = {seat: s.player_id for seat, s in runtime.seated.items()}
        if seats != self.core.tables[number].seats:
            # A bug, not a game event: never deal a hand the tournament would not recognise.
            log.error("table {table}: runtime seats {seats} differ from the tournament's {core}",
                      table=runtime.config.table_id, seats=seats, core=self.core.tables[number].seats)
            return None
        start = self.core.start_hand(number, now)
        for seat, stack in start.dealt:
            runtime.seated[seat].stack = stack
        order = [seat for seat, _ in start.dealt]
        return DealPlan(start.button, tuple(order), Blinds.standard(order, start.button),
                        start.level.rules(self.variant, self.structure))

    def _after_break(self, number: int, runtime: TournamentTable, now: datetime) -> None:
        breaks = self.core.rules.schedule.breaks
        timer = self._break_timers.get(number)
        if breaks is None or (timer is not None and timer.active()):
            return
        elapsed = self.core.elapsed(now)
        ends = breaks.ends_at(elapsed)
        if ends is not None:
            self._break_timers[number] = self.host.reactor.callLater(ends - elapsed + 0.05, runtime.kick)

    # -- the table listener ------------------------------------------------------------------------

    def send(self, player_id: str, message: dict[str, Any]) -> None:
        self.host.hub.deliver(player_id, message)

    def stand_up(self, table: Any, seated: Seated, reason: str) -> None:
        log.error("stand-up {reason} asked at tournament table {table}: ignored", reason=reason,
                  table=table.config.table_id)

    def hand_started(self, table: Any, id_partie: str, hand: Hand) -> None:
        seats = [{"seat": s, "player_id": table.seated[s].player_id, "tech": table.seated[s].tech,
                  "stack": hand.starting_stacks[s]} for s in hand.order]
        now = datetime.now(timezone.utc)
        # Read on the reactor thread, now: by the time the database thread runs, the table may
        # have been broken up.
        record = json.dumps({"seats": seats, **self._hand_facts(table, hand)})
        table_id = table.config.table_id
        self._hand_rows[id_partie] = self.host.track(self.host.db.transaction(lambda c: c.execute(
            poker_tournament_hands.insert().values(
                id=id_partie, tournament_id=self.id, table_id=table_id, started_at=now, record=record))))

    def _hand_facts(self, table: Any, hand: Hand) -> dict[str, Any]:
        state = self.core.tables[self._number(table)]
        level = state.last_hand_level
        return {"hand": state.hands, "level": None if level is None else level + 1,
                "blinds": [hand.rules.small_blind, hand.rules.big_blind, hand.rules.ante]}

    def hand_finished(self, table: Any, finished: FinishedHand) -> Deferred[Any]:
        hand = finished.hand
        result = hand.result
        assert result is not None
        number = self._number(table)
        now = self._now()
        players = {seat: Player(s.player_id, self.host.operator_id) for seat, s in finished.players.items()}
        datas = {seat: popartie_data(popartie(finished.views[seat], HandContext(
            seated.tech, finished.id_partie, table.config.table_id, hand.rules, players, finished.times,
            amount=chips))) for seat, seated in finished.players.items()}
        record = {"seats": [{"seat": s, "player_id": p.player_id, "tech": p.tech, "before": hand.starting_stacks[s],
                             "after": result.final_stacks[s]} for s, p in finished.players.items()],
                  **self._hand_facts(table, hand), "board": [int(c) for c in hand.board]}
        outcome = self.core.finish_hand(number, result.final_stacks, now)
        standings, awards = self._conclude(outcome, now)

        def work(c: Connection) -> list[Notice]:
            c.execute(update(poker_tournament_hands).where(poker_tournament_hands.c.id == finished.id_partie).values(
                finished_at=datetime.now(timezone.utc), record=json.dumps(record)))
            notices = [insert_notice(c, finished.players[seat].player_id, "POPARTIE", data, limit=None)
                       for seat, data in datas.items()]
            return notices + self._write_outcome(c, outcome, standings, awards)

        started = self._hand_rows.pop(finished.id_partie)

        async def finish() -> None:
            await started
            notices = await self.host.db.transaction(work)
            for notice in notices:
                self.host.notices.deliver(notice)
            self._announce(outcome, standings, awards)

        return self.host.track(Deferred.fromCoroutine(finish()))

    def settle(self, outcome: Outcome) -> Deferred[Any]:
        """An outcome reached between hands (a rebuy declined or lapsed): written, then announced."""
        standings, awards = self._conclude(outcome, self._now())

        async def finish() -> None:
            notices = await self.host.db.transaction(lambda c: self._write_outcome(c, outcome, standings, awards))
            for notice in notices:
                self.host.notices.deliver(notice)
            self._announce(outcome, standings, awards)

        return self.host.track(Deferred.fromCoroutine(finish()))

    def _conclude(self, outcome: Outcome, now: datetime) -> tuple[dict[str, Finish], tuple[Award, ...]]:
        """Places known once the field is final, prizes once it is over; the tables follow at once."""
        standings = {f.player: f for f in self.core.standings()} if self.core.field_final(now) else {}
        awards = self.core.payouts() if outcome.finished else ()
        self._apply(outcome)
        return standings, awards

    def _write_outcome(self, c: Connection, outcome: Outcome, standings: dict[str, Finish],
                       awards: tuple[Award, ...]) -> list[Notice]:
        for bust in outcome.busted:
            finish = standings.get(bust.player)
            c.execute(update(poker_tournament_entries).where(
                (poker_tournament_entries.c.tech == self.techs[bust.player])
                & (poker_tournament_entries.c.status == "playing")).values(
                status="out", place=finish.place if finish else None, ended_at=datetime.now(timezone.utc)))
        return self._pay_prizes(c, awards, list(standings.values())) if outcome.finished else []

    def _announce(self, outcome: Outcome, standings: dict[str, Finish], awards: tuple[Award, ...]) -> None:
        for bust in outcome.busted:
            finish = standings.get(bust.player)
            self._tell(bust.player, "busted", place=finish.place if finish else None)
        for player in outcome.awaiting_rebuy:
            self._offer_rebuy(player)
        if outcome.finished:
            self._end(list(standings.values()), awards)
        else:
            self._kick_all()

    # -- rebuys and the add-on ---------------------------------------------------------------------

    def _offer_rebuy(self, player: str) -> None:
        rule, terms = self.core.rules.rebuy, self.spec.rebuy
        if rule is None or terms is None or self.core.players[player].pending_bust is None:
            return
        seconds = terms["decision_seconds"]
        self._stop_rebuy_timer(player)
        self._rebuy_timers[player] = self.host.reactor.callLater(seconds, self._rebuy_lapsed, player)
        self._tell(player, "rebuy_offered", cost_cents=rule.cost.price + rule.cost.fee, chips=rule.cost.chips,
                   deadline=self.host.reactor.seconds() + seconds)

    def _stop_rebuy_timer(self, player: str) -> None:
        timer = self._rebuy_timers.pop(player, None)
        if timer is not None and timer.active():
            timer.cancel()

    def _rebuy_lapsed(self, player: str) -> None:
        self._rebuy_timers.pop(player, None)
        # Paying right now, or someone else is: putting this player out could end the tournament
        # while a purchase's money moves (its chips would never be played). The purchase decides first.
        if self.buying:
            self._rebuy_timers[player] = self.host.reactor.callLater(1.0, self._rebuy_lapsed, player)
            return
        try:
            outcome = self.core.decline_rebuy(player, self._now())
        except TournamentError:
            return  # rebought, or already out (the period ended)
        self.settle(outcome)

    def decline_rebuy(self, player: str) -> None:
        if self.buying:
            raise PurchaseUnderWay("a purchase is being paid at this tournament: decline again in a moment")
        outcome = self.core.decline_rebuy(player, self._now())  # TournamentError: not awaiting one
        self._stop_rebuy_timer(player)
        self.settle(outcome)

    def start_purchase(self, player: str, kind: PurchaseKind) -> tuple[Purchase, PlayerState]:
        """The chips are the player's at once in the tournament (refused mid-hand); their table
        deals nothing until :meth:`end_purchase`, so a failed payment is undone exactly."""
        before = self.core.snapshot(player)
        now = self._now()
        purchase = self.core.rebuy(player, now) if kind is PurchaseKind.REBUY else self.core.add_on(player, now)
        self.buying.add(player)
        return purchase, before

    def end_purchase(self, purchase: Purchase, before: PlayerState, paid: bool) -> int:
        """The payment's end: the chips reach the seat, or the purchase is undone. Returns the stack."""
        player = purchase.player
        self.buying.discard(player)
        if paid:
            if purchase.kind is PurchaseKind.REBUY:
                self._stop_rebuy_timer(player)
            runtime = self._table_of(player)
            if runtime is not None:
                runtime.add_chips(player, purchase.chips)
        else:
            self.core.revert(purchase, before)
            if self.core.players[player].pending_bust is not None and player not in self._rebuy_timers:
                self._offer_rebuy(player)
        self._kick_all()
        return self.core.players[player].stack

    def _table_of(self, player: str) -> TournamentTable | None:
        return next((t for t in self.tables.values() if t.seat_of(player) is not None), None)

    def _apply(self, outcome: Outcome) -> None:
        """Busts leave, moved players change tables, broken tables close: as the tournament says."""
        for bust in outcome.busted:
            self._stop_rebuy_timer(bust.player)
            runtime = self.tables.get(bust.table)
            if runtime is not None and runtime.seat_of(bust.player) is not None:
                runtime.unseat(bust.player, "busted")
        for move in outcome.moves:
            source = self.tables.get(move.from_table)
            bank = None  # the player's time bank goes with them; a full one if it cannot be read
            if source is not None and source.seat_of(move.player) is not None:
                bank = source.unseat(move.player, "moved").time_bank
            target = self.tables.get(move.to_table) or self._open_table(move.to_table)
            stack = self.core.players[move.player].stack
            if target.seat_of(move.player) is None:
                target.sit(move.player, move.to_seat, stack, self.techs[move.player], time_bank=bank)
            self._tell(move.player, "moved", table_id=target.config.table_id, seat=move.to_seat, stack=stack,
                       reason=move.reason.value)
            target.send_state(move.player)  # the new table as it stands, a hand under way included
        for number in outcome.broken:
            runtime = self.tables.pop(number, None)
            if runtime is not None:
                runtime.close()

    # -- the end -------------------------------------------------------------------------------------

    def _pay_prizes(self, c: Connection, awards: tuple[Award, ...], standings: list[Finish]) -> list[Notice]:
        money.lock(c, self.id)
        entries = {e.player_id: e for e in money.active_entries(c, self.id, ("playing", "out"))}
        entrants = self.core.entrants
        notices = [money.pay_prize(c, self.id, entries[a.player], a.amount, place_text(self.spec.name, a, entrants))
                   for a in awards]
        prizes = {a.player: a.amount for a in awards}
        ended = datetime.now(timezone.utc)
        for finish in standings:
            c.execute(update(poker_tournament_entries).where(
                poker_tournament_entries.c.tech == entries[finish.player].tech).values(
                status="finished", place=finish.place, prize=prizes.get(finish.player, 0), ended_at=ended))
        c.execute(update(poker_tournaments).where(poker_tournaments.c.id == self.id).values(
            status="finished", ended_at=ended))
        left = money.ledger.balance(c, money.escrow(self.id))
        if left:
            log.error("tournament {tid}: {left} cents left in escrow after the prizes", tid=self.id, left=left)
        return notices

    def _end(self, standings: list[Finish], awards: tuple[Award, ...]) -> None:
        for player in list(self._rebuy_timers):
            self._stop_rebuy_timer(player)
        prizes = {a.player: a.amount for a in awards}
        table = [{"place": f.place, "last_place": f.last_place, "player_id": f.player,
                  "prize_cents": prizes.get(f.player, 0)}
                 for f in sorted(standings, key=lambda f: (f.place, f.precedence))]
        for runtime in self.tables.values():
            for seated in list(runtime.seated.values()):
                runtime.unseat(seated.player_id, "tournament over")
            runtime.close()
        self.tables.clear()
        for player in self.techs:
            self._tell(player, "finished", standings=table)
        self.host.ended(self.id)

    async def cancel(self, policy: CancelPolicy, info: str) -> CancellationSettlement:
        """The operator stops the tournament: hands under way are void, then refunds or a chip split."""
        settlement = self.core.cancel(self._now(), policy)  # raises, changing nothing, when already over
        for player in list(self._rebuy_timers):
            self._stop_rebuy_timer(player)
        voided = [v for v in (runtime.close() for runtime in self.tables.values()) if v is not None]
        for runtime in self.tables.values():
            for seated in list(runtime.seated.values()):
                runtime.unseat(seated.player_id, "tournament cancelled")
        self.tables.clear()
        for id_partie, _ in voided:
            row = self._hand_rows.pop(id_partie, None)
            if row is not None:
                await row
        entrants = self.core.entrants

        def work(c: Connection) -> list[Notice]:
            money.lock(c, self.id)
            notices: list[Notice] = []
            now = datetime.now(timezone.utc)
            for id_partie, seats in voided:
                c.execute(update(poker_tournament_hands).where(poker_tournament_hands.c.id == id_partie).values(
                    finished_at=now, record=json.dumps({"void": True, "seats": [
                        {"seat": s.seat, "player_id": s.player_id, "tech": s.tech} for s in seats]})))
                notices += [money.void_hand_notice(c, s.player_id, s.tech, id_partie,
                                                   f"hand void: {info}") for s in seats]
            entries = {e.player_id: e for e in money.active_entries(c, self.id, ("playing", "out"))}
            for r in settlement.refunds:
                moved = money.refund(c, self.id, entries[r.player], "refunded", fees_collected=True)
                notices.append(money.refund_notice(c, self.id, entries[r.player], moved, info))
            for award in settlement.awards:
                notices.append(money.pay_prize(c, self.id, entries[award.player], award.amount,
                                               f"{place_text(self.spec.name, award, entrants)}; {info}"))
            for share in settlement.shares:
                if share.amount:
                    notices.append(money.pay_prize(c, self.id, entries[share.player], share.amount,
                                                   f"{self.spec.name}: share of the prize pool by chips "
                                                   f"({share.chips}); {info}"))
            c.execute(update(poker_tournament_entries).where(
                (poker_tournament_entries.c.tournament_id == self.id)
                & poker_tournament_entries.c.status.in_(("playing", "out"))).values(status="cancelled", ended_at=now))
            c.execute(update(poker_tournaments).where(poker_tournaments.c.id == self.id).values(
                status="cancelled", ended_at=now, info=info))
            return notices

        notices = await self.host.db.transaction(work)
        for notice in notices:
            self.host.notices.deliver(notice)
        for player in self.techs:
            self._tell(player, "cancelled", info=info, policy=policy.value)
        self.host.ended(self.id)
        return settlement

    def summary(self) -> dict[str, Any]:
        now = self._now()
        level = self.core.level(now)
        return {
            "remaining": self.core.remaining, "entrants": self.core.entrants, "prize_pool_cents": self.core.prize_pool,
            "level": {"number": self.core.level_index(now) + 1, "small_blind": level.small_blind,
                      "big_blind": level.big_blind, "ante": level.ante},
            "tables": [{"table_id": runtime.config.table_id, "players": [
                {"seat": s.seat, "player_id": s.player_id, "stack": s.stack}
                for s in sorted(runtime.seated.values(), key=lambda s: s.seat)]}
                for _, runtime in sorted(self.tables.items())],
        }


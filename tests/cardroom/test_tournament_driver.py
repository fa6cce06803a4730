"""The running-tournament driver on a simulated clock: blind levels by minutes of play, a break
during which no hand starts, an absent player dealt in every hand and folded by the action clock,
the prize paid from the escrow at the end. A real (SQLite) database; no network."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from twisted.internet.defer import Deferred, fail, succeed
from twisted.internet.task import Clock

from games.tournament.ledger import PurchaseKind
from games.tournament.registration import Registration
from games.tournament.tournament import Tournament
from server import accounts
from server.cardroom import tournament_money as money
from server.cardroom.tournament_play import RunningTournament
from server.cardroom.tournament_spec import parse_tournament_request
from server.cardroom.tournament_tables import poker_tournament_hands, poker_tournaments
from server.db import migrate
from server.db.engine import make_engine
from server.notices import Notice
from server.wallet import ledger
from server.wallet.ledger import Posting, operator_account, player_account

T = TypeVar("T")
CREATED = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
LEVELS = [{"small_blind": sb, "big_blind": 2 * sb} for sb in (10, 25, 50, 100, 200, 400, 800, 1500, 3000, 6000)]


class SyncDb:
    """Each transaction runs at once, on the caller's thread (the clock is simulated anyway)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def transaction(self, fn: Callable[[Any], T]) -> Deferred[T]:
        try:
            with self.engine.begin() as c:
                return succeed(fn(c))
        except Exception as exc:
            return fail(exc)


class Seeded:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def randbelow(self, n: int) -> int:
        return self.rng.randrange(n)


class Host:
    def __init__(self, engine: Engine) -> None:
        self.db = SyncDb(engine)
        self.reactor = Clock()
        self.messages: list[tuple[float, str, dict[str, Any]]] = []
        self.hub = self
        self.notices = self
        self.delivered: list[Notice] = []
        self.dealer = None
        self.operator_id = "0001"
        self.between_hands_seconds = 0.5
        self.absent_seconds = 30.0
        self.ended_ids: list[str] = []

    def deliver(self, target: Any, message: dict[str, Any] | None = None) -> None:
        if message is None:  # the notice service's deliver(notice)
            self.delivered.append(target)
        else:
            self.messages.append((self.reactor.seconds(), target, message))

    def track(self, d: Deferred[Any]) -> Deferred[Any]:
        return d

    def ended(self, tournament_id: str) -> None:
        self.ended_ids.append(tournament_id)


def running_tournament(tmp_path: Path, names: list[str],
                       **spec_fields: Any) -> tuple[Host, RunningTournament, dict[str, str]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'driver.sqlite3'}")
    migrate.upgrade(engine)
    spec = parse_tournament_request({
        "name": "Clocked", "players": len(names), "buy_in_cents": 1000, "fee_cents": 100, "starting_chips": 1500,
        "levels": LEVELS, "level_minutes": 1, "break_every_minutes": 5, "break_minutes": 1, "decision_seconds": 5,
        **spec_fields}, CREATED)
    ids: dict[str, str] = {}
    techs: dict[str, str] = {}
    with engine.begin() as c:
        c.execute(insert(poker_tournaments).values(id="Tclock", name=spec.name, format=spec.format,
                                                   spec=spec.to_json(), status="open", created_at=CREATED))
        for name in names:
            player = accounts.register(c, name, "not-a-hash", name)
            ids[name], techs[player.id] = player.id, f"U{name}"
            ledger.post(c, "test_deposit", [Posting(operator_account("test"), -5000),
                                            Posting(player_account(player.id), 5000)])
            money.pay_entry(c, "Tclock", techs[player.id], player.id, spec.buy_in, spec.fee, 5000)
            money.record_chips(c, "Tclock", techs[player.id], spec.chips)
        money.collect_fees(c, "Tclock", list(techs.values()))
        c.execute(update(poker_tournaments).where(poker_tournaments.c.id == "Tclock").values(status="running"))
    registration = Registration(spec.rules(CREATED).registration)
    for player_id in techs:
        registration.register(player_id, CREATED)
    host = Host(engine)
    core = Tournament(spec.rules(CREATED), registration.decide(CREATED).entries,
                      datetime.fromtimestamp(host.reactor.seconds(), timezone.utc), Seeded(7))
    running = RunningTournament(host, "Tclock", spec, core, techs)
    running.begin()
    return host, running, ids


def play(host: Host, running: RunningTournament, actors: set[str], limit: float) -> None:
    """Calling stations for ``actors``; the others never answer. Until the end or ``limit`` seconds."""
    seen = 0
    while not host.ended_ids and host.reactor.seconds() < limit:
        host.reactor.advance(0.05)
        fresh, seen = host.messages[seen:], len(host.messages)
        for _, player_id, message in fresh:
            if message.get("event") == "your_turn" and player_id in actors:
                table = running.table(message["table_id"])
                if table is not None and table.hand is not None and table.hand.turn == message["seat"]:
                    table.act(player_id, "check" if message["can_check"] else "call", None)


def test_time_levels_breaks_and_the_clock_for_absent_players(tmp_path: Path) -> None:
    host, running, ids = running_tournament(tmp_path, ["ann", "bob", "cid"])
    absent = ids["cid"]
    play(host, running, {ids["ann"], ids["bob"]}, limit=3600)
    assert host.ended_ids == ["Tclock"], "the tournament did not finish within an hour of simulated time"

    schedule = running.core.rules.schedule
    starts = {m["hand_id"]: (t, m) for t, _, m in host.messages if m.get("event") == "hand_started"}
    with host.db.engine.connect() as c:
        rows = {r.id: r for r in c.execute(select(poker_tournament_hands))}
    assert set(rows) == set(starts) and len(rows) > 20
    records = {hand_id: json.loads(row.record) for hand_id, row in rows.items()}
    for hand_id, (at, message) in starts.items():
        assert not schedule.on_break(at), f"a hand started during the break, at {at:.2f} s"
        level = schedule.levels[schedule.level_index(at)]
        assert records[hand_id]["blinds"] == [level.small_blind, level.big_blind, 0], (at, records[hand_id])
    times = sorted(at for at, _ in starts.values())
    assert any(at < 240 for at in times) and any(300 <= at < 302 for at in times)  # the break: 240-300 s
    assert len({tuple(r["blinds"]) for r in records.values()}) >= 4  # levels rose with the minutes

    # The absent player was dealt every hand until busted, and every decision of theirs was the clock's.
    absent_hands = [h for h, r in records.items() if any(s["player_id"] == absent for s in r["seats"])]
    busted_at = max(starts[h][0] for h in absent_hands)
    assert all(any(s["player_id"] == absent for s in records[h]["seats"]) for h, (at, _) in starts.items()
               if at <= busted_at)
    seats = {h: next(s["seat"] for s in records[h]["seats"] if s["player_id"] == absent) for h in absent_hands}
    theirs = [m for _, _, m in host.messages if m.get("event") == "acted" and m["hand_id"] in seats
              and m["seat"] == seats[m["hand_id"]]]
    assert theirs and all(m["timed_out"] and m["action"] == "fold" for m in theirs)

    # Winner takes all with three entrants; the escrow is empty, the fees are the operator's.
    gains = [n for n in host.delivered if n.kind == "POGAIN"]
    assert len(gains) == 1 and gains[0].data["gain"] == "30.00" and "finished 1 of 3" in gains[0].data["info"]
    with host.db.engine.connect() as c:
        assert ledger.balance(c, money.escrow("Tclock")) == 0
        assert ledger.balance(c, money.FEES_ACCOUNT) == 300
        assert ledger.check(c).ok
    popartie = [n for n in host.delivered if n.kind == "POPARTIE"]
    assert len(popartie) == sum(len(r["seats"]) for r in records.values())


REBUYS = {"rebuy": {"buy_in_cents": 1000, "fee_cents": 100, "chips": 1500, "until_level": 100,
                    "threshold_chips": 1500, "limit": 3, "decision_seconds": 5}}


def events_for(host: Host, player_id: str, event: str) -> list[dict[str, Any]]:
    return [m for _, target, m in host.messages if target == player_id and m.get("event") == event]


def test_a_purchase_holds_its_table_and_a_failed_payment_gives_the_chips_back(tmp_path: Path) -> None:
    host, running, ids = running_tournament(tmp_path, ["ann", "bob"], **REBUYS)
    ann = ids["ann"]
    purchase, before = running.start_purchase(ann, PurchaseKind.REBUY)  # stack 1500: at the threshold
    assert running.core.players[ann].stack == 3000
    host.reactor.advance(3)
    assert not [m for _, _, m in host.messages if m.get("event") == "hand_started"]  # the table waits
    assert running.end_purchase(purchase, before, paid=False) == 1500
    assert running.core.ledger.count(ann, PurchaseKind.REBUY) == 0 and running.core.prize_pool == 2000
    host.reactor.advance(1)
    assert [m for _, _, m in host.messages if m.get("event") == "hand_started"]  # and deals again


def test_paid_chips_reach_the_seat_between_hands(tmp_path: Path) -> None:
    host, running, ids = running_tournament(tmp_path, ["ann", "bob"], **REBUYS)
    ann = ids["ann"]
    purchase, before = running.start_purchase(ann, PurchaseKind.REBUY)
    assert running.end_purchase(purchase, before, paid=True) == 3000
    table = running.table(running.table_id(1))
    assert table is not None and table.seat_of(ann).stack == 3000  # type: ignore[union-attr]
    assert any(m.get("event") == "stack" and m.get("stack") == 3000 for _, _, m in host.messages)


def test_an_unanswered_rebuy_offer_lapses_and_the_player_is_out(tmp_path: Path) -> None:
    host, running, ids = running_tournament(tmp_path, ["ann", "bob", "cid"], **REBUYS)
    everyone = set(ids.values())
    seen = 0
    offered: list[str] = []
    while not offered and host.reactor.seconds() < 3600:
        host.reactor.advance(0.05)
        fresh, seen = host.messages[seen:], len(host.messages)
        for _, player_id, message in fresh:
            if message.get("event") == "rebuy_offered":
                offered.append(player_id)
            if message.get("event") == "your_turn" and player_id in everyone:
                table = running.table(message["table_id"])
                if table is not None and table.hand is not None and table.hand.turn == message["seat"]:
                    table.act(player_id, "raise", message["max_raise_to"]) if message.get(
                        "max_raise_to") else table.act(player_id, "check" if message["can_check"] else "call", None)
    assert offered, "nobody busted within an hour of all-ins"
    player = offered[0]
    offer = events_for(host, player, "rebuy_offered")[0]
    assert offer["cost_cents"] == 1100 and offer["chips"] == 1500
    assert not events_for(host, player, "busted")
    host.reactor.advance(offer["deadline"] - host.reactor.seconds() + 0.1)
    assert events_for(host, player, "busted") and running.core.players[player].standing.value == "out"

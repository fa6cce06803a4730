"""Child process of bench/room.py: the bots of some tables, over real WebSockets.

    .venv/bin/python bench/_room_client.py CONFIG.json

CONFIG holds the server's URL, this process's players (login, table) and the bots'
policy. Commands arrive on stdin, one a line; answers go to stdout as ``WORD {json}``:

    open    -> OPENED   every player opens a regulated account over the protocol (hello,
                        open_account, accept_terms, set_limits, deposit, ack of CPTEALIM),
                        --concurrency at a time; each keeps its connection
    join    -> JOINED   every player sits at its table (table_join: POINSCRIT, POCAVE);
                        the bots play from then on
    window  -> WINDOW   what happened since the previous ``window`` (counters reset)
    quit                the reactor stops

A bot acts on ``your_turn`` after its acknowledgements (the server refuses anything while a
notice waits), acknowledges every notice (POPARTIE after each hand: the trace is recorded
then), and tops its stack up to the maximum buy-in when it busts. Its decisions are
client.poker_bot.PokerBot's. Latency: time.monotonic() just before the ``table_act`` frame
is handed to the transport, to the arrival (onMessage, before anything else is done with
it) of the ``acted`` broadcast for the bot's own seat in the same hand. Hands: the
``hand_result`` events seen by the first player of each table.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from twisted.internet import defer, reactor, stdio, task
from twisted.protocols.basic import LineReceiver

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from client import bot  # noqa: E402
from client.poker_bot import PokerBot  # noqa: E402

PASSWORD = "correct horse battery"
IBAN = "FR1420041010050500013M02606"


def identity(login: str, index: int) -> dict[str, Any]:
    born = date(1950, 1, 1) + timedelta(days=(index * 37) % 18000)
    return {"login": login, "pseudo": login, "birth_name": "Dupond", "first_names": ["Jean-Pierre", "Marie"],
            "civility": "M", "birth_date": born.isoformat(), "birth_town": "Nice", "birth_department": "06",
            "birth_country": "France", "address": ["12 rue de la Paix"], "postal_code": "75002", "town": "Paris",
            "country": "France", "email": f"{login}@example.org", "phone_mobile": "0612345678"}


class Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.latencies: list[float] = []  # ms, table_act sent -> own acted received
        self.acks: list[float] = []  # ms, ack sent -> its result (the trace is in the vault then)
        self.hands = 0
        self.timeouts = 0  # own seat folded by the clock
        self.retries = 0  # table_act refused with notices_pending, sent again
        self.top_ups = 0
        self.notices = 0
        self.errors: dict[str, int] = {}

    def error(self, code: str) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        return {"lat": [round(x, 3) for x in self.latencies], "acks": [round(x, 3) for x in self.acks],
                "hands": self.hands, "timeouts": self.timeouts, "retries": self.retries, "top_ups": self.top_ups,
                "notices": self.notices, "errors": self.errors}


STATS = Stats()


class Player:
    def __init__(self, login: str, index: int, table_id: str, seat: int, policy: dict[str, Any]) -> None:
        self.login = login
        self.index = index
        self.table_id = table_id
        self.watcher = seat == 1  # counts the table's hands
        self.wanted_seat = seat
        self.brain = PokerBot(random.Random(index), fold=policy["fold"], raise_=policy["raise"],
                              all_in=policy["all_in"])
        self.think = policy["think"]
        self.buy_in = policy["buy_in"]
        self.rng = random.Random(10_000 + index)
        self.protocol: bot.BotProtocol | None = None
        self.seat: int | None = None
        self.acks: defer.Deferred[Any] = defer.succeed(None)
        self.sent_at: float | None = None
        self.sent_hand: str | None = None
        self.top_up_due = False
        self.deposited: defer.Deferred[None] = defer.Deferred()

    # -- set-up ---------------------------------------------------------------------------------

    async def open(self, url: str, deposit_cents: int) -> None:
        self.protocol = await bot.connect(url, on_message=self.on_message)
        await bot.greet(self.protocol, "croupier-bench-room")
        p = self.protocol
        await p.call("open_account", identity=identity(self.login, self.index), password=PASSWORD)
        await p.call("accept_terms", version="2026-01")
        await p.call("set_limits", stake={"amount_cents": 100_000_000, "period": "S"},
                     deposit={"amount_cents": 100_000_000, "period": "S"}, payout_above_cents=100_000_000)
        await p.call("deposit", amount_cents=deposit_cents)
        await self.deposited  # the CPTEALIM notice, acknowledged

    async def join(self) -> None:
        assert self.protocol is not None
        await self.acks
        data = await self.protocol.call("table_join", table_id=self.table_id, buy_in_cents=self.buy_in,
                                        seat=self.wanted_seat)
        self.seat = data["seat"]

    # -- play -----------------------------------------------------------------------------------

    def on_message(self, message: dict[str, Any]) -> None:
        now = time.monotonic()
        assert self.protocol is not None
        self.protocol.unsolicited.clear()
        kind = message.get("type")
        if kind == "table":
            event = message.get("event")
            if event == "acted":
                if message["seat"] == self.seat:
                    if message.get("timed_out"):
                        STATS.timeouts += 1
                    elif self.sent_at is not None and message.get("hand_id") == self.sent_hand:
                        STATS.latencies.append((now - self.sent_at) * 1000)
                    self.sent_at = None
            elif event == "your_turn":
                self.acks.addBoth(lambda _: self._turn(message))
            elif event == "hand_result":
                if self.watcher:
                    STATS.hands += 1
                if self.seat is not None and message["stacks"].get(str(self.seat)) == 0:
                    self.top_up_due = True  # after the hand's POPARTIE, which comes next
        elif kind == "notice":
            STATS.notices += 1
            notice_id = message["notice_id"]
            self.acks.addBoth(lambda _: self._ack(notice_id))
            if message.get("kind") == "CPTEALIM" and not self.deposited.called:
                self.acks.addBoth(lambda _: self.deposited.callback(None))
            elif message.get("kind") == "POPARTIE" and self.top_up_due:
                self.top_up_due = False
                self.acks.addBoth(lambda _: self._top_up())

    def _ack(self, notice_id: int) -> defer.Deferred[Any]:
        assert self.protocol is not None
        sent = time.monotonic()

        def done(reply: dict[str, Any]) -> None:
            if reply.get("type") == "error":
                STATS.error("ack:" + str(reply.get("code")))
            else:
                STATS.acks.append((time.monotonic() - sent) * 1000)

        return self.protocol.request("ack", notice_id=notice_id).addCallback(done).addErrback(lambda _: None)

    def _top_up(self) -> defer.Deferred[Any]:
        assert self.protocol is not None

        def done(reply: dict[str, Any]) -> None:
            if reply.get("type") == "error":
                STATS.error("top_up:" + str(reply.get("code")))
            else:
                STATS.top_ups += 1

        return self.protocol.request("table_top_up", table_id=self.table_id, amount_cents=self.buy_in) \
            .addCallback(done).addErrback(lambda _: None)

    def _turn(self, turn: dict[str, Any]) -> Any:
        if self.think > 0:
            return task.deferLater(reactor, self.rng.uniform(0, 2 * self.think), self._act, turn)
        return self._act(turn)

    def _act(self, turn: dict[str, Any]) -> Any:
        p = self.protocol
        assert p is not None
        if p.state != bot.BotProtocol.STATE_OPEN:
            return None
        action, amount = self.brain.decide(turn)
        fields: dict[str, Any] = {"table_id": turn["table_id"], "action": action}
        if amount is not None:
            fields["amount"] = amount
        self.sent_hand = turn["hand_id"]
        self.sent_at = time.monotonic()
        return p.request("table_act", **fields).addCallback(self._acted, turn).addErrback(lambda _: None)

    def _acted(self, reply: dict[str, Any], turn: dict[str, Any]) -> Any:
        if reply.get("type") != "error":
            return None
        code = str(reply.get("code"))
        if code == "notices_pending" and turn.get("_retries", 0) < 50:
            # A notice is on its way (written just before this turn): act once it is acknowledged.
            STATS.retries += 1
            turn["_retries"] = turn.get("_retries", 0) + 1
            self.sent_at = None
            return task.deferLater(reactor, 0.01, lambda: None).addCallback(
                lambda _: self.acks.addBoth(lambda _: self._act(turn)))
        self.sent_at = None
        STATS.error("act:" + code)
        return None


async def in_batches(players: list[Player], concurrency: int, work: Any) -> float:
    t0 = time.monotonic()
    queue = list(players)

    async def worker() -> None:
        while queue:
            await work(queue.pop())

    await defer.gatherResults([defer.Deferred.fromCoroutine(worker()) for _ in range(concurrency)],
                              consumeErrors=True)
    return time.monotonic() - t0


class Commands(LineReceiver):
    delimiter = b"\n"

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        policy = config["policy"]
        self.players = [Player(p["login"], p["index"], p["table"], p["seat"], policy) for p in config["players"]]
        self.busy: defer.Deferred[Any] | None = None

    def reply(self, word: str, data: dict[str, Any]) -> None:
        self.transport.write(f"{word} {json.dumps(data)}\n".encode())

    def lineReceived(self, line: bytes) -> None:
        command = line.decode().strip()
        if command == "open":
            d = defer.Deferred.fromCoroutine(self._open())
        elif command == "join":
            d = defer.Deferred.fromCoroutine(self._join())
        elif command == "window":
            snapshot = STATS.snapshot()
            STATS.reset()
            self.reply("WINDOW", snapshot)
            return
        elif command == "quit":
            reactor.stop()  # type: ignore[attr-defined]
            return
        else:
            self.reply("ERROR", {"message": f"unknown command {command!r}"})
            return
        d.addErrback(lambda f: self.reply("ERROR", {"message": f.getTraceback()}))

    async def _open(self) -> None:
        seconds = await in_batches(self.players, self.config["concurrency"],
                                   lambda p: p.open(self.config["url"], self.config["deposit_cents"]))
        self.reply("OPENED", {"players": len(self.players), "seconds": seconds})

    async def _join(self) -> None:
        seconds = await in_batches(self.players, self.config["concurrency"], lambda p: p.join())
        self.reply("JOINED", {"players": len(self.players), "seconds": seconds})

    def connectionLost(self, reason: Any) -> None:
        if reactor.running:  # type: ignore[attr-defined]
            reactor.stop()  # type: ignore[attr-defined]


def main() -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    config = json.loads(Path(sys.argv[1]).read_text())
    stdio.StandardIO(Commands(config))
    reactor.run()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()

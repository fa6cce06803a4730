"""Build and run the whole server in one process and one reactor."""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import resource
import sys
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from autobahn.twisted.resource import WebSocketResource
from twisted.internet import defer, threads
from twisted.internet.task import deferLater
from twisted.internet.interfaces import IListeningPort
from twisted.logger import Logger
from twisted.web.resource import Resource
from twisted.web.server import Site

from server import accounts, operator_tokens
from server.config import Config, ConfigError
from server.db import migrate
from server.db.engine import make_engine
from server.db.guard import ReactorThreadGuard
from server.db.pool import Database
from server.handlers import Dispatcher, Limits
from server.hub import Hub
from server.account_flows import AccountFlows, AccountSettings
from server.banned_recheck import BannedRecheck
from server.frontal_link import Frontal
from server.interdits.checker import BannedPlayersChecker
from server.payment_refs import BankTable
from server.wallet.payments import Payments
from server.wallet.psp import StagingProvider
from server.cardroom.notice_events import BUILDERS as CARDROOM_BUILDERS
from server.sportsbook.notice_events import BUILDERS as SPORTSBOOK_BUILDERS
from server.sportsbook.race_notice_events import BUILDERS as RACE_BUILDERS
from server.cardroom.service import CardRoom, CardRoomSettings
from server.cardroom.tournaments import TournamentRoom
from games.dealer import Dealer
from server.rng_audit.api import RngAuditApi
from server.rng_audit.collector import AuditCollector
from server.rng_audit.wiring import room_variants
from server.notice_traces import BUILDERS as ACCOUNT_BUILDERS
from server.notice_traces import NoticeTracer
from server.notices import NoticeService
from server.operator_api import OperatorApi
from server.passwords import ScryptParams
from server.protocol.schemas import MessageValidator
from games.betslip import Limits as SlipLimits
from server.sportsbook.bets import BetDesk, BetSettings
from server.sportsbook.race_bets import RaceDesk
from server.sportsbook.catalogue import SportsCatalogue
from server.sportsbook.settlement import BetSettler
from server.sportsbook.catalogue import load_configured as load_sportsbook_nomenclature
from server.ws import CLOSE_BLOCKED, CLOSE_GOING_AWAY, PlayerFactory

log = Logger(namespace="croupier.app")

BOOTSTRAP_TOKEN_FILE = "operator-token"


@dataclass
class Listening:
    ws: IListeningPort
    api: IListeningPort


def prepare_data_dir(config: Config) -> Path:
    data_dir = config.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    return data_dir


def raise_file_limit() -> int:
    """Each player is a socket: lift the soft descriptor limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class CroupierApp:
    def __init__(self, config: Config, reactor: Any) -> None:
        self.config = config
        self.reactor = reactor
        self.data_dir = prepare_data_dir(config)
        engine = make_engine(config.database_url())
        migrate.upgrade(engine)
        self.db = Database(engine, reactor, config.get("db.pool_threads"))
        with engine.begin() as connection:
            stale = accounts.close_all_sessions(connection, "server restart")
        if stale:
            log.info("closed {count} sessions left open by the previous process", count=stale)
        self.bootstrap_token()
        self.hub = Hub()
        self.notices = NoticeService(self.db, self.hub, config.get("notices.max_pending_per_player"))
        self.frontal = Frontal(config, engine, reactor)
        builders = {**ACCOUNT_BUILDERS, **CARDROOM_BUILDERS, **SPORTSBOOK_BUILDERS, **RACE_BUILDERS}
        self.notices.add_ack_hook(NoticeTracer(self.db, self.frontal.sensor, config.get("server.operator_id"),
                                               self.frontal.id_coffre, builders))
        limits = Limits(
            max_frame_bytes=config.get("ws.max_frame_bytes"),
            rate_per_second=config.get("ws.rate_per_second"),
            rate_burst=config.get("ws.rate_burst"),
        )
        self.dispatcher = Dispatcher(
            self.db,
            self.hub,
            self.notices,
            ScryptParams(config.get("accounts.scrypt_n"), config.get("accounts.scrypt_r"), config.get("accounts.scrypt_p")),
            config.get("accounts.max_sessions_per_player"),
            limits,
        )
        self.validator = MessageValidator()
        self.api = OperatorApi(self.db, self.hub, self.notices)
        self.accounts = self._account_flows(config)
        self.rng_audit, self.dealer = self._rng_audit(config)
        for method, pattern, roles, handler in RngAuditApi(self.db).routes():
            self.api.add_route(method, pattern, roles, handler)
        self.cardroom = self._cardroom(config)
        self.sportsbook = self._sportsbook(config)
        self.listening: Listening | None = None
        self.factory: PlayerFactory | None = None
        self.guard = ReactorThreadGuard()
        self.api.guard = self.guard

    def _account_flows(self, config: Config) -> AccountFlows:
        servers = []
        for item in config.get("interdits.servers"):
            host, _, port = str(item).rpartition(":")
            if not host or not port.isdigit():
                raise ConfigError(f"interdits.servers: expected host:port, got {item!r}")
            servers.append((host, int(port)))
        checker = BannedPlayersChecker(servers, zone=config.get("interdits.zone"), reactor=self.reactor)
        settings = AccountSettings(
            operator_id=config.get("server.operator_id"), id_coffre=self.frontal.id_coffre,
            licences=tuple(config.get("accounts.licences")), terms_version=config.get("accounts.terms_version"),
            banned_secret=config.get("interdits.secret"),
            increase_delay=timedelta(hours=config.get("accounts.limit_increase_delay_hours")),
            scrypt=ScryptParams(config.get("accounts.scrypt_n"), config.get("accounts.scrypt_r"),
                                config.get("accounts.scrypt_p")),
            max_sessions=config.get("accounts.max_sessions_per_player"),
            per_licence=config.get("accounts.per_licence"))
        flows: AccountFlows
        payments = Payments(self.db, StagingProvider(), self.notices,
                            deposit_ceiling=lambda player_id: flows.deposit_ceiling(player_id))
        flows = AccountFlows(self.db, self.hub, self.frontal.sensor, checker, payments, BankTable.load(),
                             self.notices, settings)
        self.dispatcher.login_gate = flows.refuse_login
        self.recheck = BannedRecheck(self.db, checker, config.get("interdits.secret"),
                                     on_banned=lambda pid: self.hub.close_player(pid, CLOSE_BLOCKED, "account blocked"))
        self.api.add_route(b"POST", r"^/api/jobs/interdits-recheck$", frozenset({"operator"}), self._run_recheck)
        for kind, (handler, public) in flows.handlers().items():
            self.dispatcher.add_handler(kind, handler, public=public)
        self.api.add_route(b"POST", r"^/api/players/(?P<pid>[A-Za-z0-9]{1,64})/confirm$", frozenset({"operator"}),
                           flows.operator_confirm)
        return flows

    def _rng_audit(self, config: Config) -> tuple[AuditCollector | None, Dealer | None]:
        """Every deck the rooms deal goes to the RNG audit (annex 4.3.2.c); None: rooms build their own dealer."""
        if not config.get("rng_audit.enabled"):
            return None, None
        variants = room_variants(lambda: self.cardroom, lambda: self.tournaments)  # built next, asked at deals
        collector = AuditCollector(self.db, self.reactor, variants,
                                   flush_deals=config.get("rng_audit.flush_deals"),
                                   flush_seconds=config.get("rng_audit.flush_seconds"))
        return collector, Dealer(observer=collector)

    def _cardroom(self, config: Config) -> CardRoom:
        settings = CardRoomSettings(config.get("server.operator_id"), self.frontal.id_coffre,
                                    between_hands_seconds=config.get("cardroom.between_hands_seconds"),
                                    absent_seconds=config.get("cardroom.absent_seconds"))
        room = CardRoom(self.db, self.hub, self.notices, self.frontal.sensor, settings,
                        eligible=lambda session: self.accounts.may_play(session, "JC"), reactor=self.reactor,
                        check_stake=self.accounts.check_stake, dealer=self.dealer)
        for kind, handler in room.handlers().items():
            self.dispatcher.add_handler(kind, handler)
        self.hub.presence_hooks.append(room.presence)
        self.api.add_route(b"POST", r"^/api/poker/tables$", frozenset({"operator"}), room.create_table)
        self.api.add_route(b"GET", r"^/api/poker/tables$", frozenset({"operator", "auditor"}), room.list_tables_api)
        self.api.add_route(b"POST", r"^/api/poker/tables/(?P<table>[A-Za-z0-9_-]{1,32})/close$",
                           frozenset({"operator"}), room.close_table)
        self.tournaments = self._tournaments(settings, room)
        return room

    def _tournaments(self, settings: CardRoomSettings, room: CardRoom) -> TournamentRoom:
        tournaments = TournamentRoom(self.db, self.hub, self.notices, self.frontal.sensor, settings,
                                     eligible=lambda session: self.accounts.may_play(session, "JC"),
                                     reactor=self.reactor, check_stake=self.accounts.check_stake,
                                     dealer=self.dealer)
        for kind, handler in tournaments.handlers().items():
            self.dispatcher.add_handler(kind, handler)
        self.dispatcher.add_handler("table_act", tournaments.table_act(room.act))
        self.hub.presence_hooks.append(tournaments.presence)
        self.api.add_route(b"POST", r"^/api/poker/tournaments$", frozenset({"operator"}),
                           tournaments.create_tournament)
        self.api.add_route(b"GET", r"^/api/poker/tournaments$", frozenset({"operator", "auditor"}),
                           tournaments.list_tournaments_api)
        self.api.add_route(b"GET", r"^/api/poker/tournaments/(?P<tournament>[A-Za-z0-9_-]{1,32})$",
                           frozenset({"operator", "auditor"}), tournaments.tournament_api)
        self.api.add_route(b"POST", r"^/api/poker/tournaments/(?P<tournament>[A-Za-z0-9_-]{1,32})/cancel$",
                           frozenset({"operator"}), tournaments.cancel_tournament)
        return tournaments

    def _sportsbook(self, config: Config) -> SportsCatalogue:
        # Sportsbook catalogue (docs/sportsbook.md): operator routes under /api/sportsbook/, and
        # the players' sports_catalogue. Bets and settlement are a later step.
        catalogue = SportsCatalogue(self.db, load_sportsbook_nomenclature(config))
        for method, pattern, roles, handler in catalogue.routes():
            self.api.add_route(method, pattern, roles, handler)
        for kind, handler in catalogue.handlers().items():
            self.dispatcher.add_handler(kind, handler)
        limits = SlipLimits(max_lines=config.get("sportsbook.max_lines"),
                            min_line_stake=Decimal(config.get("sportsbook.min_line_stake_cents")).scaleb(-2),
                            allow_same_fixture=config.get("sportsbook.allow_same_fixture"))
        desk = BetDesk(self.db, self.frontal.sensor,
                       BetSettings(config.get("server.operator_id"), self.frontal.id_coffre, limits,
                                   lucky_bonus_offer(config), config.get("sportsbook.max_stake_cents"),
                                   stake_top_up(config)),
                       eligible=lambda session: self.accounts.may_play(session, "PS"),
                       check_stake=self.accounts.check_stake)
        for kind, handler in desk.handlers().items():
            self.dispatcher.add_handler(kind, handler)
        races = RaceDesk(self.db, self.frontal.sensor, desk.settings,
                         eligible=lambda session: self.accounts.may_play(session, "PH"),
                         check_stake=self.accounts.check_stake)
        for kind, handler in races.handlers().items():
            self.dispatcher.add_handler(kind, handler)
        self.settler = BetSettler(self.db, self.notices)
        catalogue.result_listeners.append(self.settler.on_result)
        return catalogue

    async def _run_recheck(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        report = await self.recheck.run()
        return 200, {"checked": report.checked, "banned": report.banned, "unavailable": report.unavailable}

    def bootstrap_token(self) -> None:
        """First start: an operator token so the newcomer can use the API at once."""
        with self.db.engine.begin() as connection:
            if operator_tokens.token_count(connection):
                return
            token = operator_tokens.create_token(connection, "bootstrap-operator", "operator")
        path = self.data_dir / BOOTSTRAP_TOKEN_FILE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(token + "\n")
        log.info("created the first operator token in {path}", path=str(path))

    def start(self) -> Listening:
        config = self.config
        self.cardroom.load()  # before the guard: start-up may use the database from this thread
        self.tournaments.load()
        self.guard.arm(self.db.engine)
        self.db.start()
        if self.rng_audit is not None:
            self.rng_audit.start()
        self.frontal.start()
        self.settler.sweep()  # bets whose results came in while the server was stopping or down
        self.recheck.start(self.config.get("interdits.recheck_poll_seconds"))
        ws_host, ws_port, ws_path = config.get("ws.host"), config.get("ws.port"), config.get("ws.path")
        self.factory = PlayerFactory(
            hub=self.hub,
            dispatcher=self.dispatcher,
            validator=self.validator,
            trusted_proxies=config.trusted_proxies(),
            max_frame_bytes=config.get("ws.max_frame_bytes"),
            rate_per_second=config.get("ws.rate_per_second"),
            rate_burst=config.get("ws.rate_burst"),
            strikes_before_close=config.get("ws.rate_strikes_before_close"),
            clock=self.reactor.seconds,
        )
        root = Resource()
        root.putChild(ws_path.strip("/").encode(), WebSocketResource(self.factory))
        ws_site = Site(root)
        ws_site.noisy = False
        api_site = Site(self.api)
        api_site.noisy = False
        ws_port_obj = self.reactor.listenTCP(ws_port, ws_site, backlog=1024, interface=ws_host)
        api_port_obj = self.reactor.listenTCP(config.get("api.port"), api_site, interface=config.get("api.host"))
        self.listening = Listening(ws_port_obj, api_port_obj)
        self.reactor.addSystemEventTrigger("before", "shutdown", self.stop)
        ready = {
            "ws": f"ws://{ws_host}:{ws_port_obj.getHost().port}{ws_path}",
            "api": f"http://{config.get('api.host')}:{api_port_obj.getHost().port}",
            "data_dir": str(self.data_dir.resolve()),
            "pid": os.getpid(),
        }
        (self.data_dir / "ready.json").write_text(json.dumps(ready) + "\n")
        print("CROUPIER READY " + json.dumps(ready), flush=True)
        log.info("serving players on {ws} and operators on {api}", ws=ready["ws"], api=ready["api"])
        return self.listening

    def stop(self) -> "defer.Deferred[None]":
        """SIGTERM: refuse new work, let in-flight messages finish, close, then stop the DB."""
        d = self._stop()
        d.addErrback(lambda f: log.failure("unclean stop", f))
        return d

    @defer.inlineCallbacks
    def _stop(self) -> Any:
        log.info("stopping: no new connections or messages")
        assert self.factory is not None and self.listening is not None
        self.factory.closing = True
        yield defer.DeferredList([defer.maybeDeferred(p.stopListening) for p in (self.listening.ws, self.listening.api)])
        grace = self.config.get("server.shutdown_grace_seconds")
        try:
            yield self._settle(grace)
            for connection in list(self.hub.connections):
                connection.sendClose(CLOSE_GOING_AWAY, "server shutting down")  # type: ignore[attr-defined]
            yield self._until_closed(grace)
            yield self._settle(grace)
        finally:
            if self.rng_audit is not None:  # after the hands settled, before the pool stops
                yield self.rng_audit.stop()
            yield threads.deferToThread(self.frontal.stop)
            self.db.stop()
        log.info("stopped cleanly")

    @defer.inlineCallbacks
    def _until_closed(self, grace: float) -> Any:
        """Let the close handshakes finish so clients see our close code, not a dropped socket."""
        deadline = self.reactor.seconds() + grace
        while self.hub.connections and self.reactor.seconds() < deadline:
            yield deferLater(self.reactor, 0.05, lambda: None)

    @defer.inlineCallbacks
    def _settle(self, grace: float) -> Any:
        assert self.factory is not None
        deadline = self.reactor.seconds() + grace
        while self.reactor.seconds() < deadline:
            work = self.factory.pending_work() + self.cardroom.pending_work() + self.tournaments.pending_work() + self.settler.pending_work()
            if not work:
                return
            timeout = defer.Deferred()
            call = self.reactor.callLater(max(0.0, deadline - self.reactor.seconds()), timeout.callback, None)
            yield defer.DeferredList([timeout, defer.DeferredList(work, consumeErrors=True)], fireOnOneCallback=True)
            if call.active():
                call.cancel()
        log.warn("shutdown grace period over with work still in flight")


def install_stack_dump(signum: int = signal.SIGUSR1) -> None:
    """`kill -USR1 PID` dumps every thread's stack to stderr: for hangs in production.

    Not ``faulthandler.register``: its C handler walks every thread's frames without the GIL,
    while the thread holding it runs Python and pops and reuses them; under load the server
    died of it (SIGSEGV in dump_frame, CPython 3.11). This handler runs on the main thread
    (the reactor) with the GIL held, so the other threads' frames stand still while they are
    written. The price: a main thread that never comes back to the interpreter (stuck in C
    holding the GIL, or waiting forever for it) does not dump; one stuck in Python code, a
    lock, epoll or waiting on the other threads does."""
    fd = sys.stderr.fileno()  # the real stderr, whatever logging does to sys.stderr later

    def _dump_stacks(signum: int, frame: Any) -> None:
        try:
            faulthandler.dump_traceback(fd, all_threads=True)
        except Exception:  # raised here, it would land in whatever the reactor was running
            pass

    signal.signal(signum, _dump_stacks)


def stake_top_up(config: Config) -> Decimal:
    try:
        percent = Decimal(str(config.get("sportsbook.stake_top_up_percent")))
    except ArithmeticError:
        raise ConfigError("sportsbook.stake_top_up_percent: a decimal from 0 to 100") from None
    if not 0 <= percent <= 100:
        raise ConfigError("sportsbook.stake_top_up_percent: a decimal from 0 to 100")
    return percent


def lucky_bonus_offer(config: Config) -> dict[str, Any] | None:
    multiplier = str(config.get("sportsbook.lucky_bonus_one_winner_odds_multiplier"))
    percent = str(config.get("sportsbook.lucky_bonus_all_winners_pct"))
    try:
        if Decimal(multiplier) < 1 or Decimal(percent) < 0:
            raise ConfigError("sportsbook.lucky_bonus_*: a multiplier of at least 1, a percentage of at least 0")
    except ArithmeticError:
        raise ConfigError("sportsbook.lucky_bonus_*: decimals, e.g. \"2\" and \"10\"") from None
    if Decimal(multiplier) == 1 and Decimal(percent) == 0:
        return None
    return {"one_winner_odds_multiplier": multiplier, "all_winners_bonus_pct": percent,
            "requires_all_run": bool(config.get("sportsbook.lucky_bonus_requires_all_run"))}


def serve(config: Config) -> int:
    from twisted.internet import reactor

    from server.logs import start_logging

    install_stack_dump()
    data_dir = prepare_data_dir(config)
    start_logging(data_dir, config.get("log.file"), config.get("log.level"))
    raise_file_limit()
    try:
        app = CroupierApp(config, reactor)
        app.start()
    except Exception as exc:
        log.failure("start-up failed")
        print(f"croupier: start-up failed: {exc}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        # Threads started before the failure (database pool, sealer) would keep the process
        # alive; nothing was served yet, so there is nothing to finish.
        os._exit(1)
    reactor.run()  # type: ignore[attr-defined]
    return 0

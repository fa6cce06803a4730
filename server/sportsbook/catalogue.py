"""The sportsbook catalogue on the server: operator routes and the players' ``sports_catalogue``.

Every operator write runs in one transaction that reads what it needs, checks the input
against it, and writes: a refusal (400 naming the field, 404, 409) rolls it back whole.
The players' offer is served from a snapshot rebuilt after each write (see
catalogue_views); the clock does the rest.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from twisted.logger import Logger

from server.config import Config, ConfigError
from server.db.pool import Database
from server.sportsbook import catalogue_store as store
from server.sportsbook import catalogue_views as views
from server.sportsbook.catalogue_input import (
    Competition, FixtureContext, fixture_competition_id, parse_competition, parse_fixture, parse_market,
)
from server.sportsbook.catalogue_tables import (
    sportsbook_competitions, sportsbook_meetings, sportsbook_selections,
)
from server.sportsbook.catalogue_store import Conflict, NotFound
from server.sportsbook.inputs import InputError, Reader, odds_text
from server.sportsbook.nomenclature import Nomenclature, NomenclatureError, load
from server.sportsbook.racing_input import (
    Meeting, parse_meeting, parse_race, parse_race_market, parse_withdrawal, race_meeting_id,
)
from server.sportsbook.result_input import MarketContext, parse_result

log = Logger(namespace="croupier.sportsbook")

OperatorHandler = Callable[[Any, Any, Any, Any], Awaitable[tuple[int, Any]]]
PlayerHandler = Callable[[Any, dict[str, Any]], Awaitable[dict[str, Any]]]
ID = r"[0-9]{1,18}"
BOTH = frozenset({"operator", "auditor"})
OPERATOR = frozenset({"operator"})


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def load_configured(config: Config) -> Nomenclature:
    """The shipped codes plus ``sportsbook.nomenclature_file``; a bad file stops the start."""
    name = config.get("sportsbook.nomenclature_file")
    try:
        return load(Path(name).expanduser() if name else None)
    except NomenclatureError as exc:
        raise ConfigError(f"sportsbook.nomenclature_file: {exc}") from None


class SportsCatalogue:
    def __init__(self, db: Database, nomenclature: Nomenclature, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.nomenclature = nomenclature
        self.clock = clock
        self._generation = 0  # bumped by every write: a snapshot read across one is not kept
        self._snapshot: list[views.FixtureView] | None = None
        self.result_listeners: list[Callable[[int], Any]] = []  # a market's result written: settle its bets

    # -- wiring -----------------------------------------------------------------------------------

    def routes(self) -> list[tuple[bytes, str, frozenset[str], OperatorHandler]]:
        base = "^/api/sportsbook"
        return [
            (b"GET", f"{base}/nomenclature$", BOTH, self.list_nomenclature),
            (b"POST", f"{base}/competitions$", OPERATOR, self.create_competition),
            (b"GET", f"{base}/competitions$", BOTH, self.list_competitions),
            (b"POST", f"{base}/fixtures$", OPERATOR, self.create_fixture),
            (b"GET", f"{base}/fixtures$", BOTH, self.list_fixtures),
            (b"GET", f"{base}/fixtures/(?P<fixture>{ID})$", BOTH, self.show_fixture),
            (b"POST", f"{base}/fixtures/(?P<fixture>{ID})/markets$", OPERATOR, self.create_market),
            (b"POST", f"{base}/fixtures/(?P<fixture>{ID})/(?P<action>suspend|unsuspend)$", OPERATOR,
             self.suspend_fixture),
            (b"POST", f"{base}/markets/(?P<market>{ID})/odds$", OPERATOR, self.change_odds),
            (b"POST", f"{base}/markets/(?P<market>{ID})/(?P<action>suspend|unsuspend)$", OPERATOR,
             self.suspend_market),
            (b"POST", f"{base}/markets/(?P<market>{ID})/result$", OPERATOR, self.record_result),
            (b"POST", f"{base}/markets/(?P<market>{ID})/result/correction$", OPERATOR, self.correct_result),
            (b"POST", f"{base}/meetings$", OPERATOR, self.create_meeting),
            (b"GET", f"{base}/meetings$", BOTH, self.list_meetings),
            (b"POST", f"{base}/races$", OPERATOR, self.create_race),
            (b"POST", f"{base}/races/(?P<fixture>{ID})/markets$", OPERATOR, self.create_race_market),
            (b"POST", f"{base}/races/(?P<fixture>{ID})/runners/(?P<runner>[0-9]{{1,2}})/withdraw$", OPERATOR,
             self.withdraw_runner),
        ]

    def handlers(self) -> dict[str, PlayerHandler]:
        return {"sports_catalogue": self.sports_catalogue}

    # -- the players' offer -----------------------------------------------------------------------

    async def sports_catalogue(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        snapshot = self._snapshot
        if snapshot is None:
            generation = self._generation
            snapshot = await self.db.transaction(views.open_snapshot)
            if generation == self._generation:
                self._snapshot = snapshot
        now = self.clock()
        return {"at": now.isoformat(), "fixtures": views.player_listing(
            snapshot, now, message.get("fixture_id"), message.get("sport"))}

    # -- writes -----------------------------------------------------------------------------------

    async def _write(self, work: Callable[[Connection], Any], status: int = 201) -> tuple[int, Any]:
        try:
            body = await self.db.transaction(work)
        except InputError as exc:
            return 400, exc.to_body()
        except NotFound as exc:
            return 404, {"error": exc.code, "message": exc.message}
        except Conflict as exc:
            return 409, {"error": exc.code, "message": exc.message}
        except IntegrityError:
            # Two writes raced on a unique key (a result's version, a meeting's number).
            return 409, {"error": "conflict", "message": "the catalogue changed meanwhile; nothing was written, retry"}
        self._generation += 1
        self._snapshot = None
        return status, body

    async def create_competition(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        def work(c: Connection) -> Any:
            new = parse_competition(body, self.nomenclature)
            competition_id = store.insert_competition(c, new, actor.name, self.clock())
            return views.competitions(c, competition_id)[0]

        return await self._write(work)

    async def create_fixture(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        def work(c: Connection) -> Any:
            competition_id = fixture_competition_id(body)
            row = c.execute(select(sportsbook_competitions).where(
                sportsbook_competitions.c.id == competition_id)).first()
            if row is None:
                raise InputError("competition_id", f"no competition {competition_id}")
            competition = Competition(row.id, row.name, row.sport, row.category, tuple(row.disciplines.split()),
                                      row.gender)
            new = parse_fixture(body, self.nomenclature, competition)
            fixture_id = store.insert_fixture(c, new, actor.name, self.clock())
            log.info("fixture {fixture} {name!r} created by {actor}", fixture=fixture_id, name=new.name,
                     actor=actor.name)
            return views.fixture_detail(c, fixture_id)

        return await self._write(work)

    async def create_market(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        fixture_id = int(match["fixture"])

        def work(c: Connection) -> Any:
            fixture = store.lock_fixture(c, fixture_id)
            if fixture.kind != "sport":
                raise Conflict("not_a_match", f"fixture {fixture_id} is a race: POST /api/sportsbook/races/"
                                              f"{fixture_id}/markets")
            sport = c.execute(select(sportsbook_competitions.c.sport).where(
                sportsbook_competitions.c.id == fixture.competition_id)).scalar_one()
            parts = {p.number: p.part for p in store.participants(c, fixture_id)}
            new = parse_market(body, self.nomenclature, FixtureContext(sport, parts))
            now = self.clock()
            _check_not_started(fixture, new.live, now)
            market_id = store.insert_market(c, fixture_id, new, actor.name, now)
            return _market(c, fixture_id, market_id)

        return await self._write(work)

    async def change_odds(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        market_id = int(match["market"])

        def work(c: Connection) -> Any:
            market = store.market_row(c, market_id)
            fixture = store.lock_fixture(c, market.fixture_id)
            if store.current_result(c, market_id) is not None:
                raise Conflict("market_resulted", "the market has a result: its odds are final")
            selections = {s.id: s for s in c.execute(select(sportsbook_selections).where(
                sportsbook_selections.c.market_id == market_id)).all()}
            withdrawn = {p.number for p in store.participants(c, fixture.id) if p.withdrawn_at is not None}
            changes = _odds_changes(body, selections, withdrawn)
            now = self.clock()
            changed = store.change_odds(c, market_id, changes, actor.name, now)
            return {"market_id": market_id, "at": now.isoformat(), "changed": [
                {"selection_id": x["selection_id"], "before": odds_text(x["before"]), "after": odds_text(x["after"])}
                for x in changed]}

        return await self._write(work, status=200)

    async def suspend_fixture(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        fixture_id = int(match["fixture"])
        suspended = match["action"] == "suspend"

        def work(c: Connection) -> Any:
            store.lock_fixture(c, fixture_id)
            reason = Reader(body if body is not None else {}, {"reason"}).optional_text("reason", 256)
            changed = store.set_suspended(c, fixture_id, None, suspended, actor.name, reason, self.clock())
            return {"fixture_id": fixture_id, "suspended": suspended, "changed": changed}

        return await self._write(work, status=200)

    async def suspend_market(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        market_id = int(match["market"])
        suspended = match["action"] == "suspend"

        def work(c: Connection) -> Any:
            market = store.market_row(c, market_id)
            store.lock_fixture(c, market.fixture_id)
            reason = Reader(body if body is not None else {}, {"reason"}).optional_text("reason", 256)
            if store.current_result(c, market_id) is not None:
                raise Conflict("market_resulted", "the market has a result: it takes no more bets anyway")
            changed = store.set_suspended(c, market.fixture_id, market_id, suspended, actor.name, reason,
                                          self.clock())
            return {"market_id": market_id, "suspended": suspended, "changed": changed}

        return await self._write(work, status=200)

    async def record_result(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        return await self._result(int(match["market"]), actor, body, correction=False)

    async def correct_result(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        return await self._result(int(match["market"]), actor, body, correction=True)

    async def _result(self, market_id: int, actor: Any, body: Any, correction: bool) -> tuple[int, Any]:
        def work(c: Connection) -> Any:
            market = store.market_row(c, market_id)
            fixture = store.lock_fixture(c, market.fixture_id)
            existing = store.current_result(c, market_id)
            if correction and existing is None:
                raise Conflict("no_result", "nothing to correct: record the result first")
            if not correction and existing is not None:
                raise Conflict("already_resulted", f"version {existing.version} stands: POST .../result/correction")
            selections = c.execute(select(sportsbook_selections.c.id, sportsbook_selections.c.runner).where(
                sportsbook_selections.c.market_id == market_id).order_by(sportsbook_selections.c.position)).all()
            withdrawn = frozenset(p.number for p in store.participants(c, fixture.id) if p.withdrawn_at is not None)
            context = MarketContext(market.kind, {s.id: s.runner for s in selections}, market.places, withdrawn)
            now = self.clock()
            result = parse_result(body, context, now, correction)
            if not result.void and now < fixture.starts_at:
                raise Conflict("not_started", "the fixture has not started: it has no result yet (void the market "
                                              "if the fixture is cancelled)")
            version = store.record_result(c, market_id, result, actor.name, now)
            log.info("market {market} result version {version} by {actor}", market=market_id, version=version,
                     actor=actor.name)
            return _market(c, fixture.id, market_id)

        status, reply = await self._write(work, status=200 if correction else 201)
        if status in (200, 201):
            for listener in self.result_listeners:
                listener(market_id)
        return status, reply

    async def create_meeting(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        def work(c: Connection) -> Any:
            meeting_id = store.insert_meeting(c, parse_meeting(body), actor.name, self.clock())
            return views.meetings(c, meeting_id)[0]

        return await self._write(work)

    async def create_race(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        def work(c: Connection) -> Any:
            meeting_id = race_meeting_id(body)
            row = c.execute(select(sportsbook_meetings).where(sportsbook_meetings.c.id == meeting_id)).first()
            if row is None:
                raise InputError("meeting_id", f"no meeting {meeting_id}")
            new = parse_race(body, Meeting(row.id, row.venue, row.number))
            fixture_id = store.insert_race(c, new, actor.name, self.clock())
            return views.fixture_detail(c, fixture_id)

        return await self._write(work)

    async def create_race_market(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        fixture_id = int(match["fixture"])

        def work(c: Connection) -> Any:
            fixture = _race(c, fixture_id)
            runners = store.participants(c, fixture_id)
            withdrawn = {r.number for r in runners if r.withdrawn_at is not None}
            new = parse_race_market(body, [r.number for r in runners if r.number not in withdrawn], withdrawn)
            now = self.clock()
            _check_not_started(fixture, new.live, now)
            market_id = store.insert_race_market(c, fixture_id, new, {r.number: r.name for r in runners},
                                                 actor.name, now)
            return _market(c, fixture_id, market_id)

        return await self._write(work)

    async def withdraw_runner(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        fixture_id, number = int(match["fixture"]), int(match["runner"])

        def work(c: Connection) -> Any:
            fixture = _race(c, fixture_id)
            runner = next((r for r in store.participants(c, fixture_id) if r.number == number), None)
            if runner is None:
                raise NotFound("unknown_runner", f"race {fixture_id} has no runner {number}")
            if runner.withdrawn_at is not None:
                raise Conflict("already_withdrawn",
                               f"runner {number} was withdrawn at {runner.withdrawn_at.isoformat()}")
            if store.has_result(c, fixture_id):
                raise Conflict("race_resulted", "the race has a result: correct it instead")
            withdrawal = parse_withdrawal(body, self.clock(), fixture.starts_at)
            store.withdraw_runner(c, fixture_id, number, withdrawal, actor.name)
            return {"fixture_id": fixture_id, "runner": number, "withdrawn_at": withdrawal.withdrawn_at.isoformat(),
                    "rule4_deduction": withdrawal.deduction}

        return await self._write(work, status=200)

    # -- reads ------------------------------------------------------------------------------------

    async def list_nomenclature(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        return 200, {"codes": [
            {"kind": e.kind, "code": e.code, "label": e.label, "sport": e.sport, "no_choice": e.no_choice,
             "origin": e.origin}
            for e in sorted(self.nomenclature.entries.values(), key=lambda e: (e.kind, e.code))]}

    async def list_competitions(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        return 200, {"competitions": await self.db.transaction(views.competitions)}

    async def list_meetings(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        return 200, {"meetings": await self.db.transaction(views.meetings)}

    async def list_fixtures(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        try:
            limit = int((request.args.get(b"limit") or [b"100"])[0])
            offset = int((request.args.get(b"offset") or [b"0"])[0])
        except ValueError:
            return 400, {"error": "invalid_query", "message": "limit and offset must be integers"}
        if not 1 <= limit <= 1000 or offset < 0:
            return 400, {"error": "invalid_query", "message": "limit: 1 to 1000; offset: 0 or more"}
        return 200, {"fixtures": await self.db.transaction(lambda c: views.fixture_summaries(c, limit, offset))}

    async def show_fixture(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        fixture_id = int(match["fixture"])
        detail = await self.db.transaction(lambda c: views.fixture_detail(c, fixture_id))
        if detail is None:
            return 404, {"error": "unknown_fixture", "message": f"no fixture {fixture_id}"}
        return 200, detail


def _race(c: Connection, fixture_id: int) -> Any:
    fixture = store.lock_fixture(c, fixture_id)
    if fixture.kind != "race":
        raise Conflict("not_a_race", f"fixture {fixture_id} is a match: POST /api/sportsbook/fixtures/"
                                     f"{fixture_id}/markets")
    return fixture


def _check_not_started(fixture: Any, live: bool, now: datetime) -> None:
    # A pre-match market added after the start would never be open: refuse it rather than hide it.
    if not live and now >= fixture.starts_at:
        raise Conflict("fixture_started", "the fixture has started: only a live market can be added")


def _market(c: Connection, fixture_id: int, market_id: int) -> dict[str, Any]:
    detail = views.fixture_detail(c, fixture_id)
    assert detail is not None
    market = next(m for m in detail["markets"] if m["market_id"] == market_id)
    return {"fixture_id": fixture_id, **market}


def _odds_changes(body: Any, selections: dict[int, Any], withdrawn: set[int]) -> dict[int, int]:
    r = Reader(body, {"selections"})
    changes: dict[int, int] = {}
    for i, item in enumerate(r.items("selections", 1, len(selections))):
        line = Reader(item, {"selection_id", "odds"}, f"selections[{i}]")
        selection_id = line.integer("selection_id", 1, 2**62)
        if selection_id not in selections:
            raise InputError(line.path("selection_id"), f"{selection_id} is not a selection of this market")
        if selection_id in changes:
            raise InputError(line.path("selection_id"), f"selection {selection_id} is listed twice")
        if selections[selection_id].runner in withdrawn:
            raise InputError(line.path("selection_id"), f"runner {selections[selection_id].runner} is a non-runner")
        changes[selection_id] = line.odds("odds")
    return changes

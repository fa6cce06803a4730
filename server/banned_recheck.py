"""The monthly re-check of every open account against the banned-players file (annex 3.2).

A person listed after opening is blocked (status ``banned``: logins get ACCESREFUSE
``Interdit``) and their live sessions end. An unavailable check leaves the account as it
is and the run incomplete: it is retried at the next tick rather than counted as done.
The last complete run is persisted, so restarts do not postpone the monthly duty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from twisted.internet.task import LoopingCall
from twisted.logger import Logger

from frontal.canonical import banned_player_key
from server.birthplaces import dnsbl_birthplace
from server.db.pool import Database
from server.db.tables import job_runs, player_identities, players
from server.interdits.checker import BannedPlayersChecker, CheckUnavailable, Verdict

log = Logger(namespace="croupier.interdits")
JOB = "interdits-recheck"
PERIOD = timedelta(days=30)


@dataclass(frozen=True)
class RecheckReport:
    checked: int
    banned: list[str]
    unavailable: int


class BannedRecheck:
    def __init__(self, db: Database, checker: BannedPlayersChecker, secret: str,
                 on_banned: Callable[[str], None], clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
                 ) -> None:
        self._db = db
        self._checker = checker
        self._secret = secret
        self._on_banned = on_banned
        self._clock = clock
        self._loop: LoopingCall | None = None

    async def run(self) -> RecheckReport:
        rows = await self._db.transaction(lambda c: c.execute(
            select(player_identities.c.player_id, player_identities.c.form)
            .join(players, players.c.id == player_identities.c.player_id)
            .where(players.c.status == "open")).all())
        banned: list[str] = []
        unavailable = 0
        for row in rows:
            form = json.loads(row.form)
            key = banned_player_key(self._secret, form["first_names"][0], form["birth_name"],
                                    date.fromisoformat(form["birth_date"]))
            place = dnsbl_birthplace(form["birth_town"], form["birth_department"], form["birth_country"],
                                     form["birth_department"] != "99")
            try:
                resolution = await self._checker.check(key, place)
            except CheckUnavailable:
                unavailable += 1
                continue
            if resolution.verdict is Verdict.BANNED:
                player_id = row.player_id
                await self._db.transaction(lambda c, pid=player_id: c.execute(
                    update(players).where((players.c.id == pid) & (players.c.status == "open"))
                    .values(status="banned")))
                banned.append(player_id)
                self._on_banned(player_id)
                log.warn("account {player_id} blocked: now listed as banned", player_id=player_id)
        if unavailable == 0:
            await self._db.transaction(self._mark_done)
        return RecheckReport(len(rows), banned, unavailable)

    def _mark_done(self, c: Connection) -> None:
        now = self._clock()
        if c.execute(select(job_runs).where(job_runs.c.name == JOB)).first() is None:
            c.execute(insert(job_runs).values(name=JOB, last_run_at=now))
        else:
            c.execute(update(job_runs).where(job_runs.c.name == JOB).values(last_run_at=now))

    async def run_if_due(self) -> RecheckReport | None:
        last = await self._db.transaction(lambda c: c.execute(
            select(job_runs.c.last_run_at).where(job_runs.c.name == JOB)).scalar())
        if last is not None and self._clock() - last < PERIOD:
            return None
        return await self.run()

    def start(self, every_seconds: float) -> None:
        """Look every ``every_seconds`` whether a month has passed since the last complete run."""
        from twisted.internet.defer import Deferred

        def tick() -> Any:
            d = Deferred.fromCoroutine(self.run_if_due())
            d.addErrback(lambda f: log.failure("banned-players re-check failed", f))
            return d

        self._loop = LoopingCall(tick)
        self._loop.start(every_seconds, now=False).addErrback(lambda f: log.failure("re-check loop stopped", f))

    def stop(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()

"""What the cash-table and tournament services share: their collaborators, background work,
and the traced-request helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable

from lxml import etree
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from frontal.builders.header import Header
from frontal.sensor import Sensor
from games.dealer import Dealer
from server import accounts
from server.db.pool import Database
from server.hub import Hub
from server.notices import NoticeService
from server.player_requests import player_header, session_of, traced


@dataclass(frozen=True)
class CardRoomSettings:
    operator_id: str
    id_coffre: int
    between_hands_seconds: float = 2.0
    absent_seconds: float = 120.0


class PokerRoom:
    log = Logger(namespace="croupier.cardroom")

    def __init__(self, db: Database, hub: Hub, notices: NoticeService, sensor: Sensor, settings: CardRoomSettings,
                 eligible: Callable[[accounts.Session], Awaitable[Any]], reactor: Any,
                 dealer: Dealer | None = None,
                 check_stake: Callable[[accounts.Session, Any, int], Awaitable[None]] | None = None) -> None:
        self.db = db
        self.hub = hub
        self.notices = notices
        self.sensor = sensor
        self.settings = settings
        self.eligible = eligible  # the account may play poker: returns its identity row
        self.check_stake = check_stake  # the player's stake ceiling (PREFCPTE MiseMax)
        self.reactor = reactor
        self.dealer = dealer
        self._work: set[Deferred[Any]] = set()

    def track(self, d: Deferred[Any]) -> Deferred[Any]:
        """Background work the server's stop waits for; a failure is logged."""
        self._work.add(d)
        d.addBoth(lambda result: (self._work.discard(d), result)[1])
        d.addErrback(lambda f: self.log.failure("background work failed", f))
        return d

    def pending_work(self) -> list[Deferred[Any]]:
        return list(self._work)

    @staticmethod
    def _session(connection: Any) -> accounts.Session:
        return session_of(connection)

    def _header(self, session: accounts.Session, identity: Any, at: datetime) -> Header:
        return player_header(self.settings.operator_id, self.settings.id_coffre, session, identity.hash_joueur, at)

    async def _traced(self, session: accounts.Session, build: Callable[[datetime], etree._Element],
                      action: Callable[[], Awaitable[Any]]) -> Any:
        return await traced(self.sensor, session, build, action)

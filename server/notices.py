"""Platform-initiated notices that the player must acknowledge.

A notice is persisted before it is pushed; it stays pending across disconnects and
restarts and is pushed again at every login until the player's client answers ``ack``.
Acknowledgement hooks (the frontal's sensor records the trace there, with DateEvt = the
acknowledgement time) run before the notice is marked acknowledged, so a crash between
the two replays the hook rather than losing it; hooks must therefore be idempotent on the
notice id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Protocol

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from twisted.internet.defer import Deferred, inlineCallbacks, succeed

from server.accounts import Session, utcnow
from server.db.pool import Database
from server.db.tables import notices
from server.protocol.errors import ProtocolError


@dataclass(frozen=True)
class Notice:
    id: int
    player_id: str
    kind: str
    data: dict[str, Any]
    created_at: datetime

    def to_message(self) -> dict[str, Any]:
        return {
            "type": "notice",
            "notice_id": self.id,
            "kind": self.kind,
            "data": self.data,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class Acknowledgement:
    notice: Notice
    session: Session
    at: datetime


AckHook = Callable[[Acknowledgement], "Deferred[None] | None"]


class NoticeSink(Protocol):
    """Whoever can deliver a notice to a player's live connections."""

    def deliver(self, player_id: str, message: dict[str, Any]) -> None: ...


def _row_to_notice(row: Any) -> Notice:
    return Notice(
        id=row.id, player_id=row.player_id, kind=row.kind, data=json.loads(row.payload), created_at=row.created_at
    )


def insert_notice(connection: Connection, player_id: str, kind: str, data: dict[str, Any], limit: int | None) -> Notice:
    """Persist a notice in the caller's transaction.

    ``limit`` bounds what a player's own actions can pile up; money movements pass None:
    their notice is written in the same transaction as the movement and must never be
    the reason a movement fails.
    """
    if limit is not None:
        pending = connection.execute(
            select(func.count()).select_from(notices).where(
                (notices.c.player_id == player_id) & notices.c.acked_at.is_(None)
            )
        ).scalar_one()
        if pending >= limit:
            raise ProtocolError("busy", f"player {player_id} has {pending} unacknowledged notices")
    created_at = utcnow()
    notice_id = connection.execute(
        insert(notices)
        .values(player_id=player_id, kind=kind, payload=json.dumps(data, sort_keys=True), created_at=created_at)
        .returning(notices.c.id)
    ).scalar_one()
    return Notice(id=notice_id, player_id=player_id, kind=kind, data=data, created_at=created_at)


def pending_notices(connection: Connection, player_id: str) -> list[Notice]:
    rows = connection.execute(
        select(notices)
        .where((notices.c.player_id == player_id) & notices.c.acked_at.is_(None))
        .order_by(notices.c.id)
    ).all()
    return [_row_to_notice(r) for r in rows]


def find_pending(connection: Connection, player_id: str, notice_id: int) -> Notice:
    row = connection.execute(
        select(notices).where(
            (notices.c.id == notice_id) & (notices.c.player_id == player_id) & notices.c.acked_at.is_(None)
        )
    ).first()
    if row is None:
        raise ProtocolError("unknown_notice", f"no pending notice {notice_id}")
    return _row_to_notice(row)


def mark_acked(connection: Connection, ack: Acknowledgement) -> None:
    connection.execute(
        update(notices)
        .where((notices.c.id == ack.notice.id) & notices.c.acked_at.is_(None))
        .values(acked_at=ack.at, ack_session_id=ack.session.id, ack_ip=ack.session.ip)
    )


class NoticeService:
    def __init__(self, db: Database, sink: NoticeSink, max_pending_per_player: int) -> None:
        self._db = db
        self._sink = sink
        self._limit = max_pending_per_player
        self._hooks: list[AckHook] = []
        # Pending notices per player, known from the player's login on: most actions meet
        # none, and answering that from memory saves a database round trip per message.
        # The count may run high (a notice written before the login's read and delivered
        # after it): a non-zero count is always checked against the database.
        self._counts: dict[str, int] = {}

    def add_ack_hook(self, hook: AckHook) -> None:
        self._hooks.append(hook)

    @inlineCallbacks
    def push(self, player_id: str, kind: str, data: dict[str, Any]) -> Any:
        notice: Notice = yield self._db.transaction(
            lambda c: insert_notice(c, player_id, kind, data, self._limit)
        )
        self.deliver(notice)
        return notice

    def deliver(self, notice: Notice) -> None:
        """Push a notice written by another transaction (see insert_notice) once it committed."""
        if notice.player_id in self._counts:
            self._counts[notice.player_id] += 1
        self._sink.deliver(notice.player_id, notice.to_message())

    def pending(self, player_id: str) -> "Deferred[list[Notice]]":
        def counted(found: list[Notice]) -> list[Notice]:
            self._counts[player_id] = len(found)
            return found

        return self._db.transaction(lambda c: pending_notices(c, player_id)).addCallback(counted)

    def has_pending(self, player_id: str) -> "Deferred[bool]":
        if self._counts.get(player_id) == 0:
            return succeed(False)

        def query(c: Connection) -> int:
            return int(c.execute(select(func.count()).select_from(notices).where(
                (notices.c.player_id == player_id) & notices.c.acked_at.is_(None))).scalar_one())

        def counted(count: int) -> bool:
            self._counts[player_id] = count
            return count > 0

        return self._db.transaction(query).addCallback(counted)

    @inlineCallbacks
    def acknowledge(self, session: Session, notice_id: int) -> Any:
        notice: Notice = yield self._db.transaction(lambda c: find_pending(c, session.player.id, notice_id))
        ack = Acknowledgement(notice=notice, session=session, at=utcnow())
        for hook in self._hooks:
            yield hook(ack)
        yield self._db.transaction(lambda c: mark_acked(c, ack))
        player_id = session.player.id
        if self._counts.get(player_id):
            self._counts[player_id] -= 1
        return ack

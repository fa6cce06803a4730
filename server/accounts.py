"""Logins: register, authenticate, open and close sessions.

The regulated account opening (identity form, banned-players check, CJ traces) builds on
this: a player row exists from ``register`` on, with an immutable opaque id that becomes
IDJoueur.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from server.db.tables import players, sessions
from server.passwords import ScryptParams, hash_password, verify_password
from server.protocol.errors import ProtocolError

# Hashing a password for an unknown login keeps both answers equally slow.
_DECOY_HASH: dict[ScryptParams, str] = {}


@dataclass(frozen=True)
class Player:
    id: str
    login: str
    pseudo: str
    status: str


@dataclass(frozen=True)
class Session:
    id: str
    player: Player
    ip: str
    started_at: datetime


def new_player_id() -> str:
    # Opaque, constant for the account's life, 24 chars of base32: fits IDJoueur's string-64.
    return "J" + secrets.token_hex(12).upper()


def new_session_id() -> str:
    return secrets.token_urlsafe(24)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def register(connection: Connection, login: str, password_hash: str, pseudo: str,
             player_id: str | None = None) -> Player:
    """Insert a player; the password is hashed by the caller, off the DB thread. The id may
    be chosen beforehand: the opening's trace names the player before the account exists."""
    taken = connection.execute(
        select(players.c.login, players.c.pseudo).where(
            (func.lower(players.c.login) == login.lower()) | (func.lower(players.c.pseudo) == pseudo.lower())
        )
    ).first()
    if taken is not None:
        if taken.login.lower() == login.lower():
            raise ProtocolError("login_taken", f"the login {login!r} is already registered")
        raise ProtocolError("pseudo_taken", f"the pseudo {pseudo!r} is already in use")
    player = Player(id=player_id or new_player_id(), login=login, pseudo=pseudo, status="open")
    try:
        connection.execute(
            insert(players).values(
                id=player.id,
                login=login,
                pseudo=pseudo,
                password_hash=password_hash,
                status=player.status,
                created_at=utcnow(),
            )
        )
    except IntegrityError:
        # A concurrent registration won the race between our check and insert.
        raise ProtocolError("login_taken", "that login or pseudo was just taken") from None
    return player


def authenticate(connection: Connection, login: str, password: str, params: ScryptParams) -> Player:
    row = connection.execute(
        select(players).where(func.lower(players.c.login) == login.lower())
    ).first()
    if row is None:
        decoy = _DECOY_HASH.get(params) or _DECOY_HASH.setdefault(params, hash_password("decoy", params))
        verify_password(password, decoy)
        raise ProtocolError("bad_credentials", "unknown login or wrong password")
    if not verify_password(password, row.password_hash):
        raise ProtocolError("bad_credentials", "unknown login or wrong password")
    return Player(id=row.id, login=row.login, pseudo=row.pseudo, status=row.status)


def open_session(connection: Connection, player: Player, ip: str, max_sessions: int,
                 session_id: str | None = None) -> Session:
    if player.status != "open":
        raise ProtocolError("account_refused", f"this account is {player.status}")
    open_count = connection.execute(
        select(func.count()).select_from(sessions).where(
            (sessions.c.player_id == player.id) & sessions.c.ended_at.is_(None)
        )
    ).scalar_one()
    if open_count >= max_sessions:
        raise ProtocolError("too_many_sessions", f"at most {max_sessions} sessions at once")
    session = Session(id=session_id or new_session_id(), player=player, ip=ip, started_at=utcnow())
    connection.execute(
        insert(sessions).values(
            id=session.id, player_id=player.id, ip=ip, started_at=session.started_at
        )
    )
    return session


def close_session(connection: Connection, session_id: str, reason: str) -> None:
    connection.execute(
        update(sessions)
        .where((sessions.c.id == session_id) & sessions.c.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def close_all_sessions(connection: Connection, reason: str) -> int:
    """At start-up: sessions of a previous process cannot be alive any more."""
    result = connection.execute(
        update(sessions).where(sessions.c.ended_at.is_(None)).values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount or 0

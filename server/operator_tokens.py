"""Bearer tokens for the operator API: only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from server.accounts import utcnow
from server.db.tables import operator_tokens

ROLES = ("operator", "auditor")
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class TokenError(ValueError):
    pass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(connection: Connection, name: str, role: str) -> str:
    if role not in ROLES:
        raise TokenError(f"role must be one of {', '.join(ROLES)}")
    if not _NAME.match(name):
        raise TokenError("name: 1 to 64 characters among letters, digits and _ . @ -")
    token = "crp_" + secrets.token_urlsafe(32)
    try:
        connection.execute(
            insert(operator_tokens).values(name=name, role=role, token_sha256=_digest(token), created_at=utcnow())
        )
    except IntegrityError:
        raise TokenError(f"a token named {name!r} already exists") from None
    return token


def find_actor(connection: Connection, token: str) -> Actor | None:
    row = connection.execute(
        select(operator_tokens.c.name, operator_tokens.c.role).where(
            (operator_tokens.c.token_sha256 == _digest(token)) & operator_tokens.c.revoked_at.is_(None)
        )
    ).first()
    return Actor(row.name, row.role) if row is not None else None


def token_count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(operator_tokens)).scalar_one()

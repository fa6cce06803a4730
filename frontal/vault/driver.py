"""Driver-level statements for the vault's hot paths, and one writer at a time per SQLite file.

The journal commits a group of deposits every few milliseconds and the sealer stores a
lot every N events. Built with SQLAlchemy Core, each statement costs more CPU (statement
construction, cache key, compilation lookup, parameter processing) than SQLite takes to
run it. These few fixed statements are plain SQL run with ``Connection.exec_driver_sql``
in the caller's SQLAlchemy transaction: SQLAlchemy still begins and commits (the engine's
``BEGIN IMMEDIATE`` on SQLite), wraps driver errors and notices lost connections, and the
drivers' statement caches reuse the text (sqlite3 per connection, psycopg server-side
after a few executions).

SQLite lets one connection write at a time and makes the others poll with growing sleeps
(1, 2, 5, 10, 15, 20... ms) until the lock is free: a journal commit that arrives while
the sealer stores a lot could sleep much longer than the lot's transaction lasts.
:func:`write_lock` serialises the vault's own writers in this process on a lock that
wakes the waiter as soon as it is released; other processes still meet SQLite's busy
handler.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from typing import Any, ContextManager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

_locks: "weakref.WeakKeyDictionary[Engine, threading.Lock]" = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def write_lock(engine: Engine) -> ContextManager[Any]:
    """Held around the vault's write transactions on a SQLite engine; a no-op elsewhere
    (PostgreSQL queues the vault's writers on the counter row's lock without polling)."""
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _locks_guard:
        lock = _locks.get(engine)
        if lock is None:
            lock = _locks[engine] = threading.Lock()
    return lock


class Statement:
    """One SQL statement written with ``?`` placeholders, run with ``exec_driver_sql``.

    ``?`` becomes ``%s`` for psycopg (paramstyle format/pyformat); for any other
    paramstyle the statement goes through SQLAlchemy's ``text()`` with named parameters.
    """

    def __init__(self, sql: str) -> None:
        if "%" in sql or ":" in sql:
            raise ValueError("a vault statement uses ? placeholders only")
        self.sql = sql
        self._text = text(_numbered(sql))
        self._by_style = {"qmark": sql, "format": sql.replace("?", "%s"), "pyformat": sql.replace("?", "%s")}

    def execute(self, connection: Connection, *values: Any) -> list[Any]:
        """Run once in the connection's transaction; the rows it returns, if any."""
        sql = self._by_style.get(connection.dialect.paramstyle)
        if sql is None:
            result = connection.execute(self._text, {f"p{n}": v for n, v in enumerate(values)})
        else:
            result = connection.exec_driver_sql(sql, values)
        return result.fetchall() if result.returns_rows else []

    def executemany(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        sql = self._by_style.get(connection.dialect.paramstyle)
        if sql is None:
            connection.execute(self._text, [{f"p{n}": v for n, v in enumerate(row)} for row in rows])
        else:
            connection.exec_driver_sql(sql, rows)


def _numbered(sql: str) -> str:
    parts = sql.split("?")
    return "".join(part + (f":p{n}" if n < len(parts) - 1 else "") for n, part in enumerate(parts))

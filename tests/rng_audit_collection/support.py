"""Stand-ins for the server's database pool: synchronous, failing on demand, or held open."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from sqlalchemy.engine import Connection, Engine
from twisted.internet.defer import Deferred, fail, succeed

T = TypeVar("T")


class SyncDb:
    """Each transaction runs at once on the caller's thread (like tests/cardroom's SyncDb)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.failures = 0  # the next transactions to fail before touching the database
        self.transactions = 0

    def transaction(self, fn: Callable[[Connection], T]) -> "Deferred[T]":
        self.transactions += 1
        if self.failures:
            self.failures -= 1
            return fail(RuntimeError("database unavailable"))
        try:
            with self.engine.begin() as connection:
                return succeed(fn(connection))
        except Exception as exc:
            return fail(exc)


class HeldDb(SyncDb):
    """Transactions wait until ``release``: a flush in flight while deals keep coming."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.held: list[tuple[Callable[[Connection], Any], Deferred[Any]]] = []

    def transaction(self, fn: Callable[[Connection], T]) -> "Deferred[T]":
        d: Deferred[T] = Deferred()
        self.held.append((fn, d))
        return d

    def release(self) -> None:
        """End the oldest held transaction (its callbacks may start another, held in turn)."""
        fn, d = self.held.pop(0)
        with self.engine.begin() as connection:
            result = fn(connection)
        d.callback(result)

"""Run database work on a dedicated thread pool, never on the reactor thread."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from sqlalchemy.engine import Connection, Engine
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IReactorThreads
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from frontal.vault.driver import write_lock

T = TypeVar("T")


class Database:
    """An Engine plus the threads that may touch it.

    SQLite gets one thread by default: it has one writer anyway, and serialising in our
    pool is cheaper than SQLite's busy-wait.
    """

    def __init__(self, engine: Engine, reactor: IReactorThreads, threads: int = 0) -> None:
        self.engine = engine
        if threads <= 0:
            threads = 1 if engine.dialect.name == "sqlite" else 8
        self._reactor = reactor
        self._pool = ThreadPool(minthreads=1, maxthreads=threads, name="croupier-db")
        self._started = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def start(self) -> None:
        if not self._started:
            self._pool.start()
            self._started = True

    def stop(self) -> None:
        if self._started:
            self._pool.stop()
            self._started = False
        self.engine.dispose()

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> "Deferred[T]":
        return deferToThreadPool(self._reactor, self._pool, fn, *args, **kwargs)  # type: ignore[arg-type]

    def transaction(self, fn: Callable[[Connection], T]) -> "Deferred[T]":
        """Run ``fn(connection)`` in one transaction on a pool thread."""

        def work() -> T:
            # On SQLite, the vault's writers wait on the same lock instead of polling
            # SQLite's busy handler (which sleeps 1, 2, 5, 10... ms) while we write.
            with write_lock(self.engine), self.engine.begin() as connection:
                return fn(connection)

        return self.run(work)

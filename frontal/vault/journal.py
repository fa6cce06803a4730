"""The vault's journal: an event is durable, with its IDEvt, before anyone is told it is stored.

IDEvt is contiguous from 0 within a vault (annex 1.3.1): the vault allocates it from a
locked counter row in the same transaction that stores the event. The Twisted face,
:class:`VaultWriter`, runs every database call on one dedicated thread and commits the
deposits that queued up meanwhile in one transaction (group commit): each caller's
Deferred fires only after that commit.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, NamedTuple, Sequence

from lxml import etree
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from frontal.vault import driver
from frontal.vault.tables import vault_counters, vault_events
from frontal.xsd import validate_event

log = Logger(namespace="frontal.vault")


class JournalError(ValueError):
    pass


class CommitUnknown(JournalError):
    """The connection broke during COMMIT: the group may or may not be stored."""


@dataclass(frozen=True)
class Deposit:
    event: etree._Element
    idempotency_key: str | None = None


class Prepared(NamedTuple):
    """A deposit checked and serialised, waiting only for its IDEvt."""

    event_name: str
    line: str  # canonical XML with IDEvt 0: the vault writes the real one in the header
    idempotency_key: str | None


_PROVISIONAL = "<IDEvt>0</IDEvt>"


def prepare(deposit: Deposit, id_coffre: int) -> Prepared:
    """Set IDCoffre (the vault's), check the XSD, serialise on one line, outside any transaction.

    The line is canonical XML (C14N 1.0), so a lot's plaintext is canonical as it is and its
    signature digests the bytes anyone extracting it will read. IDEvt is the header's third
    element, so the first ``<IDEvt>0</IDEvt>`` of the line is the header's, whatever the body
    holds; its value does not change the event's validity.
    """
    return _prepare(deposit.event, deposit.idempotency_key, id_coffre)


def _prepare(event: etree._Element, idempotency_key: str | None, id_coffre: int) -> Prepared:
    stamped = copy.deepcopy(event)  # the caller's element is left as it was
    id_node = stamped.find("IDEvt")
    if id_node is None or stamped.index(id_node) != 2:
        raise JournalError(f"{stamped.tag} has no IDEvt, third in its header, for the vault to fill")
    id_node.text = "0"
    coffre = stamped.find("IDCoffre")
    if coffre is not None:
        coffre.text = str(id_coffre)
    validate_event(stamped)  # the vault is the last gate: nothing enters it unchecked
    line = etree.tostring(stamped, method="c14n").decode("utf-8")
    if "\n" in line or "\r" in line:
        raise JournalError("an event must hold on one line (the lot separator is LF)")
    return Prepared(stamped.tag, line, idempotency_key)


def _stamped(prepared: Prepared, id_evt: int) -> str:
    return prepared.line.replace(_PROVISIONAL, f"<IDEvt>{id_evt}</IDEvt>", 1)


def ensure_vault(connection: Connection, id_coffre: int) -> None:
    if connection.execute(select(vault_counters.c.id_coffre).where(vault_counters.c.id_coffre == id_coffre)).first() is None:
        connection.execute(insert(vault_counters).values(id_coffre=id_coffre, next_id_evt=0))


_ALLOCATE = driver.Statement(
    f"UPDATE {vault_counters.name} SET next_id_evt = next_id_evt + ? WHERE id_coffre = ? RETURNING next_id_evt")
_INSERT = driver.Statement(
    f"INSERT INTO {vault_events.name} (id_coffre, id_evt, event_name, payload, idempotency_key, journaled_us) "
    "VALUES (?, ?, ?, ?, ?, ?)")


@lru_cache(maxsize=64)
def _known(count: int) -> driver.Statement:
    return driver.Statement(f"SELECT idempotency_key, id_evt FROM {vault_events.name} "
                            f"WHERE id_coffre = ? AND idempotency_key IN ({', '.join('?' * count)})")


def append(connection: Connection, id_coffre: int, deposits: Sequence[Deposit | Prepared]) -> list[int]:
    """Store deposits in order in the caller's transaction; return their IDEvt.

    At most three statements whatever the group's size: one lookup of the idempotency keys
    (if any), one counter increment that allocates the group's IDs (row-locked until
    commit), one insert of all the rows (``executemany``): plain SQL run with
    ``exec_driver_sql`` in the caller's transaction (:mod:`frontal.vault.driver`).
    """
    items = [d if isinstance(d, Prepared) else prepare(d, id_coffre) for d in deposits]
    keys = sorted({item.idempotency_key for item in items if item.idempotency_key is not None})
    known: dict[str, int] = {}
    for start in range(0, len(keys), 500):  # bounded IN lists
        chunk = keys[start:start + 500]
        known.update((key, int(id_evt)) for key, id_evt in _known(len(chunk)).execute(connection, id_coffre, *chunk))
    fresh, slots = _assign(items, known)
    first = 0
    if fresh:
        rows = _ALLOCATE.execute(connection, len(fresh), id_coffre)
        if len(rows) != 1:
            raise JournalError(f"vault {id_coffre} has no counter row")
        first = int(rows[0][0]) - len(fresh)
        journaled_us = time.time_ns() // 1000
        _INSERT.executemany(connection, [
            (id_coffre, first + n, item.event_name, _stamped(item, first + n), item.idempotency_key, journaled_us)
            for n, item in enumerate(fresh)])
    return _resolve(items, slots, known, first)


def _assign(items: list[Prepared], known: dict[str, int]) -> tuple[list[Prepared], list[int | None]]:
    """The items that get a new IDEvt, and a slot per item: its known IDEvt, None (new), or
    -1 (an idempotency key repeated within the group: stored once, by its first deposit)."""
    fresh: list[Prepared] = []
    slots: list[int | None] = []
    seen: set[str] = set()
    for item in items:
        key = item.idempotency_key
        if key is not None and key in known:
            slots.append(known[key])
        elif key is not None and key in seen:
            slots.append(-1)
        else:
            if key is not None:
                seen.add(key)
            fresh.append(item)
            slots.append(None)
    return fresh, slots


def _resolve(items: list[Prepared], slots: list[int | None], known: dict[str, int], first: int) -> list[int]:
    ids: list[int] = []
    next_id = first
    for item, slot in zip(items, slots):
        if slot is None:
            if item.idempotency_key is not None:
                known[item.idempotency_key] = next_id
            ids.append(next_id)
            next_id += 1
        elif slot == -1:
            ids.append(known[item.idempotency_key])  # type: ignore[index]
        else:
            ids.append(slot)
    return ids


def events(connection: Connection, id_coffre: int, from_id: int = 0, to_id: int | None = None) -> list[tuple[int, str]]:
    query = select(vault_events.c.id_evt, vault_events.c.payload).where(
        (vault_events.c.id_coffre == id_coffre) & (vault_events.c.id_evt >= from_id))
    if to_id is not None:
        query = query.where(vault_events.c.id_evt <= to_id)
    return [(r.id_evt, r.payload) for r in connection.execute(query.order_by(vault_events.c.id_evt))]


_STOP = object()


class VaultWriter:
    """Deposits from the reactor, committed in groups on one writer thread.

    ``deposit`` appends to a queue and wakes the thread if it sleeps; the thread takes
    everything queued (up to ``max_group``), checks and serialises it, commits it in one
    transaction on a connection it keeps, and confirms the whole group with one call into
    the reactor. Under load the groups grow by themselves: deposits queue up while the
    previous group commits.
    """

    def __init__(self, engine: Engine, reactor: Any, id_coffre: int = 1, max_group: int = 500,
                 on_commit: Callable[[int], None] | None = None) -> None:
        self._engine = engine
        self._on_commit = on_commit  # told how many events were journaled (the sealer's wake-up)
        self._reactor = reactor
        self.id_coffre = id_coffre
        self._max_group = max_group
        self._pending: "deque[Any]" = deque()
        self._wake = threading.Event()
        self._connection: Connection | None = None
        self._write_lock = driver.write_lock(engine)
        self.committed_groups = 0  # transactions committed, and the events they held (metrics)
        self.committed_events = 0
        with engine.begin() as connection:
            ensure_vault(connection, id_coffre)
        self._thread = threading.Thread(target=self._run, name=f"vault-{id_coffre}-writer", daemon=True)
        self._thread.start()

    def deposit(self, event: etree._Element, idempotency_key: str | None = None) -> "Deferred[int]":
        d: Deferred[int] = Deferred()
        self._pending.append((event, idempotency_key, d))
        if not self._wake.is_set():  # the thread clears the flag before it takes the queue
            self._wake.set()
        return d

    def stop(self) -> None:
        """Commit what is queued, then end the thread."""
        self._pending.append(_STOP)
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        pending, wake = self._pending, self._wake
        try:
            while True:
                wake.wait()
                wake.clear()
                while pending:
                    group = []
                    stopping = False
                    while pending and len(group) < self._max_group:
                        item = pending.popleft()
                        if item is _STOP:
                            stopping = True
                            break
                        group.append(item)
                    if group:
                        self._commit(group)
                    if stopping:
                        return
        finally:
            self._drop_connection()

    def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:
                log.failure("closing the journal's connection failed")

    def _transaction(self, items: list[Prepared]) -> list[int]:
        """One write transaction on the thread's connection, committed before it returns.

        The connection is kept between groups. If it turns out to be dead (a database
        server restarted while it was idle) before the commit was asked for, nothing was
        written and the group is tried once more on a new connection, as the pool's
        pre-ping would have done. If it is lost during the commit, nobody knows whether the
        commit happened: :class:`CommitUnknown`, and the group is not tried again."""
        with self._write_lock:
            reused = self._connection is not None
            try:
                connection = self._connect()
                transaction = connection.begin()
                try:
                    ids = append(connection, self.id_coffre, items)
                except BaseException:
                    transaction.rollback()
                    raise
            except DBAPIError as exc:
                self._drop_connection()
                if not (reused and exc.connection_invalidated):
                    raise
                connection = self._connect()
                transaction = connection.begin()
                try:
                    ids = append(connection, self.id_coffre, items)
                except BaseException:
                    self._rollback_and_drop(transaction)
                    raise
            except BaseException:
                self._drop_connection()  # rolled back; start the next group afresh
                raise
            try:
                transaction.commit()
            except DBAPIError as exc:
                self._drop_connection()
                if exc.connection_invalidated:
                    raise CommitUnknown(f"the connection was lost while committing: {exc}") from exc
                raise
            except BaseException:
                self._drop_connection()
                raise
            return ids

    def _rollback_and_drop(self, transaction: Any) -> None:
        try:
            transaction.rollback()
        finally:
            self._drop_connection()

    def _commit(self, group: list[tuple[etree._Element, str | None, "Deferred[int]"]]) -> None:
        # Checking and serialising happen before the write transaction, which then holds
        # the database's write lock only for the inserts.
        ready: list[Prepared] = []
        waiting: list[Deferred[int]] = []
        id_coffre = self.id_coffre
        for event, key, d in group:
            try:
                ready.append(_prepare(event, key, id_coffre))
                waiting.append(d)
            except Exception as exc:
                self._reactor.callFromThread(d.errback, exc)
        if not ready:
            return
        try:
            ids = self._transaction(ready)
        except CommitUnknown as exc:
            # Stored or not: committing the events again could store them twice.
            for d in waiting:
                self._reactor.callFromThread(d.errback, exc)
            return
        except Exception as exc:
            if len(ready) > 1:
                # One bad event must not fail its neighbours: retry them one by one.
                for prepared, d in zip(ready, waiting):
                    self._commit_one(prepared, d)
                return
            self._reactor.callFromThread(waiting[0].errback, exc)
            return
        self.committed_groups += 1
        self.committed_events += len(ready)
        if self._on_commit is not None:
            self._on_commit(len(ready))
        self._reactor.callFromThread(_confirm, waiting, ids)

    def _commit_one(self, prepared: Prepared, d: "Deferred[int]") -> None:
        try:
            (id_evt,) = self._transaction([prepared])
        except Exception as exc:
            self._reactor.callFromThread(d.errback, exc)
            return
        self.committed_groups += 1
        self.committed_events += 1
        if self._on_commit is not None:
            self._on_commit(1)
        self._reactor.callFromThread(d.callback, id_evt)


def _confirm(waiting: list["Deferred[int]"], ids: list[int]) -> None:
    """One wake-up of the reactor for a whole committed group."""
    for d, id_evt in zip(waiting, ids):
        d.callback(id_evt)

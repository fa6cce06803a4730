"""The vault's journal: an event is durable, with its IDEvt, before anyone is told it is stored.

IDEvt is contiguous from 0 within a vault (annex 1.3.1): the vault allocates it from a
locked counter row in the same transaction that stores the event. The Twisted face,
:class:`VaultWriter`, runs every database call on one dedicated thread and commits the
deposits that queued up meanwhile in one transaction (group commit): each caller's
Deferred fires only after that commit.
"""

from __future__ import annotations

import copy
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from lxml import etree
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from twisted.internet.defer import Deferred

from frontal.vault.tables import vault_counters, vault_events
from frontal.xsd import validate_event


class JournalError(ValueError):
    pass


@dataclass(frozen=True)
class Deposit:
    event: etree._Element
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Prepared:
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
    stamped = copy.deepcopy(deposit.event)
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
    return Prepared(stamped.tag, line, deposit.idempotency_key)


def _stamped(prepared: Prepared, id_evt: int) -> str:
    return prepared.line.replace(_PROVISIONAL, f"<IDEvt>{id_evt}</IDEvt>", 1)


def ensure_vault(connection: Connection, id_coffre: int) -> None:
    if connection.execute(select(vault_counters.c.id_coffre).where(vault_counters.c.id_coffre == id_coffre)).first() is None:
        connection.execute(insert(vault_counters).values(id_coffre=id_coffre, next_id_evt=0))


def append(connection: Connection, id_coffre: int, deposits: Sequence[Deposit | Prepared]) -> list[int]:
    """Store deposits in order in the caller's transaction; return their IDEvt.

    Three statements whatever the group's size: one lookup of the idempotency keys, one
    counter increment that allocates the group's IDs (row-locked until commit), one insert.
    """
    items = [d if isinstance(d, Prepared) else prepare(d, id_coffre) for d in deposits]
    keys = sorted({item.idempotency_key for item in items if item.idempotency_key is not None})
    known: dict[str, int] = {}
    if keys:
        known = dict(connection.execute(select(vault_events.c.idempotency_key, vault_events.c.id_evt).where(
            (vault_events.c.id_coffre == id_coffre) & vault_events.c.idempotency_key.in_(keys))).all())
    fresh: list[Prepared] = []
    fresh_at: set[int] = set()  # positions in the group that get a new IDEvt
    for position, item in enumerate(items):
        key = item.idempotency_key
        if key is None or key not in known:
            fresh.append(item)
            fresh_at.add(position)
            if key is not None:
                known[key] = -1  # stored by this group: its twins take the same ID below
    if not fresh:
        return [known[item.idempotency_key] for item in items]  # type: ignore[index]
    counter = vault_counters.c
    end = connection.execute(update(vault_counters).where(counter.id_coffre == id_coffre)
                             .values(next_id_evt=counter.next_id_evt + len(fresh))
                             .returning(counter.next_id_evt)).scalar_one()
    next_id = end - len(fresh)
    journaled_us = time.time_ns() // 1000
    rows: list[dict[str, Any]] = []
    for item in fresh:
        if item.idempotency_key is not None:
            known[item.idempotency_key] = next_id
        rows.append({"id_coffre": id_coffre, "id_evt": next_id, "event_name": item.event_name,
                     "payload": _stamped(item, next_id), "idempotency_key": item.idempotency_key,
                     "journaled_us": journaled_us})
        next_id += 1
    connection.execute(insert(vault_events), rows)
    new_ids = iter(range(end - len(fresh), end))
    return [next(new_ids) if position in fresh_at else known[item.idempotency_key]  # type: ignore[index]
            for position, item in enumerate(items)]


def events(connection: Connection, id_coffre: int, from_id: int = 0, to_id: int | None = None) -> list[tuple[int, str]]:
    query = select(vault_events.c.id_evt, vault_events.c.payload).where(
        (vault_events.c.id_coffre == id_coffre) & (vault_events.c.id_evt >= from_id))
    if to_id is not None:
        query = query.where(vault_events.c.id_evt <= to_id)
    return [(r.id_evt, r.payload) for r in connection.execute(query.order_by(vault_events.c.id_evt))]


_STOP = object()


class VaultWriter:
    """Deposits from the reactor, committed in groups on one writer thread."""

    def __init__(self, engine: Engine, reactor: Any, id_coffre: int = 1, max_group: int = 500,
                 on_commit: Callable[[int], None] | None = None) -> None:
        self._engine = engine
        self._on_commit = on_commit  # told how many events were journaled (the sealer's wake-up)
        self._reactor = reactor
        self.id_coffre = id_coffre
        self._max_group = max_group
        self._queue: "queue.Queue[Any]" = queue.Queue()
        with engine.begin() as connection:
            ensure_vault(connection, id_coffre)
        self._thread = threading.Thread(target=self._run, name=f"vault-{id_coffre}-writer", daemon=True)
        self._thread.start()

    def deposit(self, event: etree._Element, idempotency_key: str | None = None) -> "Deferred[int]":
        d: Deferred[int] = Deferred()
        self._queue.put((Deposit(event, idempotency_key), d))
        return d

    def stop(self) -> None:
        """Commit what is queued, then end the thread."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            group = [first]
            stopping = False
            while len(group) < self._max_group:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                group.append(item)
            self._commit(group)
            if stopping:
                return

    def _commit(self, group: list[tuple[Deposit, "Deferred[int]"]]) -> None:
        # Checking and serialising happen before the write transaction, which then holds
        # the database's write lock only for the inserts.
        ready: list[tuple[Prepared, "Deferred[int]"]] = []
        for deposit, d in group:
            try:
                ready.append((prepare(deposit, self.id_coffre), d))
            except Exception as exc:
                self._reactor.callFromThread(d.errback, exc)
        if not ready:
            return
        try:
            with self._engine.begin() as connection:
                ids = append(connection, self.id_coffre, [prepared for prepared, _ in ready])
        except Exception as exc:
            if len(ready) > 1:
                # One bad event must not fail its neighbours: retry them one by one.
                for prepared, d in ready:
                    self._commit_prepared(prepared, d)
                return
            self._reactor.callFromThread(ready[0][1].errback, exc)
            return
        if self._on_commit is not None:
            self._on_commit(len(ready))
        self._reactor.callFromThread(_confirm, [(d, id_evt) for (_, d), id_evt in zip(ready, ids)])

    def _commit_prepared(self, prepared: Prepared, d: "Deferred[int]") -> None:
        try:
            with self._engine.begin() as connection:
                (id_evt,) = append(connection, self.id_coffre, [prepared])
        except Exception as exc:
            self._reactor.callFromThread(d.errback, exc)
            return
        if self._on_commit is not None:
            self._on_commit(1)
        self._reactor.callFromThread(d.callback, id_evt)


def _confirm(confirmations: list[tuple["Deferred[int]", int]]) -> None:
    """One wake-up of the reactor for a whole committed group."""
    for d, id_evt in confirmations:
        d.callback(id_evt)

"""The vault's journal: an event is durable, with its IDEvt, before anyone is told it is stored.

IDEvt is contiguous from 0 within a vault (annex 1.3.1): the vault allocates it from a
locked counter row in the same transaction that stores the event. The Twisted face,
:class:`VaultWriter`, runs every database call on one dedicated thread and commits the
deposits that queued up meanwhile in one transaction (group commit): each caller's
Deferred fires only after that commit.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

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


def _stamp(event: etree._Element, id_evt: int, id_coffre: int) -> str:
    """Set IDEvt (and IDCoffre, which the vault owns), check the XSD, serialise on one line.

    The line is canonical XML (C14N 1.0), so a lot's plaintext is canonical as it is and its
    signature digests the bytes anyone extracting it will read.
    """
    stamped = etree.fromstring(etree.tostring(event))
    id_node = stamped.find("IDEvt")
    if id_node is None:
        raise JournalError(f"{stamped.tag} has no IDEvt element for the vault to fill")
    id_node.text = str(id_evt)
    coffre = stamped.find("IDCoffre")
    if coffre is not None:
        coffre.text = str(id_coffre)
    validate_event(stamped)  # the vault is the last gate: nothing enters it unchecked
    line = etree.tostring(stamped, method="c14n").decode("utf-8")
    if "\n" in line or "\r" in line:
        raise JournalError("an event must hold on one line (the lot separator is LF)")
    return line


def ensure_vault(connection: Connection, id_coffre: int) -> None:
    if connection.execute(select(vault_counters.c.id_coffre).where(vault_counters.c.id_coffre == id_coffre)).first() is None:
        connection.execute(insert(vault_counters).values(id_coffre=id_coffre, next_id_evt=0))


def append(connection: Connection, id_coffre: int, deposits: list[Deposit]) -> list[int]:
    """Store deposits in order in the caller's transaction; return their IDEvt."""
    query = select(vault_counters.c.next_id_evt).where(vault_counters.c.id_coffre == id_coffre)
    if connection.dialect.name != "sqlite":
        query = query.with_for_update()  # SQLite: BEGIN IMMEDIATE already serialises writers
    next_id = connection.execute(query).scalar_one()
    ids: list[int] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    journaled_us = time.time_ns() // 1000
    for deposit in deposits:
        key = deposit.idempotency_key
        if key is not None:
            if key in seen:
                ids.append(seen[key])
                continue
            existing = connection.execute(
                select(vault_events.c.id_evt).where(
                    (vault_events.c.id_coffre == id_coffre) & (vault_events.c.idempotency_key == key))
            ).scalar()
            if existing is not None:
                ids.append(existing)
                continue
        rows.append({"id_coffre": id_coffre, "id_evt": next_id, "event_name": deposit.event.tag,
                     "payload": _stamp(deposit.event, next_id, id_coffre), "idempotency_key": key,
                     "journaled_us": journaled_us})
        if key is not None:
            seen[key] = next_id
        ids.append(next_id)
        next_id += 1
    if rows:
        connection.execute(insert(vault_events), rows)
        connection.execute(update(vault_counters).where(vault_counters.c.id_coffre == id_coffre)
                           .values(next_id_evt=next_id))
    return ids


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
        try:
            with self._engine.begin() as connection:
                ids = append(connection, self.id_coffre, [deposit for deposit, _ in group])
        except Exception as exc:
            if len(group) > 1:
                # One bad event must not fail its neighbours: retry them one by one.
                for item in group:
                    self._commit([item])
                return
            self._reactor.callFromThread(group[0][1].errback, exc)
            return
        if self._on_commit is not None:
            self._on_commit(len(group))
        for (_, d), id_evt in zip(group, ids):
            self._reactor.callFromThread(d.callback, id_evt)

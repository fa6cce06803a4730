"""The vault's journal: contiguous IDs, idempotent deposits, durability across kill -9."""

from __future__ import annotations

import random
import threading

import pytest
from lxml import etree
from sqlalchemy.engine import Engine
from twisted.internet import reactor
from twisted.internet.defer import Deferred, gatherResults

from client.blocking import in_reactor
from frontal.sensor import Sensor
from frontal.xsd import TraceInvalid
from frontal.vault import journal
from frontal.vault.journal import Deposit, JournalError, VaultWriter
from server.db.engine import make_engine
from tests.frontal_vault._writer import run_and_kill
from tests.frontal_vault.events import okcondgene, ref_of
from tests.support import REPO


event = okcondgene


@pytest.fixture
def engine(engine: Engine) -> Engine:
    with engine.begin() as c:
        journal.ensure_vault(c, 1)
    return engine


def test_ids_are_contiguous_and_stamped(engine: Engine) -> None:
    with engine.begin() as c:
        assert journal.append(c, 1, [Deposit(event("a")), Deposit(event("b"))]) == [0, 1]
    with pytest.raises(RuntimeError):
        with engine.begin() as c:
            journal.append(c, 1, [Deposit(event("rolled back"))])
            raise RuntimeError("the platform failed after journaling")
    with engine.begin() as c:
        assert journal.append(c, 1, [Deposit(event("c"))]) == [2]
        stored = journal.events(c, 1)
    assert [i for i, _ in stored] == [0, 1, 2]
    line = stored[2][1]
    assert "<IDEvt>2</IDEvt>" in line and "<IDCoffre>1</IDCoffre>" in line and ref_of(line) == "c"
    assert "\n" not in line and line == etree.tostring(etree.fromstring(line), method="c14n").decode()


def test_the_vault_refuses_an_event_its_schema_refuses(engine: Engine) -> None:
    bad = event("x")
    bad.find("TypAg").text = "XX"
    with pytest.raises(TraceInvalid, match="TypAg"):
        with engine.begin() as c:
            journal.append(c, 1, [Deposit(bad)])
    with engine.begin() as c:
        assert journal.events(c, 1) == []


def test_idempotent_deposits(engine: Engine) -> None:
    with engine.begin() as c:
        first = journal.append(c, 1, [Deposit(event("x"), "notice:7"), Deposit(event("x"), "notice:7")])
        again = journal.append(c, 1, [Deposit(event("x"), "notice:7")])
    assert first == [0, 0] and again == [0]
    with engine.begin() as c:
        assert len(journal.events(c, 1)) == 1


def test_refuses_events_without_idevt(engine: Engine) -> None:
    with pytest.raises(JournalError, match="IDEvt"):
        with engine.begin() as c:
            journal.append(c, 1, [Deposit(etree.fromstring("<OKCONDGENE/>"))])


def test_writer_group_commits_off_the_reactor(engine: Engine) -> None:
    writer = in_reactor(lambda: VaultWriter(engine, reactor))
    reactor_thread = in_reactor(threading.get_ident)
    seen_threads: set[int] = set()
    from sqlalchemy import event as sa_event

    def record(*_: object) -> None:
        seen_threads.add(threading.get_ident())

    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        ids = in_reactor(lambda: gatherResults([writer.deposit(event(str(i))) for i in range(300)]))
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
        writer.stop()
    assert sorted(ids) == list(range(300))
    assert reactor_thread not in seen_threads


def test_sensor_deposits_into_the_real_vault(engine: Engine) -> None:
    writer = in_reactor(lambda: VaultWriter(engine, reactor))
    sensor = Sensor(writer)

    async def accepted() -> str:
        return "ok"

    def build(date: object) -> etree._Element:
        return event("player request")

    try:
        result, id_evt = in_reactor(lambda: Deferred.fromCoroutine(sensor.around("s", build, accepted)))
        from datetime import datetime, timezone
        acked = in_reactor(lambda: Deferred.fromCoroutine(
            sensor.record_acknowledged(build, datetime.now(timezone.utc), "notice:1")))
        replay = in_reactor(lambda: Deferred.fromCoroutine(
            sensor.record_acknowledged(build, datetime.now(timezone.utc), "notice:1")))
    finally:
        writer.stop()
    assert (result, id_evt, acked, replay) == ("ok", 0, 1, 1)


def _kill_cycles(db_url: str, cycles: int, seed: int) -> None:
    chance = random.Random(seed)
    confirmed: dict[str, int] = {}
    for cycle in range(cycles):
        confirmed.update(run_and_kill([str(REPO / "tests" / "frontal_vault" / "_writer.py"), db_url, f"c{cycle}"],
                                      chance.uniform(0.05, 0.6)))
    engine = make_engine(db_url)
    with engine.begin() as c:
        stored = journal.events(c, 1)
    engine.dispose()
    ids = [i for i, _ in stored]
    assert ids == list(range(len(ids))), "IDEvt skipped or repeated"
    by_key = {ref_of(p): i for i, p in stored}
    assert len(by_key) == len(stored), "an event stored twice"
    for key, id_evt in confirmed.items():
        assert by_key.get(key) == id_evt, f"confirmed {key} as {id_evt} but the vault has {by_key.get(key)}"
    assert len(confirmed) > 0


def test_kill_9_loses_nothing_confirmed(db_url: str) -> None:
    _kill_cycles(db_url, cycles=4, seed=1)


@pytest.mark.slow
def test_kill_9_soak(db_url: str) -> None:
    _kill_cycles(db_url, cycles=60, seed=2)


def test_writer_refuses_a_bad_event_without_failing_its_group(engine: Engine) -> None:
    writer = in_reactor(lambda: VaultWriter(engine, reactor))
    bad = event("bad")
    bad.find("TypAg").text = "XX"

    def deposit_three() -> Deferred[list[object]]:
        ds = [writer.deposit(event("a")), writer.deposit(bad), writer.deposit(event("b"))]
        ds[1].addErrback(lambda failure: failure.value)
        return gatherResults(ds)

    try:
        first, refused, second = in_reactor(deposit_three)
    finally:
        writer.stop()
    assert (first, second) == (0, 1) and isinstance(refused, TraceInvalid)
    with engine.begin() as c:
        assert [ref_of(p) for _, p in journal.events(c, 1)] == ["a", "b"]


def test_writer_retries_one_by_one_when_its_group_fails(engine: Engine) -> None:
    """A row the database refuses (here a key longer than its column, which SQLite does not
    check) fails its group; the writer then commits the others alone, IDs still contiguous."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite does not enforce the column's length")
    writer = in_reactor(lambda: VaultWriter(engine, reactor))

    def deposit_three() -> Deferred[list[object]]:
        ds = [writer.deposit(event("a"), "key:a"), writer.deposit(event("long"), "k" * 200),
              writer.deposit(event("b"), "key:b")]
        ds[1].addErrback(lambda failure: failure.value)
        return gatherResults(ds)

    try:
        first, refused, second = in_reactor(deposit_three)
    finally:
        writer.stop()
    assert (first, second) == (0, 1) and isinstance(refused, Exception)
    with engine.begin() as c:
        assert [ref_of(p) for _, p in journal.events(c, 1)] == ["a", "b"]


def test_writer_reconnects_when_its_connection_was_lost(engine: Engine) -> None:
    """The writer keeps its connection between groups; a server that dropped it (restart)
    costs nothing but a reconnection: the deposit is committed on a new connection."""
    if engine.dialect.name == "sqlite":
        pytest.skip("needs a database server to drop the connection")
    writer = in_reactor(lambda: VaultWriter(engine, reactor))
    try:
        assert in_reactor(lambda: writer.deposit(event("before"))) == 0
        with engine.connect() as c:
            killed = c.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()").all()
        assert killed
        assert in_reactor(lambda: writer.deposit(event("after"))) == 1
    finally:
        writer.stop()
    with engine.begin() as c:
        assert [ref_of(p) for _, p in journal.events(c, 1)] == ["before", "after"]

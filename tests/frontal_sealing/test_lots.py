"""Lots close at N events or T seconds, are signed, chained, encrypted, and read back."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths
from frontal.vault.export import ExportError, ExportRange
from frontal.vault.tables import ZERO_HASH, vault_events, vault_lots
from tests.frontal_sealing.support import ExportFile, export_text, journal_events, make_sealer, now, verify_text
from tests.frontal_vault.events import ref_of


def lots(engine: Engine) -> list[tuple[int, int, bytes]]:
    with engine.connect() as connection:
        return [(r.first_id_evt, r.last_id_evt, r.validation)
                for r in connection.execute(select(vault_lots).order_by(vault_lots.c.lot_no))]


def test_lots_close_at_n_events_and_read_back(engine: Engine, pki: PkiPaths) -> None:
    journal_events(engine, [f"s{i}" for i in range(7)])
    sealer = make_sealer(engine, pki, max_events=3)
    assert sealer.seal_ready() == 2  # the seventh event waits for its lot to fill or time out
    assert [(a, b) for a, b, _ in lots(engine)] == [(0, 2), (3, 5)]
    assert sealer.seal_ready(force=True) == 1
    records = lots(engine)
    assert [(a, b) for a, b, _ in records] == [(0, 2), (3, 5), (6, 6)]

    first = etree.fromstring(records[0][2])
    assert first.findtext("EmpVal") == ZERO_HASH
    assert first.findtext("IDEvtDebut") == "0" and first.findtext("IDEvt") == "2"
    assert etree.fromstring(records[1][2]).findtext("EmpVal") == hashlib.sha256(records[0][2]).hexdigest()
    single = etree.fromstring(records[2][2])
    assert single.find("IDEvtDebut") is None and single.findtext("IDEvt") == "6"

    with engine.connect() as connection:  # the clear text does not outlive its sealed lot
        assert connection.execute(select(vault_events.c.payload).where(vault_events.c.payload.is_not(None))).all() == []

    report = verify_text(export_text(engine), pki)
    assert (report.lots, report.events, report.chain_anchored) == (3, 7, True)
    assert [ref_of(line) for line in report.requested] == [f"s{i}" for i in range(7)]


def test_one_event_per_lot(engine: Engine, pki: PkiPaths) -> None:
    journal_events(engine, ["a", "b", "c"])
    assert make_sealer(engine, pki, max_events=1).seal_ready() == 3
    assert [(a, b) for a, b, _ in lots(engine)] == [(0, 0), (1, 1), (2, 2)]
    assert verify_text(export_text(engine), pki).events == 3


def test_a_partial_lot_closes_after_t_seconds(engine: Engine, pki: PkiPaths) -> None:
    clock = [0]
    journal_events(engine, ["a", "b"])
    with engine.connect() as connection:
        journaled = connection.execute(select(vault_events.c.journaled_us)).scalars().first()
    sealer = make_sealer(engine, pki, max_events=100, max_seconds=60, clock_us=lambda: clock[0])
    clock[0] = journaled + 59_000_000
    assert sealer.seal_ready() == 0
    clock[0] = journaled + 60_000_000
    assert sealer.seal_ready() == 1
    assert [(a, b) for a, b, _ in lots(engine)] == [(0, 1)]


def test_a_lot_waits_for_the_clock_to_pass_its_events(engine: Engine, pki: PkiPaths) -> None:
    ahead = now().replace(microsecond=0) + timedelta(seconds=2)  # a sensor clock slightly ahead
    journal_events(engine, ["late"], at=ahead)
    sealer = make_sealer(engine, pki, max_events=1)
    assert sealer.seal_ready() == 0
    time.sleep(max(0.0, (ahead - now()).total_seconds()) + 0.05)
    assert sealer.seal_ready() == 1
    record = etree.fromstring(lots(engine)[0][2])
    assert record.findtext("DateHorodatage") >= ahead.strftime("%y%m%d%H%M%S")
    assert verify_text(export_text(engine), pki).events == 1


def test_export_by_id_range_takes_the_adjacent_lots(engine: Engine, pki: PkiPaths) -> None:
    journal_events(engine, [f"e{i}" for i in range(10)])
    make_sealer(engine, pki, max_events=2).seal_ready()  # lots 0-1, 2-3, 4-5, 6-7, 8-9
    text = export_text(engine, ExportRange(from_id=4, to_id=5))
    exported = ExportFile.parse(text)
    assert [(x["first_id_evt"], x["last_id_evt"]) for x in exported.lots] == [(2, 3), (4, 5), (6, 7)]
    report = verify_text(text, pki)
    assert not report.chain_anchored  # starts mid-vault: the chain is checked from lot 2-3 on
    assert [ref_of(line) for line in report.requested] == ["e4", "e5"]


def test_export_by_dates(engine: Engine, pki: PkiPaths) -> None:
    journal_events(engine, ["old"], at=now() - timedelta(days=2))
    journal_events(engine, ["new"])
    make_sealer(engine, pki, max_events=1).seal_ready()
    text = export_text(engine, ExportRange(from_date=now() - timedelta(hours=1), to_date=now() + timedelta(hours=1)))
    report = verify_text(text, pki)
    assert report.lots == 2 and [ref_of(line) for line in report.requested] == ["new"]


def test_export_of_nothing_is_an_error(engine: Engine, pki: PkiPaths) -> None:
    with pytest.raises(ExportError, match="no sealed lot"):
        export_text(engine)
    with pytest.raises(ExportError, match="not both"):
        ExportRange(from_id=1, from_date=now())

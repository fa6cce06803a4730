"""kill -9 a vault under load, with its sealer, again and again: after each restart the
export verifies, IDs are contiguous, and every confirmed trace is there exactly once."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths
from frontal.vault.export import ExportRange
from frontal.vault.tables import vault_counters
from tests.frontal_sealing.support import export_text, make_sealer, verify_text
from tests.frontal_vault._writer import run_and_kill
from tests.frontal_vault.events import ref_of
from tests.support import REPO


def _kill_cycles(engine: Engine, db_url: str, pki: PkiPaths, cycles: int, seed: int) -> None:
    chance = random.Random(seed)
    confirmed: dict[str, int] = {}
    stored: list[str] = []
    for cycle in range(cycles):
        confirmed.update(run_and_kill([str(REPO / "tests" / "frontal_sealing" / "_sealing_writer.py"), db_url,
                                       str(pki.directory), f"c{cycle}"], chance.uniform(0.1, 0.8)))

        make_sealer(engine, pki, max_events=20).seal_ready(force=True)  # the restart's first pass
        with engine.connect() as connection:
            sealed = connection.execute(select(vault_counters.c.sealed_through)).scalar_one()
        if sealed == len(stored):
            continue  # killed before its first deposit committed
        # Verify what this cycle added (the export anchors it on the adjacent earlier lot).
        report = verify_text(export_text(engine, ExportRange(from_id=len(stored))), pki)
        added = [ref_of(line) for line in report.requested]
        assert report.last_id == len(stored) + len(added) - 1, "IDEvt skipped or repeated"
        stored.extend(added)
    report = verify_text(export_text(engine), pki)  # and the whole vault, once
    assert report.chain_anchored and [ref_of(line) for line in report.requested] == stored
    assert len(set(stored)) == len(stored), "a trace stored twice"
    position = {key: index for index, key in enumerate(stored)}
    for key, id_evt in confirmed.items():
        assert position.get(key) == id_evt, f"confirmed {key} as {id_evt}, the vault has {position.get(key)}"
    assert len(confirmed) > 0


def test_kill_9_during_sealing_loses_nothing(engine: Engine, db_url: str, pki: PkiPaths) -> None:
    _kill_cycles(engine, db_url, pki, cycles=4, seed=3)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_kill_9_during_sealing_soak(engine: Engine, db_url: str, pki: PkiPaths) -> None:
    _kill_cycles(engine, db_url, pki, cycles=40, seed=4)

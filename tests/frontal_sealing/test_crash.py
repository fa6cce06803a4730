"""kill -9 a vault under load, with its sealer, again and again: after each restart the
export verifies, IDs are contiguous, and every confirmed trace is there exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths
from tests.frontal_sealing.support import export_text, make_sealer, verify_text
from tests.frontal_vault.events import ref_of
from tests.support import REPO


def _kill_cycles(engine: Engine, db_url: str, pki: PkiPaths, cycles: int, seed: int) -> None:
    chance = random.Random(seed)
    confirmed: dict[str, int] = {}
    for cycle in range(cycles):
        process = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "frontal_sealing" / "_sealing_writer.py"), db_url,
             str(pki.directory), f"c{cycle}"],
            cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert process.stdout is not None
        first = process.stdout.readline()  # running and confirming
        time.sleep(chance.uniform(0.1, 0.8))
        process.send_signal(signal.SIGKILL)
        rest = process.stdout.read()
        process.wait()
        for line in (first + rest).splitlines():
            id_evt, key = line.split()
            confirmed[key] = int(id_evt)

        make_sealer(engine, pki, max_events=5).seal_ready(force=True)  # the restart's first pass
        report = verify_text(export_text(engine), pki)
        stored = [ref_of(line) for line in report.requested]
        assert report.chain_anchored and report.first_id == 0 and report.last_id == len(stored) - 1
        assert len(set(stored)) == len(stored), "a trace stored twice"
        position = {key: index for index, key in enumerate(stored)}
        for key, id_evt in confirmed.items():
            assert position.get(key) == id_evt, f"confirmed {key} as {id_evt}, the vault has {position.get(key)}"
    assert len(confirmed) > 0


def test_kill_9_during_sealing_loses_nothing(engine: Engine, db_url: str, pki: PkiPaths) -> None:
    _kill_cycles(engine, db_url, pki, cycles=4, seed=3)


@pytest.mark.slow
def test_kill_9_during_sealing_soak(engine: Engine, db_url: str, pki: PkiPaths) -> None:
    _kill_cycles(engine, db_url, pki, cycles=40, seed=4)

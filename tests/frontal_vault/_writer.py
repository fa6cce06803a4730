"""A vault writer under load, for the kill -9 test: prints each IDEvt once it is confirmed."""

from __future__ import annotations

import sys
from pathlib import Path

from twisted.internet import reactor
from twisted.internet.defer import Deferred

from frontal.vault.journal import VaultWriter
from tests.frontal_vault.events import okcondgene
from server.db import migrate
from server.db.engine import make_engine


def pump(writer: VaultWriter, prefix: str, batch_size: int = 20) -> "Deferred[None]":
    """Deposit events for ever, printing each IDEvt as it is confirmed."""

    def confirmed(id_evt: int, key: str) -> None:
        sys.stdout.write(f"{id_evt} {key}\n")
        sys.stdout.flush()

    async def run() -> None:
        counter = 0
        while True:
            batch = []
            for _ in range(batch_size):
                counter += 1
                key = f"{prefix}-{counter}"
                d = writer.deposit(okcondgene(key), key)
                d.addCallback(confirmed, key)
                batch.append(d)
            for d in batch:
                await d

    return Deferred.fromCoroutine(run())


def main() -> None:
    url, prefix = sys.argv[1], sys.argv[2]
    engine = make_engine(url)
    migrate.upgrade(engine)
    writer = VaultWriter(engine, reactor)
    reactor.callWhenRunning(pump, writer, prefix)
    reactor.run()



def run_and_kill(command: list[str], pause: float) -> dict[str, int]:
    """Start a writer process, SIGKILL it after ``pause`` seconds of confirming, and return
    every (key -> IDEvt) it printed as confirmed before dying."""
    import os
    import signal
    import subprocess
    import time

    repo = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, *command], cwd=repo, stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(repo)})
    assert process.stdout is not None
    first = process.stdout.readline()  # running and confirming
    time.sleep(pause)
    process.send_signal(signal.SIGKILL)
    rest = process.stdout.read()
    process.wait()
    confirmed: dict[str, int] = {}
    for line in (first + rest).splitlines():
        id_evt, key = line.split()
        confirmed[key] = int(id_evt)
    return confirmed


if __name__ == "__main__":
    main()

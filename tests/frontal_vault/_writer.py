"""A vault writer under load, for the kill -9 test: prints each IDEvt once it is confirmed."""

from __future__ import annotations

import sys

from lxml import etree
from twisted.internet import reactor
from twisted.internet.defer import Deferred

from frontal.vault.journal import VaultWriter
from tests.frontal_vault.events import okcondgene
from server.db import migrate
from server.db.engine import make_engine


def main() -> None:
    url, prefix = sys.argv[1], sys.argv[2]
    engine = make_engine(url)
    migrate.upgrade(engine)
    writer = VaultWriter(engine, reactor)
    counter = 0

    def confirmed(id_evt: int, key: str) -> None:
        sys.stdout.write(f"{id_evt} {key}\n")
        sys.stdout.flush()

    async def pump() -> None:
        nonlocal counter
        while True:
            batch = []
            for _ in range(20):
                counter += 1
                key = f"{prefix}-{counter}"
                event = okcondgene(key)
                d = writer.deposit(event, key)
                d.addCallback(confirmed, key)
                batch.append(d)
            for d in batch:
                await d

    reactor.callWhenRunning(lambda: Deferred.fromCoroutine(pump()))
    reactor.run()


if __name__ == "__main__":
    main()

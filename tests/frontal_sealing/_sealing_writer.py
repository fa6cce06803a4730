"""A vault under load with its sealer, for the kill -9 test: prints each IDEvt once confirmed."""

from __future__ import annotations

import sys
from pathlib import Path

from twisted.internet import reactor

from frontal.vault.journal import VaultWriter
from frontal.vault.keys import load_vault_keys
from frontal.vault.sealer import SealerThread
from frontal.vault.sealing import LotPolicy, LotSealer
from server.db import migrate
from server.db.engine import make_engine
from tests.frontal_vault._writer import pump


def main() -> None:
    url, pki, prefix = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    engine = make_engine(url)
    migrate.upgrade(engine)
    keys = load_vault_keys(pki)
    sealer = LotSealer(engine, signer=keys.signer, recipient=keys.recipient, policy=LotPolicy(20, 0.2))
    thread = SealerThread(sealer, seal_at_start=True).start()
    writer = VaultWriter(engine, reactor, on_commit=thread.journaled)
    reactor.callWhenRunning(pump, writer, prefix, 10)
    reactor.run()


if __name__ == "__main__":
    main()

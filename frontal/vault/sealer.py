"""The sealing thread: lots close off the reactor, as soon as they are due."""

from __future__ import annotations

import threading

from twisted.logger import Logger

from frontal.vault.sealing import LotSealer

log = Logger(namespace="frontal.vault")


class SealerThread:
    """Runs :meth:`LotSealer.seal_ready` when N events have been journaled, and at least
    every ``min(T, 1 s)`` so that time-closed lots are not late. Started after a crash, its
    first pass seals whatever was journaled and is due."""

    def __init__(self, sealer: LotSealer, retry_seconds: float = 5.0, seal_at_start: bool = False) -> None:
        self._sealer = sealer
        self._seal_at_start = seal_at_start  # after a crash: the journal's tail becomes a lot now
        self._wake = threading.Event()
        self._stopping = False
        self._final_seal = False
        self._pending = 0  # events journaled since the last pass, approximately
        self._retry = retry_seconds
        self._poll = min(sealer.policy.max_seconds, 1.0)
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name=f"vault-{sealer.id_coffre}-sealer", daemon=True)

    def start(self) -> "SealerThread":
        self._thread.start()
        return self

    def journaled(self, count: int) -> None:
        """Called by the journal writer after each commit (from its thread)."""
        self._pending += count
        if self._pending >= self._sealer.policy.max_events:
            self._wake.set()

    def stop(self, seal_everything: bool = True) -> None:
        """End the thread; at a clean stop the last, partial lot is sealed too."""
        self._final_seal = seal_everything
        self._stopping = True
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        if self._seal_at_start:
            try:
                self._sealer.seal_ready(force=True)
            except Exception:
                self.failures += 1
                log.failure("sealing the previous run's journal failed; retrying")
        while not self._stopping:
            self._wake.wait(self._poll)
            self._wake.clear()
            if self._stopping:
                if self._final_seal:
                    self._sealer.seal_ready(force=True)
                return
            self._pending = 0
            try:
                self._sealer.seal_ready()
            except Exception:
                self.failures += 1
                log.failure("sealing failed; retrying in {seconds} s", seconds=self._retry)
                self._wake.wait(self._retry)

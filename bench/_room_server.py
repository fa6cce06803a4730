"""Child process of bench/room.py: ``croupier serve``, unchanged, with named threads.

    .venv/bin/python bench/_room_server.py [--profile FILE] [--switch-interval S] [--db-timing FILE]
                                           serve [croupier serve arguments]

Each Python thread also gets its name as the kernel's thread name (prctl PR_SET_NAME, 15
bytes), so the parent can split the server's CPU by thread from /proc/PID/task/*/stat: the
reactor (the main thread), the database pool, the vault's writer and sealer, and the
reactor's thread pool (scrypt). With --profile the reactor thread runs under cProfile and
its statistics are written to FILE when the server stops (SIGTERM). --switch-interval sets
sys.setswitchinterval (CPython's default is 0.005 s): an experiment on how long the server's
threads wait for the GIL, not a setting of the server. --db-timing wraps (from here, the
server's code unchanged) ``Database.transaction`` and the vault writer's transactions and
writes to FILE at the stop, per transaction: when it was submitted (time.monotonic, the
same clock in every process), how long it waited for a pool thread, ran (body, then COMMIT),
and waited for the reactor to take its result; and per vault group: its size, the wait for
the write lock and BEGIN IMMEDIATE, the inserts, the COMMIT.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
PR_SET_NAME = 15


def kernel_name(name: str) -> str:
    """A short, recognisable name: the kernel keeps 15 bytes."""
    if "croupier-db" in name:
        return "db"
    if name.startswith("vault-") and name.endswith("-writer"):
        return "vault-writer"
    if name.startswith("vault-") and name.endswith("-sealer"):
        return "vault-sealer"
    if "reactor" in name:
        return "reactor-pool"
    return name[:15]


def _name_threads() -> None:
    original = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def bootstrap_inner(self: threading.Thread) -> None:
        try:
            _libc.prctl(PR_SET_NAME, kernel_name(self.name).encode()[:15], 0, 0, 0)
        except Exception:
            pass
        original(self)

    threading.Thread._bootstrap_inner = bootstrap_inner  # type: ignore[attr-defined]


def _time_database(records: dict[str, list[tuple[float, ...]]]) -> None:
    import time

    from frontal.vault import journal
    from server.db import pool

    transactions = records.setdefault("db", [])  # submitted, queued, body, commit, back to the reactor

    def transaction(self: pool.Database, fn: Any) -> Any:
        submitted = time.monotonic()
        marks: list[float] = []

        def work() -> Any:
            marks.append(time.monotonic())
            with self.engine.begin() as connection:
                result = fn(connection)
                marks.append(time.monotonic())
            marks.append(time.monotonic())
            return result

        def back(result: Any) -> Any:
            if len(marks) == 3:
                now = time.monotonic()
                transactions.append((submitted, marks[0] - submitted, marks[1] - marks[0], marks[2] - marks[1],
                                     now - marks[2]))
            return result

        return self.run(work).addBoth(back)

    pool.Database.transaction = transaction  # type: ignore[method-assign]

    groups = records.setdefault("vault", [])  # started, events, lock + begin, inserts, commit
    original_append = journal.append
    original_transaction = journal.VaultWriter._transaction
    local = threading.local()

    def append(connection: Any, id_coffre: int, deposits: Any) -> Any:
        local.appending = time.monotonic()
        result = original_append(connection, id_coffre, deposits)
        local.appended = time.monotonic()
        return result

    def timed_transaction(self: Any, items: Any) -> Any:
        started = time.monotonic()
        ids = original_transaction(self, items)
        ended = time.monotonic()
        appending = getattr(local, "appending", started)
        appended = max(appending, getattr(local, "appended", appending))
        groups.append((started, len(items), appending - started, appended - appending, ended - appended))
        return ids

    journal.append = append  # type: ignore[assignment]
    journal.VaultWriter._transaction = timed_transaction  # type: ignore[method-assign]


def main() -> int:
    _name_threads()
    args = sys.argv[1:]
    profile_file = timing_file = None
    while args[:1] in (["--profile"], ["--switch-interval"], ["--db-timing"]):
        if args[0] == "--profile":
            profile_file = args[1]
        elif args[0] == "--db-timing":
            timing_file = args[1]
        else:
            sys.setswitchinterval(float(args[1]))
        args = args[2:]
    records: dict[str, list[tuple[float, ...]]] = {}
    if timing_file is not None:
        _time_database(records)
    from server.cli import main as croupier

    profiler = None
    if profile_file is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    try:
        return croupier(args)
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile_file)
        if timing_file is not None:
            import json

            Path(timing_file).write_text(json.dumps(records))


if __name__ == "__main__":
    sys.exit(main())

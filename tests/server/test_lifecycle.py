"""Start-up on embedded defaults, SIGTERM, SIGUSR1 (stack dump), and restart."""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.request

from tests.server.test_player_protocol import PASSWORD, greeted
from tests.support import ServerProcess


def test_first_start_creates_what_it_lacks(server: ServerProcess) -> None:
    data_dir = server.data_dir
    assert (data_dir / "operator-token").stat().st_mode & 0o777 == 0o600
    assert (data_dir / "croupier.log.jsonl").exists()
    assert (data_dir.stat().st_mode & 0o777) == 0o700


def test_sigterm_closes_cleanly_and_ends_sessions(server: ServerProcess) -> None:
    client = greeted(server)
    pid = client.call("register", login="jack", pseudo="jack", password=PASSWORD)["player_id"]
    client.call("login", login="jack", password=PASSWORD)
    assert server.stop(signal.SIGTERM) == 0
    _clean, code, _reason = client.wait_closed()
    assert code == 4001
    log = "".join(server.output)
    assert "stopped cleanly" in log
    server.start()
    _, sessions = server.api("GET", f"/api/players/{pid}/sessions")
    assert sessions["sessions"][0]["end_reason"] == "disconnect"


def test_sigusr1_dumps_stacks_under_load_and_the_server_keeps_serving(server: ServerProcess) -> None:
    """`kill -USR1` dumps every thread's stack, and a loaded server lives through many of them.

    faulthandler.register's C handler walked the threads' frames without the GIL while the
    database thread ran Python: under this load the server died of SIGSEGV within a few dozen
    signals (often the first few)."""
    assert server.process is not None
    token = server.token
    paths = ["/health", "/api/stats", "/api/audit-log?limit=50", "/api/players"]  # the database thread at work
    answered = [0]
    failures: list[str] = []
    done = threading.Event()

    def load(worker: int) -> None:
        n = worker
        while not done.is_set():
            request = urllib.request.Request(server.api_url + paths[n % len(paths)],
                                             headers={"authorization": f"Bearer {token}"})
            n += 1
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                answered[0] += 1
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                return

    workers = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(6)]
    for worker in workers:
        worker.start()
    try:
        until = time.monotonic() + 5
        while answered[0] < 50 and time.monotonic() < until:
            time.sleep(0.01)
        sent = 0
        for _ in range(200):  # every 10 ms: 2 s of dumps under load
            if server.process.poll() is not None:
                break
            os.kill(server.process.pid, signal.SIGUSR1)
            sent += 1
            time.sleep(0.01)
        time.sleep(0.2)
        assert server.process.poll() is None, (
            f"the server died (exit status {server.process.returncode}) after {sent} SIGUSR1:\n"
            + "".join(server.output)[-2000:])
        after_signals = answered[0]
        until = time.monotonic() + 10
        while answered[0] < after_signals + 50 and not failures and time.monotonic() < until:
            time.sleep(0.01)
        assert answered[0] >= after_signals + 50, f"requests no longer answered: {failures[:3]}"
    finally:
        done.set()
        for worker in workers:
            worker.join(15)
    assert not failures, failures[:3]
    output = "".join(server.output)  # stdout and stderr, merged by ServerProcess
    dumps = output.count("Current thread 0x")  # faulthandler's header for the thread that dumps
    assert dumps >= 20, f"{dumps} stack dumps for {sent} signals"  # signals arriving together coalesce
    assert output.count("\nThread 0x") >= dumps  # every thread, not only the reactor's
    assert "server/db/pool.py" in output  # the database thread caught at work
    status, health = server.api("GET", "/health")
    assert status == 200 and health["database"] == "ok"
    assert server.stop(signal.SIGTERM) == 0
    assert "stopped cleanly" in "".join(server.output)

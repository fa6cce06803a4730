"""Start-up on embedded defaults, SIGTERM, and restart."""

from __future__ import annotations

import signal

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

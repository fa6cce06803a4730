"""`croupier play` driven as a person would: typed commands, readable answers."""

from __future__ import annotations

import subprocess
import sys

from tests.support import REPO, ServerProcess


def test_terminal_session(server: ServerProcess) -> None:
    typed = "\n".join(
        [
            "help",
            "lobby",
            "register zoe zoe",
            "a good password",
            "login zoe",
            "wrong password!",
            "login zoe",
            "a good password",
            "lobby",
            "ping",
            "frobnicate",
            "logout",
            "quit",
        ]
    ) + "\n"
    # A new session has no controlling terminal, so getpass reads the typed lines.
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "play", "--url", server.ws_url],
        input=typed, capture_output=True, text=True, timeout=60, cwd=REPO, start_new_session=True,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "connected to croupier/" in out
    assert "Commands:" in out
    assert "refused: not_authenticated" in out
    assert "registered as zoe" in out
    assert "refused: bad_credentials" in out
    assert "welcome zoe; 0 notice(s) waiting" in out
    assert "you are zoe" in out
    assert "pong" in out
    assert "not understood: 'frobnicate'" in out
    assert "logged out" in out


def test_terminal_reports_unreachable_server() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "play", "--url", "ws://127.0.0.1:9/ws"],
        input="", capture_output=True, text=True, timeout=60, cwd=REPO, start_new_session=True,
    )
    assert result.returncode == 1
    assert "cannot reach the server" in result.stderr

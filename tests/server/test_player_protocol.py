"""Over real WebSockets against a real server process: handshake, accounts, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from client.blocking import BlockingClient
from server.protocol.errors import ERROR_CODES
from tests.support import ServerProcess

PASSWORD = "correct horse battery"


def greeted(server: ServerProcess, **kwargs: Any) -> BlockingClient:
    client = BlockingClient(server.ws_url, **kwargs)
    client.hello()
    return client


def logged_in(server: ServerProcess, login: str) -> tuple[BlockingClient, str]:
    client = greeted(server)
    player = client.call("register", login=login, pseudo=login, password=PASSWORD)
    client.call("login", login=login, password=PASSWORD)
    return client, player["player_id"]


def assert_error(reply: dict[str, Any], code: str, rid: Any = None) -> None:
    assert reply["type"] == "error", reply
    assert reply["code"] == code, reply
    assert reply["code"] in ERROR_CODES
    assert set(reply) == {"type", "code", "message", "id"}
    assert reply["message"]
    if rid is not None:
        assert reply["id"] == rid


def test_handshake(server: ServerProcess) -> None:
    client = BlockingClient(server.ws_url)
    assert_error(client.request("ping", id="early"), "hello_required", "early")
    assert_error(client.request("hello", version=99), "unsupported_version")
    welcome = client.call("hello", version=1, client="test")
    assert welcome["protocol"] == 1
    assert welcome["limits"]["max_frame_bytes"] == 65536
    assert client.call("ping") == {"pong": True}


def test_register_login_logout(server: ServerProcess) -> None:
    client = greeted(server)
    assert_error(client.request("lobby"), "not_authenticated")
    player = client.call("register", login="alice", pseudo="Alice", password=PASSWORD)
    assert player["player_id"].startswith("J") and len(player["player_id"]) <= 64
    assert_error(client.request("register", login="ALICE", pseudo="other", password=PASSWORD), "login_taken")
    assert_error(client.request("register", login="alice2", pseudo="alice", password=PASSWORD), "pseudo_taken")
    assert_error(client.request("login", login="alice", password="wrong password"), "bad_credentials")
    assert_error(client.request("login", login="nobody", password=PASSWORD), "bad_credentials")
    session = client.call("login", login="alice", password=PASSWORD)
    assert session == {"player_id": player["player_id"], "pseudo": "Alice", "pending_notices": 0}
    assert_error(client.request("login", login="alice", password=PASSWORD), "already_authenticated")
    lobby = client.call("lobby")
    assert lobby["player"]["player_id"] == player["player_id"]
    assert client.call("logout") == {"player_id": player["player_id"]}
    assert_error(client.request("lobby"), "not_authenticated")
    # The same connection can log in again.
    client.call("login", login="alice", password=PASSWORD)
    status, sessions = server.api("GET", f"/api/players/{player['player_id']}/sessions")
    assert status == 200
    assert [s["end_reason"] for s in sessions["sessions"]] == ["logout", None]


def test_password_is_not_stored(server: ServerProcess) -> None:
    import sqlalchemy as sa

    greeted(server).call("register", login="bob", pseudo="bob", password=PASSWORD)
    engine = sa.create_engine(_sync_url(server))
    with engine.connect() as c:
        stored = c.exec_driver_sql("SELECT password_hash FROM players").scalar_one()
    engine.dispose()
    assert PASSWORD not in stored and stored.startswith("scrypt$")


def _sync_url(server: ServerProcess) -> str:
    from server.db.engine import normalize_url

    return normalize_url(server.db_url)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"id": 5}', "missing_field"),
        ('{"type": "teleport", "id": 5}', "unknown_type"),
        ('{"type": "ping"}', "missing_field"),
        ('{"type": "ping", "id": 5, "sneaky": true}', "unknown_field"),
        ('{"type": "ack", "id": 5, "notice_id": "7"}', "wrong_type"),
        ('{"type": "ack", "id": 5, "notice_id": true}', "wrong_type"),
        ('{"type": "ack", "id": 5, "notice_id": 0}', "invalid_value"),
        ('{"type": "register", "id": 5, "login": "a b", "pseudo": "abc", "password": "12345678"}', "invalid_value"),
        ('{"type": "register", "id": 5, "login": "abc", "pseudo": "abc", "password": "short"}', "invalid_value"),
        ('{"type": "ping", "id": {"nested": 1}}', "wrong_type"),
    ],
)
def test_bad_input_gets_documented_error_and_connection_survives(server: ServerProcess, frame: str, code: str) -> None:
    client = greeted(server)
    client.send_raw(frame)
    reply = client.next_message()
    assert_error(reply, code)
    assert client.call("ping") == {"pong": True}


def test_binary_and_oversize_frames(server: ServerProcess) -> None:
    client = greeted(server)
    client.send_raw(b"\x00\x01", binary=True)
    assert_error(client.next_message(), "binary_frame")
    big = json.dumps({"type": "ping", "id": 1, "pad": "x" * 70000})
    client.send_raw(big)
    assert_error(client.next_message(), "frame_too_large")
    assert client.call("ping") == {"pong": True}


def test_flood_is_limited_and_others_unaffected(server_factory: Any) -> None:
    server = server_factory(**{"ws.rate_per_second": 5, "ws.rate_burst": 10, "ws.rate_strikes_before_close": 30})
    flooder = greeted(server)
    bystander = greeted(server)
    for i in range(25):
        flooder.send_raw(json.dumps({"type": "ping", "id": i}))
    replies = [flooder.next_message() for _ in range(25)]
    limited = [r for r in replies if r.get("code") == "rate_limited"]
    assert len(limited) >= 10
    assert bystander.call("ping") == {"pong": True}
    # Past the strike limit the flooder is disconnected with a policy-violation close.
    for i in range(40):
        try:
            flooder.send_raw(json.dumps({"type": "ping", "id": 100 + i}))
        except Exception:
            break
    was_clean, code, _reason = flooder.wait_closed()
    assert code == 4008
    assert bystander.call("ping") == {"pong": True}


def test_forwarded_for_only_from_trusted_proxies(server_factory: Any) -> None:
    trusting = server_factory(**{"ws.trusted_proxies": ["127.0.0.1/32"]})
    client = greeted(trusting, headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    pid = client.call("register", login="carol", pseudo="carol", password=PASSWORD)["player_id"]
    client.call("login", login="carol", password=PASSWORD)
    _, body = trusting.api("GET", f"/api/players/{pid}/sessions")
    assert body["sessions"][0]["ip"] == "203.0.113.9"

    # Same database as the first server, so its bootstrap token is the first server's.
    untrusting = server_factory()
    client = greeted(untrusting, headers={"X-Forwarded-For": "203.0.113.9"})
    pid = client.call("register", login="dave", pseudo="dave", password=PASSWORD)["player_id"]
    client.call("login", login="dave", password=PASSWORD)
    _, body = untrusting.api("GET", f"/api/players/{pid}/sessions", token=trusting.token)
    assert body["sessions"][0]["ip"] == "127.0.0.1"


def test_no_database_call_on_the_reactor_thread(server: ServerProcess) -> None:
    client, _ = logged_in(server, "erin")
    client.call("lobby")
    client.call("logout")
    status, health = server.api("GET", "/health", token=None)
    assert status == 200
    assert health["reactor_thread_db_violations"] == 0

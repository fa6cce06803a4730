"""Push and acknowledge: persisted, re-pushed at login, across reconnects and restarts."""

from __future__ import annotations

from typing import Any

from client.blocking import BlockingClient
from tests.server.test_player_protocol import PASSWORD, assert_error, greeted
from tests.support import ServerProcess


def login(server: ServerProcess, login_name: str) -> tuple[BlockingClient, dict[str, Any]]:
    client = greeted(server)
    return client, client.call("login", login=login_name, password=PASSWORD)


def test_notice_survives_reconnect_and_restart(server: ServerProcess) -> None:
    client = greeted(server)
    pid = client.call("register", login="frank", pseudo="frank", password=PASSWORD)["player_id"]
    client.call("login", login="frank", password=PASSWORD)

    status, pushed = server.api("POST", f"/api/players/{pid}/notices", {"text": "welcome"})
    assert status == 201
    notice = client.next_message()
    assert notice["type"] == "notice" and notice["notice_id"] == pushed["notice_id"]
    assert notice["data"]["text"] == "welcome"
    # Until acknowledged, other actions are refused.
    assert_error(client.request("lobby"), "notices_pending")
    client.close()
    client.wait_closed()

    client, session = login(server, "frank")
    assert session["pending_notices"] == 1
    assert client.next_message()["notice_id"] == pushed["notice_id"]
    client.close()
    client.wait_closed()

    server.restart()
    client, session = login(server, "frank")
    assert session["pending_notices"] == 1
    again = client.next_message()
    assert again["notice_id"] == pushed["notice_id"]
    assert_error(client.request("ack", notice_id=pushed["notice_id"] + 1000), "unknown_notice")
    acked = client.call("ack", notice_id=pushed["notice_id"])
    assert acked["notice_id"] == pushed["notice_id"]
    assert_error(client.request("ack", notice_id=pushed["notice_id"]), "unknown_notice")
    assert client.call("lobby")["player"]["player_id"] == pid

    _, listing = server.api("GET", f"/api/players/{pid}/notices")
    assert [n["acked_at"] is not None for n in listing["notices"]] == [True]


def test_notice_reaches_every_live_session_of_the_player(server: ServerProcess) -> None:
    first = greeted(server)
    pid = first.call("register", login="gina", pseudo="gina", password=PASSWORD)["player_id"]
    first.call("login", login="gina", password=PASSWORD)
    second, _ = login(server, "gina")
    server.api("POST", f"/api/players/{pid}/notices", {"text": "both"})
    assert first.next_message()["data"]["text"] == "both"
    assert second.next_message()["data"]["text"] == "both"


def test_player_cannot_ack_someone_elses_notice(server: ServerProcess) -> None:
    owner = greeted(server)
    pid = owner.call("register", login="hank", pseudo="hank", password=PASSWORD)["player_id"]
    other = greeted(server)
    other.call("register", login="ivy", pseudo="ivy", password=PASSWORD)
    other.call("login", login="ivy", password=PASSWORD)
    _, pushed = server.api("POST", f"/api/players/{pid}/notices", {"text": "private"})
    assert_error(other.request("ack", notice_id=pushed["notice_id"]), "unknown_notice")

"""Helpers for the sportsbook's end-to-end tests: the operator API, a player, the server's database."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from sqlalchemy.engine import Connection

from client.blocking import BlockingClient
from server.db.engine import make_engine
from tests.support import ServerProcess

PASSWORD = "correct horse battery"
SB = "/api/sportsbook"


def ok(server: ServerProcess, method: str, path: str, body: Any = None, status: int = 201) -> Any:
    got, reply = server.api(method, SB + path, body)
    assert got == status, (got, reply)
    return reply


def refused(server: ServerProcess, path: str, body: Any, field: str, fragment: str = "") -> dict[str, Any]:
    """A 400 that names ``field``."""
    status, reply = server.api("POST", SB + path, body)
    assert status == 400, (status, reply)
    assert reply["error"] == "invalid_input" and reply["field"] == field, reply
    assert fragment in reply["message"], reply
    return reply  # type: ignore[no-any-return]


def conflict(server: ServerProcess, path: str, body: Any, code: str, status: int = 409) -> None:
    got, reply = server.api("POST", SB + path, body)
    assert (got, reply["error"]) == (status, code), (got, reply)


def iso(at: datetime) -> str:
    return at.isoformat()


def soon(seconds: float) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=seconds)


def wait_until(at: datetime) -> None:
    delay = (at - datetime.now(timezone.utc)).total_seconds()
    if delay > 0:
        time.sleep(delay + 0.05)


def player(server: ServerProcess, login: str) -> BlockingClient:
    client = BlockingClient(server.ws_url)
    client.hello()
    client.call("register", login=login, pseudo=login, password=PASSWORD)
    client.call("login", login=login, password=PASSWORD)
    return client


@contextmanager
def database(db_url: str) -> Iterator[Connection]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def champions_league(server: ServerProcess, starts_at: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """Annex 1.4.1.a.1, example 1: Chelsea - Valence CF, its result market at the annex's odds."""
    competition = ok(server, "POST", "/competitions", {"name": "UEFA Champions League", "sport": "FOO",
                                                        "event": "NT95S"})
    fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                               "participants": ["Chelsea", "Valence CF"], "starts_at": iso(starts_at)})
    return competition, fixture


def result_market(server: ServerProcess, fixture_id: int, live: bool = False) -> dict[str, Any]:
    return ok(server, "POST", f"/fixtures/{fixture_id}/markets", {
        "label": "Résultat d'un match", "type_res": "HGY5U", "live": live, "selections": [
            {"label": "Chelsea", "participant": 1, "odds": "1.65"},
            {"label": "Nul", "type_res": "E4VGB", "odds": "3.40"},
            {"label": "Valence CF", "participant": 2, "odds": "4.50"}]})

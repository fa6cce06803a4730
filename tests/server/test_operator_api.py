"""The operators' HTTP API: tokens, roles, audit log, health."""

from __future__ import annotations

from tests.support import ServerProcess


def test_health_needs_no_token(server: ServerProcess) -> None:
    status, body = server.api("GET", "/health", token=None)
    assert status == 200 and body["status"] == "ok" and body["database"] == "ok"


def test_authentication_roles_and_audit_log(server: ServerProcess) -> None:
    assert server.api("GET", "/api/whoami", token=None)[0] == 401
    assert server.api("GET", "/api/whoami", token="crp_forged")[0] == 401
    assert server.api("GET", "/api/whoami") == (200, {"name": "bootstrap-operator", "role": "operator"})

    status, created = server.api("POST", "/api/tokens", {"name": "audrey", "role": "auditor"})
    assert status == 201
    auditor = created["token"]
    assert server.api("GET", "/api/whoami", token=auditor)[1]["role"] == "auditor"
    # Auditors read; they do not act.
    assert server.api("POST", "/api/tokens", {"name": "x", "role": "operator"}, token=auditor)[0] == 403
    assert server.api("POST", "/api/tokens", {"name": "audrey", "role": "auditor"})[0] == 400
    assert server.api("POST", "/api/tokens", {"name": "y", "role": "admin"})[0] == 400
    assert server.api("GET", "/api/nowhere")[0] == 404
    assert server.api("DELETE", "/api/tokens")[0] == 405

    status, log = server.api("GET", "/api/audit-log?limit=50", token=auditor)
    assert status == 200
    entries = [(e["actor"], e["method"], e["path"], e["status"]) for e in reversed(log["entries"])]
    assert ("-", "GET", "/api/whoami", 401) in entries
    assert ("bootstrap-operator", "POST", "/api/tokens", 201) in entries
    assert ("audrey", "POST", "/api/tokens", 403) in entries
    assert ("bootstrap-operator", "GET", "/api/nowhere", 404) in entries
    assert all("crp_" not in e["body"] for e in log["entries"] if e["status"] == 201)


def test_bad_operator_input_changes_nothing(server: ServerProcess) -> None:
    assert server.api("POST", "/api/players/JNOPE/notices", {"text": "hi"})[0] == 404
    assert server.api("POST", "/api/tokens", "not an object")[0] == 400
    assert server.api("GET", "/api/players?limit=0")[0] == 400
    assert server.api("GET", "/api/players?limit=abc")[0] == 400
    assert server.api("GET", "/api/players")[1] == {"players": []}

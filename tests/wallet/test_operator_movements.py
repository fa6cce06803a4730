"""Operator movements over the operator API: applied at once, pushed, acknowledged by the player."""

from __future__ import annotations

from tests.server.test_player_protocol import PASSWORD, greeted
from tests.support import ServerProcess


def test_movements_are_applied_pushed_and_validated(server: ServerProcess) -> None:
    client = greeted(server)
    pid = client.call("register", login="olga", pseudo="olga", password=PASSWORD)["player_id"]
    client.call("login", login="olga", password=PASSWORD)
    path = f"/api/players/{pid}/movements"

    status, body = server.api("POST", path, {"kind": "CPTEABOND", "licence": "JC", "amount_cents": 1250,
                                             "info": "rakeback 10%", "type": "RakeBack"})
    assert status == 201, body
    assert body["data"]["solde_apres"] == "12.50" and body["data"]["mont_abond"] == "12.50"
    notice = client.next_message()
    assert notice["kind"] == "CPTEABOND" and notice["notice_id"] == body["notice_id"]

    status, body = server.api("POST", path, {"kind": "CPTEALIMOPE", "licence": "PS", "amount_cents": 1200,
                                             "name": "pari sportif L1J4 gagne"})
    assert status == 201 and body["data"]["bonus_apres"] == "12.00"
    status, body = server.api("POST", path, {"kind": "CPTEAJUSTOPE", "licences": ["JC"], "type": "Abondement",
                                             "info": "double credit", "solde_cents": -250})
    assert status == 201 and (body["data"]["solde_avant"], body["data"]["solde_apres"]) == ("12.50", "10.00")
    status, body = server.api("POST", path, {"kind": "LOTNATURE", "licence": "JC",
                                             "items": [{"name": "Tablette XYZ-10", "value_cents": 29900}]})
    assert status == 201 and body["data"]["lots"] == [{"nom": "Tablette XYZ-10", "valeur": "299.00"}]

    for bad in [
        {"kind": "CPTEABOND", "licence": "XX", "amount_cents": 1, "info": "x", "type": "Offre"},
        {"kind": "CPTEABOND", "licence": "JC", "amount_cents": 1.5, "info": "x", "type": "Offre"},
        {"kind": "CPTEABOND", "licence": "JC", "amount_cents": 100, "info": "x", "type": "Cadeau"},
        {"kind": "CPTEAJUSTOPE", "licences": ["JC"], "type": "Gain", "info": "x", "solde_cents": -100_000},
        {"kind": "CPTEAJUSTOPE", "licences": ["JC"], "type": "Lot", "info": "x", "solde_cents": 5},
        {"kind": "TELEPORT"},
        {"kind": "CPTEALIMOPE", "licence": "PS", "amount_cents": 1, "name": "x", "extra": 1},
        {"kind": "CPTEALIMOPE", "licence": "PS"},
    ]:
        status, body = server.api("POST", path, bad)
        assert status == 400, (bad, body)
    _, balances = server.api("GET", f"/api/players/{pid}/balances")
    assert balances["balances"] == {"solde:ALL": 1000, "bonus:PS": 1200}
    _, listing = server.api("GET", f"/api/players/{pid}/notices")
    assert [n["kind"] for n in listing["notices"]] == ["CPTEABOND", "CPTEALIMOPE", "CPTEAJUSTOPE", "LOTNATURE"]

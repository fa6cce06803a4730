"""Cash buy-ins paid from the poker bonus compartment and topped up by the operator (POCAVE)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from server.db.engine import make_engine
from server.wallet.tables import ledger_accounts
from tests.accounts.test_account_life import ack_next, dns_server, error_code, opened, verified_events  # noqa: F401
from tests.cardroom.test_cash_game import start
from tests.frontal_sealing.test_server_traces import croupier


def balances(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    with engine.connect() as c:
        found = {row.code: row.balance_cents for row in c.execute(select(ledger_accounts))}
    engine.dispose()
    return found


def test_bonus_money_and_the_operators_top_up_buy_chips(server_factory: Any, db_url: str, dns_server: str,
                                                        tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    status, promo = server.api("POST", "/api/poker/tables", {
        "name": "Promo", "small_blind_cents": 10, "big_blind_cents": 20, "buy_in_min_cents": 200,
        "buy_in_max_cents": 3000, "bonus_allowed": True, "top_up_percent": "10", "top_up_cap_cents": 150})
    assert status == 201 and promo["bonus_allowed"] is True, promo
    _, plain = server.api("POST", "/api/poker/tables", {
        "name": "Plain", "small_blind_cents": 10, "big_blind_cents": 20, "buy_in_min_cents": 200,
        "buy_in_max_cents": 3000})
    for bad, field in (({"top_up_percent": "101"}, "top_up_percent"), ({"top_up_percent": "x"}, "top_up_percent"),
                       ({"bonus_allowed": "yes"}, "bonus_allowed"), ({"top_up_cap_cents": -1}, "top_up_cap_cents")):
        status, reply = server.api("POST", "/api/poker/tables", {"name": "Bad", "small_blind_cents": 10,
                                                                "big_blind_cents": 20, **bad})
        assert status == 400 and field in reply["message"], (bad, reply)

    client, player_id = opened(server, "bonnie")  # 40.00 in the solde
    status, _ = server.api("POST", f"/api/players/{player_id}/movements", {
        "kind": "CPTEALIMOPE", "licence": "JC", "amount_cents": 1500, "name": "Bienvenue poker"})
    assert status in (200, 201)
    ack_next(client, "CPTEALIMOPE")
    before = balances(db_url)

    # Refusals change nothing.
    assert error_code(client.request("table_join", table_id=plain["table_id"], buy_in_cents=1000,
                                     bonus_cents=100)) == "bonus_not_allowed"
    assert error_code(client.request("table_join", table_id=promo["table_id"], buy_in_cents=1000,
                                     bonus_cents=1001)) == "invalid_buy_in"
    assert error_code(client.request("table_join", table_id=promo["table_id"], buy_in_cents=3000,
                                     bonus_cents=2000)) == "insufficient_funds"
    assert balances(db_url) == before

    # 20.00: 5.00 from the bonus, 15.00 from the solde, and the operator adds 10% capped at 1.50.
    joined = client.call("table_join", table_id=promo["table_id"], buy_in_cents=2000, bonus_cents=500)
    assert joined["stack"] == 2150
    # A top-up paid wholly from the bonus: 10% of 3.00 is 0.30.
    topped = client.call("table_top_up", table_id=promo["table_id"], amount_cents=300, bonus_cents=300)
    assert topped["stack"] + topped["pending_cents"] == 2480
    assert client.call("table_leave", table_id=promo["table_id"])["paid_cents"] == 2480
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    after = balances(db_url)
    assert after[f"player:{player_id}:bonus:JC"] == 1500 - 800
    assert after[f"player:{player_id}:solde:ALL"] == 4000 - 1500 + 2480
    assert after["operator:promotions"] - before["operator:promotions"] == -(150 + 30)
    assert after[f"operator:table-{promo['table_id']}"] == 0

    events = [e for e in verified_events(server, db_url, tmp_path) if e.findtext("IDJoueur") == player_id]
    caves = [e for e in events if e.tag == "POCAVE"]
    assert [(c.findtext("NbJeton"), c.findtext("UniteJeton"), c.findtext("MontAbond")) for c in caves] == [
        ("21.50", "Euro", "1.50"), ("3.30", "Euro", "0.30")]
    first, second = caves
    assert [first.findtext(f) for f in ("SoldeAvant", "SoldeMouvement", "SoldeApres")] == ["40.00", "15.00", "25.00"]
    assert [first.findtext(f) for f in ("BonusAvant", "BonusMouvement", "BonusApres", "BonusNom")] == [
        "15.00", "5.00", "10.00", "Bienvenue poker"]
    assert second.find("SoldeAvant") is None  # nothing came from the solde
    assert [second.findtext(f) for f in ("BonusAvant", "BonusMouvement", "BonusApres")] == ["10.00", "3.00", "7.00"]
    revers = next(e for e in events if e.tag == "POREVERS")
    assert [revers.findtext(f) for f in ("SoldeAvantRevers", "CaveRevers", "SoldeApresRevers")] == [
        "25.00", "24.80", "49.80"]

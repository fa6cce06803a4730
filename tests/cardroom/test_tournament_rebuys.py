"""A rebuy sit-and-go over real WebSockets: busted players rebuy, decline or let the offer lapse,
players take the add-on; every purchase is a POCAVE with the solde's move, the prize pool
grows by each price, the fees by each fee, and the books close to the cent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from client.poker_bot import PokerBot
from tests.accounts.test_account_life import dns_server, opened, verified_events  # noqa: F401
from tests.cardroom.test_cash_game import hands_dealt, seat_bot, until, vault_settled
from tests.cardroom.test_tournaments import (CHIPS, DEPOSIT, FEE, BUY_IN, balances, hand_records, of, sit_and_go,
                                             tournament_events)
from tests.frontal_sealing.test_server_traces import croupier

REBUY = {"buy_in_cents": 1000, "fee_cents": 100, "chips": 1500, "until_level": 4, "limit": 2, "decision_seconds": 5}
ADD_ON = {"buy_in_cents": 500, "fee_cents": 50, "chips": 3000, "at_level": 4}


def purchases(bot: PokerBot, kind: str) -> list[dict[str, Any]]:
    return [reply["data"] for k, reply in bot.replies if k == kind and reply["type"] == "result"]


def test_a_rebuy_sit_and_go_traces_every_purchase_and_closes_its_books(server_factory: Any, db_url: str,
                                                                         dns_server: str, tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": "staging-secret-for-tests",
                               "cardroom.between_hands_seconds": 0.3, "vault.lot_max_seconds": 0.5,
                               "ws.rate_per_second": 1000.0, "ws.rate_burst": 1000})
    bad = server.api("POST", "/api/poker/tournaments", {
        "name": "x", "players": 6, "buy_in_cents": 1, "starting_chips": 1, "levels": [{"small_blind": 1,
                                                                                        "big_blind": 2}],
        "level_hands": 1, "rebuy": {"buy_in_cents": 1000, "chips": 1}})
    assert bad[0] == 400 and "rebuy.until_level" in bad[1]["message"]
    tournament_id = sit_and_go(server, 6, seats=6, rebuy=REBUY, add_on=ADD_ON)
    # Big all-ins early: players bust during the rebuy period (levels 1-4, 16 hands).
    policies = [dict(rebuys=2), dict(rebuys=2), dict(rebuys=1), dict(rebuys=0),
                dict(rebuys=0, past_rebuys="ignore"), dict(rebuys=1)]
    seated = []
    for index, policy in enumerate(policies):
        client, player_id = opened(server, f"rebuyer{index}")
        bot = seat_bot(client, 300 + index, fold=0.05, raise_=0.5, all_in=0.6, add_on=index % 2 == 0, **policy)
        seated.append((client, player_id, bot))
    first_client = seated[0][0]
    refused = first_client.request("tournament_rebuy", tournament_id=tournament_id)
    assert refused["type"] == "error" and refused["code"] == "unknown_tournament"  # not running yet
    for client, _, _ in seated:
        client.call("tournament_register", tournament_id=tournament_id)

    until(lambda: all(tournament_events(b, "finished") for _, _, b in seated), timeout=180, what="the end")
    bots = [b for _, _, b in seated]
    until(lambda: all(not b.protocol._pending for b in bots), what="the last acknowledgements")
    vault_settled(db_url, bots)
    for bot in bots:
        assert [e for e in bot.errors if e["code"] != "purchase_refused"] == [], bot.errors
    offers = sum(len(tournament_events(b, "rebuy_offered")) for b in bots)
    rebuys = {pid: len(purchases(b, "tournament_rebuy")) for _, pid, b in seated}
    add_ons = {pid: len(purchases(b, "tournament_add_on")) for _, pid, b in seated}
    assert offers >= sum(rebuys.values()) > 0, (offers, rebuys)
    assert all(n <= 1 for n in add_ons.values())
    for _, pid, bot in seated:
        for reply in purchases(bot, "tournament_rebuy"):
            assert reply["chips"] == 1500 and reply["paid_cents"] == 1100
        for reply in purchases(bot, "tournament_add_on"):
            assert reply["chips"] == 3000 and reply["paid_cents"] == 550 and reply["stack"] >= 3000

    # The prize pool is every price paid; the fees every fee; the escrow ends empty.
    standings = tournament_events(seated[0][2], "finished")[0]["standings"]
    pool = 6 * BUY_IN + 1000 * sum(rebuys.values()) + 500 * sum(add_ons.values())
    assert sum(s["prize_cents"] for s in standings) == pool
    books = balances(db_url)
    assert books.get(f"operator:tournament-{tournament_id}", 0) == 0
    fees = 6 * FEE + 100 * sum(rebuys.values()) + 50 * sum(add_ons.values())
    assert books["operator:tournament-fees"] == fees
    assert sum(v for k, v in books.items() if k.startswith("player:")) + fees == 6 * DEPOSIT
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    status, detail = server.api("GET", f"/api/poker/tournaments/{tournament_id}")
    assert status == 200 and detail["status"] == "finished"

    # Chips: a hand neither makes nor loses any; between hands only purchases add them.
    records = hand_records(db_url, tournament_id)
    for record in records:
        assert sum(s["before"] for s in record["seats"]) == sum(s["after"] for s in record["seats"])
    bought = 1500 * sum(rebuys.values()) + 3000 * sum(add_ons.values())
    assert records[-1]["seats"] and sum(s["after"] for s in records[-1]["seats"]) == 6 * CHIPS + bought

    events = verified_events(server, db_url, tmp_path)
    for _, player_id, bot in seated:
        caves = of(events, player_id, "POCAVE")
        assert len(caves) == 1 + rebuys[player_id] + add_ons[player_id]
        tech = of(events, player_id, "POINSCRIT")[0].findtext("Tech")
        assert {c.findtext("Tech") for c in caves} == {tech}
        paid = [c for c in caves if c.find("SoldeMouvement") is not None]
        assert sorted(Decimal(c.findtext("SoldeMouvement")) for c in paid) == sorted(
            [Decimal("11.00")] * rebuys[player_id] + [Decimal("5.50")] * add_ons[player_id])
        for cave in paid:
            assert Decimal(cave.findtext("SoldeAvant")) - Decimal(cave.findtext("SoldeMouvement")) == Decimal(
                cave.findtext("SoldeApres"))
            assert cave.findtext("UniteJeton") == "Jeton" and cave.findtext("NbJeton") in ("1500", "3000")
        assert len(of(events, player_id, "POPARTIE")) == len(hands_dealt(bot))

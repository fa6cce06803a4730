"""End to end: a real server deals a few cash hands; after a clean stop every deck dealt is
stored once, and the stored positions hold the hole cards the vault's POPARTIE recorded."""

from __future__ import annotations

import urllib.request

import lxml.html

from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from games.cards import to_str
from server.cardroom.tables import poker_hands
from server.db.engine import make_engine
from server.rng_audit.store import month_counters, month_decks, recount
from server.rng_audit.tables import rng_audit_chunks
from tests.accounts.test_account_life import dns_server, opened, verified_events  # noqa: F401
from client.blocking import BlockingClient
from client.poker_bot import PokerBot
from tests.cardroom.test_cash_game import hole_cards_from_vault, seat_bot, start, until, vault_settled
from tests.support import ServerProcess

HANDS = 8


def dealing_order(started: dict[str, Any]) -> list[int]:
    """games.hand: hole cards one at a time, starting with the seat after the button."""
    order = [p["seat"] for p in started["players"]]  # hand.order: table order, dealt-in seats
    first = (order.index(started["button"]) + 1) % len(order)
    return order[first:] + order[:first]


def play_audited_session(server_factory: Any, db_url: str, dns_server: str,
                         hands: int) -> tuple[ServerProcess, str, list[tuple[BlockingClient, str, PokerBot]]]:
    """Three bots play ``hands`` cash hands or more, leave, and the server stops cleanly: a long
    flush interval, so the decks are written by the stop, not by the timer."""
    server = start(server_factory, dns_server, **{"rng_audit.flush_seconds": 3600.0})
    status, table = server.api("POST", "/api/poker/tables", {
        "name": "Audit", "small_blind_cents": 10, "big_blind_cents": 20, "seats": 6, "buy_in_min_cents": 1000,
        "buy_in_max_cents": 3000, "rake_percent": "0", "rake_cap_cents": 0, "decision_seconds": 5})
    assert status == 201, table
    table_id = table["table_id"]
    players = []
    for index, login in enumerate(("ada", "basile", "cyril")):
        client, player_id = opened(server, login)
        bot = seat_bot(client, index, all_in=0.0, raise_=0.15)
        client.call("table_join", table_id=table_id, buy_in_cents=2000)
        players.append((client, player_id, bot))
    watcher = players[0][2]
    until(lambda: len(watcher.table_events("hand_result")) >= hands, what=f"{hands} hands")
    for client, _, bot in players:
        reply = client._wait(lambda: bot.send_after_acks("table_leave", table_id=table_id), 30)
        assert reply["type"] == "result", reply
    until(lambda: all(any(m.get("event") == "left" and m.get("player_id") == pid for m in b.received)
                      for _, pid, b in players), what="everyone left")
    vault_settled(db_url, [b for _, _, b in players])
    assert server.stop() == 0
    return server, table_id, players


def test_every_deck_dealt_is_stored_once_with_the_hole_cards_at_their_positions(
        server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    server, table_id, players = play_audited_session(server_factory, db_url, dns_server, HANDS)
    watcher = players[0][2]
    log = (server.data_dir / "croupier.log.jsonl").read_text()
    assert "stopped cleanly" in log and "RNG audit" not in log  # no failed flush, nothing lost at stop

    engine = make_engine(db_url)
    with engine.connect() as c:
        recorded = set(c.execute(select(poker_hands.c.id).where(poker_hands.c.table_id == table_id)).scalars())
        months = sorted(set(c.execute(select(rng_audit_chunks.c.month)).scalars()))
        stored = {month: month_decks(c, month) for month in months}
        for month in months:  # what the report will rely on: counters rebuilt exactly from the decks
            kept, counted = recount(stored[month]), month_counters(c, month)
            assert kept.keys() == counted.keys() == {"HOLDEM"}
            assert kept["HOLDEM"].deals == counted["HOLDEM"].deals
            assert np.array_equal(kept["HOLDEM"].counts, counted["HOLDEM"].counts)
    engine.dispose()
    deal_ids = [d for month in months for d in stored[month].deal_ids()]
    decks = {d: row for month in months for d, row in zip(stored[month].deal_ids(), stored[month].decks)}
    assert len(deal_ids) == len(set(deal_ids)) == len(recorded) >= HANDS
    assert set(deal_ids) == recorded  # every hand dealt stored once, nothing else

    truth = hole_cards_from_vault(verified_events(server, db_url, tmp_path))
    started = {m["hand_id"]: m for m in watcher.table_events("hand_started")}
    checked = 0
    for hand_id, message in started.items():
        deck = decks[hand_id]
        order = dealing_order(message)
        for i, seat in enumerate(order):
            cards = {to_str(int(deck[p])) for p in (i, i + len(order))}  # Hold'em: two rounds of one card
            assert cards == truth[(hand_id, seat)], (hand_id, seat)
            checked += 1
    assert len(started) >= HANDS and checked >= 2 * HANDS

    # The auditor reads the months and a month's report on the operator API.
    server.start()
    status, auditor = server.api("POST", "/api/tokens", {"name": "auditrice", "role": "auditor"})
    assert status == 201
    status, listed = server.api("GET", "/api/rng-audit/months", token=auditor["token"])
    assert status == 200 and [m["month"] for m in listed["months"]] == months
    assert sum(m["deals"] for m in listed["months"]) == len(deal_ids)
    status, report = server.api("GET", f"/api/rng-audit/months/{months[-1]}", token=auditor["token"])
    assert status == 200, report
    assert report["summary"]["deals"] == len(stored[months[-1]].decks)
    assert {"regulator_table", "deck_battery", "power"} <= set(report)
    assert "ASSUMED" not in report["regulator_table"]["seats"] and report["regulator_table"]["deals_used"] > 0
    # The same report as a page (computed once: nothing new was stored meanwhile).
    request = urllib.request.Request(f"{server.api_url}/api/rng-audit/months/{months[-1]}.html",
                                     headers={"authorization": f"Bearer {auditor['token']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["content-type"].startswith("text/html")
        page = lxml.html.document_fromstring(response.read())
    assert {svg.get("id") for svg in page.iter("svg")} == {"heatmap", "pvalue-histogram", "starting-hands"}
    assert f"{report['summary']['deals']:,}" in page.text_content()
    assert server.api("GET", "/api/rng-audit/months/1999-01.html", token=auditor["token"])[0] == 404
    assert server.api("GET", "/api/rng-audit/months/2026-13", token=auditor["token"])[0] == 400
    assert server.api("GET", "/api/rng-audit/months/1999-01", token=auditor["token"])[0] == 404
    assert server.api("GET", "/api/rng-audit/months", token=None)[0] == 401

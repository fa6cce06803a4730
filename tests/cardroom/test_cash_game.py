"""A cash game over real WebSockets: bots sit, buy in, play, top up and leave; every PO trace reaches the vault."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import select

from client.blocking import BlockingClient
from client.poker_bot import PokerBot
from games.cards import from_annex, to_str
from frontal.vault.tables import vault_counters
from server.cardroom.tables import poker_hands
from server.db.engine import make_engine
from server.wallet.tables import ledger_accounts
from tests.accounts.test_account_life import dns_server, opened, verified_events  # noqa: F401
from tests.frontal_sealing.test_server_traces import croupier
from tests.support import ServerProcess

SECRET = "staging-secret-for-tests"


def until(condition: Callable[[], bool], timeout: float = 90, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def seat_bot(client: BlockingClient, seed: int, **policy: Any) -> PokerBot:
    bot = PokerBot(random.Random(seed), **policy)  # the bots' strategy only: the server deals
    bot.protocol = client.protocol
    client.protocol.factory.on_message = bot.on_message
    return bot


def hands_dealt(bot: PokerBot) -> set[str]:
    return {m["hand_id"] for m in bot.table_events("hand_started") if "hole_cards" in m}


def vault_settled(db_url: str, bots: list[PokerBot], timeout: float = 60) -> None:
    """Every bot's requests answered (acknowledgements record traces) and every journaled
    event sealed, twice in a row a little apart, so nothing is still on its way."""
    until(lambda: all(not b.protocol._pending for b in bots), timeout, what="the bots' last requests")
    engine = make_engine(db_url)
    seen: list[tuple[int, int]] = []

    def settled() -> bool:
        with engine.connect() as c:
            row = c.execute(select(vault_counters.c.next_id_evt, vault_counters.c.sealed_through)).first()
        seen.append((row.next_id_evt, row.sealed_through) if row else (0, 0))
        return len(seen) > 1 and seen[-1] == seen[-2] and seen[-1][0] == seen[-1][1] and all(
            not b.protocol._pending for b in bots)

    try:
        deadline = time.monotonic() + timeout
        while not settled():
            if time.monotonic() > deadline:
                raise AssertionError(f"the vault did not settle: {seen[-3:]}")
            time.sleep(0.3)
    finally:
        engine.dispose()


def hands_in_records(db_url: str) -> dict[str, int]:
    """Hands each player was dealt, from the server's own hand records."""
    engine = make_engine(db_url)
    with engine.connect() as c:
        records = [json.loads(r) for r in c.execute(select(poker_hands.c.record)).scalars()]
    engine.dispose()
    counts: dict[str, int] = {}
    for record in records:
        for seat in record["seats"]:
            counts[seat["player_id"]] = counts.get(seat["player_id"], 0) + 1
    return counts


def start(server_factory: Any, dns: str, **settings: Any) -> ServerProcess:
    return server_factory(**{"interdits.servers": [dns], "interdits.secret": SECRET,
                             "cardroom.between_hands_seconds": 0.05, "vault.lot_max_seconds": 0.5,
                             # Hands follow each other every 50 ms here: bots answer faster than people.
                             "ws.rate_per_second": 1000.0, "ws.rate_burst": 1000, **settings})


def hole_cards_from_vault(events: list[Any]) -> dict[tuple[str, int], set[str]]:
    """Ground truth: (hand, seat) -> that seat's hole cards, from the seat's own POPARTIE in the vault."""
    truth: dict[tuple[str, int], set[str]] = {}
    for event in events:
        if event.tag != "POPARTIE":
            continue
        mine = event.findtext("IDJoueur")
        seat = next(int(j.findtext("JSiege")) for j in event.findall("Joueur") if j.findtext("IDJoueur") == mine)
        truth[(event.findtext("IDPartie"), seat)] = {to_str(from_annex(c.text)) for c in
                                                     event.findall("PreFlop/CarteJoueur")}
    return truth


def check_seat_privacy(bot: PokerBot, truth: dict[tuple[str, int], set[str]]) -> int:
    """No message to a seat holds another seat's hole card, unless that seat showed down after
    staying to the end. Returns the number of hands checked."""
    by_hand: dict[str, list[dict[str, Any]]] = {}
    for message in bot.received:
        if message.get("type") == "table" and "hand_id" in message:
            by_hand.setdefault(message["hand_id"], []).append(message)
    for hand_id, messages in by_hand.items():
        folded = {m["seat"] for m in messages if m["event"] == "acted" and m["action"] == "fold"}
        shown = {m["seat"] for m in messages if m["event"] == "shown"}
        assert not shown & folded, (hand_id, shown, folded)
        mine = next((m["seat"] for m in messages if m["event"] == "hand_started" and "seat" in m), None)
        text = json.dumps([m for m in messages if m["event"] != "shown"])
        for (hand, seat), cards in truth.items():
            if hand != hand_id or seat == mine:
                continue
            leaked = {c for c in cards if f'"{c}"' in text}
            board = {c for m in messages if m["event"] == "board" for c in m["cards"]}
            assert not leaked - board, (hand_id, seat, leaked)  # (a hole card is never a board card)
    return len(by_hand)


def test_cash_game_traces_every_seat_and_conserves_money(server_factory: Any, db_url: str, dns_server: str,
                                                          tmp_path: Path) -> None:
    play_cash_game(server_factory, db_url, dns_server, tmp_path, logins=("alice", "bruno", "chloe"), hands=20,
                   blinds=(10, 20), buy_in=2000, rake="5")


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_thousands_of_six_max_hands_never_show_a_seat_what_it_may_not_see(
        server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    play_cash_game(server_factory, db_url, dns_server, tmp_path,
                   logins=("hanna", "ivan", "jules", "kira", "leon", "mona"), hands=2000, blinds=(1, 2),
                   buy_in=200, rake="0", timeout=3000)


def play_cash_game(server_factory: Any, db_url: str, dns_server: str, tmp_path: Path, *, logins: tuple[str, ...],
                   hands: int, blinds: tuple[int, int], buy_in: int, rake: str, timeout: float = 90) -> None:
    server = start(server_factory, dns_server)
    status, table = server.api("POST", "/api/poker/tables", {
        "name": "Test", "small_blind_cents": blinds[0], "big_blind_cents": blinds[1], "seats": 6,
        "buy_in_min_cents": buy_in // 2, "buy_in_max_cents": buy_in * 3 // 2, "rake_percent": rake,
        "rake_cap_cents": 100, "decision_seconds": 5})
    assert status == 201, table
    table_id = table["table_id"]
    assert server.api("POST", "/api/poker/tables", {"name": "x", "small_blind_cents": 0})[0] == 400
    players = []
    for index, login in enumerate(logins):
        client, player_id = opened(server, login)
        client.call("deposit", amount_cents=4000)  # 80.00 in all: a buy-in and two top-ups
        client.call("ack", notice_id=client.next_message()["notice_id"])
        bot = seat_bot(client, index, all_in=0.0, raise_=0.15, top_up_below=buy_in // 2, top_up_to=buy_in,
                       top_ups=(8000 - buy_in) // buy_in)
        too_big = client.request("table_join", table_id=table_id, buy_in_cents=buy_in * 2)
        assert too_big["type"] == "error" and too_big["code"] == "invalid_buy_in"
        joined = client.call("table_join", table_id=table_id, buy_in_cents=buy_in)
        assert joined["stack"] == buy_in
        players.append((client, player_id, bot))
    first_client, _, first_bot = players[0]
    again = first_client._wait(lambda: first_bot.send_after_acks("table_join", table_id=table_id,
                                                                  buy_in_cents=buy_in), 30)
    assert again["type"] == "error" and again["code"] == "already_seated"
    out_of_turn = players[0][0].request("table_act", table_id=table_id, action="raise", amount=1)
    assert out_of_turn["type"] == "error" and out_of_turn["code"] in ("illegal_action", "not_in_hand",
                                                                      "notices_pending")

    watcher = players[0][2]
    until(lambda: len(watcher.table_events("hand_result")) >= hands, timeout, what=f"{hands} hands")
    for client, _, bot in players:
        reply = client._wait(lambda: bot.send_after_acks("table_leave", table_id=table_id), 30)
        assert reply["type"] == "result", reply
    until(lambda: all(any(m.get("event") == "left" and m.get("player_id") == pid for m in b.received)
                      for _, pid, b in players), what="everyone left")
    until(lambda: all(not b.protocol._pending for _, _, b in players), what="the last acknowledgements")

    for _, _, bot in players:
        # A top-up the bot sized from an older stack may be refused: a correct refusal.
        assert [e for e in bot.errors if e["code"] not in ("insufficient_funds", "above_maximum")] == []
    # Chips are conserved hand by hand: the stacks dealt in equal the stacks after plus the rake.
    started = {m["hand_id"]: m for m in watcher.table_events("hand_started")}
    for result in watcher.table_events("hand_result"):
        if result["hand_id"] in started:
            before = sum(p["stack"] for p in started[result["hand_id"]]["players"])
            assert before == sum(result["stacks"].values()) + result["rake"], result

    engine = make_engine(db_url)
    with engine.connect() as c:
        balances = {row.code: row.balance_cents for row in c.execute(select(ledger_accounts))}
    engine.dispose()
    assert balances.get(f"operator:table-{table_id}", 0) == 0
    players_money = sum(v for k, v in balances.items() if k.startswith("player:"))
    assert players_money + balances.get("operator:poker-rake", 0) == len(logins) * 8000
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0

    vault_settled(db_url, [b for _, _, b in players])
    events = verified_events(server, db_url, tmp_path)
    truth = hole_cards_from_vault(events)
    checked = [check_seat_privacy(bot, truth) for _, _, bot in players]
    assert min(checked) > 0 and checked[0] >= hands  # the first seated saw every hand
    for _, player_id, bot in players:
        tags = [e.tag for e in events if e.findtext("IDJoueur") == player_id]
        top_ups = sum(1 for kind, reply in bot.replies if kind == "table_top_up" and reply["type"] == "result")
        assert tags.count("POINSCRIT") == 1 and tags.count("POREVERS") == 1
        assert tags.count("POCAVE") == 1 + top_ups
        assert tags.count("POPARTIE") == len(hands_dealt(bot)) == hands_in_records(db_url)[player_id] == sum(
            1 for n in bot.notices if n["kind"] == "POPARTIE")


def login(server: ServerProcess, name: str, bot: PokerBot) -> BlockingClient:
    client = BlockingClient(server.ws_url)
    client.hello()
    bot.protocol = client.protocol
    client.protocol.factory.on_message = bot.on_message
    client.call("login", login=name, password="correct horse battery")
    return client


def test_disconnected_players_are_folded_sat_out_back_in_or_stood_up(server_factory: Any, db_url: str,
                                                                      dns_server: str, tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": SECRET,
                               "cardroom.between_hands_seconds": 0.05, "cardroom.absent_seconds": 4.0,
                               "vault.lot_max_seconds": 0.5, "ws.rate_per_second": 1000.0, "ws.rate_burst": 1000})
    _, table = server.api("POST", "/api/poker/tables", {
        "name": "Clock", "small_blind_cents": 50, "big_blind_cents": 100, "seats": 6, "buy_in_min_cents": 1000,
        "buy_in_max_cents": 3000, "decision_seconds": 1})
    table_id = table["table_id"]
    seated = {}
    for index, name in enumerate(("dora", "emil", "fanny", "gus")):
        client, player_id = opened(server, name)
        bot = seat_bot(client, 10 + index, all_in=0.0, raise_=0.1)
        client.call("table_join", table_id=table_id, buy_in_cents=2000)
        seated[name] = (client, player_id, bot)
    watcher = seated["dora"][2]
    until(lambda: len(watcher.table_events("hand_result")) >= 5, what="5 hands")

    # emil drops and comes back; gus drops for good.
    emil_client, emil_id, emil_bot = seated["emil"]
    gus_client, gus_id, gus_bot = seated["gus"]
    emil_client.close()
    gus_client.close()
    played = len(watcher.table_events("hand_result"))
    until(lambda: len(watcher.table_events("hand_result")) >= played + 2, what="2 hands without them")
    emil_seat = next(m["seat"] for m in watcher.table_events("seated") if m["player_id"] == emil_id)
    assert any(m["seat"] == emil_seat for m in watcher.table_events("sitting_out")) or any(
        m.get("timed_out") for m in watcher.table_events("acted") if m["seat"] == emil_seat)
    emil_back = login(server, "emil", emil_bot)
    before = len(emil_bot.notices)
    until(lambda: any(m.get("event") == "state" for m in emil_bot.received[-50:]), what="emil's table state")
    dealt = len(hands_dealt(emil_bot))
    until(lambda: len(hands_dealt(emil_bot)) >= dealt + 3, what="emil dealt in again")
    assert len(emil_bot.notices) > before  # the hands he missed the summaries of, then new ones
    # gus is stood up and paid back after absent_seconds; his POREVERS waits for his next login.
    until(lambda: any(m.get("player_id") == gus_id for m in watcher.table_events("left")), what="gus stood up")

    login(server, "gus", gus_bot)
    until(lambda: any(n["kind"] == "POREVERS" for n in gus_bot.notices), what="gus's POREVERS notice")
    for name in ("dora", "emil", "fanny"):
        client = emil_back if name == "emil" else seated[name][0]
        bot = seated[name][2]
        reply = client._wait(lambda: bot.send_after_acks("table_leave", table_id=table_id), 30)
        assert reply["type"] == "result", (name, reply)
    until(lambda: not any(p["player_id"] for t in server.api("GET", "/api/poker/tables")[1]["tables"]
                          if t["table_id"] == table_id for p in t["players"]), what="the table empty")
    until(lambda: all(not b.protocol._pending for _, _, b in seated.values()), what="the last acknowledgements")
    vault_settled(db_url, [b for _, _, b in seated.values()])
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    events = verified_events(server, db_url, tmp_path)
    gus_events = [e for e in events if e.findtext("IDJoueur") == gus_id]
    revers = [e for e in gus_events if e.tag == "POREVERS"]
    assert len(revers) == 1 and revers[0].findtext("Info") == "absent"
    dealt = hands_in_records(db_url)
    for name, (_, player_id, bot) in seated.items():
        tags = [e.tag for e in events if e.findtext("IDJoueur") == player_id]
        # Dealt while disconnected (the hand under way when the connection dropped): the summary
        # comes at the next login, as the annex asks (1.3.5.e).
        assert tags.count("POPARTIE") == dealt.get(player_id, 0) >= len(hands_dealt(bot)), (
            name, tags, dealt, len(hands_dealt(bot)))
        assert tags.count("POREVERS") == 1, name


def test_buy_ins_respect_the_players_stake_ceiling(server_factory: Any, dns_server: str) -> None:
    server = start(server_factory, dns_server)
    _, table = server.api("POST", "/api/poker/tables", {
        "name": "Ceiling", "small_blind_cents": 50, "big_blind_cents": 100, "buy_in_min_cents": 1000,
        "buy_in_max_cents": 3000})
    client, _ = opened(server, "prudent")
    # A lower ceiling applies at once (a higher one would wait for its delay).
    client.call("set_limits", stake={"amount_cents": 2500, "period": "S"},
                deposit={"amount_cents": 10000, "period": "S"}, payout_above_cents=150000)
    assert client.call("table_join", table_id=table["table_id"], buy_in_cents=2000)["stack"] == 2000
    refused = client.request("table_top_up", table_id=table["table_id"], amount_cents=1000)
    assert refused["type"] == "error" and refused["code"] == "limit_reached", refused
    assert "2000 used" in refused["message"] and "500 left" in refused["message"]
    assert client.call("table_top_up", table_id=table["table_id"], amount_cents=500)["pending_cents"] in (0, 500)


def test_a_player_sits_at_two_tables_at_once(server_factory: Any, db_url: str, dns_server: str,
                                             tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    tables = []
    for name in ("Left", "Right"):
        status, table = server.api("POST", "/api/poker/tables", {
            "name": name, "small_blind_cents": 10, "big_blind_cents": 20, "buy_in_min_cents": 400,
            "buy_in_max_cents": 1000, "decision_seconds": 5})
        assert status == 201
        tables.append(table["table_id"])
    both_client, both_id = opened(server, "ubiquity")
    both = seat_bot(both_client, 40, all_in=0.0, raise_=0.1)
    joined = [both_client.call("table_join", table_id=t, buy_in_cents=1000) for t in tables]
    assert joined[0]["tech"] != joined[1]["tech"]  # one registration per table
    others = []
    for index, table_id in enumerate(tables):
        client, player_id = opened(server, f"single{index}")
        bot = seat_bot(client, 41 + index, all_in=0.0, raise_=0.1)
        client.call("table_join", table_id=table_id, buy_in_cents=1000)
        others.append((client, player_id, bot))

    def results_at(table_id: str) -> int:
        return sum(1 for m in both.table_events("hand_result") if m["table_id"] == table_id)

    until(lambda: all(results_at(t) >= 5 for t in tables), what="5 hands at each table")
    for table_id in tables:
        reply = both_client._wait(lambda: both.send_after_acks("table_leave", table_id=table_id), 30)
        assert reply["type"] == "result", reply
    for (client, _, bot), table_id in zip(others, tables):
        reply = client._wait(lambda: bot.send_after_acks("table_leave", table_id=table_id), 30)
        assert reply["type"] == "result", reply
    bots = [both] + [b for _, _, b in others]
    until(lambda: all(not b.protocol._pending for b in bots), what="the last acknowledgements")
    vault_settled(db_url, bots)
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    events = [e for e in verified_events(server, db_url, tmp_path) if e.findtext("IDJoueur") == both_id]
    by_tech: dict[str, list[str]] = {}
    for event in events:
        if event.tag.startswith("PO"):
            by_tech.setdefault(event.findtext("Tech") or "", []).append(event.tag)
    assert set(by_tech) == {j["tech"] for j in joined}
    for reply, table_id in zip(joined, tables):
        tags = by_tech[reply["tech"]]
        dealt_here = {m["hand_id"] for m in both.table_events("hand_started") if m["table_id"] == table_id
                      and "hole_cards" in m}
        assert tags.count("POINSCRIT") == tags.count("POCAVE") == tags.count("POREVERS") == 1
        assert tags.count("POPARTIE") == len(dealt_here) >= 5
        assert {e.findtext("IDPartie") for e in events if e.tag == "POPARTIE" and e.findtext("Tech") == reply[
            "tech"]} == dealt_here

"""Acceptance: a 6-max cash game of many hands over real WebSockets, with players joining,
leaving and sitting back down, topping up, dropping and coming back, and one stood up for
absence. Afterwards the sealed vault verifies and holds exactly the traces each player's
story calls for, chips were conserved hand by hand, no seat was told another's cards, and
the money adds up in the ledger.

Who does what. The check/fold bots never put a chip in beyond their blinds, so they lose at
most a big blind a hand: whatever the cards, they keep chips for longer than this test
plays, and the roles that need a seated player with chips are theirs.

- anna, check/fold, the watcher: seated first and the last to leave, she is dealt every
  hand; she buys in at the minimum and tops up to the maximum with ``table_top_up`` during
  a hand (the chips wait for its end);
- bruno plays; he leaves with ``table_leave`` mid-session and sits back down (a second
  registration: POINSCRIT, POCAVE ... POREVERS again, under a new Tech);
- chloe, check/fold: her connection drops during her turn; the clock folds her, she sits
  out, logs back in before ``absent_seconds`` with that hand's POPARTIE waiting, is dealt in
  again;
- gus, check/fold, tops up by policy after his first hand; his connection drops during his
  turn for good: stood up and paid back after ``absent_seconds``, his POREVERS (Info
  "absent") is traced when he acknowledges it at his next login;
- emma and felix play and top up by policy; they join while hands are played, emma waiting
  for her big blind, felix posting at once (``post_now``).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from client.blocking import BlockingClient
from client.poker_bot import PokerBot
from server.cardroom.tables import poker_hands
from server.db.engine import make_engine
from server.wallet.tables import ledger_accounts
from tests.accounts import test_account_life
from tests.accounts.test_account_life import opened, verified_events
from tests.cardroom.test_cash_game import (check_seat_privacy, hands_dealt, hands_in_records, hole_cards_from_vault,
                                           login, seat_bot, start, until, vault_settled)
from tests.frontal_sealing.test_server_traces import croupier

dns_server = test_account_life.dns_server  # the banned-players resolver fixture, shared with the accounts tests

SMALL_BLIND, BIG_BLIND = 10, 20
BUY_IN_MIN, BUY_IN_MAX = 1000, 3000
RAKE_CAP = 100  # 5 %, at most 1.00 a hand
DECISION_SECONDS = 2
ABSENT_SECONDS = 5.0
HANDS = 40
DEPOSITED = 8000  # per player: 40.00 when the account opens, 40.00 more here

CHECK_FOLD = {"fold": 1.0, "raise_": 0.0}  # folds to any bet, checks otherwise
PLAYS = {"fold": 0.1, "raise_": 0.25, "all_in": 0.05}
# name: (buy-in, bot policy)
ROLES: dict[str, tuple[int, dict[str, Any]]] = {
    "anna": (BUY_IN_MIN, CHECK_FOLD),
    "bruno": (1500, PLAYS),
    "chloe": (BUY_IN_MAX, CHECK_FOLD),
    # Below the maximum after any first hand (a check/fold bot wins at most the blinds): one top-up to it.
    "gus": (1500, {**CHECK_FOLD, "top_up_below": BUY_IN_MAX + 1, "top_up_to": BUY_IN_MAX, "top_ups": 1}),
    "emma": (2000, {**PLAYS, "top_up_below": 750, "top_up_to": 1500, "top_ups": 3}),
    "felix": (1000, {**PLAYS, "top_up_below": 750, "top_up_to": 1500, "top_ups": 3}),
}


def table_messages(bot: PokerBot, event: str, since: int = 0) -> list[dict[str, Any]]:
    return [m for m in bot.received[since:] if m.get("type") == "table" and m.get("event") == event]


def next_turn(bot: PokerBot, since: int) -> dict[str, Any]:
    until(lambda: bool(table_messages(bot, "your_turn", since)), 60, what="the bot's turn")
    return table_messages(bot, "your_turn", since)[0]


def timed_out(watcher: PokerBot, hand_id: str, seat: int) -> bool:
    return any(m["hand_id"] == hand_id and m["seat"] == seat and m["timed_out"]
               for m in table_messages(watcher, "acted"))


def popartie_hands(bot: PokerBot, since: int = 0) -> set[str]:
    return {n["data"]["id_partie"] for n in bot.notices[since:] if n["kind"] == "POPARTIE"}


def cents(text: str | None) -> int:
    assert text is not None
    return int(Decimal(text) * 100)


def test_a_six_max_session_with_comings_and_goings_traces_every_player_and_balances(
        server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    server = start(server_factory, dns_server, **{"cardroom.absent_seconds": ABSENT_SECONDS})
    status, table = server.api("POST", "/api/poker/tables", {
        "name": "Six max", "small_blind_cents": SMALL_BLIND, "big_blind_cents": BIG_BLIND, "seats": 6,
        "buy_in_min_cents": BUY_IN_MIN, "buy_in_max_cents": BUY_IN_MAX, "rake_percent": "5",
        "rake_cap_cents": RAKE_CAP, "decision_seconds": DECISION_SECONDS})
    assert status == 201, table
    table_id = table["table_id"]

    clients: dict[str, BlockingClient] = {}
    ids: dict[str, str] = {}
    bots: dict[str, PokerBot] = {}
    for index, (name, (_, policy)) in enumerate(ROLES.items()):
        client, player_id = opened(server, name)
        client.call("deposit", amount_cents=DEPOSITED - 4000)
        client.call("ack", notice_id=client.next_message()["notice_id"])
        clients[name], ids[name], bots[name] = client, player_id, seat_bot(client, 600 + index, **policy)
    registrations: dict[str, list[str]] = {name: [] for name in ROLES}  # the Tech of each sitting
    explicit_top_ups: Counter[str] = Counter()

    def join(name: str, **extra: Any) -> dict[str, Any]:
        buy_in = ROLES[name][0]
        reply = clients[name]._wait(lambda: bots[name].send_after_acks(
            "table_join", table_id=table_id, buy_in_cents=buy_in, **extra), 30)
        assert reply["type"] == "result" and reply["data"]["stack"] == buy_in, (name, reply)
        registrations[name].append(reply["data"]["tech"])
        return dict(reply["data"])

    def leave(name: str) -> dict[str, Any]:
        reply = clients[name]._wait(lambda: bots[name].send_after_acks("table_leave", table_id=table_id), 30)
        assert reply["type"] == "result", (name, reply)
        return dict(reply["data"])

    def gone(name: str, since: int) -> bool:
        return any(m["player_id"] == ids[name] for m in table_messages(bots[name], "left", since))

    anna = bots["anna"]
    for name in ("anna", "bruno", "chloe", "gus"):
        join(name)
    until(lambda: len(table_messages(anna, "hand_result")) >= 3, 60, what="3 hands")

    # anna tops up during a hand: her decision waits on the clock, so the hand cannot end
    # before the top-up is paid; the chips join her stack when it does.
    anna.acting = False
    turn = next_turn(anna, len(anna.received))
    top_up_hand, anna_seat = turn["hand_id"], turn["seat"]
    at_start = next(p["stack"] for m in table_messages(anna, "hand_started") if m["hand_id"] == top_up_hand
                    for p in m["players"] if p["player_id"] == ids["anna"])
    # She bought in at the minimum and has won at most a few hands' blinds: there is room.
    amount = BUY_IN_MAX - at_start
    assert amount > 0, at_start
    reply = clients["anna"]._wait(lambda: anna.send_after_acks("table_top_up", table_id=table_id,
                                                               amount_cents=amount), 30)
    anna.acting = True
    assert reply["type"] == "result", reply
    assert reply["data"] == {"table_id": table_id, "stack": at_start, "pending_cents": amount}
    explicit_top_ups["anna"] += 1

    # emma and felix join while hands are played.
    emma_seat = join("emma")["seat"]
    felix_seat = join("felix", post_now=True)["seat"]

    def next_hand_after(hand_id: str) -> dict[str, Any] | None:
        results = [i for i, m in enumerate(anna.received) if m.get("event") == "hand_result"
                   and m.get("hand_id") == hand_id]
        later = table_messages(anna, "hand_started", results[0]) if results else []
        return later[0] if later else None

    until(lambda: next_hand_after(top_up_hand) is not None, 30, what="the hand after anna's top-up")
    result = next(m for m in table_messages(anna, "hand_result") if m["hand_id"] == top_up_hand)
    following = next_hand_after(top_up_hand)
    assert following is not None
    assert timed_out(anna, top_up_hand, anna_seat)
    assert next(p["stack"] for p in following["players"] if p["player_id"] == ids["anna"]) == (
        result["stacks"][str(anna_seat)] + amount)

    # gus drops for good, during his turn (after his policy top-up).
    gus = bots["gus"]
    until(lambda: any(kind == "table_top_up" and r["type"] == "result" for kind, r in gus.replies), 30,
          what="gus's top-up by policy")
    gus.acting = False
    gus_turn = next_turn(gus, len(gus.received))
    until(lambda: not gus.protocol._pending, 10, what="gus's acknowledgements")
    clients["gus"].close()
    clients["gus"].wait_closed()
    gus_dropped = time.monotonic()

    # chloe drops during her turn and comes back.
    chloe = bots["chloe"]
    chloe.acting = False
    chloe_turn = next_turn(chloe, len(chloe.received))
    away_hand, chloe_seat = chloe_turn["hand_id"], chloe_turn["seat"]
    until(lambda: not chloe.protocol._pending, 10, what="chloe's acknowledgements")
    clients["chloe"].close()
    clients["chloe"].wait_closed()
    assert not any(m["hand_id"] == away_hand for m in table_messages(chloe, "hand_result")), \
        "the hand ended before chloe's connection dropped"
    dropped_at = len(anna.received)
    summaries_before = popartie_hands(chloe)
    assert away_hand not in summaries_before
    until(lambda: any(m["seat"] == chloe_seat and m.get("reason") == "disconnected"
                      for m in table_messages(anna, "sitting_out", dropped_at)), 30, what="chloe sat out")
    played = len(table_messages(anna, "hand_result"))
    until(lambda: len(table_messages(anna, "hand_result")) >= played + 2, 30, what="2 hands without chloe")
    assert timed_out(anna, away_hand, chloe_seat)
    assert timed_out(anna, gus_turn["hand_id"], gus_turn["seat"])
    chloe.acting = True
    back_at, notices_at = len(chloe.received), len(chloe.notices)
    # Not dealt while away: the clock folded her in the hand under way, then she sat out.
    assert all(p["player_id"] != ids["chloe"] for m in table_messages(anna, "hand_started", dropped_at)
               for p in m["players"])
    clients["chloe"] = login(server, "chloe", chloe)
    dealt_before = hands_dealt(chloe)
    until(lambda: len(hands_dealt(chloe)) >= len(dealt_before) + 2, 60, what="chloe dealt in again")
    # On reconnection she received the summary of the one hand she was dealt while away.
    assert popartie_hands(chloe, notices_at) - {m["hand_id"] for m in table_messages(chloe, "hand_started", back_at)
                                                if "hole_cards" in m} == {away_hand}
    assert not any(m["player_id"] == ids["chloe"] for m in table_messages(anna, "left", dropped_at))

    # bruno leaves mid-session and sits back down: a new registration.
    bruno = bots["bruno"]
    since = len(bruno.received)
    notices_at = len(bruno.notices)
    left = leave("bruno")
    until(lambda: gone("bruno", since), 30, what="bruno stood up")
    if left.get("leaving_after_hand"):  # asked during a hand: stood up after it, POREVERS by notice
        until(lambda: any(n["kind"] == "POREVERS" for n in bruno.notices[notices_at:])
              and not bruno.protocol._pending, 30, what="bruno's POREVERS acknowledged")
        stood_up = [n["data"] for n in bruno.notices[notices_at:] if n["kind"] == "POREVERS"]
        assert len(stood_up) == 1 and stood_up[0]["info"] == "left", stood_up
        first_cash_out = (cents(stood_up[0]["cave"]), "left")
    else:  # asked between hands: paid at once, the request traced
        first_cash_out = (left["paid_cents"], None)
    bruno_seat = join("bruno")["seat"]
    assert registrations["bruno"][0] != registrations["bruno"][1]
    rejoined_at = len(anna.received)
    until(lambda: any(p["player_id"] == ids["bruno"] for m in table_messages(anna, "hand_started", rejoined_at)
                      for p in m["players"]), 60, what="bruno dealt in again")

    # gus is stood up after absent_seconds, and told at his next login.
    until(lambda: any(m["player_id"] == ids["gus"] for m in table_messages(anna, "left")), ABSENT_SECONDS + 30,
          what="gus stood up")
    assert time.monotonic() - gus_dropped >= ABSENT_SECONDS
    notices_at = len(gus.notices)
    clients["gus"] = login(server, "gus", gus)
    until(lambda: any(n["kind"] == "POREVERS" for n in gus.notices[notices_at:]) and not gus.protocol._pending,
          30, what="gus's POREVERS acknowledged")
    revers = [n for n in gus.notices[notices_at:] if n["kind"] == "POREVERS"]
    assert len(revers) == 1 and revers[0]["data"]["info"] == "absent"
    assert gus_turn["hand_id"] in popartie_hands(gus, notices_at)  # the hand he dropped in

    until(lambda: len(table_messages(anna, "hand_result")) >= HANDS, 60, what=f"{HANDS} hands")
    for bot in bots.values():
        bot.top_ups = 0  # no top-up by policy once people start leaving
    # A top-up the bot decided on a hand's result goes after that hand's summary: wait for it,
    # so none reaches the server after the player asked to leave.
    until(lambda: all(b._top_up is None and not b.protocol._pending for b in bots.values()), 30,
          what="the last top-ups by policy")
    seated = ("bruno", "chloe", "emma", "felix", "anna")  # the watcher last: she sees every hand
    marks = {name: len(bots[name].received) for name in seated}
    for name in seated:
        leave(name)
    until(lambda: all(gone(name, marks[name]) for name in seated), 30, what="everyone left")
    until(lambda: not any(p["player_id"] for t in server.api("GET", "/api/poker/tables")[1]["tables"]
                          if t["table_id"] == table_id for p in t["players"]), 30, what="the table empty")
    vault_settled(db_url, list(bots.values()))

    for name, bot in bots.items():
        # A top-up the bot sized from an older stack may be refused: a correct refusal.
        assert [e for e in bot.errors if e["code"] not in ("insufficient_funds", "above_maximum")] == [], name

    # Joining while hands are played: felix posted at once, emma waited for her big blind,
    # and so did bruno coming back.
    def first_hand(name: str, since: int) -> dict[str, Any]:
        return next(m for m in table_messages(anna, "hand_started", since)
                    if any(p["player_id"] == ids[name] for p in m["players"]))

    def seated_at(name: str) -> int:
        return next(i for i, m in enumerate(anna.received)
                    if m.get("event") == "seated" and m.get("player_id") == ids[name])

    felix_first = table_messages(anna, "hand_started", seated_at("felix"))[0]
    assert any(p["player_id"] == ids["felix"] for p in felix_first["players"])
    assert any(p["seat"] == felix_seat and p["kind"] in ("live", "big_blind") for p in felix_first["posts"])
    assert any(p["seat"] == emma_seat and p["kind"] == "big_blind" for p in first_hand("emma", seated_at("emma"))
               ["posts"])
    assert any(p["seat"] == bruno_seat and p["kind"] == "big_blind" for p in first_hand("bruno", rejoined_at)
               ["posts"])

    # Chips are conserved hand by hand, seen by the watcher (dealt every hand) and in the
    # server's hand records.
    engine = make_engine(db_url)
    with engine.connect() as c:
        records = {row.id: json.loads(row.record) for row in c.execute(
            select(poker_hands).where(poker_hands.c.table_id == table_id))}
        unfinished = c.execute(select(poker_hands.c.id).where(poker_hands.c.finished_at.is_(None))).all()
        balances = {row.code: row.balance_cents for row in c.execute(select(ledger_accounts))}
    engine.dispose()
    started = {m["hand_id"]: m for m in table_messages(anna, "hand_started")}
    results = {m["hand_id"]: m for m in table_messages(anna, "hand_result")}
    assert unfinished == [] and set(started) == set(results) == set(records) and len(records) >= HANDS
    for hand_id, result in results.items():
        players = started[hand_id]["players"]
        assert sum(p["stack"] for p in players) == sum(result["stacks"].values()) + result["rake"], result
        record = records[hand_id]
        assert {(s["seat"], s["player_id"], s["before"]) for s in record["seats"]} == {
            (p["seat"], p["player_id"], p["stack"]) for p in players}
        assert {str(s["seat"]): s["after"] for s in record["seats"]} == result["stacks"]
        assert record["rake"] == result["rake"]
        # 5 % of the pot at most (less uncalled bets), capped, and nothing without a flop.
        assert result["rake"] <= RAKE_CAP and 20 * result["rake"] <= result["rake"] + sum(result["collected"].values())
        if not any(m["hand_id"] == hand_id and m["street"] == 1 for m in table_messages(anna, "board")):
            assert result["rake"] == 0, result
    rake = sum(r["rake"] for r in results.values())
    assert rake > 0

    # The money: the escrow is empty, the rake is the hands' rake, nothing was made or lost.
    assert balances.get(f"operator:table-{table_id}", 0) == 0
    assert balances.get("operator:poker-rake", 0) == rake
    players_money = sum(v for k, v in balances.items() if k.startswith("player:"))
    assert players_money + rake == len(ROLES) * DEPOSITED
    checked = croupier("ledger", "check", "--db-url", db_url)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # The vault verifies; every player's poker traces are exactly their story.
    events = verified_events(server, db_url, tmp_path)
    truth = hole_cards_from_vault(events)
    privacy = {name: check_seat_privacy(bot, truth) for name, bot in bots.items()}
    assert privacy["anna"] == len(records) and min(privacy.values()) > 0
    dealt = hands_in_records(db_url)
    top_ups = {name: explicit_top_ups[name] + sum(1 for kind, r in bots[name].replies
                                                  if kind == "table_top_up" and r["type"] == "result")
               for name in ROLES}
    # By construction: anna's one explicit top-up, gus's one by policy, none for chloe and bruno;
    # emma's and felix's (up to 3 by policy) depend on the cards.
    assert (top_ups["anna"], top_ups["gus"], top_ups["chloe"], top_ups["bruno"]) == (1, 1, 0, 0), top_ups
    for name, player_id in ids.items():
        bot = bots[name]
        mine = [e for e in events if e.findtext("IDJoueur") == player_id]
        sittings = 2 if name == "bruno" else 1  # bruno sat back down: a new registration
        in_records = {hand_id for hand_id, record in records.items()
                      if any(s["player_id"] == player_id for s in record["seats"])}
        assert len(in_records) == dealt[player_id]
        expected = {"POINSCRIT": sittings, "POCAVE": sittings + top_ups[name], "POPARTIE": dealt[player_id],
                    "POREVERS": sittings}
        assert dict(Counter(e.tag for e in mine if e.tag.startswith("PO"))) == expected, name
        assert {e.findtext("IDPartie") for e in mine if e.tag == "POPARTIE"} == in_records, name
        assert hands_dealt(bot) == in_records == popartie_hands(bot), name
        # Every trace belongs to one of the player's sittings, and each sitting ended in one cash-out.
        assert [e.findtext("Tech") for e in mine if e.tag == "POINSCRIT"] == registrations[name], name
        assert {e.findtext("Tech") for e in mine if e.tag.startswith("PO")} == set(registrations[name]), name
        assert sorted(e.findtext("Tech") for e in mine if e.tag == "POREVERS") == sorted(registrations[name])
        assert {e.findtext("Tech") for e in mine if e.tag == "POPARTIE"} == set(registrations[name]), name
        # What the vault says went to the table and came back is what the player's money shows.
        bought = sum(cents(e.findtext("NbJeton")) for e in mine if e.tag == "POCAVE")
        paid = sum(cents(e.findtext("CaveRevers")) for e in mine if e.tag == "POREVERS")
        held = sum(v for k, v in balances.items() if k.startswith(f"player:{player_id}:"))
        assert DEPOSITED - bought + paid == held, name

    def cash_outs(name: str) -> list[tuple[str | None, int, str | None]]:
        return [(e.findtext("Tech"), cents(e.findtext("CaveRevers")), e.findtext("Info")) for e in events
                if e.tag == "POREVERS" and e.findtext("IDJoueur") == ids[name]]

    assert cash_outs("gus") == [(registrations["gus"][0], cents(revers[0]["data"]["cave"]), "absent")]
    assert cash_outs("bruno")[0] == (registrations["bruno"][0], *first_cash_out)

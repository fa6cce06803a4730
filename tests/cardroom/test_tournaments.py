"""Tournaments over real WebSockets: bots register, play a sit-and-go to its end or see it cancelled;
every PO trace reaches the vault and the money adds up to the cent."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select

from client.blocking import BlockingClient
from client.poker_bot import PokerBot
from games.tournament.payouts import DEFAULT_PAYOUTS
from server.cardroom.tournament_tables import poker_tournament_hands
from server.db.engine import make_engine
from server.wallet.tables import ledger_accounts
from tests.accounts.test_account_life import dns_server, opened, verified_events  # noqa: F401
from tests.cardroom.test_cash_game import hands_dealt, login, seat_bot, start, until, vault_settled
from tests.frontal_sealing.test_server_traces import croupier
from tests.support import ServerProcess

DEPOSIT = 4000  # what opened() puts on each solde
BUY_IN, FEE, CHIPS = 1000, 100, 1500
LEVELS = [{"small_blind": sb, "big_blind": 2 * sb} for sb in (10, 20, 40, 75, 150, 300, 600, 1200, 2500, 5000)]


def sit_and_go(server: ServerProcess, players: int, **overrides: Any) -> str:
    status, created = server.api("POST", "/api/poker/tournaments", {
        "name": f"SNG {players}", "players": players, "seats": 9, "buy_in_cents": BUY_IN, "fee_cents": FEE,
        "starting_chips": CHIPS, "levels": LEVELS, "level_hands": 4, "decision_seconds": 5, **overrides})
    assert status == 201, created
    return str(created["tournament_id"])


def balances(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    with engine.connect() as c:
        found = {row.code: row.balance_cents for row in c.execute(select(ledger_accounts))}
    engine.dispose()
    return found


def hand_records(db_url: str, tournament_id: str) -> list[dict[str, Any]]:
    engine = make_engine(db_url)
    with engine.connect() as c:
        rows = c.execute(select(poker_tournament_hands).where(poker_tournament_hands.c.tournament_id == tournament_id)
                         .order_by(poker_tournament_hands.c.started_at)).all()
    engine.dispose()
    return [{"id": r.id, "table_id": r.table_id, "finished": r.finished_at is not None, **json.loads(r.record or "{}")}
            for r in rows]


def tournament_events(bot: PokerBot, event: str) -> list[dict[str, Any]]:
    return [m for m in bot.received if m.get("type") == "tournament" and m.get("event") == event]


def of(events: list[etree._Element], player_id: str, tag: str) -> list[etree._Element]:
    return [e for e in events if e.tag == tag and e.findtext("IDJoueur") == player_id]


def solde(db_url: str, player_id: str) -> int:
    return balances(db_url).get(f"player:{player_id}:solde:ALL", 0)


def test_a_sit_and_go_is_played_to_the_end_and_its_prizes_paid(server_factory: Any, db_url: str, dns_server: str,
                                                               tmp_path: Path) -> None:
    began = time.monotonic()
    server = start(server_factory, dns_server)
    assert server.api("POST", "/api/poker/tournaments", {"name": "x", "players": 9})[0] == 400
    tournament_id = sit_and_go(server, 9)
    seated: list[tuple[BlockingClient, str, PokerBot]] = []
    for index in range(9):
        client, player_id = opened(server, f"sng{index}")
        bot = seat_bot(client, 100 + index, fold=0.35, raise_=0.08, all_in=0.1)
        seated.append((client, player_id, bot))
    first_client, first_id, first_bot = seated[0]
    # One registration taken back before the start: refunded, then registered again.
    first_client.call("tournament_register", tournament_id=tournament_id)
    again = first_client.request("tournament_register", tournament_id=tournament_id)
    assert again["type"] == "error" and again["code"] == "already_registered"
    undone = first_client.call("tournament_unregister", tournament_id=tournament_id)
    assert undone["refunded_cents"] == BUY_IN + FEE and undone["registered"] == 0
    assert solde(db_url, first_id) == DEPOSIT
    listed = first_client.call("tournaments")["tournaments"]
    assert [t["tournament_id"] for t in listed] == [tournament_id]
    assert listed[0]["payouts_for_max_field"] == [50, 30, 20]
    for client, _, _ in seated:
        reply = client.call("tournament_register", tournament_id=tournament_id)
        assert reply["starting_chips"] == CHIPS
    late = BlockingClient(server.ws_url)  # nobody registers in a started sit-and-go
    late.hello()
    late.call("login", login="sng0", password="correct horse battery")
    refused = late.request("tournament_register", tournament_id=tournament_id)
    assert refused["type"] == "error" and refused["code"] in ("registration_closed", "already_registered",
                                                              "notices_pending")
    late.close()

    until(lambda: all(tournament_events(b, "finished") for _, _, b in seated), timeout=120, what="the end")
    until(lambda: all(not b.protocol._pending for _, _, b in seated), what="the last acknowledgements")
    until(lambda: all(any(n["kind"] == "POGAIN" for n in b.notices) for _, pid, b in seated
                      if any(s["prize_cents"] for s in tournament_events(b, "finished")[0]["standings"]
                             if s["player_id"] == pid)), what="the POGAIN notices")
    played = time.monotonic() - began
    for _, _, bot in seated:
        assert bot.errors == [], bot.errors

    # Places and prizes: the default table for 9 entrants, ties sharing the places they cover.
    standings = tournament_events(first_bot, "finished")[0]["standings"]
    assert sorted(s["player_id"] for s in standings) == sorted(pid for _, pid, _ in seated)
    pool = 9 * BUY_IN
    amounts = DEFAULT_PAYOUTS.amounts(pool, 9)
    assert sum(s["prize_cents"] for s in standings) == pool
    by_place: dict[tuple[int, int], list[int]] = {}
    for s in standings:
        by_place.setdefault((s["place"], s["last_place"]), []).append(s["prize_cents"])
    for (first, last), prizes in by_place.items():
        assert len(prizes) == last - first + 1
        assert sum(prizes) == sum(amounts[p - 1] for p in range(first, last + 1) if p <= len(amounts))
        assert max(prizes) - min(prizes) <= 1
    busted = {pid: tournament_events(b, "busted") for _, pid, b in seated}
    winner = next(s["player_id"] for s in standings if s["place"] == 1)
    assert busted[winner] == [] and all(len(v) == 1 for p, v in busted.items() if p != winner)
    for s in standings:
        if s["player_id"] != winner:
            assert busted[s["player_id"]][0]["place"] == s["place"]

    # Chips are conserved hand by hand: everyone still in is dealt in, nothing is raked.
    records = hand_records(db_url, tournament_id)
    assert records and all(r["finished"] for r in records)
    for record in records:
        assert sum(s["before"] for s in record["seats"]) == sum(s["after"] for s in record["seats"]) == 9 * CHIPS
    # Blinds rise every 4 hands (one table: its own hand count), read when each hand starts.
    assert sorted(r["hand"] for r in records) == list(range(1, len(records) + 1))
    for record in records:
        level = LEVELS[min((record["hand"] - 1) // 4, len(LEVELS) - 1)]
        assert record["blinds"] == [level["small_blind"], level["big_blind"], 0]

    # Money in = prizes + fees, to the cent.
    books = balances(db_url)
    assert books.get(f"operator:tournament-{tournament_id}", 0) == 0
    assert books.get("operator:tournament-fees", 0) == 9 * FEE
    players_money = sum(v for k, v in books.items() if k.startswith("player:"))
    assert players_money + books["operator:tournament-fees"] == 9 * DEPOSIT
    for s in standings:
        assert solde(db_url, s["player_id"]) == DEPOSIT - BUY_IN - FEE + s["prize_cents"]
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    status, detail = server.api("GET", f"/api/poker/tournaments/{tournament_id}")
    assert status == 200 and detail["status"] == "finished"
    assert sorted(e["status"] for e in detail["entries"]) == ["finished"] * 9 + ["unregistered"]

    vault_settled(db_url, [b for _, _, b in seated])
    records = hand_records(db_url, tournament_id)  # again: the last hands' rows are written after the end
    events = verified_events(server, db_url, tmp_path)
    dealt_in = {pid: 0 for _, pid, _ in seated}
    for record in records:
        for seat in record["seats"]:
            dealt_in[seat["player_id"]] += 1
    for _, player_id, bot in seated:
        registrations = 2 if player_id == first_id else 1
        inscriptions = of(events, player_id, "POINSCRIT")
        caves = of(events, player_id, "POCAVE")
        assert len(inscriptions) == len(caves) == registrations
        for inscription in inscriptions:
            assert inscription.findtext("DescTournoi/TournoiNbJeton") == str(CHIPS)
            assert inscription.findtext("DescTournoi/TournoiNbJoueurQualification") == "3"
            assert inscription.findtext("NbMinJ") == inscription.findtext("NbMaxJ") == "9"
            assert Decimal(inscription.findtext("SoldeMouvement")) == Decimal("11.00")
        for cave in caves:
            assert cave.findtext("UniteJeton") == "Jeton" and cave.findtext("NbJeton") == str(CHIPS)
            assert cave.find("SoldeAvant") is None  # the money is in POINSCRIT (annex 1.4.2.a/b)
        assert len(of(events, player_id, "POANNUL")) == (1 if player_id == first_id else 0)
        popartie = of(events, player_id, "POPARTIE")
        assert len(popartie) == len(hands_dealt(bot)) == dealt_in[player_id] == sum(
            1 for n in bot.notices if n["kind"] == "POPARTIE")
        assert {e.findtext("Tech") for e in popartie} == {inscriptions[-1].findtext("Tech")}
        for e in popartie:
            assert all(Decimal(c).as_tuple().exponent == 0 for c in e.xpath("Joueur/JCave/text()"))  # chips
        prize = next(s["prize_cents"] for s in standings if s["player_id"] == player_id)
        gains = of(events, player_id, "POGAIN")
        assert len(gains) == (1 if prize else 0)
        if prize:
            place = next(s["place"] for s in standings if s["player_id"] == player_id)
            assert Decimal(gains[0].findtext("Gain")) == Decimal(prize).scaleb(-2)
            assert f"finished {place} of 9" in gains[0].findtext("Info")
            assert gains[0].findtext("Tech") == inscriptions[-1].findtext("Tech")
    print(f"9-player sit-and-go: {len(records)} hands, played in {played:.1f} s")


def test_sit_and_gos_cancelled_before_and_after_the_start(server_factory: Any, db_url: str, dns_server: str,
                                                           tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    waiting = sit_and_go(server, 4)
    # Bots that never act: the first hand of the started one waits on its clock until the cancellation.
    stuck = sit_and_go(server, 3, decision_seconds=120)
    players = []
    for index in range(3):
        client, player_id = opened(server, f"cxl{index}")
        bot = seat_bot(client, 200 + index, act=False)
        client.call("tournament_register", tournament_id=waiting)
        players.append((client, player_id, bot))
    assert all(solde(db_url, pid) == DEPOSIT - BUY_IN - FEE for _, pid, _ in players)
    status, cancelled = server.api("POST", f"/api/poker/tournaments/{waiting}/cancel", {})
    assert status == 200 and sorted(r["amount_cents"] for r in cancelled["refunded"]) == [BUY_IN + FEE] * 3
    until(lambda: all(any(n["kind"] == "POANNUL" for n in b.notices) for _, _, b in players), what="POANNUL notices")
    until(lambda: all(not b.protocol._pending for _, _, b in players), what="acknowledgements")
    assert all(solde(db_url, pid) == DEPOSIT for _, pid, _ in players)
    gone = players[0][0].request("tournament_register", tournament_id=waiting)
    assert gone["type"] == "error" and gone["code"] == "unknown_tournament"

    for client, _, _ in players:
        client.call("tournament_register", tournament_id=stuck)
    until(lambda: any(m.get("event") == "your_turn" for _, _, b in players for m in b.received), what="a hand")
    status, cancelled = server.api("POST", f"/api/poker/tournaments/{stuck}/cancel", {"policy": "refund"})
    assert status == 200 and sorted(r["amount_cents"] for r in cancelled["refunded"]) == [BUY_IN + FEE] * 3
    until(lambda: all(sum(n["kind"] == "POANNUL" for n in b.notices) == 3 for _, _, b in players),
          what="the hand's and the refund's POANNUL")
    until(lambda: all(not b.protocol._pending for _, _, b in players), what="acknowledgements")
    books = balances(db_url)
    assert all(solde(db_url, pid) == DEPOSIT for _, pid, _ in players)
    assert books.get(f"operator:tournament-{waiting}", 0) == books.get(f"operator:tournament-{stuck}", 0) == 0
    assert books.get("operator:tournament-fees", 0) == 0
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    records = hand_records(db_url, stuck)
    assert len(records) == 1 and records[0]["void"] and records[0]["finished"]
    void_hand = records[0]["id"]

    # Cancelled by chip split: everyone folds on a one-second clock, the blinds move some chips,
    # then the prize pool is shared by chips (one place paid for 3 entrants: nobody is guaranteed more).
    split = sit_and_go(server, 3, decision_seconds=1)
    for client, _, _ in players:
        client.call("tournament_register", tournament_id=split)
    until(lambda: len(hand_records(db_url, split)) >= 3, what="two hands played")
    status, cancelled = server.api("POST", f"/api/poker/tournaments/{split}/cancel", {"policy": "chip_split"})
    assert status == 200 and cancelled["refunded"] == []
    assert sum(p["amount_cents"] for p in cancelled["paid"]) == 3 * BUY_IN
    shares = {p["player_id"]: p["amount_cents"] for p in cancelled["paid"]}
    until(lambda: all(any(n["kind"] == "POGAIN" for n in b.notices) for _, pid, b in players if shares.get(pid)),
          what="the POGAIN notices")
    until(lambda: all(not b.protocol._pending for _, _, b in players), what="acknowledgements")
    finished = [r for r in hand_records(db_url, split) if not r.get("void")]
    stacks: dict[str, int] = {pid: CHIPS for _, pid, _ in players}
    for record in finished:
        for seat in record["seats"]:
            stacks[seat["player_id"]] = seat["after"]
    assert sorted(stacks.values()) != [CHIPS] * 3 and sum(stacks.values()) == 3 * CHIPS
    for player_id, chips in stacks.items():  # floor of the share by chips, odd cents to the biggest stacks
        assert abs(shares.get(player_id, 0) - 3 * BUY_IN * chips / (3 * CHIPS)) < 1
        assert solde(db_url, player_id) == DEPOSIT - BUY_IN - FEE + shares.get(player_id, 0)
    assert balances(db_url).get("operator:tournament-fees", 0) == 3 * FEE
    assert balances(db_url).get(f"operator:tournament-{split}", 0) == 0
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0

    vault_settled(db_url, [b for _, _, b in players])
    events = verified_events(server, db_url, tmp_path)
    split_void = {r["id"] for r in hand_records(db_url, split) if r.get("void")}
    for _, player_id, bot in players:
        inscriptions = of(events, player_id, "POINSCRIT")
        annulled = of(events, player_id, "POANNUL")
        assert len(inscriptions) == len(of(events, player_id, "POCAVE")) == 3
        voided = sorted(e.findtext("IDPartie") for e in annulled if e.findtext("IDPartie") is not None)
        assert voided == sorted({void_hand} | split_void)
        refunds = [e for e in annulled if e.findtext("IDPartie") is None]
        assert len(refunds) == 2 and {e.findtext("Tech") for e in refunds} < {e.findtext("Tech") for e in inscriptions}
        for refund in refunds:
            assert Decimal(refund.findtext("MontantRembours")) == Decimal("11.00")
            assert Decimal(refund.findtext("SoldeApresRembours")) - Decimal(
                refund.findtext("SoldeAvantRembours")) == Decimal("11.00")
        assert len(of(events, player_id, "POPARTIE")) == len(hands_dealt(bot) - set(voided)) == sum(
            1 for r in finished for seat in r["seats"] if seat["player_id"] == player_id)
        gains = of(events, player_id, "POGAIN")
        assert [Decimal(g.findtext("Gain")) for g in gains] == ([Decimal(shares[player_id]).scaleb(-2)]
                                                                if shares.get(player_id) else [])


def test_a_sit_and_go_interrupted_by_a_restart_is_cancelled_and_refunded(server_factory: Any, db_url: str,
                                                                          dns_server: str, tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    tournament_id = sit_and_go(server, 3, decision_seconds=120)
    waiting = sit_and_go(server, 4)
    players = []
    for index in range(3):
        client, player_id = opened(server, f"rst{index}")
        bot = seat_bot(client, 300 + index, act=False)
        if index < 2:
            client.call("tournament_register", tournament_id=waiting)
        client.call("tournament_register", tournament_id=tournament_id)
        players.append((client, player_id, bot))
    until(lambda: any(m.get("event") == "your_turn" for _, _, b in players for m in b.received), what="a hand")
    server.restart()
    clients = [login(server, f"rst{index}", bot) for index, (_, _, bot) in enumerate(players)]
    until(lambda: all(sum(n["kind"] == "POANNUL" for n in b.notices) == 2 for _, _, b in players),
          what="the void hand's and the refund's POANNUL")
    until(lambda: all(not b.protocol._pending for _, _, b in players), what="acknowledgements")

    # The open sit-and-go came back with its two registrations: one is taken back, the operator cancels.
    listed = clients[0].call("tournaments")["tournaments"]
    assert [(t["tournament_id"], t["registered"], t["you_registered"]) for t in listed] == [(waiting, 2, True)]
    assert clients[0].call("tournament_unregister", tournament_id=waiting)["refunded_cents"] == BUY_IN + FEE
    assert server.api("POST", f"/api/poker/tournaments/{waiting}/cancel", {})[0] == 200
    until(lambda: sum(n["kind"] == "POANNUL" for n in players[1][2].notices) == 3, what="the cancellation's POANNUL")
    until(lambda: all(not b.protocol._pending for _, _, b in players), what="acknowledgements")
    status, detail = server.api("GET", f"/api/poker/tournaments/{tournament_id}")
    assert status == 200 and detail["status"] == "cancelled"
    assert all(e["status"] == "refunded" for e in detail["entries"])
    assert all(solde(db_url, pid) == DEPOSIT for _, pid, _ in players)
    books = balances(db_url)
    assert books.get(f"operator:tournament-{tournament_id}", 0) == books.get("operator:tournament-fees", 0) == 0
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    records = hand_records(db_url, tournament_id)
    assert len(records) == 1 and records[0]["finished"]
    vault_settled(db_url, [b for _, _, b in players])
    events = verified_events(server, db_url, tmp_path)
    for _, player_id, _ in players:  # every registration refunded, the interrupted hand void for each seat
        annulled = of(events, player_id, "POANNUL")
        assert [e.findtext("IDPartie") for e in annulled if e.find("IDPartie") is not None] == [records[0]["id"]]
        refunds = [e.findtext("Tech") for e in annulled if e.find("IDPartie") is None]
        assert sorted(refunds) == sorted(e.findtext("Tech") for e in of(events, player_id, "POINSCRIT"))


def test_a_scheduled_multi_table_tournament_breaks_its_tables_down_to_a_winner(
        server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    began = time.monotonic()
    server = start(server_factory, dns_server)
    seated: list[tuple[BlockingClient, str, PokerBot]] = []
    for index in range(30):
        client, player_id = opened(server, f"mtt{index}")
        seated.append((client, player_id, seat_bot(client, 400 + index, fold=0.3, raise_=0.12, all_in=0.2)))
    opening = time.monotonic() - began
    starts_at = datetime.now(timezone.utc) + timedelta(seconds=6)
    status, created = server.api("POST", "/api/poker/tournaments", {
        "name": "MTT 30", "format": "scheduled", "min_players": 20, "max_players": 40, "seats": 9,
        "starts_at": starts_at.isoformat(), "late_until_level": 2, "buy_in_cents": BUY_IN, "fee_cents": FEE,
        "starting_chips": CHIPS, "levels": LEVELS, "level_hands": 6, "decision_seconds": 5})
    assert status == 201, created
    tournament_id = created["tournament_id"]
    on_time, late = seated[:28], seated[28:]
    for client, _, _ in on_time:
        client.call("tournament_register", tournament_id=tournament_id)
    assert datetime.now(timezone.utc) < starts_at, "registration took longer than the time left before the start"
    until(lambda: all(tournament_events(b, "started") for _, _, b in on_time), what="the start")
    first_tables = {tournament_events(b, "started")[0]["table_id"] for _, _, b in on_time}
    assert len(first_tables) == 4  # 28 players at 9 a table: 7, 7, 7, 7
    for client, _, bot in late:  # late registration: the first two levels
        reply = client._wait(lambda: bot.send_after_acks("tournament_register", tournament_id=tournament_id), 30)
        assert reply["type"] == "result", reply
    until(lambda: all(tournament_events(b, "started") for _, _, b in late), what="the late entries seated")

    until(lambda: all(tournament_events(b, "finished") for _, _, b in seated), timeout=240, what="the end")
    until(lambda: all(not b.protocol._pending for _, _, b in seated), what="the last acknowledgements")
    played = time.monotonic() - began - opening
    for _, _, bot in seated:
        assert bot.errors == [], bot.errors

    standings = tournament_events(seated[0][2], "finished")[0]["standings"]
    assert sorted(s["player_id"] for s in standings) == sorted(pid for _, pid, _ in seated)
    amounts = DEFAULT_PAYOUTS.amounts(30 * BUY_IN, 30)
    assert len(amounts) == 7 and sum(s["prize_cents"] for s in standings) == 30 * BUY_IN
    shared: dict[tuple[int, int], list[int]] = {}
    for s in standings:
        shared.setdefault((s["place"], s["last_place"]), []).append(s["prize_cents"])
    for (first, last), prizes in shared.items():
        assert len(prizes) == last - first + 1
        assert sum(prizes) == sum(amounts[p - 1] for p in range(first, last + 1) if p <= len(amounts))

    # Tables broke as players busted; the last ones played at one table.
    moves = [m for _, _, b in seated for m in tournament_events(b, "moved")]
    assert any(m["reason"] == "break" for m in moves)
    records = hand_records(db_url, tournament_id)
    assert all(r["finished"] for r in records)
    tables = {r["table_id"] for r in records}
    assert len(tables) >= 4
    last_hands = records[-3:]
    assert len({r["table_id"] for r in last_hands}) == 1
    for record in records:
        assert sum(s["before"] for s in record["seats"]) == sum(s["after"] for s in record["seats"])
        assert len(record["seats"]) <= 9
    books = balances(db_url)
    assert books.get(f"operator:tournament-{tournament_id}", 0) == 0
    assert books.get("operator:tournament-fees", 0) == 30 * FEE
    assert sum(v for k, v in books.items() if k.startswith("player:")) + 30 * FEE == 30 * DEPOSIT
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0

    vault_settled(db_url, [b for _, _, b in seated])
    records = hand_records(db_url, tournament_id)  # again: the last hands' rows are written after the end
    events = verified_events(server, db_url, tmp_path)
    for _, player_id, bot in seated:
        assert len(of(events, player_id, "POINSCRIT")) == len(of(events, player_id, "POCAVE")) == 1
        dealt = sum(1 for r in records for seat in r["seats"] if seat["player_id"] == player_id)
        assert len(of(events, player_id, "POPARTIE")) == len(hands_dealt(bot)) == dealt
        prize = next(s["prize_cents"] for s in standings if s["player_id"] == player_id)
        assert [Decimal(g.findtext("Gain")) for g in of(events, player_id, "POGAIN")] == (
            [Decimal(prize).scaleb(-2)] if prize else [])
    print(f"30-player tournament: {len(records)} hands at {len(tables)} tables, {len(moves)} moves, "
          f"played in {played:.1f} s (accounts opened in {opening:.1f} s)")


def test_a_scheduled_tournament_short_of_players_is_cancelled_at_its_time(server_factory: Any, db_url: str,
                                                                          dns_server: str, tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    client, player_id = opened(server, "early")
    bot = seat_bot(client, 500)
    starts_at = datetime.now(timezone.utc) + timedelta(seconds=2)
    status, created = server.api("POST", "/api/poker/tournaments", {
        "name": "Too few", "format": "scheduled", "min_players": 3, "max_players": 30,
        "starts_at": starts_at.isoformat(), "buy_in_cents": BUY_IN, "fee_cents": FEE, "starting_chips": CHIPS,
        "levels": LEVELS, "level_minutes": 5})
    assert status == 201, created
    client.call("tournament_register", tournament_id=created["tournament_id"])
    assert solde(db_url, player_id) == DEPOSIT - BUY_IN - FEE
    until(lambda: any(n["kind"] == "POANNUL" for n in bot.notices), timeout=15, what="the cancellation")
    until(lambda: not bot.protocol._pending, what="the acknowledgement")
    assert solde(db_url, player_id) == DEPOSIT
    assert tournament_events(bot, "cancelled") and "fewer than 3 players" in bot.notices[-1]["data"]["info"]
    status, detail = server.api("GET", f"/api/poker/tournaments/{created['tournament_id']}")
    assert detail["status"] == "cancelled" and [e["status"] for e in detail["entries"]] == ["refunded"]
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    vault_settled(db_url, [bot])
    events = verified_events(server, db_url, tmp_path)
    inscription, = of(events, player_id, "POINSCRIT")
    assert inscription.findtext("DescTournoi/DateTournoi") == starts_at.strftime("%y%m%d%H%M%S")
    assert inscription.find("DescTournoi/TournoiNbJoueurQualification") is None  # the field is not known yet
    annulled, = of(events, player_id, "POANNUL")
    assert annulled.findtext("Tech") == inscription.findtext("Tech") and annulled.find("IDPartie") is None
    assert Decimal(annulled.findtext("MontantRembours")) == Decimal("11.00")

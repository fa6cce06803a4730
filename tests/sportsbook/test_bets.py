"""Sports bets over real WebSockets: slips of every kind placed (PASPMISE before the acceptance),
refusals that change nothing, results with a void market and a dead heat, settlement paid and
traced on acknowledgement (PASPGAIN, PASPANNUL), a corrected result resettled (CPTEAJUSTOPE),
the vault verified and the ledger balanced. Expected returns are worked by hand below."""

from __future__ import annotations

import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select

from client.blocking import BlockingClient
from games.betslip import BetType, Choice, CustomPart, DeadHeat, Leg, Outcome, Result, Slip, Stake, settle
from server.db.engine import make_engine
from server.wallet.tables import ledger_accounts
from tests.accounts.test_account_life import ack_next, dns_server, opened, verified_events  # noqa: F401
from tests.cardroom.test_cash_game import start, until
from tests.frontal_sealing.test_server_traces import croupier
from tests.sportsbook.support import ok, result_market, soon, wait_until


def balances(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    with engine.connect() as c:
        found = {row.code: row.balance_cents for row in c.execute(select(ledger_accounts))}
    engine.dispose()
    return found


def leg(*choices: tuple[int, str], banker: bool = False) -> dict[str, Any]:
    return {"banker": banker, "choices": [{"selection_id": s, "odds": o} for s, o in choices]}


def place(client: BlockingClient, kind: str, legs: list[dict[str, Any]], stake: int, **more: Any) -> list[dict[str, Any]]:
    reply = client.call("sports_bet_place", slip={"type": kind, "stake_cents": stake, "legs": legs, **more})
    assert all("tech" in bet for bet in reply["bets"]), reply
    return list(reply["bets"])


def error(reply: dict[str, Any]) -> str:
    assert reply["type"] == "error", reply
    return str(reply["code"])


def test_slips_are_placed_settled_and_resettled_with_every_trace(server_factory: Any, db_url: str,
                                                                  dns_server: str, tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    kick_off = soon(12)  # the bets below must be struck before it
    competition = ok(server, "POST", "/competitions", {"name": "UEFA Champions League", "sport": "FOO",
                                                        "event": "NT95S"})
    markets = []
    for home_side, away_side in (("Chelsea", "Valence CF"), ("Dortmund", "Marseille"), ("Olympiakos", "Arsenal"),
                                 ("Lille", "Bâle")):
        fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                                   "participants": [home_side, away_side],
                                                   "starts_at": kick_off.isoformat()})
        markets.append(result_market(server, fixture["fixture_id"]))  # home 1.65, draw 3.40, away 4.50
    home = [(m["selections"][0]["selection_id"], "1.65") for m in markets]
    draw = [(m["selections"][1]["selection_id"], "3.40") for m in markets]
    away = [(m["selections"][2]["selection_id"], "4.50") for m in markets]

    anna, anna_id = opened(server, "anna")
    bruno, bruno_id = opened(server, "bruno")
    for client in (anna, bruno):
        client.protocol.factory.auto_ack = True  # every notice acknowledged as it comes: its trace recorded
    before = balances(db_url)

    # Refusals change nothing.
    assert error(anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 150, "legs": [
        leg((draw[0][0], "3.20"))]})) == "odds_changed"
    moved = anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 150, "legs": [leg((draw[0][0], "3.20"))]})
    assert moved["data"]["odds"] == [{"selection_id": draw[0][0], "odds": "3.40"}]
    assert error(anna.request("sports_bet_place", slip={"type": "C", "stake_cents": 100, "legs": [
        leg(home[0]), leg(draw[0])]})) == "slip_refused"  # two outcomes of one fixture in a line
    assert error(anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 5, "legs": [
        leg(home[0])]})) == "slip_refused"  # under the 0.10 minimum
    too_much = anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 100001, "legs": [leg(home[0])]})
    assert error(too_much) == "slip_refused" and too_much["message"].startswith("stake_too_high")
    assert error(anna.request("sports_bet_place", slip={"type": "XY", "x": 3, "stake_cents": 100, "legs": [
        leg(home[0]), leg(home[1]), leg(home[2])]})) == "invalid_slip"  # X < Y
    assert error(anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 100, "legs": [
        leg((999999, "2.00"))]})) == "unknown_selection"
    assert error(anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 4001, "legs": [
        leg(home[0])]})) == "insufficient_funds"
    assert balances(db_url) == before
    priced = anna.call("sports_slip_price", slip={"type": "TRIXIE", "stake_cents": 50, "legs": [
        leg(draw[0]), leg(home[1]), leg(home[3])]})
    # Every line wins: 3.40 x 1.65 twice, 1.65 x 1.65, 3.40 x 1.65 x 1.65: 23.199 x 0.50 = 11.5995
    assert priced["bets"] == [{"lines": 4, "stake_cents": 200, "top_up_cents": 0, "max_return_cents": 1159}]

    single = place(anna, "S", [leg(draw[0])], 150)  # annex 1.4.1.a.1, example 1
    acca = place(anna, "C", [leg(home[0]), leg(home[1]), leg(home[3])], 150)
    trixie = place(anna, "TRIXIE", [leg(draw[0]), leg(home[1]), leg(home[3])], 50)
    two_of_three = place(anna, "XY", [leg(draw[0]), leg(home[1]), leg(home[2])], 100, x=2)
    voided = place(anna, "S", [leg(away[2])], 200)
    multiple = place(anna, "C", [leg(home[0], draw[0]), leg(home[1])], 100)  # two prognoses on a leg: 2 lines
    singles = place(bruno, "S", [leg(home[1]), leg(away[3])], 100)  # two bets, one PASPMISE each
    banker = place(bruno, "XY", [leg(draw[0], banker=True), leg(home[1]), leg(home[3]), leg(home[2])], 50, x=2)
    assert [len(x) for x in (single, acca, trixie, two_of_three, voided, multiple, singles, banker)] == [
        1, 1, 1, 1, 1, 1, 2, 1]
    assert (trixie[0]["lines"], trixie[0]["stake_cents"]) == (4, 200)
    assert (multiple[0]["lines"], banker[0]["lines"]) == (2, 3)
    staked = {"anna": 150 + 150 + 200 + 300 + 200 + 200, "bruno": 200 + 150}
    listed = anna.call("sports_bets")["bets"]
    assert len(listed) == 6 and {b["status"] for b in listed} == {"open"}
    # Started: nothing more is taken on these fixtures.
    wait_until(kick_off)
    assert error(anna.request("sports_bet_place", slip={"type": "S", "stake_cents": 100, "legs": [
        leg(home[0])]})) == "selection_closed"

    # Results: F1 a draw, F2 home, F3 void (postponed), F4 home in a dead heat for one place.
    ids = [m["market_id"] for m in markets]
    ok(server, "POST", f"/markets/{ids[0]}/result", {"outcomes": [{"selection_id": draw[0][0], "outcome": "win"}]})
    ok(server, "POST", f"/markets/{ids[1]}/result", {"outcomes": [{"selection_id": home[1][0], "outcome": "win"}]})
    ok(server, "POST", f"/markets/{ids[2]}/result", {"void": True, "reason": "postponed"})
    ok(server, "POST", f"/markets/{ids[3]}/result", {"outcomes": [
        {"selection_id": home[3][0], "outcome": "win", "dead_heat": {"tied": 2, "places": 1}}]})

    def bets(client: BlockingClient) -> list[dict[str, Any]]:
        while True:  # refused while a settlement notice is on its way to its automatic acknowledgement
            reply = client.request("sports_bets")
            if reply["type"] == "result":
                return list(reply["data"]["bets"])
            assert reply["code"] == "notices_pending", reply
            time.sleep(0.05)

    def paid(client: BlockingClient, tech: str) -> int:
        return next(b["paid_cents"] for b in bets(client) if b["tech"] == tech)

    def status(client: BlockingClient) -> set[str]:
        return {b["status"] for b in bets(client)}

    until(lambda: "open" not in status(anna) and "open" not in status(bruno), 30, what="every bet settled")
    # Worked by hand (factors: F1 draw 3.40, F2 home 1.65, F3 void 1, F4 home dead heat 1.65 x 1/2 = 0.825):
    expected = {
        single[0]["tech"]: 510,  # 1.50 x 3.40
        acca[0]["tech"]: 0,  # F1 home lost
        trixie[0]["tech"]: 720,  # (5.61 + 2.805 + 1.36125 + 4.62825) x 0.50 = 7.20225, down to the cent
        two_of_three[0]["tech"]: 1066,  # 5.61 + 3.40 x 1 + 1.65 x 1 = 10.66
        voided[0]["tech"]: 200,  # void: the stake back
        multiple[0]["tech"]: 561,  # home x home lost; draw x home 3.40 x 1.65 = 5.61
    }
    for tech, cents in expected.items():
        assert paid(anna, tech) == cents, tech
    bruno_expected = {singles[0]["tech"]: 165, singles[1]["tech"]: 0,
                      banker[0]["tech"]: 652}  # 3.40 x (1.65 x 0.825 + 1.65 x 1 + 0.825 x 1) x 0.50 = 6.521625
    for tech, cents in bruno_expected.items():
        assert paid(bruno, tech) == cents, tech

    # A corrected result: F2 went to the away side. Bets on it are resettled.
    ok(server, "POST", f"/markets/{ids[1]}/result/correction", {
        "reason": "goal given offside after review", "outcomes": [{"selection_id": away[1][0], "outcome": "win"}]},
       status=200)
    corrected = {trixie[0]["tech"]: 140, two_of_three[0]["tech"]: 340, multiple[0]["tech"]: 0}  # 2.805 x 0.5
    until(lambda: all(paid(anna, t) == c for t, c in corrected.items()), 30, what="the resettlement")
    until(lambda: paid(bruno, singles[0]["tech"]) == 0 and paid(bruno, banker[0]["tech"]) == 140, 30,
          what="bruno's resettlement")
    time.sleep(1.0)  # the last acknowledgements

    books = balances(db_url)
    anna_paid = sum(expected.values()) - (720 - 140) - (1066 - 340) - 561
    assert books[f"player:{anna_id}:solde:ALL"] == 4000 - staked["anna"] + anna_paid
    assert books[f"player:{bruno_id}:solde:ALL"] == 4000 - staked["bruno"] + 0 + 140
    assert books.get("operator:sportsbook-stakes", 0) == 0
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0

    events = verified_events(server, db_url, tmp_path)
    mine = [e for e in events if e.findtext("IDJoueur") == anna_id]
    by_tag: dict[str, list[Any]] = {}
    for event in mine:
        by_tag.setdefault(event.tag, []).append(event)
    assert len(by_tag["PASPMISE"]) == 6
    gains = {(e.findtext("Tech"), e.findtext("Gain")) for e in by_tag["PASPGAIN"]}
    assert gains == {(single[0]["tech"], "5.10"), (trixie[0]["tech"], "7.20"), (two_of_three[0]["tech"], "10.66"),
                     (multiple[0]["tech"], "5.61")}
    (annul,) = by_tag["PASPANNUL"]
    assert (annul.findtext("Tech"), annul.findtext("MontantRembours")) == (voided[0]["tech"], "2.00")
    takebacks = sorted((e.findtext("TypeAjust"), e.findtext("Ajustement")) for e in by_tag["CPTEAJUSTOPE"])
    assert takebacks == [("Gain", "-5.61"), ("Gain", "-5.80"), ("Gain", "-7.26")], takebacks
    first = next(e for e in by_tag["PASPMISE"] if e.findtext("Tech") == single[0]["tech"])
    assert [first.findtext(f) for f in ("PaSp/Combi", "PaSp/MiseBase", "SoldeAvantMise", "Mise", "SoldeApresMise")
            ] == ["S", "1.50", "40.00", "1.50", "38.50"]
    assert [(e.tag, e.text) for e in first.find("PaSp/LigSp") if e.tag in ("Renc", "Sport", "Evnt", "Cote")] == [
        ("Renc", "UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF"), ("Sport", "FOO"), ("Evnt", "NT95S"),
        ("Cote", "3.40")]
    multi = next(e for e in by_tag["PASPMISE"] if e.findtext("Tech") == multiple[0]["tech"])
    assert [len(x.findall("PronoSp")) for x in multi.findall("PaSp/LigSp")] == [2, 1]
    assert multi.findtext("Mise") == "2.00"
    bruno_bets = [e for e in events if e.findtext("IDJoueur") == bruno_id and e.tag == "PASPMISE"]
    assert len(bruno_bets) == 3
    with_banker = next(e for e in bruno_bets if e.findtext("Tech") == banker[0]["tech"])
    assert (with_banker.findtext("PaSp/Combi"), with_banker.findtext("PaSp/X")) == ("XY", "2")
    assert [x.find("Banque") is not None for x in with_banker.findall("PaSp/LigSp")] == [True, False, False, False]


def test_the_operators_lucky_offer_is_paid_as_gain_abond(server_factory: Any, db_url: str, dns_server: str,
                                                         tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": "staging-secret-for-tests",
                               "vault.lot_max_seconds": 0.5, "sportsbook.lucky_bonus_one_winner_odds_multiplier": "2",
                               "sportsbook.lucky_bonus_all_winners_pct": "10"})
    kick_off = soon(6)
    competition = ok(server, "POST", "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "KYYIC"})
    markets = []
    for home_side, away_side in (("Lorient", "Lyon"), ("Lille", "Nice"), ("Metz", "Brest"), ("Lens", "Reims")):
        fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                                   "participants": [home_side, away_side],
                                                   "starts_at": kick_off.isoformat()})
        markets.append(result_market(server, fixture["fixture_id"]))
    home = [(m["selections"][0]["selection_id"], "1.65") for m in markets]
    draw = [(m["selections"][1]["selection_id"], "3.40") for m in markets]
    client, player_id = opened(server, "lucky")
    client.protocol.factory.auto_ack = True
    all_win = place(client, "LUCKY15", [leg(h) for h in home], 10)
    one_winner = place(client, "LUCKY15", [leg(home[0])] + [leg(d) for d in draw[1:]], 10)
    wait_until(kick_off)
    for market, winner in zip(markets, home):
        ok(server, "POST", f"/markets/{market['market_id']}/result",
           {"outcomes": [{"selection_id": winner[0], "outcome": "win"}]})
    time.sleep(1.0)
    until(lambda: client.request("sports_bets")["type"] == "result" and all(
        b["status"] == "settled" for b in client.request("sports_bets")["data"]["bets"]), 30, what="settled")
    time.sleep(1.0)
    events = [e for e in verified_events(server, db_url, tmp_path) if e.findtext("IDJoueur") == player_id]
    gains = {e.findtext("Tech"): (e.findtext("Gain"), e.findtext("GainAbond"), e.findtext("SoldeAvantGain"),
                                  e.findtext("SoldeApresGain")) for e in events if e.tag == "PASPGAIN"}
    # All four win: every non-empty subset of four legs at 1.65, 0.10 a line: (2.65^4 - 1) x 0.10 = 4.8317...
    # -> 4.83; the offer adds 10 % of the winnings (4.8317 - 1.50) x 10 % = 0.3332: 5.1649 -> 5.16, so 0.33.
    gain, abond, before, after = gains[all_win[0]["tech"]]
    assert (gain, abond) == ("4.83", "0.33")
    assert Decimal(after) - Decimal(before) == Decimal("5.16")
    # One winner: its single at double the net odds, 0.10 x (1 + 2 x 0.65) = 0.23 instead of 0.165 -> 0.16.
    assert gains[one_winner[0]["tech"]][:2] == ("0.16", "0.07")
    books = balances(db_url)
    assert books["operator:promotions"] == -40
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0


NAMED = {"PATENT": 3, "CANADIAN": 5, "LUCKY31": 5, "GOLIATH": 8, "SUPERHEINZ": 7, "LUCKY63": 6, "HEINZ": 6,
         "LUCKY15": 4}


def test_every_named_system_a_perm_and_a_custom_system_are_paid_what_the_engine_says(server_factory: Any, db_url: str,
                                                                     dns_server: str, tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    kick_off = soon(8)
    competition = ok(server, "POST", "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "KYYIC"})
    markets = []
    for index in range(8):
        fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                                   "participants": [f"Home {index}", f"Away {index}"],
                                                   "starts_at": kick_off.isoformat()})
        markets.append(result_market(server, fixture["fixture_id"]))
    home = [(m["selections"][0]["selection_id"], "1.65") for m in markets]
    players = [opened(server, "systems"), opened(server, "perms")]
    for client, _ in players:
        client.protocol.factory.auto_ack = True
    placed: dict[str, tuple[BlockingClient, dict[str, Any]]] = {}
    for kind, size in NAMED.items():
        client = players[0][0] if kind in ("PATENT", "CANADIAN", "LUCKY31", "GOLIATH") else players[1][0]
        (bet,) = place(client, kind, [leg(h) for h in home[:size]], 10)
        placed[kind] = (client, bet)
    (perm,) = place(players[1][0], "YANKEE", [leg(h) for h in home[:5]], 10, perm=True)  # C(5,4) Yankees
    custom_parts = [{"combi": "C", "legs": [0, 1, 2]}, {"combi": "XY", "legs": [3, 5, 6, 7], "x": 2}]
    (custom,) = place(players[0][0], "CUSTOM", [leg(h) for h in home], 10, custom=custom_parts)
    assert custom["lines"] == 1 + 6
    assert perm["lines"] == 55 and placed["GOLIATH"][1]["lines"] == 247
    placed["YANKEE perm"] = (players[1][0], perm)
    placed["CUSTOM"] = (players[0][0], custom)
    wait_until(kick_off)
    # Home wins on 0-4, 5 void, 6 lost (a draw), 7 a dead heat of two for the win.
    outcomes = [Outcome(Result.WIN)] * 5 + [Outcome(Result.VOID), Outcome(Result.LOSE),
                                            Outcome(Result.WIN, dead_heat=DeadHeat(2, 1))]
    for index, market in enumerate(markets):
        selection = market["selections"][0]["selection_id"]
        body: dict[str, Any] = {"outcomes": [{"selection_id": selection, "outcome": "win"}]}
        if index == 5:
            body = {"void": True, "reason": "abandoned"}
        elif index == 6:
            body = {"outcomes": [{"selection_id": market["selections"][1]["selection_id"], "outcome": "win"}]}
        elif index == 7:
            body["outcomes"][0]["dead_heat"] = {"tied": 2, "places": 1}
        ok(server, "POST", f"/markets/{market['market_id']}/result", body)

    def settled(client: BlockingClient) -> list[dict[str, Any]] | None:
        reply = client.request("sports_bets")
        if reply["type"] != "result" or any(b["status"] == "open" for b in reply["data"]["bets"]):
            return None
        return list(reply["data"]["bets"])

    until(lambda: all(settled(c) for c, _ in players), 60, what="every system settled")
    for kind, (client, bet) in placed.items():
        size = {"YANKEE perm": 5, "CUSTOM": 8}.get(kind) or NAMED[kind]
        slip = Slip(BetType("YANKEE" if kind == "YANKEE perm" else kind),
                    tuple(Leg((Choice(Fraction(165, 100)),)) for _ in range(size)), Stake(Decimal("0.10")),
                    perm=kind == "YANKEE perm", custom=tuple(
                        CustomPart(BetType(p["combi"]), tuple(p["legs"]), p.get("x")) for p in custom_parts)
                    if kind == "CUSTOM" else ())
        expected = settle(slip, tuple((o,) for o in outcomes[:size]))
        paid = next(b["paid_cents"] for b in settled(client) or [] if b["tech"] == bet["tech"])
        assert paid == int(expected.total_return.scaleb(2)), kind
    time.sleep(1.0)
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0
    events = verified_events(server, db_url, tmp_path)
    combis = sorted(e.findtext("PaSp/Combi") for e in events if e.tag == "PASPMISE")
    assert combis == sorted(list(NAMED) + ["YANKEE", "C"]), combis
    custom_record = next(e for e in events if e.tag == "PASPMISE" and e.findtext("Tech") == custom["tech"])
    assert [(p.findtext("Combi"), p.findtext("X"), len(p.findall("LigSp"))) for p in custom_record.findall("PaSp")] == [
        ("C", None, 3), ("XY", "2", 4)]
    perm_record = next(e for e in events if e.tag == "PASPMISE" and e.findtext("Tech") == perm["tech"])
    assert len(perm_record.findall("PaSp")) == 5 and perm_record.findtext("Mise") == "5.50"


def test_the_operators_top_up_of_stakes_is_mise_abond(server_factory: Any, db_url: str, dns_server: str,
                                                      tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": "staging-secret-for-tests",
                               "vault.lot_max_seconds": 0.5, "sportsbook.stake_top_up_percent": "10"})
    kick_off = soon(5)
    competition = ok(server, "POST", "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "KYYIC"})
    fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                               "participants": ["Lorient", "Lyon"], "starts_at": kick_off.isoformat()})
    market = result_market(server, fixture["fixture_id"])
    home = (market["selections"][0]["selection_id"], "1.65")
    client, player_id = opened(server, "topped")
    status, _ = server.api("POST", f"/api/players/{player_id}/movements", {
        "kind": "CPTEALIMOPE", "licence": "PS", "amount_cents": 50, "name": "Pari offert"})
    assert status == 201
    ack_next(client, "CPTEALIMOPE")
    client.protocol.factory.auto_ack = True
    (bet,) = client.call("sports_bet_place", slip={
        "type": "S", "stake_cents": 100, "legs": [leg(home)]}, use_bonus=True)["bets"]
    assert (bet["stake_cents"], bet["bonus_cents"], bet["top_up_cents"], bet["max_return_cents"]) == (
        100, 50, 10, 181)  # 1.10 x 1.65
    # The stake ceiling counts sports stakes: a lower ceiling applies at once.
    client.call("set_limits", stake={"amount_cents": 150, "period": "S"},
                deposit={"amount_cents": 10000, "period": "S"}, payout_above_cents=150000)
    refused = client.request("sports_bet_place", slip={"type": "S", "stake_cents": 100, "legs": [leg(home)]})
    assert error(refused) == "limit_reached" and "100 used" in refused["message"], refused
    wait_until(kick_off)
    ok(server, "POST", f"/markets/{market['market_id']}/result", {"outcomes": [{"selection_id": home[0],
                                                                                 "outcome": "win"}]})
    until(lambda: client.request("sports_bets").get("data", {}).get("bets", [{}])[0].get("status") == "settled", 30,
          what="settled")
    time.sleep(1.0)
    events = {e.tag: e for e in verified_events(server, db_url, tmp_path) if e.findtext("IDJoueur") == player_id
              and e.tag in ("PASPMISE", "PASPGAIN")}
    mise = events["PASPMISE"]
    assert [mise.findtext(f) for f in ("PaSp/MiseBase", "SoldeAvantMise", "Mise", "SoldeApresMise", "MiseAbond",
                                       "BonusAvantMise", "BonusMise", "BonusApresMise", "BonusNom")] == [
        "1.10", "40.00", "0.50", "39.50", "0.10", "0.50", "0.50", "0.00", None]
    assert events["PASPGAIN"].findtext("Gain") == "1.81"
    assert balances(db_url)["operator:promotions"] == -(50 + 10)  # the bonus credited, the top-up
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0

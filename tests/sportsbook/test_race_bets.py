"""Fixed-odds race bets over real WebSockets: win and each-way singles placed (PAHIMISE before the
acceptance), refusals that change nothing, two non-runners withdrawn while bets were being struck
(Rule 4 for the bets struck before each, a refund for the bet on the non-runner), a result with a
dead heat for the last place, a lost bet, a stewards' correction resettled (PAHIGAIN for more,
CPTEAJUSTOPE for less), the vault verified and the ledger balanced. Returns are worked by hand."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from client.blocking import BlockingClient
from games.betslip import DeadHeat, Outcome, Result, settle
from server.sportsbook.for_bets import MarketResult, ResultLine, Withdrawal
from server.sportsbook.race_bets import engine_slip
from server.sportsbook.race_settlement import race_outcome, rule4
from tests.accounts import test_account_life
from tests.accounts.test_account_life import connect, form, opened, verified_events
from tests.cardroom.test_cash_game import start, until
from tests.frontal_sealing.test_server_traces import croupier
from tests.sportsbook.support import ok, soon, wait_until
from tests.sportsbook.test_bets import balances, error

T0 = datetime(2031, 10, 31, 12, 0, tzinfo=timezone.utc)
dns_server = test_account_life.dns_server  # the banned-players DNS fixture, shared (a plain import reads as unused)


# -- the pure parts -------------------------------------------------------------------------------

def test_rule_4_counts_the_withdrawals_after_the_bet_and_stops_at_90p() -> None:
    withdrawals = [Withdrawal(5, T0 + timedelta(minutes=1), 40), Withdrawal(6, T0 + timedelta(minutes=3), 10)]
    assert rule4(T0, withdrawals, 2) == Fraction(50, 100)  # struck before both: 40p + 10p
    assert rule4(T0 + timedelta(minutes=2), withdrawals, 2) == Fraction(10, 100)  # the first was priced in
    assert rule4(T0 + timedelta(minutes=3), withdrawals, 2) == 0  # struck at the very moment: not before it
    assert rule4(T0, withdrawals, 5) == Fraction(10, 100)  # a non-runner's own deduction is not its own bet's
    heavy = [Withdrawal(1, T0 + timedelta(minutes=1), 50), Withdrawal(3, T0 + timedelta(minutes=2), 45)]
    assert rule4(T0, heavy, 2) == Fraction(90, 100)  # 95p, capped: "shall not exceed 90 pence in the pound"


def _result(*lines: ResultLine) -> MarketResult:
    return MarketResult(1, 1, False, T0, T0, None, lines)


def test_outcomes_of_a_runner() -> None:
    # Three tied for first with two places paid: the win part shares 1 place of 3, the place part 2 of 3.
    tied = _result(ResultLine(7, "place", "win", (3, 2), 1), ResultLine(7, "win", "win", (3, 1), 1))
    outcome = race_outcome(tied, 7, True, Fraction(1, 4))
    assert outcome == Outcome(Result.WIN, dead_heat=DeadHeat(3, 1), place_dead_heat=DeadHeat(3, 2), rule4=Fraction(1, 4))
    # A win-only bet struck on the each-way market ignores the place leg.
    placed = _result(ResultLine(7, "place", "win", (2, 1), 3), ResultLine(7, "win", "lose", None, 3))
    assert race_outcome(placed, 7, False, Fraction(0)) == Outcome(Result.LOSE)
    assert race_outcome(placed, 7, True, Fraction(0)) == Outcome(Result.PLACE, place_dead_heat=DeadHeat(2, 1))
    gone = _result(ResultLine(7, "place", "void", None, None), ResultLine(7, "win", "void", None, None))
    assert race_outcome(gone, 7, True, Fraction(1, 2)) == Outcome(Result.VOID)
    # 5.00 each way at 6.00, third in a dead heat for the last place, Rule 4 50p:
    # 5 x (1 + 5 x 1/4 x 0.50) x 1/2 = 4.0625, paid 4.06.
    data = {"each_way": True, "place_fraction": "1/4", "stake_cents": 500,
            "legs": [{"fixture": 1, "choices": [{"selection_id": 7, "odds": "6.00", "market_id": 1}]}]}
    returned = settle(engine_slip(data), ((Outcome(Result.PLACE, place_dead_heat=DeadHeat(2, 1),
                                                   rule4=Fraction(1, 2)),),))
    assert (returned.total_stake, returned.total_return) == (Decimal("10.00"), Decimal("4.06"))


# -- over the wire ----------------------------------------------------------------------------------

def request(client: BlockingClient, kind: str, **fields: Any) -> dict[str, Any]:
    """A request, sent again while a notice is on its way to its automatic acknowledgement."""
    while True:
        reply = client.request(kind, **fields)
        if reply.get("code") != "notices_pending":
            return reply
        time.sleep(0.05)


def bet(client: BlockingClient, selection: dict[str, Any], odds: str, stake: int, each_way: bool = False,
        **more: Any) -> dict[str, Any]:
    reply = request(client, "race_bet_place", selection_id=selection["selection_id"], odds=odds, stake_cents=stake,
                    each_way=each_way, **more)
    assert reply["type"] == "result", reply
    return dict(reply["data"])


def bets(client: BlockingClient) -> dict[str, dict[str, Any]]:
    reply = request(client, "sports_bets")
    assert reply["type"] == "result", reply
    return {b["tech"]: b for b in reply["data"]["bets"]}


def test_win_and_each_way_bets_with_non_runners_a_dead_heat_and_a_correction(
        server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    server = start(server_factory, dns_server)
    anna, anna_id = opened(server, "anna")
    bruno, bruno_id = opened(server, "bruno")
    for client in (anna, bruno):
        client.protocol.factory.auto_ack = True  # every notice acknowledged as it comes: its trace recorded
    status, _ = server.api("POST", f"/api/players/{bruno_id}/movements", {
        "kind": "CPTEALIMOPE", "licence": "PH", "amount_cents": 500, "name": "Bienvenue turf"})
    assert status == 201
    paul = connect(server)  # an account for poker only
    paul.call("open_account", identity=form("paul"), password="correct horse battery", licences=["JC"])
    paul.call("accept_terms", version="2026-01")
    paul.call("set_limits", stake={"amount_cents": 20000, "period": "S"},
              deposit={"amount_cents": 10000, "period": "S"}, payout_above_cents=150000)

    off = soon(20)  # every bet and withdrawal below comes before it
    meeting = ok(server, "POST", "/meetings", {"venue": "Cagnes-sur-Mer", "day": off.date().isoformat(), "number": 1})
    runners = [{"number": n, "name": name} for n, name in
               enumerate(["Jappeloup", "Ourasi", "Général du Pommeau", "Ready Cash", "Bold Eagle", "Face Time"], 1)]
    race = ok(server, "POST", "/races", {"meeting_id": meeting["meeting_id"], "number": 3, "starts_at": off.isoformat(),
                                         "runners": runners})
    rid = race["fixture_id"]
    prices = [{"runner": n, "odds": o} for n, o in zip(range(1, 7), ["3.00", "4.00", "6.00", "11.00", "2.50", "8.00"])]
    win = ok(server, "POST", f"/races/{rid}/markets", {"kind": "win", "odds": prices})
    each_way = ok(server, "POST", f"/races/{rid}/markets", {"kind": "each_way",
                                                            "each_way": {"fraction": "1/4", "places": 3},
                                                            "odds": prices})
    w = {s["runner"]: s for s in win["selections"]}
    e = {s["runner"]: s for s in each_way["selections"]}
    before = balances(db_url)

    # Refusals change nothing.
    assert error(request(anna, "race_bet_place", selection_id=w[2]["selection_id"], odds="4.00", stake_cents=100,
                         each_way=True)) == "invalid_slip"  # a win-only market has no place terms
    moved = request(anna, "race_bet_place", selection_id=w[2]["selection_id"], odds="3.80", stake_cents=100)
    assert error(moved) == "odds_changed" and moved["data"]["odds"] == [{"selection_id": w[2]["selection_id"],
                                                                          "odds": "4.00"}]
    assert error(request(anna, "race_bet_place", selection_id=w[2]["selection_id"], odds="4.00",
                         stake_cents=5)) == "slip_refused"  # under the 0.10 minimum
    assert error(request(anna, "race_bet_place", selection_id=e[2]["selection_id"], odds="4.00", stake_cents=2001,
                         each_way=True)) == "insufficient_funds"  # 20.01 each way is 40.02
    assert error(request(anna, "race_bet_place", selection_id=999999, odds="4.00",
                         stake_cents=100)) == "unknown_selection"
    assert error(request(paul, "race_bet_place", selection_id=w[2]["selection_id"], odds="4.00",
                         stake_cents=100)) == "licence_missing"  # not open for PH
    assert balances(db_url) == before

    # Struck before any withdrawal: Rule 4 of both non-runners to come, 40p + 10p = 50p.
    a1 = bet(anna, w[2], "4.00", 1000)
    a2 = bet(anna, e[3], "6.00", 500, each_way=True)
    a4 = bet(anna, e[2], "4.00", 100, each_way=True)
    b1 = bet(bruno, w[5], "2.50", 400)  # on the runner about to be withdrawn
    b2 = bet(bruno, w[1], "3.00", 300)
    assert (a1["stake_cents"], a1["max_return_cents"]) == (1000, 4000)
    assert (a2["stake_cents"], a2["max_return_cents"]) == (1000, 4125)  # 5 x 6 + 5 x (1 + 5 x 1/4)
    assert a2["trace_tech"] == f"M{each_way['market_id']}" and a2["clair"].endswith(f"ref. {a2['tech']}")

    # Bold Eagle (5), the favourite at 6/4, is withdrawn: 40p in the pound. The book re-forms.
    first = ok(server, "POST", f"/races/{rid}/runners/5/withdraw", {"rule4_deduction": 40}, status=200)
    assert error(request(bruno, "race_bet_place", selection_id=w[5]["selection_id"], odds="2.50",
                         stake_cents=100)) == "selection_closed"
    ok(server, "POST", f"/markets/{each_way['market_id']}/odds", {"selections": [
        {"selection_id": e[4]["selection_id"], "odds": "9.00"}]}, status=200)
    assert error(request(anna, "race_bet_place", selection_id=e[4]["selection_id"], odds="11.00", stake_cents=200,
                         each_way=True)) == "odds_changed"
    a3 = bet(anna, e[4], "9.00", 200, each_way=True)  # Rule 4 of the second non-runner only: 10p

    # Face Time (6), at 7/1, is withdrawn: 10p. Bets struck now lose nothing.
    ok(server, "POST", f"/races/{rid}/runners/6/withdraw", {"rule4_deduction": 10}, status=200)
    ok(server, "POST", f"/markets/{win['market_id']}/odds", {"selections": [
        {"selection_id": w[2]["selection_id"], "odds": "3.50"}]}, status=200)
    b3 = bet(bruno, w[2], "3.50", 200, use_bonus=True)  # from the PH bonus compartment
    assert (b3["bonus_cents"], b3["stake_cents"]) == (200, 200)
    staked = {"anna": 1000 + 1000 + 200 + 400, "bruno": 400 + 300}
    assert datetime.now(timezone.utc) < off, "the set-up took longer than the margin before the off"
    wait_until(off)

    # Result: Ourasi (2) first, Jappeloup (1) second, Général du Pommeau (3) and Ready Cash (4) dead-heat
    # for third, the last of the three places.
    placings = [{"runner": 2, "position": 1}, {"runner": 1, "position": 2}, {"runner": 3, "position": 3},
                {"runner": 4, "position": 3}]
    everyone = [(anna, a1), (anna, a2), (anna, a3), (anna, a4), (bruno, b1), (bruno, b2), (bruno, b3)]
    on_win = [(anna, a1), (bruno, b1), (bruno, b2), (bruno, b3)]
    # One market at a time: two markets settling at once on PostgreSQL can deadlock on the
    # players' and the book's ledger rows (BetSettler runs them concurrently; a known defect of
    # the settler, the same for sports bets, not of race bets).
    ok(server, "POST", f"/markets/{win['market_id']}/result", {"placings": placings})
    until(lambda: all(bets(c)[b["tech"]]["status"] != "open" for c, b in on_win), 30, what="the win market settled")
    ok(server, "POST", f"/markets/{each_way['market_id']}/result", {"placings": placings})
    until(lambda: all(bets(c)[b["tech"]]["status"] != "open" for c, b in everyone), 30, what="every bet settled")
    # Worked by hand (R4 = Rule 4, from the net winnings of both parts; EW parts staked alike):
    expected = {
        a1["tech"]: 2500,  # 10.00 to win at 4.00, R4 50p: 10 x (1 + 3 x 0.50) = 25.00
        a2["tech"]: 406,  # 5.00 EW at 6.00, 3rd in a dead heat (2 for 1 place), R4 50p: win part lost,
        #                   place part 5 x (1 + 5 x 1/4 x 0.50) x 1/2 = 4.0625, down to 4.06
        a3["tech"]: 280,  # 2.00 EW at 9.00, 3rd in the dead heat, R4 10p: 2 x (1 + 8 x 1/4 x 0.90) x 1/2 = 2.80
        a4["tech"]: 387,  # 1.00 EW at 4.00, won, R4 50p: 1 x (1 + 3 x 0.50) + 1 x (1 + 3 x 1/4 x 0.50)
        #                   = 2.50 + 1.375 = 3.875, down to 3.87
        b1["tech"]: 400,  # on the non-runner: void, the stake back
        b2["tech"]: 0,  # Jappeloup to win: second, lost
        b3["tech"]: 700,  # 2.00 to win at 3.50, struck after both withdrawals: 2 x 3.50 = 7.00
    }
    for client, placed in everyone:
        assert bets(client)[placed["tech"]]["paid_cents"] == expected[placed["tech"]], placed
    assert bets(bruno)[b1["tech"]]["status"] == "void"

    # The stewards reverse the first two (interference): Jappeloup first, Ourasi second.
    reversed_placings = [{"runner": 1, "position": 1}, {"runner": 2, "position": 2}, *placings[2:]]
    ok(server, "POST", f"/markets/{win['market_id']}/result/correction", {
        "reason": "stewards' inquiry: interference", "placings": reversed_placings}, status=200)
    until(lambda: bets(bruno)[b2["tech"]]["paid_cents"] == 600, 30, what="the win market resettled")
    ok(server, "POST", f"/markets/{each_way['market_id']}/result/correction", {
        "reason": "stewards' inquiry: interference", "placings": reversed_placings}, status=200)
    corrected = {
        a1["tech"]: 0,  # Ourasi second: lost; 25.00 taken back
        a4["tech"]: 137,  # Ourasi placed second: the place part only, 1.375 down to 1.37; 2.50 taken back
        b2["tech"]: 600,  # Jappeloup won, R4 50p: 3 x (1 + 2 x 0.50) = 6.00, paid now
        b3["tech"]: 0,  # lost; 7.00 taken back
    }
    until(lambda: all(bets(c)[b["tech"]]["paid_cents"] == corrected.get(b["tech"], expected[b["tech"]])
                      for c, b in everyone), 30, what="the resettlement")
    time.sleep(1.0)  # the last acknowledgements

    books = balances(db_url)
    assert books[f"player:{anna_id}:solde:ALL"] == 4000 - staked["anna"] + 406 + 280 + 137  # 22.23
    assert books[f"player:{bruno_id}:solde:ALL"] == 4000 - staked["bruno"] + 400 + 600  # 43.00
    assert books[f"player:{bruno_id}:bonus:PH"] == 300
    assert books.get("operator:sportsbook-stakes", 0) == 0
    assert croupier("ledger", "check", "--db-url", db_url).returncode == 0

    events = verified_events(server, db_url, tmp_path)

    def of(player_id: str, tag: str) -> list[Any]:
        return [x for x in events if x.findtext("IDJoueur") == player_id and x.tag == tag]

    def ref(event: Any) -> str:
        return str(event.findtext("Clair")).rsplit("ref. ", 1)[1]

    mises = {ref(x): x for x in of(anna_id, "PAHIMISE") + of(bruno_id, "PAHIMISE")}
    assert set(mises) == {b["tech"] for _, b in everyone}
    fields = ("Tech", "Desc/Type", "Desc/Nom", "Desc/Choix", "SoldeAvantMise", "Mise", "SoldeApresMise")
    win_tech, each_way_tech = f"M{win['market_id']}", f"M{each_way['market_id']}"
    assert [mises[a1["tech"]].findtext(f) for f in fields] == [
        win_tech, "GAGNANT COTE FIXE", "R1C3", "2", "40.00", "10.00", "30.00"]
    assert [mises[a2["tech"]].findtext(f) for f in fields] == [
        each_way_tech, "EACH-WAY COTE FIXE", "R1C3", "3", "30.00", "10.00", "20.00"]  # 5.00 each way
    assert [mises[a4["tech"]].findtext(f) for f in fields] == [
        each_way_tech, "EACH-WAY COTE FIXE", "R1C3", "2", "20.00", "2.00", "18.00"]
    assert [mises[a3["tech"]].findtext(f) for f in fields] == [
        each_way_tech, "EACH-WAY COTE FIXE", "R1C3", "4", "18.00", "4.00", "14.00"]
    assert [mises[b1["tech"]].findtext(f) for f in fields] == [
        win_tech, "GAGNANT COTE FIXE", "R1C3", "5", "40.00", "4.00", "36.00"]
    assert [mises[b2["tech"]].findtext(f) for f in fields] == [
        win_tech, "GAGNANT COTE FIXE", "R1C3", "1", "36.00", "3.00", "33.00"]
    bonus_bet = mises[b3["tech"]]  # all from the bonus: no solde fields (as the annex's l. 5721)
    assert [bonus_bet.findtext(f) for f in ("SoldeAvantMise", "Mise", "BonusAvantMise", "BonusMouvement",
                                            "BonusApresMise")] == [None, None, "5.00", "2.00", "3.00"]
    assert mises[a2["tech"]].findtext("Clair") == (
        f"Each-way cote fixe 6.00 (placé 1/4, 3 places) - 3. Général du Pommeau - Cagnes-sur-Mer R1C3 "
        f"{off:%d/%m/%Y} - ref. {a2['tech']}")
    assert mises[a1["tech"]].findtext("Desc/DateHeure") == off.strftime("%y%m%d%H%M%S")

    gains = sorted((ref(x), x.findtext("Gain"), x.findtext("Tech")) for x in of(anna_id, "PAHIGAIN"))
    assert gains == sorted([(a1["tech"], "25.00", win_tech), (a2["tech"], "4.06", each_way_tech),
                            (a3["tech"], "2.80", each_way_tech), (a4["tech"], "3.87", each_way_tech)])
    for x in of(anna_id, "PAHIGAIN") + of(bruno_id, "PAHIGAIN"):
        assert Decimal(x.findtext("SoldeApresGain")) - Decimal(x.findtext("SoldeAvantGain")) == Decimal(x.findtext("Gain"))
        assert x.findtext("Clair") == mises[ref(x)].findtext("Clair")  # the bet as its PAHIMISE named it
    info = {ref(x): x.findtext("Info") for x in of(anna_id, "PAHIGAIN")}
    assert info[a2["tech"]] == ("runner 3 placed 3rd; dead heat for the place: 2 for 1 place; "
                                "Rule 4: 50p in the pound deducted from the winnings")
    assert info[a3["tech"]].endswith("Rule 4: 10p in the pound deducted from the winnings")
    bruno_gains = sorted((ref(x), x.findtext("Gain"), x.findtext("Info") or "") for x in of(bruno_id, "PAHIGAIN"))
    assert [(r, g) for r, g, _ in bruno_gains] == sorted([(b3["tech"], "7.00"), (b2["tech"], "6.00")])
    assert "after a corrected result" in next(i for r, _, i in bruno_gains if r == b2["tech"])
    (annul,) = of(bruno_id, "PAHIANNUL")
    assert (ref(annul), annul.findtext("Tech"), annul.findtext("MontantRembours")) == (b1["tech"], win_tech, "4.00")
    assert annul.findtext("DateHeure") == datetime.fromisoformat(first["withdrawn_at"]).strftime("%y%m%d%H%M")
    assert annul.findtext("Info") == "runner 5 withdrawn (non-runner): stake refunded"
    assert of(anna_id, "PAHIANNUL") == []
    takebacks = sorted((x.findtext("TypAg"), x.findtext("TypeAjust"), x.findtext("Ajustement"))
                       for x in of(anna_id, "CPTEAJUSTOPE"))
    assert takebacks == [("PH", "Gain", "-2.50"), ("PH", "Gain", "-25.00")], takebacks
    assert [(x.findtext("TypAg"), x.findtext("Ajustement")) for x in of(bruno_id, "CPTEAJUSTOPE")] == [
        ("PH", "-7.00")]
    assert not [x for x in events if x.tag.startswith("PASP")]  # race bets are not sports bets

"""The catalogue over a real server: the operator's HTTP API, a player's WebSocket, the database behind them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from frontal.builders.header import Header
from frontal.builders.pahi import RaceBet, build_pahimise
from frontal.builders.pasp import Combination, SportsBet, BalanceMove, build_paspmise
from server.sportsbook.for_bets import market_result, odds_at, selection_for_bet, suspended_at
from tests.sportsbook.support import (
    champions_league, conflict, database, iso, ok, player, refused, result_market, soon, wait_until,
)
from tests.support import ServerProcess

HEADER = Header("4512", datetime(2011, 12, 4, 10, 17, 3, tzinfo=timezone.utc), 1903810, "9G3912JF",
                "9853E488E24120BC18F9A650AED9CEE0FF72B09E", "638604", "192.0.2.42", 1)


def test_fixtures_markets_and_refusals(server: ServerProcess, db_url: str) -> None:
    starts_at = datetime(2031, 12, 6, 20, 45, tzinfo=timezone(timedelta(hours=1)))  # 19:45 UTC, as in the annex
    competition, fixture = champions_league(server, starts_at)
    assert competition["gender"] == "H"  # "Par défaut, le genre est masculin"
    assert fixture["name"] == "Chelsea - Valence CF"
    assert fixture["canonical_name"] == "UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF"
    assert fixture["starts_at"] == "2031-12-06T19:45:00+00:00"
    assert [(p["name"], p["part"]) for p in fixture["participants"]] == [("Chelsea", "CHELSEA"),
                                                                         ("Valence CF", "VALENCE CF")]
    fid = fixture["fixture_id"]
    market = result_market(server, fid)
    assert [(s["label"], s["prognostic"], s["odds"]) for s in market["selections"]] == [
        ("Chelsea", [["HGY5U", "CHELSEA"]], "1.65"), ("Nul", [["E4VGB", ""]], "3.40"),
        ("Valence CF", [["HGY5U", "VALENCE CF"]], "4.50")]
    # The annex's handicap (1.4.1.a.1, remark): HGY5U CHELSEA and 6H9OE 1 in one PronoSp.
    handicap = ok(server, "POST", f"/fixtures/{fid}/markets", {"label": "Handicap", "selections": [
        {"label": "Chelsea (-1)", "type_res": "HGY5U", "participant": 1, "with": [{"type_res": "6H9OE", "choix": "1"}],
         "odds": "2.60"}]})
    assert handicap["selections"][0]["prognostic"] == [["HGY5U", "CHELSEA"], ["6H9OE", "1"]]

    before = ok(server, "GET", f"/fixtures/{fid}", status=200)
    cid = competition["competition_id"]
    refused(server, "/competitions", {"name": "Tennis", "sport": "TEN", "event": "NT95S"}, "sport",
            "not a sport code")
    refused(server, "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "HGY5U"}, "event",
            "not a event code")
    refused(server, "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "KYYIC", "gender": "X"}, "gender")
    refused(server, "/competitions", {"name": "???", "sport": "FOO", "event": "KYYIC"}, "name", "canonical form")
    refused(server, "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "KYYIC", "category": "SIMP"},
            "category", "not a category code")
    refused(server, "/fixtures", {"competition_id": 999, "participants": ["A", "B"], "starts_at": iso(starts_at)},
            "competition_id", "no competition 999")
    refused(server, "/fixtures", {"competition_id": cid, "participants": ["Dortmund", "Marseille"],
                                  "starts_at": "2031-12-06T19:45:00"}, "starts_at", "offset")
    refused(server, "/fixtures", {"competition_id": cid, "participants": ["Dortmund"], "starts_at": iso(starts_at)},
            "participants", "two participants, or none")
    refused(server, "/fixtures", {"competition_id": cid, "participants": ["Dortmund", "Дортмунд"],
                                  "starts_at": iso(starts_at)}, "participants[1]", "canonical form")
    refused(server, "/fixtures", {"competition_id": cid, "participants": ["Lyon", "LYON"],
                                  "starts_at": iso(starts_at)}, "participants[1]", "same name")
    refused(server, "/fixtures", {"competition_id": cid, "starts_at": iso(starts_at)}, "name", "no participants")
    refused(server, "/fixtures", {"competition_id": cid, "name": "¿?", "starts_at": iso(starts_at)}, "name",
            "canonical form")
    refused(server, "/fixtures", {"competition_id": cid, "participants": ["A", "B"], "starts_at": iso(starts_at),
                                  "kick_off": "20:45"}, "kick_off", "unknown field")
    refused(server, f"/fixtures/{fid}/markets", {"label": "Score", "selections": [
        {"label": "2-1", "type_res": "EDO59", "choix": "2-1", "odds": "8.5"},
        {"label": "1-1", "type_res": "EDO59", "choix": "1-1", "odds": "1.005"}]}, "selections[1].odds",
            "two decimals")
    refused(server, f"/fixtures/{fid}/markets", {"label": "Nul", "selections": [
        {"label": "Nul", "type_res": "E4VGB", "choix": "NUL", "odds": "3.40"}]}, "selections[0].choix",
            "takes no choice")
    refused(server, f"/markets/{market['market_id']}/odds", {"selections": [
        {"selection_id": market["selections"][0]["selection_id"], "odds": "1.70"},
        {"selection_id": handicap["selections"][0]["selection_id"], "odds": "2.50"}]}, "selections[1].selection_id",
            "not a selection of this market")
    # Nothing a refusal touched changed.
    assert ok(server, "GET", f"/fixtures/{fid}", status=200) == before
    assert [f["fixture_id"] for f in ok(server, "GET", "/fixtures", status=200)["fixtures"]] == [fid]
    assert len(ok(server, "GET", "/competitions", status=200)["competitions"]) == 1

    # Auditors read, they do not write; players' tokens do not exist here.
    status, auditor = server.api("POST", "/api/tokens", {"name": "audrey", "role": "auditor"})
    assert status == 201
    assert server.api("GET", f"/api/sportsbook/fixtures/{fid}", token=auditor["token"])[0] == 200
    assert server.api("POST", f"/api/sportsbook/fixtures/{fid}/suspend", {}, token=auditor["token"])[0] == 403
    assert server.api("GET", "/api/sportsbook/fixtures/999")[0] == 404
    assert server.api("POST", "/api/sportsbook/markets/999/odds", {"selections": []})[0] == 404
    codes = ok(server, "GET", "/nomenclature", status=200)["codes"]
    assert {"kind": "result_type", "code": "E4VGB", "label": "Match nul (résultat d'un match)", "sport": "FOO",
            "no_choice": True, "origin": "nomenclature.csv line 23"} in codes

    # Everything PASPMISE needs is in the catalogue: the annex's example 1, from it.
    with database(db_url) as c:
        draw = selection_for_bet(c, market["selections"][1]["selection_id"])
        hcp = selection_for_bet(c, handicap["selections"][0]["selection_id"])
    assert draw is not None and hcp is not None
    assert (draw.renc, draw.tech, draw.sport, draw.event, draw.gender, draw.parts) == (
        "UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF", f"F{fid}", "FOO", "NT95S", "H", ("CHELSEA", "VALENCE CF"))
    assert draw.odds == Decimal("3.40") and draw.open and not draw.in_play and not draw.suspended
    bet = SportsBet("8ACEB0TV", (Combination("S", (draw.bet_line(),), mise_base=Decimal("1.50")),),
                    solde=BalanceMove(Decimal("47.33"), Decimal("1.50"), Decimal("45.83")))
    ligsp = build_paspmise(HEADER, bet).find("PaSp/LigSp")
    assert [(e.tag, e.text) for e in ligsp.iter() if e.tag != "LigSp" and e.tag != "PronoSp"] == [
        ("Renc", "UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF"), ("Tech", f"F{fid}"), ("Sport", "FOO"),
        ("Evnt", "NT95S"), ("Genre", "H"), ("Date", "3112061945"), ("Part", "CHELSEA"), ("Part", "VALENCE CF"),
        ("TypeRes", "E4VGB"), ("Choix", ""), ("Cote", "3.40")]
    handicap_line = build_paspmise(HEADER, SportsBet("T", (Combination("S", (hcp.bet_line(),)),))).find(
        "PaSp/LigSp/PronoSp")
    assert etree.tostring(handicap_line) == (b"<PronoSp><TypeRes>HGY5U</TypeRes><Choix>CHELSEA</Choix>"
                                             b"<TypeRes>6H9OE</TypeRes><Choix>1</Choix></PronoSp>")


def test_suspensions_odds_history_and_the_players_catalogue(server: ServerProcess, db_url: str) -> None:
    _, fixture = champions_league(server, datetime(2031, 12, 6, 19, 45, tzinfo=timezone.utc))
    fid = fixture["fixture_id"]
    market = result_market(server, fid)
    mid = market["market_id"]
    chelsea, draw, valence = (s["selection_id"] for s in market["selections"])
    alice = player(server, "alice")

    def offer(**filters: Any) -> list[dict[str, Any]]:
        return alice.call("sports_catalogue", **filters)["fixtures"]

    listed = offer()
    assert [(f["fixture_id"], f["name"], f["sport"], f["started"], f["suspended"]) for f in listed] == [
        (fid, "Chelsea - Valence CF", "FOO", False, False)]
    assert listed[0]["competition"]["name"] == "UEFA Champions League"
    assert [(s["label"], s["odds"], s["open"]) for s in listed[0]["markets"][0]["selections"]] == [
        ("Chelsea", "1.65", True), ("Nul", "3.40", True), ("Valence CF", "4.50", True)]
    assert offer(sport="FOO") == listed and offer(fixture_id=fid) == listed
    assert offer(fixture_id=fid + 1) == [] and offer(sport="TEN") == []
    bad = alice.request("sports_catalogue", sport="foo")
    assert (bad["type"], bad["code"]) == ("error", "invalid_value")

    # Odds move twice; each price is kept with its time.
    first = ok(server, "POST", f"/markets/{mid}/odds", {"selections": [
        {"selection_id": chelsea, "odds": "1.70"}, {"selection_id": valence, "odds": "4.20"},
        {"selection_id": draw, "odds": "3.40"}]}, status=200)
    assert [(x["selection_id"], x["before"], x["after"]) for x in first["changed"]] == [
        (chelsea, "1.65", "1.70"), (valence, "4.50", "4.20")]  # the draw did not move
    second = ok(server, "POST", f"/markets/{mid}/odds", {"selections": [{"selection_id": chelsea, "odds": 1.8}]},
                status=200)
    assert [s["odds"] for s in offer()[0]["markets"][0]["selections"]] == ["1.80", "3.40", "4.20"]
    history = ok(server, "GET", f"/fixtures/{fid}", status=200)["markets"][0]["selections"][0]["odds_history"]
    assert [h["odds"] for h in history] == ["1.65", "1.70", "1.80"]
    times = [datetime.fromisoformat(h["valid_from"]) for h in history]
    assert times == sorted(times) and times[1] == datetime.fromisoformat(first["at"])
    with database(db_url) as c:
        assert odds_at(c, chelsea, times[0] - timedelta(seconds=1)) is None
        assert odds_at(c, chelsea, times[0]) == Decimal("1.65")
        assert odds_at(c, chelsea, times[1] - timedelta(microseconds=1)) == Decimal("1.65")
        assert odds_at(c, chelsea, times[1]) == Decimal("1.70")
        assert odds_at(c, chelsea, datetime.fromisoformat(second["at"])) == Decimal("1.80")
        assert selection_for_bet(c, chelsea).odds == Decimal("1.80")  # type: ignore[union-attr]

    # A suspended market stays listed, closed; then the whole fixture.
    assert ok(server, "POST", f"/markets/{mid}/suspend", {"reason": "goal scored?"}, status=200)["changed"]
    assert not ok(server, "POST", f"/markets/{mid}/suspend", None, status=200)["changed"]
    shown = offer()[0]["markets"][0]
    assert shown["suspended"] and not shown["open"] and not any(s["open"] for s in shown["selections"])
    ok(server, "POST", f"/markets/{mid}/unsuspend", None, status=200)
    assert offer()[0]["markets"][0]["open"]
    ok(server, "POST", f"/fixtures/{fid}/suspend", {"reason": "pitch inspection"}, status=200)
    shown_fixture = offer()[0]
    assert shown_fixture["suspended"] and not shown_fixture["markets"][0]["suspended"]
    assert not shown_fixture["markets"][0]["open"]
    refused(server, f"/fixtures/{fid}/unsuspend", {"why": "x"}, "why", "unknown field")
    ok(server, "POST", f"/fixtures/{fid}/unsuspend", {}, status=200)
    assert offer()[0]["markets"][0]["open"]
    detail = ok(server, "GET", f"/fixtures/{fid}", status=200)
    assert [(s["market_id"], s["suspended"], s["reason"]) for s in detail["suspensions"]] == [
        (mid, True, "goal scored?"), (mid, False, None), (None, True, "pitch inspection"), (None, False, None)]
    with database(db_url) as c:
        at = [datetime.fromisoformat(s["at"]) for s in detail["suspensions"]]
        assert [suspended_at(c, mid, t) for t in at] == [True, False, True, False]
        assert not suspended_at(c, mid, at[0] - timedelta(microseconds=1))
    alice.close()


def test_results_corrections_and_live_markets(server: ServerProcess, db_url: str) -> None:
    kick_off = soon(5)  # the set-up below must fit before it
    _, fixture = champions_league(server, kick_off)
    fid = fixture["fixture_id"]
    pre_match = result_market(server, fid)
    live = ok(server, "POST", f"/fixtures/{fid}/markets", {"label": "Score à la mi-temps", "type_res": "KLS8Q",
                                                           "live": True, "selections": [
        {"label": "0-0", "choix": "0-0", "odds": "3.10"}, {"label": "1-0", "choix": "1-0", "odds": "4.00"},
        {"label": "0-1", "choix": "0-1", "odds": "5.50"}]})
    pid, lid = pre_match["market_id"], live["market_id"]
    chelsea, draw, valence = (s["selection_id"] for s in pre_match["selections"])
    conflict(server, f"/markets/{pid}/result", {"outcomes": [{"selection_id": chelsea, "outcome": "win"}]},
             "not_started")
    bob = player(server, "bob")
    assert len(bob.call("sports_catalogue")["fixtures"][0]["markets"]) == 2
    assert datetime.now(timezone.utc) < kick_off, "the set-up took longer than the margin before kick-off"

    wait_until(kick_off)
    # Started: the pre-match market is closed (and leaves the offer); the live one stays, in play.
    listed = bob.call("sports_catalogue")["fixtures"]
    assert listed[0]["started"] and [m["market_id"] for m in listed[0]["markets"]] == [lid]
    conflict(server, f"/fixtures/{fid}/markets", {"label": "Late", "type_res": "HGY5U", "selections": [
        {"label": "Chelsea", "participant": 1, "odds": "2"}]}, "fixture_started")
    with database(db_url) as c:
        in_play = selection_for_bet(c, live["selections"][0]["selection_id"])
        closed = selection_for_bet(c, chelsea)
    assert in_play is not None and in_play.open and in_play.in_play and in_play.bet_line().live
    assert closed is not None and closed.started and not closed.open and not closed.in_play

    won = ok(server, "POST", f"/markets/{pid}/result", {"outcomes": [{"selection_id": chelsea, "outcome": "win"}]})
    assert won["results"][0]["version"] == 1
    assert [(x["selection_id"], x["outcome"]) for x in won["results"][0]["lines"]] == [
        (chelsea, "win"), (draw, "lose"), (valence, "lose")]
    conflict(server, f"/markets/{pid}/result", {"outcomes": [{"selection_id": draw, "outcome": "win"}]},
             "already_resulted")
    conflict(server, f"/markets/{lid}/result/correction", {"reason": "x", "void": True}, "no_result")
    refused(server, f"/markets/{pid}/result/correction", {"outcomes": [{"selection_id": draw, "outcome": "win"}]},
            "reason", "required")
    conflict(server, f"/markets/{pid}/odds", {"selections": [{"selection_id": draw, "odds": "3"}]}, "market_resulted")
    conflict(server, f"/markets/{pid}/suspend", {}, "market_resulted")
    corrected = ok(server, "POST", f"/markets/{pid}/result/correction", {
        "reason": "goal disallowed after the final whistle",
        "outcomes": [{"selection_id": draw, "outcome": "win"}]}, status=200)
    versions = corrected["results"]
    assert [(v["version"], v["superseded_at"] is None, v["reason"]) for v in versions] == [
        (1, False, None), (2, True, "goal disallowed after the final whistle")]
    assert [(x["selection_id"], x["outcome"]) for x in versions[0]["lines"]] == [
        (chelsea, "win"), (draw, "lose"), (valence, "lose")]  # the first result is kept as it was
    with database(db_url) as c:
        standing = market_result(c, pid)
    assert standing is not None and standing.version == 2 and standing.reason is not None
    assert {(x.selection_id, x.outcome) for x in standing.lines} == {(chelsea, "lose"), (draw, "win"),
                                                                     (valence, "lose")}

    # Dead heat and half outcomes on the live market; then nothing of the fixture is on offer.
    _, one_zero, zero_one = (s["selection_id"] for s in live["selections"])
    result = ok(server, "POST", f"/markets/{lid}/result", {
        "result_at": iso(kick_off), "outcomes": [
            {"selection_id": one_zero, "outcome": "win", "dead_heat": {"tied": 2, "places": 1}},
            {"selection_id": zero_one, "outcome": "half_win"}]})
    assert result["results"][0]["result_at"] == iso(kick_off)
    assert [(x["outcome"], x["dead_heat"]) for x in result["results"][0]["lines"]] == [
        ("lose", None), ("win", {"tied": 2, "places": 1}), ("half_win", None)]
    assert bob.call("sports_catalogue")["fixtures"] == []
    # Voiding a cancelled fixture's market needs no start.
    _, later = champions_league(server, soon(3600))
    market = result_market(server, later["fixture_id"])
    voided = ok(server, "POST", f"/markets/{market['market_id']}/result", {"void": True, "reason": "postponed"})
    assert {x["outcome"] for x in voided["results"][0]["lines"]} == {"void"}
    bob.close()


def test_a_race_with_a_non_runner_and_rule_4(server: ServerProcess, db_url: str) -> None:
    meeting = ok(server, "POST", "/meetings", {"venue": "Cagnes-sur-Mer", "day": "2031-10-31", "number": 1})
    conflict(server, "/meetings", {"venue": "Cagnes", "day": "2031-10-31", "number": 1}, "meeting_exists")
    refused(server, "/meetings", {"venue": "Vincennes", "day": "31/10/2031", "number": 2}, "day", "YYYY-MM-DD")
    refused(server, "/races", {"meeting_id": 99, "number": 1}, "meeting_id", "no meeting 99")
    off = soon(6)  # the set-up below, up to the result, must fit before it
    runners = [{"number": n, "name": name} for n, name in
               enumerate(["Jappeloup", "Ourasi", "Général du Pommeau", "Ready Cash", "Bold Eagle", "Face Time"], 1)]
    refused(server, "/races", {"meeting_id": meeting["meeting_id"], "number": 3, "starts_at": iso(off),
                               "runners": runners + [{"number": 2, "name": "Twice"}]}, "runners[6].number",
            "already runners[1]")
    race = ok(server, "POST", "/races", {"meeting_id": meeting["meeting_id"], "number": 3, "starts_at": iso(off),
                                         "runners": runners})
    rid = race["fixture_id"]
    assert race["kind"] == "race" and race["name"] == "Cagnes-sur-Mer R1C3" and race["meeting"]["race"] == "R1C3"
    assert race["participants"][2]["canonical_name"] == "GENERAL DU POMMEAU"
    prices = [{"runner": n, "odds": odds} for n, odds in zip(range(1, 7), ["3.50", "4", "6", "8", "2.20", "15"])]
    win = ok(server, "POST", f"/races/{rid}/markets", {"kind": "win", "odds": prices})
    each_way = ok(server, "POST", f"/races/{rid}/markets", {"kind": "each_way",
                                                            "each_way": {"fraction": "1/4", "places": 2},
                                                            "odds": prices})
    assert each_way["each_way"] == {"fraction": "1/4", "places": 2}
    assert [s["label"] for s in win["selections"]][:2] == ["1. Jappeloup", "2. Ourasi"]
    conflict(server, f"/fixtures/{rid}/markets", {"label": "x", "selections": []}, "not_a_match")

    # Runner 5, the favourite, is withdrawn: Rule 4, 25p in the pound, for bets struck before now.
    withdrawn_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    refused(server, f"/races/{rid}/runners/5/withdraw", {"withdrawn_at": iso(withdrawn_at)}, "rule4_deduction",
            "required")
    refused(server, f"/races/{rid}/runners/5/withdraw", {"rule4_deduction": 25, "withdrawn_at": iso(off)},
            "withdrawn_at")
    done = ok(server, "POST", f"/races/{rid}/runners/5/withdraw", {"rule4_deduction": 25,
                                                                   "withdrawn_at": iso(withdrawn_at)}, status=200)
    assert done["withdrawn_at"] == iso(withdrawn_at) and done["rule4_deduction"] == 25
    conflict(server, f"/races/{rid}/runners/5/withdraw", {"rule4_deduction": 25}, "already_withdrawn")
    conflict(server, f"/races/{rid}/runners/9/withdraw", {"rule4_deduction": 25}, "unknown_runner", status=404)
    favourite = win["selections"][4]["selection_id"]
    refused(server, f"/markets/{win['market_id']}/odds", {"selections": [{"selection_id": favourite, "odds": "2"}]},
            "selections[0].selection_id", "non-runner")
    refused(server, f"/races/{rid}/markets", {"kind": "win", "odds": prices}, "odds[4].runner", "non-runner")
    ok(server, "POST", f"/markets/{win['market_id']}/odds", {"selections": [
        {"selection_id": win["selections"][0]["selection_id"], "odds": "2.80"}]}, status=200)

    carol = player(server, "carol")
    listed = carol.call("sports_catalogue", fixture_id=rid)["fixtures"][0]
    assert listed["kind"] == "race" and listed["meeting"]["race"] == "R1C3" and listed["sport"] is None
    assert [p["withdrawn"] for p in listed["participants"]] == [False] * 4 + [True, False]
    shown = listed["markets"][0]["selections"]
    assert (shown[0]["odds"], shown[4]["withdrawn"], shown[4]["open"], shown[3]["open"]) == ("2.80", True, False, True)
    assert listed["markets"][1]["each_way"] == {"fraction": "1/4", "places": 2}

    with database(db_url) as c:
        pick = selection_for_bet(c, each_way["selections"][0]["selection_id"])
        gone = selection_for_bet(c, favourite)
    assert pick is not None and gone is not None and gone.withdrawn and not gone.open
    assert pick.race is not None and (pick.race.race, pick.race.runner, pick.race.place_fraction,
                                      pick.race.places) == ("R1C3", 1, (1, 4), 2)
    assert [(w.runner, w.at, w.rule4_deduction) for w in pick.race.withdrawals] == [(5, withdrawn_at, 25)]
    assert pick.odds == Decimal("3.50") and pick.tech == f"M{each_way['market_id']}" and pick.open
    with pytest.raises(ValueError):
        pick.bet_line()
    pahimise = build_pahimise(HEADER, RaceBet("B1", f"{pick.market_label} {pick.fixture_name}", pick.race.bet_type,
                                              pick.race.race, pick.starts_at, (str(pick.race.runner),),
                                              Decimal("27.33"), Decimal("5"), Decimal("22.33")))
    assert [pahimise.findtext(f"Desc/{tag}") for tag in ("Type", "Nom", "Choix")] == ["EACH-WAY COTE FIXE", "R1C3",
                                                                                       "1"]

    assert datetime.now(timezone.utc) < off, "the set-up took longer than the margin before the off"
    wait_until(off)
    refused(server, f"/markets/{each_way['market_id']}/result", {"placings": [{"runner": 5, "position": 1}]},
            "placings[0].runner", "non-runner")
    result = ok(server, "POST", f"/markets/{each_way['market_id']}/result", {"placings": [
        {"runner": 2, "position": 1}, {"runner": 1, "position": 2}, {"runner": 4, "position": 2}]})
    by_runner = {}
    for line in result["results"][0]["lines"]:
        runner = next(s["runner"] for s in each_way["selections"] if s["selection_id"] == line["selection_id"])
        by_runner[runner, line["leg"]] = (line["outcome"], line["dead_heat"])
    assert by_runner[2, "win"] == ("win", None) and by_runner[2, "place"] == ("win", None)
    assert by_runner[1, "place"] == by_runner[4, "place"] == ("win", {"tied": 2, "places": 1})
    assert by_runner[1, "win"] == ("lose", None) and by_runner[3, "place"] == ("lose", None)
    assert by_runner[5, "win"] == by_runner[5, "place"] == ("void", None)
    conflict(server, f"/races/{rid}/runners/6/withdraw", {"rule4_deduction": 10}, "race_resulted")
    carol.close()


def test_an_operator_nomenclature(server_factory: Any, tmp_path: Path) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("sport;TEN;Tennis\nevent;RG;Roland-Garros;TEN\ncategory;SIMP;Simple;TEN\n"
                     "category;DBL;Double;TEN\nresult_type;WIN2;Vainqueur;TEN\n"
                     "participant;#RN;Rafael Nadal;TEN\n", encoding="utf-8")
    server = server_factory(**{"sportsbook.nomenclature_file": str(codes)})
    # The nomenclature lists categories for tennis: Cat is required (annex 1.3.4.a.1).
    refused(server, "/competitions", {"name": "Roland-Garros", "sport": "TEN", "event": "RG"}, "category",
            "required")
    competition = ok(server, "POST", "/competitions", {"name": "Roland-Garros", "sport": "TEN", "event": "RG",
                                                       "category": "SIMP"})
    refused(server, "/fixtures", {"competition_id": competition["competition_id"], "participants": ["A", "B"],
                                  "starts_at": iso(soon(60)), "category": "DBL ", "gender": "F"}, "category")
    fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                               "participants": ["Rafael Nadal", "Novak Đoković"],
                                               "starts_at": iso(soon(60)), "gender": "H"})
    # Part: the dictionary's code when it has the participant, the canonical name otherwise.
    assert [p["part"] for p in fixture["participants"]] == ["#RN", "NOVAK OKOVIC"]
    assert fixture["category"] == "SIMP"
    refused(server, f"/fixtures/{fixture['fixture_id']}/markets", {"label": "Vainqueur", "type_res": "HGY5U",
                                                                   "selections": [{"label": "Nadal", "participant": 1,
                                                                                   "odds": "1.5"}]},
            "type_res", "belongs to sport FOO, not TEN")
    market = ok(server, "POST", f"/fixtures/{fixture['fixture_id']}/markets", {
        "label": "Vainqueur", "type_res": "WIN2", "selections": [
            {"label": "Nadal", "participant": 1, "odds": "1.50"}, {"label": "Đoković", "participant": 2,
                                                                   "odds": "2.50"}]})
    assert market["selections"][0]["prognostic"] == [["WIN2", "#RN"]]

    # A bad file stops the server at start-up, naming the setting and the line.
    server.stop()
    bad = tmp_path / "bad.csv"
    bad.write_text("sport;TEN;Tennis\ncategory;SIMP;Simple;TEN;nochoice\n", encoding="utf-8")
    with pytest.raises(RuntimeError) as failed:
        server_factory(**{"sportsbook.nomenclature_file": str(bad)})
    assert "sportsbook.nomenclature_file" in str(failed.value) and "bad.csv line 2" in str(failed.value)

"""The annex's PASPMISE examples (1.4.1.a.1) placed through the server: each player starts with
the annex's 47.33, places the example's bet over a real WebSocket, and the PASPMISE read back
from the verified vault has the annex's structure, amounts and balances (PaSp, Combi, X,
LigSp with Renc, Sport, Evnt, Genre, Part, PronoSp and Cote, MiseBase, SoldeAvantMise, Mise,
SoldeApresMise). What cannot be the same is left out: the header, the coupon's and the
fixture's Tech, and the fixture's Date (the annex's matches were played in 2011)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from client.blocking import BlockingClient
from tests.accounts.test_account_life import ack_next, dns_server, opened, verified_events  # noqa: F401
from tests.cardroom.test_cash_game import SECRET, vault_settled
from tests.sportsbook.support import ok, soon
from tests.support import ServerProcess

UCL = "UEFA CHAMPIONS LEAGUE"
# The fourth leg of example 7 is basketball, whose codes the annex does not give: the
# operator's nomenclature file adds them (SPEC-NOTES 3, "Sports nomenclature").
OPERATOR_CODES = "sport;BAS;Basket-ball;;\nevent;PROAB;Pro A;BAS;\nresult_type;WINBA;Victoire;BAS;\n"


def fixture(server: ServerProcess, competition: int, home: str, away: str, odds: dict[str, str],
            type_res: str = "HGY5U") -> dict[str, int]:
    created = ok(server, "POST", "/fixtures", {"competition_id": competition, "participants": [home, away],
                                               "starts_at": soon(3600).isoformat()})
    selections = [{"label": home, "participant": 1, "odds": odds["home"]}]
    if "draw" in odds:
        selections.append({"label": "Nul", "type_res": "E4VGB", "odds": odds["draw"]})
    market = ok(server, "POST", f"/fixtures/{created['fixture_id']}/markets", {
        "label": "Résultat d'un match", "type_res": type_res, "selections": selections})
    return {name: s["selection_id"] for name, s in zip(("home", "draw"), market["selections"])}


def leg(selection: int, odds: str) -> dict[str, Any]:
    return {"choices": [{"selection_id": selection, "odds": odds}]}


def bettor(server: ServerProcess, login: str) -> tuple[BlockingClient, str]:
    """A player holding the annex's 47.33: 40.00 at opening and 7.33 more."""
    client, player_id = opened(server, login)
    client.call("deposit", amount_cents=733)
    ack_next(client, "CPTEALIM")
    return client, player_id


def shape(event: Any) -> dict[str, Any]:
    """What the annex's record and ours must share."""
    return {
        "pasp": [{"combi": p.findtext("Combi"), "x": p.findtext("X"), "mise_base": p.findtext("MiseBase"),
                  "lines": [{"renc": lig.findtext("Renc"), "sport": lig.findtext("Sport"),
                             "evnt": lig.findtext("Evnt"), "genre": lig.findtext("Genre"),
                             "part": [x.text for x in lig.findall("Part")],
                             "prono": [[(t.text, c.text or "") for t, c in zip(p_.findall("TypeRes"),
                                                                                p_.findall("Choix"))]
                                       for p_ in lig.findall("PronoSp")],
                             "cote": [c.text for c in lig.findall("Cote")],
                             "banque": lig.find("Banque") is not None} for lig in p.findall("LigSp")]}
                 for p in event.findall("PaSp")],
        "balances": [event.findtext(f) for f in ("SoldeAvantMise", "Mise", "SoldeApresMise")],
    }


def line(renc: str, parts: list[str], prono: list[list[tuple[str, str]]], cote: list[str],
         evnt: str = "NT95S", sport: str = "FOO") -> dict[str, Any]:
    return {"renc": renc, "sport": sport, "evnt": evnt, "genre": "H", "part": parts, "prono": prono, "cote": cote,
            "banque": False}


CHELSEA = line(f"{UCL} - CHELSEA - VALENCE CF", ["CHELSEA", "VALENCE CF"], [[("HGY5U", "CHELSEA")]], ["1.65"])
DORTMUND = line(f"{UCL} - DORTMUND - MARSEILLE", ["DORTMUND", "MARSEILLE"], [[("HGY5U", "DORTMUND")]], ["1.70"])
OLYMPIAKOS = line(f"{UCL} - OLYMPIAKOS - ARSENAL", ["OLYMPIAKOS", "ARSENAL"], [[("HGY5U", "OLYMPIAKOS")]],
                  ["1.95"])
DRAW = line(f"{UCL} - CHELSEA - VALENCE CF", ["CHELSEA", "VALENCE CF"], [[("E4VGB", "")]], ["3.40"])
ASVEL = line("PRO A - ASVEL - ORLEANS", ["ASVEL", "ORLEANS"], [[("WINBA", "ASVEL")]], ["1.26"], "PROAB", "BAS")


def pasp(combi: str, lines: list[dict[str, Any]], mise_base: str, x: str | None = None) -> dict[str, Any]:
    return {"combi": combi, "x": x, "mise_base": mise_base, "lines": lines}


def test_the_annex_examples_placed_through_the_server(server_factory: Any, db_url: str, dns_server: str,
                                                      tmp_path: Path) -> None:
    codes = tmp_path / "operator-codes.csv"
    codes.write_text(OPERATOR_CODES)
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": SECRET,
                               "vault.lot_max_seconds": 0.5, "sportsbook.nomenclature_file": str(codes)})
    ucl = ok(server, "POST", "/competitions", {"name": "UEFA Champions League", "sport": "FOO", "event": "NT95S"})
    pro_a = ok(server, "POST", "/competitions", {"name": "Pro A", "sport": "BAS", "event": "PROAB"})
    chelsea = fixture(server, ucl["competition_id"], "Chelsea", "Valence CF", {"home": "1.65", "draw": "3.40"})
    dortmund = fixture(server, ucl["competition_id"], "Dortmund", "Marseille", {"home": "1.70"})
    olympiakos = fixture(server, ucl["competition_id"], "Olympiakos", "Arsenal", {"home": "1.95"})
    asvel = fixture(server, pro_a["competition_id"], "ASVEL", "Orléans", {"home": "1.26"}, type_res="WINBA")
    c, n, d, o, a = (leg(chelsea["home"], "1.65"), leg(chelsea["draw"], "3.40"), leg(dortmund["home"], "1.70"),
                     leg(olympiakos["home"], "1.95"), leg(asvel["home"], "1.26"))
    three = [c, d, o]

    # example: (player, slips placed in turn, the PASPMISE records the annex shows)
    examples: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
        "1 single": ([{"type": "S", "stake_cents": 150, "legs": [n]}],
                     [{"pasp": [pasp("S", [DRAW], "1.50")], "balances": ["47.33", "1.50", "45.83"]}]),
        "2 singles": ([{"type": "S", "stake_cents": 130, "legs": [c]}, {"type": "S", "stake_cents": 140, "legs": [d]},
                       {"type": "S", "stake_cents": 150, "legs": [o]}],
                      [{"pasp": [pasp("S", [CHELSEA], "1.30")], "balances": ["47.33", "1.30", "46.03"]},
                       {"pasp": [pasp("S", [DORTMUND], "1.40")], "balances": ["46.03", "1.40", "44.63"]},
                       {"pasp": [pasp("S", [OLYMPIAKOS], "1.50")], "balances": ["44.63", "1.50", "43.13"]}]),
        "3 accumulator": ([{"type": "C", "stake_cents": 150, "legs": three}],
                          [{"pasp": [pasp("C", [CHELSEA, DORTMUND, OLYMPIAKOS], "1.50")],
                            "balances": ["47.33", "1.50", "45.83"]}]),
        "4a multiple accumulator": (
            [{"type": "C", "stake_cents": 150, "legs": [{"choices": c["choices"] + n["choices"]}, d, o]}],
            [{"pasp": [pasp("C", [{**CHELSEA, "prono": [[("HGY5U", "CHELSEA")], [("E4VGB", "")]],
                                   "cote": ["1.65", "3.40"]}, DORTMUND, OLYMPIAKOS], "1.50")],
              "balances": ["47.33", "3.00", "44.33"]}]),
        "5 two from three": ([{"type": "XY", "x": 2, "stake_cents": 150, "legs": three}],
                             [{"pasp": [pasp("XY", [CHELSEA, DORTMUND, OLYMPIAKOS], "1.50", x="2")],
                               "balances": ["47.33", "4.50", "42.83"]}]),
        "6 TRIXIE": ([{"type": "TRIXIE", "stake_cents": 150, "legs": three}],
                     [{"pasp": [pasp("TRIXIE", [CHELSEA, DORTMUND, OLYMPIAKOS], "1.50")],
                       "balances": ["47.33", "6.00", "41.33"]}]),
        "6 TRIXIE as C and XY": (
            [{"type": "CUSTOM", "stake_cents": 150, "legs": three,
              "custom": [{"combi": "C", "legs": [0, 1, 2]}, {"combi": "XY", "legs": [0, 1, 2], "x": 2}]}],
            [{"pasp": [pasp("C", [CHELSEA, DORTMUND, OLYMPIAKOS], "1.50"),
                       pasp("XY", [CHELSEA, DORTMUND, OLYMPIAKOS], "1.50", x="2")],
              "balances": ["47.33", "6.00", "41.33"]}]),
        "7 YANKEE": ([{"type": "YANKEE", "stake_cents": 150, "legs": three + [a]}],
                     [{"pasp": [pasp("YANKEE", [CHELSEA, DORTMUND, OLYMPIAKOS, ASVEL], "1.50")],
                       "balances": ["47.33", "16.50", "30.83"]}]),
    }
    players: dict[str, tuple[str, list[str]]] = {}
    for index, (name, (slips, _)) in enumerate(examples.items()):
        client, player_id = bettor(server, f"annex{index}")
        techs = []
        for slip in slips:
            reply = client.call("sports_bet_place", slip=slip)
            techs += [bet["tech"] for bet in reply["bets"]]
        if name == "7 YANKEE":  # the annex's maximum return: 60.21
            priced = client.call("sports_slip_price", slip=slips[0])
            assert priced["bets"][0]["max_return_cents"] == 6021
        players[name] = (player_id, techs)
        client.close()

    vault_settled(db_url, [])
    events = verified_events(server, db_url, tmp_path)
    for name, (_, expected) in examples.items():
        player_id, techs = players[name]
        records = {e.findtext("Tech"): e for e in events if e.tag == "PASPMISE" and e.findtext("IDJoueur") == player_id}
        assert [shape(records[tech]) for tech in techs] == expected, name

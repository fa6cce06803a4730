"""A regulated account's life over real WebSockets, the banned-players check against the
real DNS server (`croupier interdits serve`), and the vault read back with `croupier vault verify`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from lxml import etree

from client.blocking import BlockingClient
from frontal.canonical import hash_joueur
from frontal.pki import PkiPaths
from tests.frontal_sealing.test_server_traces import croupier, wait_sealed
from tests.support import REPO, ServerProcess, shared_pki_dir

SECRET = "staging-secret-for-tests"
IBAN = "FR1420041010050500013M02606"


def form(login: str, first: str = "Jean-Pierre", name: str = "Dupond", born: str = "1979-12-01",
         town: str = "Nice", department: str = "06", country: str = "France") -> dict[str, Any]:
    return {"login": login, "pseudo": login, "birth_name": name, "first_names": [first, "Marie"],
            "civility": "M", "birth_date": born, "birth_town": town, "birth_department": department,
            "birth_country": country, "address": ["12 rue de la Paix"], "postal_code": "75002",
            "town": "Paris", "country": "France", "email": f"{login}@example.org", "phone_mobile": "0612345678"}


@pytest.fixture(scope="module")
def dns_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    listing = tmp_path_factory.mktemp("interdits") / "interdits.csv"
    listing.write_text("Jean;Dupont;19700228;TROUVILLE-SUR-MER;SEINE-MARITIME;FRANCE;\n"
                       "Ana;Garcia;19800101;MADRID;ESPAGNE;\n")
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "interdits", "serve", "--list", str(listing),
                                "--secret", SECRET, "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"on (127\.0\.0\.1:\d+)", line)
    assert match, line
    yield match.group(1)
    process.terminate()
    process.wait(10)


def connect(server: ServerProcess) -> BlockingClient:
    client = BlockingClient(server.ws_url)
    client.hello()
    return client


def error_code(reply: dict[str, Any]) -> str:
    assert reply["type"] == "error", reply
    return str(reply["code"])


def ack_next(client: BlockingClient, kind: str) -> dict[str, Any]:
    notice = client.next_message()
    assert notice["type"] == "notice" and notice["kind"] == kind, notice
    client.call("ack", notice_id=notice["notice_id"])
    return notice


def test_a_whole_account_life_is_traced(server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": SECRET,
                               "vault.lot_max_events": 1})
    banned = connect(server)
    for person in (form("jdupont", "Jean", "Dupont", "1970-02-28", "Trouville-sur-Mer", "76"),
                   form("agarcia", "Ana", "Garcia", "1980-01-01", "Madrid", "99", "Espagne")):
        assert error_code(banned.request("open_account", identity=person,
                                         password="correct horse battery")) == "account_refused"
    homonym = connect(server)  # same names and birth date, born elsewhere: not the listed person
    homonym.call("open_account", identity=form("jdupont2", "Jean", "Dupont", "1970-02-28", "Lyon", "69"),
                 password="correct horse battery")
    homonym.call("logout")
    bad = form("x", born="2030-01-01")
    problems = banned.request("open_account", identity=bad, password="correct horse battery")
    assert error_code(problems) == "invalid_identity" and "login" in problems["message"]
    assert "birth_date" in problems["message"]

    client = connect(server)
    opened = client.call("open_account", identity=form("jpdupond"), password="correct horse battery")
    player_id = opened["player_id"]
    assert opened["next"] == ["accept_terms", "set_limits", "set_payment_account"]
    assert error_code(client.request("deposit", amount_cents=5000)) == "steps_missing"
    client.call("accept_terms", version="2026-01")
    limits = client.call("set_limits", stake={"amount_cents": 20000, "period": "S"},
                         deposit={"amount_cents": 10000, "period": "S"}, payout_above_cents=150000)
    assert limits["pending"] is None
    assert client.call("deposit", amount_cents=5000)["status"] == "succeeded"
    alim = ack_next(client, "CPTEALIM")
    assert alim["data"]["solde_apres"] == "50.00"
    assert error_code(client.request("deposit", amount_cents=6000)) == "limit_reached"  # 100.00 a week
    client.call("set_payment_account", iban=IBAN)
    assert error_code(client.request("withdraw", amount_cents=2000)) == "account_unconfirmed"
    status, confirmed = server.api("POST", f"/api/players/{player_id}/confirm", {})
    assert status == 201, confirmed
    ack_next(client, "OUVOKCONFIRME")
    assert client.call("withdraw", amount_cents=2000)["status"] == "succeeded"
    ack_next(client, "CPTERETRAIT")
    _, balances = server.api("GET", f"/api/players/{player_id}/balances")
    assert balances["balances"]["solde:ALL"] == 3000
    wait_sealed(db_url, 8)

    events = verified_events(server, db_url, tmp_path)
    assert events[0].tag == "OUVINFOPERSO" and events[0].findtext("IDJoueur") != player_id  # the homonym
    events = events[1:]
    assert [e.tag for e in events] == ["OUVINFOPERSO", "OKCONDGENE", "PREFCPTE", "CPTEALIM", "CPTEREF",
                                       "OUVOKCONFIRME", "CPTERETRAIT"]
    expected_hash = hash_joueur("Jean-Pierre", "Dupond", "19791201", "Nice")
    assert {e.findtext("HashJoueur") for e in events} == {expected_hash}
    assert {e.findtext("IDJoueur") for e in events} == {player_id}
    assert [e.findtext("IDEvt") for e in events] == [str(i) for i in range(1, 8)]
    opening, _, prefs, deposit, ref, _, withdrawal = events
    assert "jpdupond" in etree.tostring(opening, encoding="unicode")
    assert prefs.findtext("MiseMax/MontantMM") == "200.00" and prefs.findtext("DepotMax/PeriodeMM") == "S"
    assert (deposit.findtext("SoldeAvant"), deposit.findtext("SoldeMouvement"), deposit.findtext("SoldeApres")) == (
        "0.00", "50.00", "50.00")
    assert ref.findtext("PspIban") == IBAN and ref.findtext("PspCib") == "20041"
    assert (withdrawal.findtext("SoldeAvant"), withdrawal.findtext("SoldeMouvement"),
            withdrawal.findtext("SoldeApres")) == ("50.00", "20.00", "30.00")


def verified_events(server: ServerProcess, db_url: str, tmp_path: Path) -> list[etree._Element]:
    export_file, lot_file = tmp_path / "export.jsonl", tmp_path / "lot.xml"
    assert croupier("vault", "export", "--data-dir", str(server.data_dir), "--db-url", db_url, "--from-id", "0",
                    "--out", str(export_file)).returncode == 0
    pki = PkiPaths(shared_pki_dir())
    verified = croupier("vault", "verify", "--in", str(export_file), "--key", str(pki.key("regulator-encryption")),
                        "--passphrase-file", str(pki.regulator_passphrase), "--ca", str(pki.cert("ca")),
                        "--out", str(lot_file))
    assert verified.returncode == 0, verified.stderr
    return [etree.fromstring(line) for line in lot_file.read_text().splitlines()[1:-1]]


def opened(server: ServerProcess, login: str) -> tuple[BlockingClient, str]:
    client = connect(server)
    player_id = client.call("open_account", identity=form(login), password="correct horse battery")["player_id"]
    client.call("accept_terms", version="2026-01")
    client.call("set_limits", stake={"amount_cents": 20000, "period": "S"},
                deposit={"amount_cents": 10000, "period": "S"}, payout_above_cents=150000)
    client.call("deposit", amount_cents=4000)
    ack_next(client, "CPTEALIM")
    client.call("set_payment_account", iban=IBAN)
    return client, player_id


def test_self_exclusion_and_closure(server_factory: Any, db_url: str, dns_server: str, tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": SECRET,
                               "vault.lot_max_events": 1})
    client, player_id = opened(server, "excluded")
    assert error_code(client.request("self_exclude", exclusion="temporary", days=6)) == "invalid_value"
    excluded = client.call("self_exclude", exclusion="temporary", days=42)
    assert excluded["days"] == 43 and excluded["licences"] == ["PS", "PH", "JC"]
    assert error_code(client.request("deposit", amount_cents=100)) == "account_refused"
    client.call("logout")
    refused = client.request("login", login="excluded", password="correct horse battery")
    assert error_code(refused) == "account_refused" and "auto-interdiction" in refused["message"]

    other, other_id = opened(server, "leaving")
    closure = other.call("self_exclude", exclusion="definitive")["closure"]
    assert closure["solde_clos_cents"] == 4000 and closure["payout"]["status"] == "succeeded"
    ack_next(other, "CPTERETRAIT")
    other.call("logout")
    assert error_code(other.request("login", login="leaving", password="correct horse battery")) == "account_refused"
    _, balances = server.api("GET", f"/api/players/{other_id}/balances")
    assert balances["balances"]["solde:ALL"] == 0
    wait_sealed(db_url, 24)  # 11 events for the first player, 13 for the second

    events = verified_events(server, db_url, tmp_path)
    mine = [(e.tag, e.findtext("TypAg"), e.findtext("TypeRefus") or e.findtext("TypInterdiction"))
            for e in events if e.findtext("IDJoueur") == player_id]
    assert [m for m in mine if m[0] == "AUTOINTERDICTION"] == [
        ("AUTOINTERDICTION", lic, "Temporaire") for lic in ("PS", "PH", "JC")]
    assert [m for m in mine if m[0] == "ACCESREFUSE"] == [("ACCESREFUSE", lic, "AutoInterdit") for lic in ("PS", "PH", "JC")]
    durations = {e.findtext("Duree") for e in events if e.tag == "AUTOINTERDICTION" and e.findtext("IDJoueur") == player_id}
    assert durations == {"43"}
    theirs = [e for e in events if e.findtext("IDJoueur") == other_id]
    tags = [e.tag for e in theirs]
    assert tags[-8:] == ["AUTOINTERDICTION"] * 3 + ["CLOTUREDEM", "CPTERETRAIT"] + ["ACCESREFUSE"] * 3
    closing = theirs[-5]
    assert closing.findtext("SoldeClos") == "40.00"
    assert {e.findtext("TypeRefus") for e in theirs[-3:]} == {"Cloture"}


def test_the_monthly_recheck_blocks_newly_listed_players(server_factory: Any, tmp_path: Path) -> None:
    listing = tmp_path / "interdits.csv"
    listing.write_text("Ana;Garcia;19800101;MADRID;ESPAGNE;\n")
    dns = subprocess.Popen([sys.executable, "-m", "server.cli", "interdits", "serve", "--list", str(listing),
                            "--secret", SECRET, "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert dns.stdout is not None
        address = re.search(r"on (127\.0\.0\.1:\d+)", dns.stdout.readline()).group(1)  # type: ignore[union-attr]
        server = server_factory(**{"interdits.servers": [address], "interdits.secret": SECRET})
        client = connect(server)
        player_id = client.call("open_account", identity=form("jpd"), password="correct horse battery")["player_id"]
        status, report = server.api("POST", "/api/jobs/interdits-recheck", {})
        assert status == 200 and report == {"checked": 1, "banned": [], "unavailable": 0}
    finally:
        dns.terminate()
        dns.wait(10)
    # The file now lists the player (same port: restart the DNS server on it).
    listing.write_text("Jean-Pierre;Dupond;19791201;NICE;ALPES-MARITIMES;FRANCE;\n")
    host, port = address.split(":")
    dns = subprocess.Popen([sys.executable, "-m", "server.cli", "interdits", "serve", "--list", str(listing),
                            "--secret", SECRET, "--port", port], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert dns.stdout is not None and "serving" in dns.stdout.readline()
        status, report = server.api("POST", "/api/jobs/interdits-recheck", {})
        assert status == 200 and report["banned"] == [player_id]
        _, code, _ = client.wait_closed()
        assert code == 4003  # the live connection of a blocked account ends
        again = connect(server)
        refused = again.request("login", login="jpd", password="correct horse battery")
        assert error_code(refused) == "account_refused" and "interdits" in refused["message"]
    finally:
        dns.terminate()
        dns.wait(10)


def test_identity_changes_limits_and_automatic_payout(server_factory: Any, db_url: str, dns_server: str,
                                                      tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": SECRET,
                               "vault.lot_max_events": 1})
    client, player_id = opened(server, "marie")  # 40.00 deposited, deposit ceiling 100.00 a week
    raised = client.call("set_limits", stake={"amount_cents": 30000, "period": "S"},
                         deposit={"amount_cents": 5000, "period": "S"}, payout_above_cents=6000)
    # The deposit ceiling and the payout threshold go down at once; the stake ceiling waits.
    assert raised["in_force"]["deposit"]["amount_cents"] == 5000 and raised["in_force"]["payout_above_cents"] == 6000
    assert raised["in_force"]["stake"]["amount_cents"] == 20000 and raised["pending"]["stake"]["amount_cents"] == 30000
    assert error_code(client.request("deposit", amount_cents=2000)) == "limit_reached"  # 40 + 20 > 50
    status, _ = server.api("POST", f"/api/players/{player_id}/confirm", {})
    assert status == 201
    ack_next(client, "OUVOKCONFIRME")
    status, _ = server.api("POST", f"/api/players/{player_id}/movements",
                           {"kind": "CPTEABOND", "licence": "JC", "amount_cents": 1000, "info": "x", "type": "Offre"})
    ack_next(client, "CPTEABOND")
    deposit = client.call("deposit", amount_cents=1000)  # 40 + 10 + 10 = 60.00, at the threshold: no payout
    assert "automatic_payout" not in deposit
    ack_next(client, "CPTEALIM")
    lowered = client.call("set_limits", stake={"amount_cents": 20000, "period": "S"},
                          deposit={"amount_cents": 5000, "period": "S"}, payout_above_cents=5500)
    assert lowered["automatic_payout"]["amount_cents"] == 500  # 60.00 over a 55.00 threshold
    ack_next(client, "CPTERETRAIT")
    _, balances = server.api("GET", f"/api/players/{player_id}/balances")
    assert balances["balances"]["solde:ALL"] == 5500
    changed = form("marie", name="Durand")  # a new birth name: a new HashJoueur
    assert client.call("update_identity", identity=changed)["hash_changed"] is True
    wait_sealed(db_url, 12)
    events = verified_events(server, db_url, tmp_path)
    tags = [e.tag for e in events]
    assert tags.count("PREFCPTE") == 3 and tags[-2:] == ["CPTERETRAIT", "MODIFINFOPERSO"]
    assert events[-2].findtext("SoldeMouvement") == "5.00" and events[-2].findtext("SoldeApres") == "55.00"
    assert events[-1].findtext("HashJoueur") == hash_joueur("Jean-Pierre", "Durand", "19791201", "Nice")
    assert events[-3].findtext("HashJoueur") == hash_joueur("Jean-Pierre", "Dupond", "19791201", "Nice")


def test_one_account_per_licence_when_configured(server_factory: Any, db_url: str, dns_server: str,
                                                 tmp_path: Path) -> None:
    server = server_factory(**{"interdits.servers": [dns_server], "interdits.secret": SECRET,
                               "vault.lot_max_events": 1, "accounts.per_licence": "true"})
    client = connect(server)
    refused = client.request("open_account", identity=form("poker"), password="correct horse battery")
    assert error_code(refused) == "invalid_value" and "one account per licence" in refused["message"]
    player_id = client.call("open_account", identity=form("poker"), password="correct horse battery",
                            licences=["JC"])["player_id"]
    client.call("accept_terms", version="2026-01")
    client.call("set_limits", stake={"amount_cents": 20000, "period": "S"},
                deposit={"amount_cents": 10000, "period": "S"}, payout_above_cents=150000)
    client.call("deposit", amount_cents=2500)
    ack_next(client, "CPTEALIM")
    _, balances = server.api("GET", f"/api/players/{player_id}/balances")
    assert balances["balances"] == {"solde:JC": 2500}
    wait_sealed(db_url, 4)
    events = verified_events(server, db_url, tmp_path)
    assert [e.tag for e in events] == ["OUVINFOPERSO", "OKCONDGENE", "PREFCPTE", "CPTEALIM"]
    assert all([t.text for t in e.findall("TypAg")] == ["JC"] for e in events)


def test_an_unreachable_banned_players_resolver_fails_closed(server_factory: Any) -> None:
    server = server_factory(**{"interdits.servers": ["127.0.0.1:9"], "interdits.secret": SECRET})
    client = connect(server)
    reply = client.request("open_account", identity=form("someone"), password="correct horse battery")
    assert error_code(reply) == "check_unavailable"
    _, players = server.api("GET", "/api/players")
    assert players["players"] == []  # nothing recorded

"""End to end: a platform movement, the player's acknowledgement, the trace sealed in the
vault, extracted with ``croupier vault export`` and verified with ``croupier vault verify``."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import insert, select

from frontal.canonical import hash_joueur
from frontal.pki import PkiPaths
from frontal.vault.tables import vault_counters
from server.db.engine import make_engine
from server.db.tables import player_identities
from tests.server.test_player_protocol import logged_in
from tests.support import REPO, ServerProcess, shared_pki_dir

HASH = hash_joueur("Jean-Pierre", "Dupond", "19791201", "Nice")


def give_identity(db_url: str, player_id: str) -> None:
    # The regulated opening (issue 4) writes this row; here the test stands in for it.
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(insert(player_identities).values(
            player_id=player_id, form=json.dumps({"birth_name": "Dupond"}), hash_joueur=HASH, licences="PS,JC",
            created_at=datetime.now(timezone.utc)))
    engine.dispose()


def croupier(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=REPO, capture_output=True, text=True,
                          input=stdin, timeout=120)


def wait_sealed(db_url: str, count: int, timeout: float = 20) -> None:
    engine = make_engine(db_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                sealed = connection.execute(select(vault_counters.c.sealed_through)).scalar()
            if sealed is not None and sealed >= count:
                return
            time.sleep(0.1)
        raise AssertionError(f"fewer than {count} events sealed")
    finally:
        engine.dispose()


def movement(server: ServerProcess, player_id: str, body: dict[str, Any]) -> int:
    status, reply = server.api("POST", f"/api/players/{player_id}/movements", body)
    assert status == 201, reply
    return int(reply["notice_id"])


def test_acknowledged_notices_are_sealed_and_verifiable(server_factory: Any, db_url: str, tmp_path: Path) -> None:
    server = server_factory(**{"vault.lot_max_events": 1})
    client, player_id = logged_in(server, "jeanpierre")
    give_identity(db_url, player_id)

    notice_id = movement(server, player_id, {"kind": "CPTEABOND", "licence": "JC", "amount_cents": 1250,
                                              "info": "rakeback 10%", "type": "RakeBack"})
    assert client.next_message()["notice_id"] == notice_id
    before = datetime.now(timezone.utc).replace(microsecond=0)
    acked = client.call("ack", notice_id=notice_id)
    assert acked["notice_id"] == notice_id
    second = movement(server, player_id, {"kind": "CPTEALIMOPE", "licence": "PS", "amount_cents": 500,
                                           "name": "bienvenue"})
    client.next_message()
    client.call("ack", notice_id=second)
    wait_sealed(db_url, 2)

    export_file, lot_file = tmp_path / "export.jsonl", tmp_path / "lot.xml"
    exported = croupier("vault", "export", "--data-dir", str(server.data_dir), "--db-url", db_url,
                        "--from-id", "0", "--to-id", "1", "--out", str(export_file))
    assert exported.returncode == 0, exported.stderr
    pki = PkiPaths(shared_pki_dir())
    verified = croupier("vault", "verify", "--in", str(export_file), "--key", str(pki.key("regulator-encryption")),
                        "--passphrase-file", str(pki.regulator_passphrase), "--ca", str(pki.cert("ca")),
                        "--out", str(lot_file), "-v")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.count("time-stamped") == 2  # -v: one line per lot (N=1)
    assert "2 events verified" in verified.stdout and "from the vault's first event" in verified.stdout

    lines = lot_file.read_text().splitlines()
    assert lines[0] == "<Lot>" and lines[-1] == "</Lot>" and len(lines) == 4
    bond, bonus = (etree.fromstring(line) for line in lines[1:3])
    assert bond.tag == "CPTEABOND" and bonus.tag == "CPTEALIMOPE"
    assert bond.findtext("IDJoueur") == player_id and bond.findtext("HashJoueur") == HASH
    assert bond.findtext("IDEvt") == "0" and bonus.findtext("IDEvt") == "1"
    assert bond.findtext("MontAbond") == "12.50" and bond.findtext("SoldeApres") == "12.50"
    assert bond.findtext("IPJoueur") == "127.0.0.1" and bond.findtext("IDSession")
    date_evt = datetime.strptime(bond.findtext("DateEvt"), "%y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    assert before <= date_evt <= datetime.now(timezone.utc)  # the acknowledgement's time

    tampered = export_file.read_text().splitlines()
    lot = json.loads(tampered[1])
    lot["ciphertext"] = ("A" if lot["ciphertext"][0] != "A" else "B") + lot["ciphertext"][1:]
    tampered[1] = json.dumps(lot)
    export_file.write_text("\n".join(tampered) + "\n")
    refused = croupier("vault", "verify", "--in", str(export_file), "--key", str(pki.key("regulator-encryption")),
                       "--passphrase-stdin", "--ca", str(pki.cert("ca")), "--out", str(lot_file),
                       stdin=pki.regulator_passphrase.read_text())
    assert refused.returncode == 1 and "lot 0" in refused.stderr and "ciphertext" in refused.stderr
    assert not lot_file.with_name("lot.xml.partial").exists()


def test_a_traced_notice_needs_a_verified_identity(server: ServerProcess) -> None:
    client, player_id = logged_in(server, "nobody")
    notice_id = movement(server, player_id, {"kind": "CPTEALIMOPE", "licence": "PS", "amount_cents": 500,
                                              "name": "bienvenue"})
    client.next_message()
    refused = client.request("ack", notice_id=notice_id)
    assert refused["type"] == "error" and refused["code"] == "identity_missing"
    _, listing = server.api("GET", f"/api/players/{player_id}/notices")
    assert [n["acked_at"] for n in listing["notices"]] == [None]  # still pending, nothing recorded


def test_verify_reads_its_defaults_from_a_config_file(tmp_path: Path) -> None:
    config = tmp_path / "verify.toml"
    config.write_text('[verify]\nkey = "/nonexistent/key.pem"\nca = "/nonexistent/ca.pem"\n')
    result = croupier("vault", "verify", "--config", str(config), "--in", str(tmp_path / "x"),
                      "--out", str(tmp_path / "y"))
    assert result.returncode == 2 and "/nonexistent/key.pem" in result.stderr
    config.write_text('[verify]\nkye = "typo"\n')
    result = croupier("vault", "verify", "--config", str(config))
    assert result.returncode != 0 and "kye" in result.stderr

"""The banned-players DNSBL over real UDP on loopback: listed, homonym, absent, unreachable."""

from __future__ import annotations

import hashlib
import hmac
import socket
from pathlib import Path

import pytest
from twisted.internet import reactor

from client.blocking import in_reactor
from server.interdits.checker import BannedPlayersChecker, CheckUnavailable, Verdict, birthplace_matches
from server.interdits.serve import listen
from server.interdits.zone import BannedZone, ListError, read_banned_csv


def key(canonical: str, secret: str) -> str:
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha1).hexdigest()


def test_annex_vector_key_shape() -> None:
    assert key("JEANDUPONT19700230", "Secret!") == "56a48a5d07a0f82108f9032fc01af423d45085f8"


@pytest.fixture(scope="module")
def dns_port() -> int:
    zone = BannedZone("interdits-arjel.fr", {
        key("JEANDUPONT19700230", "Secret!"): "TROUVILLE;SEINE-MARITIME;FRANCE;",
        key("ANAGARCIA19800101", "Secret!"): "MADRID;ESPAGNE;",
    })
    udp, tcp = in_reactor(listen, zone, reactor, 0)
    yield udp.getHost().port
    in_reactor(udp.stopListening)
    in_reactor(tcp.stopListening)


def check(port: int, k: str, place: str, servers: list[tuple[str, int]] | None = None):
    checker = in_reactor(lambda: BannedPlayersChecker(servers or [("127.0.0.1", port)], timeout=(1,)))
    return in_reactor(checker.check, k, place)


def test_listed_person_with_matching_birthplace_is_banned(dns_port: int) -> None:
    result = check(dns_port, key("JEANDUPONT19700230", "Secret!"), "Trouville;Seine-Maritime;France")
    assert result.verdict is Verdict.BANNED
    assert result.listed_birthplace == "TROUVILLE;SEINE-MARITIME;FRANCE;"


def test_listed_key_other_birthplace_is_a_homonym(dns_port: int) -> None:
    result = check(dns_port, key("JEANDUPONT19700230", "Secret!"), "NICE;ALPES-MARITIMES;FRANCE;")
    assert result.verdict is Verdict.HOMONYM


def test_absent_person_is_not_listed(dns_port: int) -> None:
    result = check(dns_port, key("MARIECURIE18671107", "Secret!"), "VARSOVIE;POLOGNE;")
    assert result.verdict is Verdict.NOT_LISTED


def test_unreachable_resolver_fails_closed() -> None:
    # A bound UDP socket that never answers: the lookup must time out, not pass.
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    try:
        with pytest.raises(CheckUnavailable):
            check(0, key("JEANDUPONT19700230", "Secret!"), "X;Y;", servers=[silent.getsockname()])
    finally:
        silent.close()


def test_birthplace_comparison() -> None:
    assert birthplace_matches("POINTE-A-PITRE;GUADELOUPE;GUADELOUPE;", "Pointe-à-Pitre;Guadeloupe;Guadeloupe")
    assert not birthplace_matches("MADRID;ESPAGNE;", "MADRID;FRANCE;")


def test_csv_loading(tmp_path: Path) -> None:
    good = tmp_path / "list.csv"
    good.write_text("# prenom;nom;date;lieu\nJean;Dupont;19700230;TROUVILLE;SEINE-MARITIME;FRANCE;\n\nAna;García;19800101;MADRID;ESPAGNE;\n")
    people = read_banned_csv(good)
    assert [p.birthplace for p in people] == ["TROUVILLE;SEINE-MARITIME;FRANCE;", "MADRID;ESPAGNE;"]
    bad = tmp_path / "bad.csv"
    bad.write_text("Jean;Dupont;30/02/1970;NICE;FRANCE;\n")
    with pytest.raises(ListError, match="AAAAMMJJ"):
        read_banned_csv(bad)
    with pytest.raises(ListError, match="hex"):
        BannedZone("interdits-arjel.fr", {"NOT-A-KEY": "X;"})


def test_croupier_interdits_serve_process(tmp_path: Path) -> None:
    """The staging DNS server as a real process, queried with the production checker."""
    import subprocess
    import sys

    from frontal.canonical import banned_player_key
    from tests.support import REPO

    listing = tmp_path / "banned.csv"
    listing.write_text("Jean;Dupont;19700230;TROUVILLE;SEINE-MARITIME;FRANCE;\n")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "interdits", "serve", "--list", str(listing), "--secret", "Secret!",
         "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        assert "serving 1 banned person(s)" in process.stdout.readline()
        listed = banned_player_key("Secret!", "Jean", "Dupont", "19700230")
        assert check(port, listed, "Trouville;Seine-Maritime;France;").verdict is Verdict.BANNED
        other = banned_player_key("Secret!", "Jeanne", "Dupont", "19700230")
        assert check(port, other, "Trouville;Seine-Maritime;France;").verdict is Verdict.NOT_LISTED
    finally:
        process.terminate()
        process.wait(10)

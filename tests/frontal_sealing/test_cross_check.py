"""Independent implementations agree: xmlsec1 verifies the XAdES signature of a lot,
``openssl ts -verify`` its RFC 3161 time-stamp (both C, neither shares code with ours)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths
from frontal.vault import envelope
from frontal.vault.signature import DS, LOT_URI, XADES, signature_value_imprint
from frontal.vault.tables import vault_lots
from tests.frontal_sealing.support import journal_events, make_sealer, regulator_key


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'vault.sqlite3'}"


@pytest.fixture
def sealed_lot(engine: Engine, pki: PkiPaths, tmp_path: Path) -> tuple[Path, etree._Element]:
    journal_events(engine, ["x1", "x2", "x3"])
    make_sealer(engine, pki, max_events=3).seal_ready()
    with engine.connect() as connection:
        row = connection.execute(select(vault_lots)).one()
    plaintext = envelope.open_envelope(envelope.Envelope(row.wrapped_key, row.nonce, row.ciphertext),
                                       regulator_key(pki), envelope.associated_data(1, 0, 2))
    (tmp_path / LOT_URI).write_bytes(plaintext)
    (tmp_path / "validation.xml").write_bytes(row.validation)
    return tmp_path, etree.fromstring(row.validation)


def require(tool: str) -> None:
    """A newcomer without the Debian package skips; CI (.ci/run installs it) never does."""
    if shutil.which(tool) is None:
        if os.environ.get("CROUPIER_REQUIRE_TOOLS"):
            pytest.fail(f"{tool} is required here (CROUPIER_REQUIRE_TOOLS is set)")
        pytest.skip(f"{tool} not installed (.ci/run installs the Debian package)")


def xmlsec1(folder: Path, pki: PkiPaths) -> subprocess.CompletedProcess[str]:
    require("xmlsec1")
    return subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(pki.cert("ca")),
         "--enabled-reference-uris", "empty,same-doc,remote",
         "--id-attr:Id", f"{XADES}:SignedProperties", "--id-attr:Id", f"{DS}:KeyInfo", "validation.xml"],
        cwd=folder, capture_output=True, text=True, timeout=60)


def test_xmlsec1_verifies_the_lot_signature(sealed_lot: tuple[Path, etree._Element], pki: PkiPaths) -> None:
    folder, _ = sealed_lot
    result = xmlsec1(folder, pki)
    assert result.returncode == 0 and "OK" in result.stdout + result.stderr, result.stderr
    assert "SignedInfo References (ok/all): 4/4" in result.stdout + result.stderr


def test_xmlsec1_rejects_an_altered_lot(sealed_lot: tuple[Path, etree._Element], pki: PkiPaths) -> None:
    folder, _ = sealed_lot
    lot = folder / LOT_URI
    lot.write_bytes(lot.read_bytes().replace(b"<IDSession>x2<", b"<IDSession>x9<"))
    assert xmlsec1(folder, pki).returncode != 0


def test_xmlsec1_rejects_an_altered_record(sealed_lot: tuple[Path, etree._Element], pki: PkiPaths) -> None:
    folder, record = sealed_lot
    record.find("EmpVal").text = "1" * 64
    (folder / "validation.xml").write_bytes(etree.tostring(record, method="c14n"))
    assert xmlsec1(folder, pki).returncode != 0


def openssl_ts(folder: Path, pki: PkiPaths, digest: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["openssl", "ts", "-verify", "-digest", digest.hex(), "-in", "token.der", "-token_in",
         "-CAfile", str(pki.cert("ca")), "-untrusted", str(pki.cert("tsa"))],
        cwd=folder, capture_output=True, text=True, timeout=60)


def test_openssl_verifies_the_signature_time_stamp(sealed_lot: tuple[Path, etree._Element], pki: PkiPaths) -> None:
    require("openssl")
    folder, record = sealed_lot
    signature = record.find(f"Sig/{{{DS}}}Signature")
    token = base64.b64decode(signature.findtext(f".//{{{XADES}}}EncapsulatedTimeStamp"))
    (folder / "token.der").write_bytes(token)
    imprint = signature_value_imprint(signature)
    result = openssl_ts(folder, pki, imprint)
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stderr
    assert openssl_ts(folder, pki, bytes(32)).returncode != 0

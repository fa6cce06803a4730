"""Every tampering with an export is detected, and the verifier names the first broken lot."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths, load_certificate, load_private_key
from frontal.tsa import LocalTimeStampAuthority
from frontal.vault import envelope
from frontal.vault.sealing import unsigned_record
from frontal.vault.signature import DS, XADES, LotSigner
from frontal.vault.verify import VerificationFailed
from tests.frontal_sealing.support import (ExportFile, export_text, journal_events, make_sealer, regulator_key,
                                           verify_text)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    # Tampering is about the file, not the database: one backend is enough here.
    return f"sqlite:///{tmp_path / 'vault.sqlite3'}"


@pytest.fixture
def exported(engine: Engine, pki: PkiPaths) -> ExportFile:
    journal_events(engine, [f"t{i}" for i in range(12)])
    make_sealer(engine, pki, max_events=3).seal_ready()  # four lots: 0-2, 3-5, 6-8, 9-11
    text = export_text(engine)
    assert verify_text(text, pki).events == 12
    return ExportFile.parse(text)


def failure(export: ExportFile, pki: PkiPaths) -> VerificationFailed:
    with pytest.raises(VerificationFailed) as caught:
        verify_text(export.text(), pki)
    return caught.value


def flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]


def b64(lot: dict[str, object], field: str) -> bytes:
    return base64.b64decode(str(lot[field]))


def put(lot: dict[str, object], field: str, data: bytes) -> None:
    lot[field] = base64.b64encode(data).decode()


def test_flipped_ciphertext_byte(exported: ExportFile, pki: PkiPaths) -> None:
    put(exported.lots[1], "ciphertext", flip(b64(exported.lots[1], "ciphertext"), 10))
    error = failure(exported, pki)
    assert error.where.startswith("lot 1 ") and "ciphertext fails authentication" in error.reason


def test_flipped_wrapped_key_byte(exported: ExportFile, pki: PkiPaths) -> None:
    put(exported.lots[2], "wrapped_key", flip(b64(exported.lots[2], "wrapped_key"), 100))
    error = failure(exported, pki)
    assert error.where.startswith("lot 2 ") and "wrapped key" in error.reason


def test_flipped_bytes_anywhere_in_a_validation_record(exported: ExportFile, pki: PkiPaths) -> None:
    original = b64(exported.lots[1], "validation")
    positions = sorted(random.Random(7).sample(range(len(original)), 30))
    for position in positions:
        put(exported.lots[1], "validation", flip(original, position))
        error = failure(exported, pki)
        assert error.where.startswith("lot 1 "), (position, original[position - 20:position + 20], error)
    put(exported.lots[1], "validation", original)
    assert verify_text(exported.text(), pki).events == 12


@pytest.mark.parametrize("element, reason", [
    ("EmpVal", "EmpVal does not chain"),
    ("IDEvt", "index disagrees"),
    ("DateHorodatage", "signature"),
])
def test_altered_validation_fields(exported: ExportFile, pki: PkiPaths, element: str, reason: str) -> None:
    record = etree.fromstring(b64(exported.lots[2], "validation"))
    node = record.find(element)
    node.text = node.text[:-1] + ("1" if node.text[-1] != "1" else "2")
    put(exported.lots[2], "validation", etree.tostring(record, method="c14n"))
    error = failure(exported, pki)
    assert error.where.startswith("lot 2 ") and reason in error.reason


def test_deleted_lot(exported: ExportFile, pki: PkiPaths) -> None:
    del exported.lots[2]
    error = failure(exported, pki)
    assert error.where.startswith("lot 3 ") and "EmpVal does not chain" in error.reason


def test_deleted_last_lot(exported: ExportFile, pki: PkiPaths) -> None:
    del exported.lots[3]
    assert "announces 4 lots" in failure(exported, pki).reason


def test_duplicated_lot(exported: ExportFile, pki: PkiPaths) -> None:
    exported.lots.insert(2, dict(exported.lots[1]))
    error = failure(exported, pki)
    assert error.where.startswith("lot 1 ") and "line 4" in error.where and "EmpVal" in error.reason


def test_reordered_lots(exported: ExportFile, pki: PkiPaths) -> None:
    exported.lots[1], exported.lots[2] = exported.lots[2], exported.lots[1]
    error = failure(exported, pki)
    assert error.where.startswith("lot 2 ") and "EmpVal does not chain" in error.reason


def _token_node(record: etree._Element) -> etree._Element:
    return record.find(f".//{{{XADES}}}EncapsulatedTimeStamp")


def test_time_stamp_swapped_from_another_lot(exported: ExportFile, pki: PkiPaths) -> None:
    donor = etree.fromstring(b64(exported.lots[2], "validation"))
    record = etree.fromstring(b64(exported.lots[1], "validation"))
    _token_node(record).text = _token_node(donor).text
    put(exported.lots[1], "validation", etree.tostring(record, method="c14n"))
    error = failure(exported, pki)
    assert error.where.startswith("lot 1 ") and "time-stamp does not verify" in error.reason


def test_lot_re_signed_with_a_foreign_key(exported: ExportFile, pki: PkiPaths, foreign_pki: PkiPaths) -> None:
    lot = exported.lots[1]
    original = etree.fromstring(b64(lot, "validation"))
    plaintext = envelope.open_envelope(
        envelope.Envelope(b64(lot, "wrapped_key"), b64(lot, "nonce"), b64(lot, "ciphertext")), regulator_key(pki),
        envelope.associated_data(1, 3, 5))
    # A genuine time-stamp (anyone can get one) over a signature by a key outside the CA.
    genuine_tsa = LocalTimeStampAuthority(load_private_key(pki.key("tsa")), load_certificate(pki.cert("tsa")))
    forger = LotSigner(load_private_key(foreign_pki.key("vault-signing")),
                       [load_certificate(foreign_pki.cert("vault-signing"))], genuine_tsa)
    from datetime import datetime, timezone
    when = datetime.strptime(original.findtext("DateHorodatage"), "%y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    forged = forger.sign(unsigned_record(date_horodatage=when, first_id=3, last_id=5, id_coffre=1,
                                         emp_val=original.findtext("EmpVal")), plaintext)
    put(lot, "validation", forged.record)
    error = failure(exported, pki)
    assert error.where.startswith("lot 1 ") and "does not chain to a trusted CA" in error.reason


def test_signature_value_of_another_lot(exported: ExportFile, pki: PkiPaths) -> None:
    donor = etree.fromstring(b64(exported.lots[2], "validation"))
    record = etree.fromstring(b64(exported.lots[1], "validation"))
    record.find(f".//{{{DS}}}SignatureValue").text = donor.find(f".//{{{DS}}}SignatureValue").text
    put(exported.lots[1], "validation", etree.tostring(record, method="c14n"))
    error = failure(exported, pki)
    assert error.where.startswith("lot 1 ") and "signature" in error.reason


def test_ciphertext_moved_to_another_lot(exported: ExportFile, pki: PkiPaths) -> None:
    for field in ("wrapped_key", "nonce", "ciphertext"):
        exported.lots[1][field] = exported.lots[2][field]
    error = failure(exported, pki)
    assert error.where.startswith("lot 1 ") and "ciphertext fails authentication" in error.reason


def test_wrong_regulator_key(exported: ExportFile, pki: PkiPaths, foreign_pki: PkiPaths) -> None:
    import io

    from frontal.vault.verify import verify_export
    with pytest.raises(VerificationFailed, match="wrapped key"):
        verify_export(io.StringIO(exported.text()), regulator_key(foreign_pki), [load_certificate(pki.cert("ca"))])


def test_foreign_trust_root(exported: ExportFile, pki: PkiPaths, foreign_pki: PkiPaths) -> None:
    import io

    from frontal.vault.verify import verify_export
    with pytest.raises(VerificationFailed, match="time-stamp does not verify"):
        verify_export(io.StringIO(exported.text()), regulator_key(pki), [load_certificate(foreign_pki.cert("ca"))])

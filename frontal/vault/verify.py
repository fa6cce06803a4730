"""The regulator's verifier (annex 3.1.3.a): trust nothing but the regulator's key and the CA.

For every lot of an export file, in order: the Validation record's form and XSD, the
EmpVal chain, ID continuity, decryption (key unwrap, AES-GCM authentication, bounded
decompression), the lot's layout, the XAdES-T signature (time-stamp imprint and chain,
signer chain at genTime, core signature over the record and the lot), DateHorodatage
against the time-stamp and the events, and every event's XSD. The first failure stops
the run and names the lot and the reason.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from frontal.translation import TagTable, TranslationTableError
from frontal.vault import envelope
from frontal.vault.export import FORMAT, VERSION
from frontal.vault.sealing import date_evt
from frontal.vault.signature import SignatureInvalid, verify_validation_record
from frontal.vault.tables import ZERO_HASH
from frontal.xsd import TraceInvalid, validate_event

TIMESTAMP_DELAY = dt.timedelta(minutes=10)  # DateHorodatage (signing) to the TSA's genTime


class VerificationFailed(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass
class Report:
    lots: int = 0
    events: int = 0
    first_id: int | None = None
    last_id: int | None = None
    chain_anchored: bool = False  # True when the first lot starts the vault (EmpVal = zeros)
    requested: list[str] = field(default_factory=list)  # the requested events, when not emitted
    requested_count: int = 0


def _lines(source: IO[str]) -> Iterator[tuple[int, dict[str, object]]]:
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise VerificationFailed(f"line {number}", f"not JSON: {exc.msg}") from exc
        if not isinstance(value, dict):
            raise VerificationFailed(f"line {number}", "not a JSON object")
        yield number, value


def _b64(value: object, what: str, where: str) -> bytes:
    if not isinstance(value, str):
        raise VerificationFailed(where, f"{what} missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationFailed(where, f"{what} is not base64") from exc


def _int(record: etree._Element, name: str) -> int | None:
    text = record.findtext(name)
    return int(text) if text is not None else None


def _in_range(requested: dict[str, object], id_evt: int, when: dt.datetime) -> bool:
    if requested.get("from_id") is not None or requested.get("to_id") is not None:
        low = requested.get("from_id")
        high = requested.get("to_id")
        return (low is None or id_evt >= int(low)) and (high is None or id_evt <= int(high))  # type: ignore[arg-type]
    low_date = requested.get("from_date")
    high_date = requested.get("to_date")
    return ((low_date is None or when >= dt.datetime.fromisoformat(str(low_date)).replace(microsecond=0))
            and (high_date is None or when <= dt.datetime.fromisoformat(str(high_date))))


def verify_export(source: IO[str], private_key: rsa.RSAPrivateKey, roots: list[x509.Certificate],
                  progress: Callable[[str], None] | None = None,
                  emit: Callable[[str], None] | None = None) -> Report:
    """Verify every lot in order; requested events go to ``emit`` (else ``Report.requested``)."""
    lines = _lines(source)
    try:
        _, header = next(lines)
    except StopIteration:
        raise VerificationFailed("file", "empty") from None
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise VerificationFailed("file", f"not a {FORMAT} version {VERSION} file")
    id_coffre = header.get("id_coffre")
    requested = header.get("requested")
    if not isinstance(id_coffre, int) or not isinstance(requested, dict):
        raise VerificationFailed("file", "header lacks id_coffre or requested range")
    tables: dict[str, TagTable] = {}
    for sha, content in dict(header.get("translations") or {}).items():  # type: ignore[call-overload]
        try:
            table = TagTable.parse(str(content))
        except TranslationTableError as exc:
            raise VerificationFailed("file", f"translation table {sha[:12]}: {exc}") from exc
        if table.sha256 != sha:
            raise VerificationFailed("file", f"translation table {sha[:12]} does not match its hash")
        tables[sha] = table

    report = Report()
    previous_hash: str | None = None
    previous_last: int | None = None
    for number, lot in lines:
        where = f"lot {lot.get('lot_no', '?')} (line {number})"
        stored = _b64(lot.get("validation"), "validation", where)
        try:
            record = etree.fromstring(stored)
            validate_event(record)
        except (etree.XMLSyntaxError, TraceInvalid) as exc:
            raise VerificationFailed(where, f"Validation record invalid: {exc}") from exc
        last_id = int(record.findtext("IDEvt") or -1)
        first_id = _int(record, "IDEvtDebut")
        first_id = last_id if first_id is None else first_id
        where = f"lot {lot.get('lot_no', '?')} (IDEvt {first_id}-{last_id}, line {number})"
        if _int(record, "IDCoffre") not in (None, id_coffre):
            raise VerificationFailed(where, "IDCoffre differs from the exported vault's")
        if (lot.get("first_id_evt"), lot.get("last_id_evt")) != (first_id, last_id):
            raise VerificationFailed(where, "the file's index disagrees with the Validation record")
        emp_val = record.findtext("EmpVal")
        if previous_hash is not None and emp_val != previous_hash:
            raise VerificationFailed(where, "EmpVal does not chain to the previous lot's Validation record "
                                            "(a lot deleted, duplicated, reordered or altered)")
        if previous_last is not None and first_id != previous_last + 1:
            raise VerificationFailed(where, f"IDEvt not contiguous: expected {previous_last + 1}, lot starts at "
                                            f"{first_id} (a lot deleted, duplicated or reordered)")
        if previous_hash is None:
            if first_id == 0 and emp_val != ZERO_HASH:
                raise VerificationFailed(where, "the vault's first lot must have EmpVal of 64 zeros")
            report.chain_anchored = first_id == 0
        sealed = envelope.Envelope(_b64(lot.get("wrapped_key"), "wrapped_key", where),
                                   _b64(lot.get("nonce"), "nonce", where),
                                   _b64(lot.get("ciphertext"), "ciphertext", where))
        try:
            plaintext = envelope.open_envelope(sealed, private_key,
                                               envelope.associated_data(id_coffre, first_id, last_id))
        except envelope.EnvelopeError as exc:
            raise VerificationFailed(where, str(exc)) from exc
        try:
            verified = verify_validation_record(stored, plaintext, roots)
        except (SignatureInvalid, etree.LxmlError) as exc:
            raise VerificationFailed(where, f"signature: {exc}") from exc
        horodatage = dt.datetime.strptime(record.findtext("DateHorodatage") or "", "%y%m%d%H%M%S").replace(
            tzinfo=dt.timezone.utc)
        if not horodatage <= verified.gen_time <= horodatage + TIMESTAMP_DELAY:
            raise VerificationFailed(where, f"DateHorodatage {horodatage:%Y-%m-%d %H:%M:%S} does not match the "
                                            f"time-stamp's genTime {verified.gen_time:%Y-%m-%d %H:%M:%S}")
        table = None
        if lot.get("translation_sha256"):
            table = tables.get(str(lot["translation_sha256"]))
            if table is None:
                raise VerificationFailed(where, "the lot's translation table is not in the file")
        event_lines = _event_lines(plaintext, where)
        if len(event_lines) != last_id - first_id + 1:
            raise VerificationFailed(where, f"the lot holds {len(event_lines)} events, its record says "
                                            f"{last_id - first_id + 1}")
        for offset, line in enumerate(event_lines):
            expected_id = first_id + offset
            try:
                event = etree.fromstring(line)
                if table is not None:
                    event = table.decode(event)
                validate_event(event)
            except (etree.XMLSyntaxError, TraceInvalid) as exc:
                raise VerificationFailed(where, f"event {expected_id}: {exc}") from exc
            if event.findtext("IDEvt") != str(expected_id):
                raise VerificationFailed(where, f"event at position {offset} has IDEvt {event.findtext('IDEvt')}, "
                                                f"expected {expected_id}")
            if event.findtext("IDCoffre") not in (None, str(id_coffre)):
                raise VerificationFailed(where, f"event {expected_id} names another vault")
            canonical = etree.tostring(event, method="c14n").decode("utf-8")
            when = date_evt(canonical)
            if when > horodatage:
                raise VerificationFailed(where, f"event {expected_id} is dated after the lot's DateHorodatage")
            if _in_range(requested, expected_id, when):
                report.requested_count += 1
                (emit or report.requested.append)(canonical)
            report.events += 1
        previous_hash = hashlib.sha256(stored).hexdigest()
        previous_last = last_id
        if progress is not None:
            progress(f"{where}: OK, {len(event_lines)} events, signed by {verified.signer.subject.rfc4514_string()}, "
                     f"time-stamped {verified.gen_time:%Y-%m-%d %H:%M:%S} UTC")
        report.lots += 1
        report.first_id = first_id if report.first_id is None else report.first_id
        report.last_id = last_id
    if report.lots != header.get("lots"):
        raise VerificationFailed("file", f"the header announces {header.get('lots')} lots, the file holds "
                                         f"{report.lots} (lots deleted or added at the end)")
    return report


def _event_lines(plaintext: bytes, where: str) -> list[bytes]:
    if not (plaintext.startswith(b"<Lot>\n") and plaintext.endswith(b"\n</Lot>")):
        raise VerificationFailed(where, "the plaintext is not <Lot>, events one per line, </Lot>")
    lines = plaintext[6:-7].split(b"\n")
    if not lines or any(not line for line in lines):
        raise VerificationFailed(where, "an empty line in the lot")
    return lines


class LotWriter:
    """Writes ``<Lot>``, one event per line, ``</Lot>`` to a temporary file that becomes
    ``path`` only when verification succeeded: a failed run leaves no partial output."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._temporary = f"{path}.partial"
        self._out: IO[bytes] = open(self._temporary, "wb")
        self._out.write(b"<Lot>\n")

    def __call__(self, line: str) -> None:
        self._out.write(line.encode("utf-8") + b"\n")

    def commit(self) -> None:
        self._out.write(b"</Lot>\n")
        self._out.close()
        os.replace(self._temporary, self._path)

    def discard(self) -> None:
        self._out.close()
        os.unlink(self._temporary)

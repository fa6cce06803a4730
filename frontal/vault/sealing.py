"""Closing lots: N events or T seconds, then sign, time-stamp, chain, compress, encrypt.

Each pass reads the next unsealed events, does the slow work (XAdES-T signature, RFC 3161
time-stamp, encryption) outside any transaction, then stores the lot in one transaction
that re-checks the sealing cursor, advances it and empties the sealed events' clear text.
A crash anywhere leaves either the whole lot or nothing, and the next pass (on restart)
seals again from the cursor: no event is sealed twice or skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass
from typing import Callable, NamedTuple

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from frontal.canonical import date_aammjjhhmmss
from frontal.translation import TagTable
from frontal.vault import driver, envelope
from frontal.vault.signature import LotSigner
from frontal.vault.tables import vault_counters, vault_events, vault_lots, vault_translations
from frontal.xsd import validate_event

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
DATE_EVT = re.compile(r"<DateEvt>(\d{12})</DateEvt>")


class SealingError(RuntimeError):
    pass


@dataclass(frozen=True)
class LotPolicy:
    max_events: int = 100  # annex 1.1: at most 100 events a lot
    max_seconds: float = 300.0  # and a lot at least every 300 s when events wait

    def __post_init__(self) -> None:
        if not 1 <= self.max_events <= 100_000 or self.max_seconds <= 0:
            raise ValueError("a lot holds 1 to 100000 events and closes after a positive time")


def date_evt(line: str) -> dt.datetime:
    match = DATE_EVT.search(line)
    if match is None:
        raise SealingError("a journaled event has no DateEvt")
    d = match.group(1)  # aammjjhhmmss; slicing, not strptime: this runs for every event sealed
    return dt.datetime(2000 + int(d[0:2]), int(d[2:4]), int(d[4:6]), int(d[6:8]), int(d[8:10]), int(d[10:12]),
                       tzinfo=dt.timezone.utc)


def epoch_us(at: dt.datetime) -> int:
    return (at - EPOCH) // dt.timedelta(microseconds=1)


def lot_plaintext(lines: list[str]) -> bytes:
    """``<Lot>``, one event per line, ``</Lot>``, LF-separated (SPEC-NOTES 3)."""
    return ("<Lot>\n" + "\n".join(lines) + "\n</Lot>").encode("utf-8")


def unsigned_record(*, date_horodatage: dt.datetime, first_id: int, last_id: int, id_coffre: int,
                    emp_val: str) -> etree._Element:
    """The Validation record (annex 1.2) with an empty ``Sig`` for the signer to fill."""
    root = etree.Element("Validation")
    etree.SubElement(root, "DateHorodatage").text = date_aammjjhhmmss(date_horodatage)
    if last_id > first_id:  # annex 1.2: IDEvtDebut only for lots of more than one event
        etree.SubElement(root, "IDEvtDebut").text = str(first_id)
    etree.SubElement(root, "IDEvt").text = str(last_id)
    etree.SubElement(root, "IDCoffre").text = str(id_coffre)
    etree.SubElement(root, "EmpVal").text = emp_val
    etree.SubElement(root, "Sig")
    return root


class LotSealer:
    def __init__(self, engine: Engine, *, signer: LotSigner, recipient: rsa.RSAPublicKey, id_coffre: int = 1,
                 policy: LotPolicy = LotPolicy(), translation: TagTable | None = None,
                 clock_us: Callable[[], int] = lambda: time.time_ns() // 1000) -> None:
        self._engine = engine
        self._signer = signer
        self._recipient = recipient
        self.id_coffre = id_coffre
        self.policy = policy
        self._translation = translation
        self._clock_us = clock_us
        if translation is not None:
            with engine.begin() as connection:
                known = connection.execute(select(vault_translations.c.sha256).where(
                    vault_translations.c.sha256 == translation.sha256)).first()
                if known is None:
                    connection.execute(insert(vault_translations).values(
                        sha256=translation.sha256, content=translation.content))

    def seal_ready(self, force: bool = False) -> int:
        """Seal every lot that is due (all pending events if ``force``); return how many."""
        sealed = 0
        while self._seal_one(force):
            sealed += 1
        return sealed

    def _seal_one(self, force: bool) -> bool:
        with self._engine.connect().execution_options(read_only=True) as connection, connection.begin():
            rows = _COUNTERS.execute(connection, self.id_coffre)
            if not rows:
                raise SealingError(f"vault {self.id_coffre} has no counter row")
            counters = _Counters(*rows[0])
            waiting = counters.next_id_evt - counters.sealed_through
            if waiting <= 0:
                return False
            if waiting < self.policy.max_events and not force:
                # Not full: due only if its oldest event has waited T. One row, no payloads.
                oldest = _JOURNALED_AT.execute(connection, self.id_coffre, counters.sealed_through)
                if oldest and self._clock_us() - oldest[0][0] < self.policy.max_seconds * 1_000_000:
                    return False
            rows = _EVENTS.execute(connection, self.id_coffre, counters.sealed_through, self.policy.max_events)
        if not rows:
            return False
        full = len(rows) >= self.policy.max_events
        overdue = self._clock_us() - rows[0][2] >= self.policy.max_seconds * 1_000_000
        if not (full or overdue or force):
            return False
        first_id, last_id = rows[0][0], rows[-1][0]
        if first_id != counters.sealed_through or last_id - first_id + 1 != len(rows):
            raise SealingError(f"vault {self.id_coffre}: journal not contiguous from {counters.sealed_through}")
        lines = [row[1] for row in rows]
        if any(line is None for line in lines):
            raise SealingError(f"vault {self.id_coffre}: unsealed event without its clear text")
        dates = [date_evt(line) for line in lines]
        date_horodatage = dt.datetime.fromtimestamp(self._clock_us() // 1_000_000, dt.timezone.utc)
        if max(dates) > date_horodatage:
            # DateHorodatage (the signing date) may not precede an event (annex 1.1.4): an
            # event dated ahead of this clock waits until the clock has caught up.
            return False
        if self._translation is not None:
            lines = [etree.tostring(self._translation.encode(etree.fromstring(line)), method="c14n").decode()
                     for line in lines]
        plaintext = lot_plaintext(lines)
        record = unsigned_record(date_horodatage=date_horodatage, first_id=first_id, last_id=last_id,
                                 id_coffre=self.id_coffre, emp_val=counters.last_validation_sha256)
        signed = self._signer.sign(record, plaintext)
        stored = signed.record
        validate_event(etree.fromstring(stored))
        sealed = envelope.seal(plaintext, self._recipient,
                               envelope.associated_data(self.id_coffre, first_id, last_id))
        self._store(counters, first_id, last_id, min(dates), date_horodatage, stored, sealed)
        return True

    def _store(self, counters: _Counters, first_id: int, last_id: int, first_date: dt.datetime,
               date_horodatage: dt.datetime, stored: bytes, sealed: envelope.Envelope) -> None:
        with driver.write_lock(self._engine), self._engine.begin() as connection:
            locked = _COUNTERS_LOCKED if connection.dialect.name != "sqlite" else _COUNTERS
            now = _Counters(*locked.execute(connection, self.id_coffre)[0])
            if (now.sealed_through, now.last_validation_sha256) != (counters.sealed_through,
                                                                     counters.last_validation_sha256):
                raise SealingError(f"vault {self.id_coffre}: another sealer moved the cursor; lot dropped")
            _INSERT_LOT.execute(
                connection, self.id_coffre, now.next_lot, first_id, last_id, epoch_us(first_date),
                epoch_us(date_horodatage), stored, sealed.wrapped_key, sealed.nonce, sealed.ciphertext,
                self._translation.sha256 if self._translation else None)
            _ADVANCE.execute(connection, last_id + 1, now.next_lot + 1, hashlib.sha256(stored).hexdigest(),
                             self.id_coffre)
            _CLEAR.execute(connection, self.id_coffre, first_id, last_id)


class _Counters(NamedTuple):
    next_id_evt: int
    sealed_through: int
    next_lot: int
    last_validation_sha256: str


_COUNTERS_SQL = (f"SELECT next_id_evt, sealed_through, next_lot, last_validation_sha256 FROM {vault_counters.name} "
                 "WHERE id_coffre = ?")
_COUNTERS = driver.Statement(_COUNTERS_SQL)
_COUNTERS_LOCKED = driver.Statement(_COUNTERS_SQL + " FOR UPDATE")
_JOURNALED_AT = driver.Statement(f"SELECT journaled_us FROM {vault_events.name} WHERE id_coffre = ? AND id_evt = ?")
_EVENTS = driver.Statement(f"SELECT id_evt, payload, journaled_us FROM {vault_events.name} "
                           "WHERE id_coffre = ? AND id_evt >= ? ORDER BY id_evt LIMIT ?")
_INSERT_LOT = driver.Statement(
    f"INSERT INTO {vault_lots.name} (id_coffre, lot_no, first_id_evt, last_id_evt, first_date_evt_us, "
    "date_horodatage_us, validation, wrapped_key, nonce, ciphertext, translation_sha256) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_ADVANCE = driver.Statement(f"UPDATE {vault_counters.name} SET sealed_through = ?, next_lot = ?, "
                            "last_validation_sha256 = ? WHERE id_coffre = ?")
# Sealed: the clear text goes, in the lot's transaction; the row stays for its idempotency key.
_CLEAR = driver.Statement(f"UPDATE {vault_events.name} SET payload = NULL "
                          "WHERE id_coffre = ? AND id_evt >= ? AND id_evt <= ?")

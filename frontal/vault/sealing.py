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
from typing import Any, Callable

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from frontal.canonical import date_aammjjhhmmss
from frontal.translation import TagTable
from frontal.vault import envelope
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
        with self._engine.connect().execution_options(read_only=True) as connection:
            counters = connection.execute(select(vault_counters).where(
                vault_counters.c.id_coffre == self.id_coffre)).one()
            rows = connection.execute(
                select(vault_events.c.id_evt, vault_events.c.payload, vault_events.c.journaled_us)
                .where((vault_events.c.id_coffre == self.id_coffre)
                       & (vault_events.c.id_evt >= counters.sealed_through))
                .order_by(vault_events.c.id_evt).limit(self.policy.max_events)).all()
        if not rows:
            return False
        full = len(rows) >= self.policy.max_events
        overdue = self._clock_us() - rows[0].journaled_us >= self.policy.max_seconds * 1_000_000
        if not (full or overdue or force):
            return False
        first_id, last_id = rows[0].id_evt, rows[-1].id_evt
        if first_id != counters.sealed_through or last_id - first_id + 1 != len(rows):
            raise SealingError(f"vault {self.id_coffre}: journal not contiguous from {counters.sealed_through}")
        lines = [row.payload for row in rows]
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

    def _store(self, counters: Any, first_id: int, last_id: int, first_date: dt.datetime, date_horodatage: dt.datetime,
               stored: bytes, sealed: envelope.Envelope) -> None:
        with self._engine.begin() as connection:
            query = select(vault_counters).where(vault_counters.c.id_coffre == self.id_coffre)
            if connection.dialect.name != "sqlite":
                query = query.with_for_update()
            now = connection.execute(query).one()
            if (now.sealed_through, now.last_validation_sha256) != (counters.sealed_through,
                                                                     counters.last_validation_sha256):
                raise SealingError(f"vault {self.id_coffre}: another sealer moved the cursor; lot dropped")
            connection.execute(insert(vault_lots).values(
                id_coffre=self.id_coffre, lot_no=now.next_lot, first_id_evt=first_id, last_id_evt=last_id,
                first_date_evt_us=epoch_us(first_date),
                date_horodatage_us=epoch_us(date_horodatage),
                validation=stored, wrapped_key=sealed.wrapped_key, nonce=sealed.nonce, ciphertext=sealed.ciphertext,
                translation_sha256=self._translation.sha256 if self._translation else None))
            connection.execute(update(vault_counters).where(vault_counters.c.id_coffre == self.id_coffre).values(
                sealed_through=last_id + 1, next_lot=now.next_lot + 1,
                last_validation_sha256=hashlib.sha256(stored).hexdigest()))
            connection.execute(update(vault_events).where(
                (vault_events.c.id_coffre == self.id_coffre) & (vault_events.c.id_evt >= first_id)
                & (vault_events.c.id_evt <= last_id)).values(payload=None))

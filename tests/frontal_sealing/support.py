"""Helpers for sealing tests: journal events, seal, export, verify."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths, load_certificate, load_private_key
from frontal.translation import TagTable
from frontal.vault import journal
from frontal.vault.export import ExportRange, export
from frontal.vault.journal import Deposit
from frontal.vault.keys import load_vault_keys
from frontal.vault.sealing import LotPolicy, LotSealer
from frontal.vault.verify import Report, verify_export
from tests.frontal_vault.events import okcondgene


def journal_events(engine: Engine, refs: list[str], at: datetime | None = None) -> list[int]:
    with engine.begin() as connection:
        return journal.append(connection, 1, [Deposit(okcondgene(ref, at)) for ref in refs])


def make_sealer(engine: Engine, pki: PkiPaths, max_events: int, max_seconds: float = 300.0,
                translation: TagTable | None = None, clock_us: object = None) -> LotSealer:
    keys = load_vault_keys(pki.directory)
    extra = {"clock_us": clock_us} if clock_us is not None else {}
    return LotSealer(engine, signer=keys.signer, recipient=keys.recipient,
                     policy=LotPolicy(max_events, max_seconds), translation=translation, **extra)  # type: ignore[arg-type]


def regulator_key(pki: PkiPaths) -> rsa.RSAPrivateKey:
    passphrase = pki.regulator_passphrase.read_bytes().strip()
    key = load_private_key(pki.key("regulator-encryption"), passphrase)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def export_text(engine: Engine, wanted: ExportRange = ExportRange(from_id=0)) -> str:
    out = io.StringIO()
    export(engine, 1, wanted, out)
    return out.getvalue()


def verify_text(text: str, pki: PkiPaths) -> Report:
    return verify_export(io.StringIO(text), regulator_key(pki), [load_certificate(pki.cert("ca"))])


@dataclass
class ExportFile:
    header: dict[str, object]
    lots: list[dict[str, object]]

    @classmethod
    def parse(cls, text: str) -> "ExportFile":
        lines = [json.loads(line) for line in text.splitlines() if line]
        return cls(lines[0], lines[1:])

    def text(self) -> str:
        return "".join(json.dumps(x) + "\n" for x in [self.header, *self.lots])


def now() -> datetime:
    return datetime.now(timezone.utc)

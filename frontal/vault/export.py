"""Extraction (annex 3.1.3.a): the sealed lots covering a range, as a report file.

The file is JSON lines, UTF-8, described in docs/frontal.md: a header object, then one
object per lot in vault order, binary fields in base64. The lots adjacent to the range
are included (annex 1.1.5): the one before anchors the EmpVal chain, the one after shows
the range was not cut short.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine

from frontal.vault.sealing import epoch_us
from frontal.vault.tables import vault_lots, vault_translations

FORMAT = "croupier-vault-export"
VERSION = 1


class ExportError(ValueError):
    pass


@dataclass(frozen=True)
class ExportRange:
    from_id: int | None = None
    to_id: int | None = None
    from_date: dt.datetime | None = None
    to_date: dt.datetime | None = None

    def __post_init__(self) -> None:
        by_id = self.from_id is not None or self.to_id is not None
        by_date = self.from_date is not None or self.to_date is not None
        if by_id == by_date:
            raise ExportError("give a range of IDs (--from-id/--to-id) or of dates (--from-date/--to-date), not both")
        if by_id and (self.from_id or 0) > (self.to_id if self.to_id is not None else 1 << 62):
            raise ExportError("--from-id is after --to-id")
        if self.from_date and self.to_date and self.from_date > self.to_date:
            raise ExportError("--from-date is after --to-date")

    def as_json(self) -> dict[str, Any]:
        return {
            "from_id": self.from_id, "to_id": self.to_id,
            "from_date": self.from_date.isoformat() if self.from_date else None,
            "to_date": self.to_date.isoformat() if self.to_date else None,
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def export(engine: Engine, id_coffre: int, wanted: ExportRange, out: IO[str]) -> int:
    """Write the report; return the number of lots written."""
    lots = vault_lots.c
    if wanted.from_id is not None or wanted.to_id is not None:
        condition = and_(lots.last_id_evt >= (wanted.from_id or 0),
                         lots.first_id_evt <= (wanted.to_id if wanted.to_id is not None else 1 << 62))
    else:
        # A lot holds events dated from first_date_evt to its DateHorodatage at most.
        condition = and_(
            lots.date_horodatage_us >= epoch_us(wanted.from_date) if wanted.from_date else True,
            lots.first_date_evt_us <= epoch_us(wanted.to_date) if wanted.to_date else True)
    with engine.connect().execution_options(read_only=True) as connection:
        bounds = connection.execute(select(func.min(lots.lot_no), func.max(lots.lot_no)).where(
            (lots.id_coffre == id_coffre) & condition)).one()
        if bounds[0] is None:
            raise ExportError("no sealed lot covers that range")
        rows = connection.execute(select(vault_lots).where(
            (lots.id_coffre == id_coffre) & (lots.lot_no >= bounds[0] - 1) & (lots.lot_no <= bounds[1] + 1))
            .order_by(lots.lot_no)).all()
        tables = {r.translation_sha256 for r in rows if r.translation_sha256}
        translations = {t.sha256: t.content for t in connection.execute(
            select(vault_translations).where(vault_translations.c.sha256.in_(tables)))} if tables else {}
    header = {"format": FORMAT, "version": VERSION, "id_coffre": id_coffre, "requested": wanted.as_json(),
              "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(), "lots": len(rows),
              "translations": translations}
    out.write(json.dumps(header, sort_keys=True) + "\n")
    for row in rows:
        out.write(json.dumps({
            "lot_no": row.lot_no, "first_id_evt": row.first_id_evt, "last_id_evt": row.last_id_evt,
            "validation": _b64(row.validation), "wrapped_key": _b64(row.wrapped_key), "nonce": _b64(row.nonce),
            "ciphertext": _b64(row.ciphertext), "translation_sha256": row.translation_sha256,
        }, sort_keys=True) + "\n")
    return len(rows)

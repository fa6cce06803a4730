"""Writing buffered deals and reading a month back, in the caller's transaction.

``write_buffers`` writes each month's chunk and adds its counts to the month's counters in
one transaction (the caller's): a chunk is never stored without its counts nor the
reverse, which is what lets ``recount(month_decks(...))`` equal ``month_counters(...)``.
The readers are what the audit report builds its statistics from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from frontal.rng_audit.layouts import DealLayouts
from games.cards import DECK_SIZE
from server.rng_audit.buffer import POSITIONS, Counts, MonthBuffer, empty_counts
from server.rng_audit.codec import variant_name
from server.rng_audit.tables import rng_audit_chunks, rng_audit_counters, rng_audit_ends

_COUNTS_DTYPE = np.dtype("<i8")  # explicit byte order: the blob must read the same on any host


def counts_to_blob(counts: Counts) -> bytes:
    return np.ascontiguousarray(counts, dtype=_COUNTS_DTYPE).tobytes()


def counts_from_blob(blob: bytes) -> Counts:
    return np.frombuffer(blob, dtype=_COUNTS_DTYPE).reshape(DECK_SIZE, DECK_SIZE).astype(np.int64)


def write_buffers(connection: Connection, buffers: Iterable[MonthBuffer], now: datetime) -> int:
    """Store the buffers (one chunk per month) and their counts; returns the deals written."""
    buffers = list(buffers)
    written = 0
    for buffer in buffers:
        if not len(buffer):
            continue
        buffer.count_pending()  # the tail not yet counted on the reactor: counted here, off it
        # One server writes, one flush at a time (collector), so max + 1 does not race.
        last = connection.execute(select(func.max(rng_audit_chunks.c.chunk))
                                  .where(rng_audit_chunks.c.month == buffer.month)).scalar()
        buffer.chunk = (last or 0) + 1
        connection.execute(rng_audit_chunks.insert().values(
            month=buffer.month, chunk=buffer.chunk, count=len(buffer), decks=bytes(buffer.decks),
            variants=bytes(buffer.variants), table_index=_little_endian(buffer.table_index, "<u2"),
            tables=json.dumps(buffer.tables), times=_little_endian(buffer.times, "<i8"),
            hands=json.dumps(buffer.hands), written_at=now))
        for code, counts in buffer.counts.items():
            _add_counts(connection, buffer.month, variant_name(code), buffer.deals[code], counts, now)
        written += len(buffer)
    # Ends last: a deal written just above (or by an earlier flush) now has its chunk number.
    for buffer in buffers:
        if buffer.ends:
            _write_ends(connection, buffer, now)
    return written


def _write_ends(connection: Connection, buffer: MonthBuffer, now: datetime) -> None:
    places = np.array([MonthBuffer.resolve(b, i) for b, i in buffer.end_refs], dtype=np.int64).reshape(-1, 2)
    last = connection.execute(select(func.max(rng_audit_ends.c.batch))
                              .where(rng_audit_ends.c.month == buffer.month)).scalar()
    connection.execute(rng_audit_ends.insert().values(
        month=buffer.month, batch=(last or 0) + 1, count=buffer.ends, deal_chunks=_little_endian(places[:, 0], "<u4"),
        deal_index=_little_endian(places[:, 1], "<u4"), layouts=bytes(buffer.end_layouts), written_at=now))


def _little_endian(values: object, dtype: str) -> bytes:
    return np.asarray(values, dtype=dtype).tobytes()


def _add_counts(connection: Connection, month: str, variant: str, deals: int, counts: Counts, now: datetime) -> None:
    key = (rng_audit_counters.c.month == month) & (rng_audit_counters.c.variant == variant)
    row = connection.execute(select(rng_audit_counters.c.deals, rng_audit_counters.c.counts)
                             .where(key).with_for_update()).first()
    if row is None:
        connection.execute(rng_audit_counters.insert().values(
            month=month, variant=variant, deals=deals, counts=counts_to_blob(counts), updated_at=now))
    else:
        connection.execute(rng_audit_counters.update().where(key).values(
            deals=row.deals + deals, counts=counts_to_blob(counts_from_blob(row.counts) + counts), updated_at=now))


@dataclass(frozen=True)
class MonthDecks:
    """A month's deals in storage order (chunk, then deal): row ``i`` of every array is deal ``i``."""

    decks: npt.NDArray[np.uint8]  # (N, 52): decks[i, p] is the card byte at position p
    variants: npt.NDArray[np.uint8]  # (N,): codec variant codes
    tables: list[str]  # (N,): table id of each deal
    times: npt.NDArray[np.int64]  # (N,): microseconds since the epoch, UTC
    hands: list[str]  # (N,): deal-id suffixes; tables[i] + "-" + hands[i] is the IDPartie
    #: (N,) each: how the deal's hand ended (games.dealer.DealEnd); seats 0 = no end stored.
    seats: npt.NDArray[np.uint8]
    sample_index: npt.NDArray[np.uint8]
    streets: npt.NDArray[np.uint8]

    def layouts(self) -> DealLayouts:
        return DealLayouts(self.seats, self.sample_index, self.streets)

    def deal_ids(self) -> list[str]:
        return [f"{t}-{h}" for t, h in zip(self.tables, self.hands)]


def month_decks(connection: Connection, month: str) -> MonthDecks:
    rows = connection.execute(select(rng_audit_chunks).where(rng_audit_chunks.c.month == month)
                              .order_by(rng_audit_chunks.c.chunk)).all()
    decks, variants, times, tables, hands = [], [], [], [], []
    for row in rows:
        decks.append(np.frombuffer(row.decks, dtype=np.uint8).reshape(row.count, DECK_SIZE))
        variants.append(np.frombuffer(row.variants, dtype=np.uint8))
        times.append(np.frombuffer(row.times, dtype="<i8").astype(np.int64))
        names = json.loads(row.tables)
        tables.extend(names[i] for i in np.frombuffer(row.table_index, dtype="<u2"))
        hands.extend(json.loads(row.hands))
    if not rows:
        none = np.zeros(0, np.uint8)
        return MonthDecks(np.zeros((0, DECK_SIZE), np.uint8), none, [], np.zeros(0, np.int64), [], none, none, none)
    layouts = _month_layouts(connection, month, {row.chunk: row.count for row in rows})
    return MonthDecks(np.concatenate(decks), np.concatenate(variants), tables, np.concatenate(times), hands,
                      *layouts)


def _month_layouts(connection: Connection, month: str, counts: dict[int, int]
                   ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """(seats, sample index, street) per deal, in ``month_decks`` order; zeros where no end is stored."""
    top = max(counts, default=0)
    sizes = np.zeros(top + 1, np.int64)  # chunk number -> deals in it (0: no such chunk)
    sizes[list(counts)] = list(counts.values())
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])  # chunk number -> its first deal's row
    layouts = np.zeros((int(sizes.sum()), 3), np.uint8)
    for row in connection.execute(select(rng_audit_ends).where(rng_audit_ends.c.month == month)
                                  .order_by(rng_audit_ends.c.batch)):
        chunks = np.frombuffer(row.deal_chunks, dtype="<u4").astype(np.int64)
        index = np.frombuffer(row.deal_index, dtype="<u4").astype(np.int64)
        if np.any(chunks > top) or np.any(index >= sizes[np.minimum(chunks, top)]):
            raise ValueError(f"rng_audit_ends {month} batch {row.batch} names deals that are not stored")
        layouts[offsets[chunks] + index] = np.frombuffer(row.layouts, dtype=np.uint8).reshape(-1, 3)
    return layouts[:, 0].copy(), layouts[:, 1].copy(), layouts[:, 2].copy()


@dataclass(frozen=True)
class MonthCounters:
    deals: int
    counts: Counts  # counts[card, position]


def month_counters(connection: Connection, month: str) -> dict[str, MonthCounters]:
    """Variant name -> the month's counters."""
    rows = connection.execute(select(rng_audit_counters).where(rng_audit_counters.c.month == month)).all()
    return {row.variant: MonthCounters(row.deals, counts_from_blob(row.counts)) for row in rows}


def recount(decks: MonthDecks) -> dict[str, MonthCounters]:
    """The counters rebuilt from the raw decks: what ``month_counters`` must equal."""
    result: dict[str, MonthCounters] = {}
    for code in np.unique(decks.variants):
        chosen = decks.decks[decks.variants == code]
        counts = empty_counts()
        # Each deal adds one to (card, position) for its 52 positions; add.at handles repeats.
        np.add.at(counts, (chosen, np.broadcast_to(POSITIONS, chosen.shape)), 1)
        result[variant_name(int(code))] = MonthCounters(len(chosen), counts)
    return result

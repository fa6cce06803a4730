"""The RNG audit's tables: raw deals in chunks, and counters, per UTC month.

``rng_audit_chunks``: one row per month touched by one flush. Per-deal arrays, each in
deal order and ``count`` long: ``decks`` (52 bytes a deal, see ``codec``), ``variants``
(one code byte a deal), ``table_index`` (uint16 little-endian, into the ``tables`` JSON
list of the chunk's distinct table ids), ``times`` (int64 little-endian, microseconds since
the epoch, UTC) and ``hands`` (JSON list: the deal id's suffix after the table id, so
``table + "-" + hand`` is the IDPartie of the traces).

``rng_audit_counters``: per month and variant, ``counts`` is the 52x52 int64 little-endian
array (row = card byte, column = position) of how often each card sat at each position,
and ``deals`` how many deals. Written in the same transaction as the chunks they count,
so they always equal a recount of the month's decks.

``rng_audit_ends``: how the hands of the month's deals ended, one row per month touched by
one flush (``batch`` 1, 2, ... in flush order). Per end: ``deal_chunks`` and
``deal_index`` (uint32 little-endian each) name the deal (its chunk, its index in the
chunk's arrays), ``layouts`` holds three bytes (seats dealt in, dealing index of the lowest
seat, last street dealt 0..3: ``games.dealer.DealEnd``). A deal has at most one end; a deal
without one (its hand cut by a restart, or its end lost in a crash) is left out of the
regulator's table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, String, Table, Text

from server.db.tables import metadata
from server.db.types import UTCDateTime

rng_audit_chunks = Table(
    "rng_audit_chunks",
    metadata,
    Column("month", String(7), primary_key=True),  # "YYYY-MM", UTC, of the deals in the chunk
    Column("chunk", Integer(), primary_key=True),  # 1, 2, ... within the month, in flush order
    Column("count", Integer(), nullable=False),
    Column("decks", LargeBinary(), nullable=False),  # count * 52 bytes
    Column("variants", LargeBinary(), nullable=False),  # count bytes
    Column("table_index", LargeBinary(), nullable=False),  # count * 2 bytes
    Column("tables", Text(), nullable=False),  # JSON list of table ids
    Column("times", LargeBinary(), nullable=False),  # count * 8 bytes
    Column("hands", Text(), nullable=False),  # JSON list of deal-id suffixes
    Column("written_at", UTCDateTime(), nullable=False),
)

rng_audit_counters = Table(
    "rng_audit_counters",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("variant", String(16), primary_key=True),  # codec.VARIANT_CODES name
    Column("deals", BigInteger(), nullable=False),
    Column("counts", LargeBinary(), nullable=False),  # 52 * 52 * 8 bytes
    Column("updated_at", UTCDateTime(), nullable=False),
)

rng_audit_ends = Table(
    "rng_audit_ends",
    metadata,
    Column("month", String(7), primary_key=True),  # the month of the deals (not of the ends)
    Column("batch", Integer(), primary_key=True),  # 1, 2, ... within the month, in flush order
    Column("count", Integer(), nullable=False),
    Column("deal_chunks", LargeBinary(), nullable=False),  # count * 4 bytes
    Column("deal_index", LargeBinary(), nullable=False),  # count * 4 bytes
    Column("layouts", LargeBinary(), nullable=False),  # count * 3 bytes
    Column("written_at", UTCDateTime(), nullable=False),
)

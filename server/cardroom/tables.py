"""Card-room tables: what survives a restart (tables, registrations, seats and stacks, hands).

Chips at a cash table are money held in the table's escrow account of the ledger
(``operator:table-<id>``); ``poker_seats.stack`` says whose they are, written after every
hand in the same transaction as the rake, so a crash never loses a stack: a hand cut
short is void and the stacks are those before it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Integer, String, Table, Text, false

from server.db.tables import metadata
from server.db.types import UTCDateTime

poker_tables = Table(
    "poker_tables",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("variant", String(8), nullable=False),  # HOLDEM | OMAHA
    Column("structure", String(2), nullable=False),  # NL | PL | FL
    Column("small_blind", BigInteger(), nullable=False),  # cents
    Column("big_blind", BigInteger(), nullable=False),
    Column("ante", BigInteger(), nullable=False),
    Column("big_blind_ante", Boolean(), nullable=False),
    Column("seats", Integer(), nullable=False),
    Column("buy_in_min", BigInteger(), nullable=False),
    Column("buy_in_max", BigInteger(), nullable=False),
    Column("rake_percent", String(16), nullable=False),  # a decimal, e.g. "5" or "4.5"
    Column("rake_cap", BigInteger(), nullable=False),  # cents, 0: no cap
    Column("decision_seconds", Integer(), nullable=False),
    Column("bonus_allowed", Boolean(), nullable=False, server_default=false()),  # buy-ins from the bonus
    Column("top_up_percent", String(16), nullable=False, server_default="0"),  # the operator's MontAbond
    Column("top_up_cap", BigInteger(), nullable=False, server_default="0"),  # cents per buy-in, 0: no cap
    Column("time_bank_seconds", Integer(), nullable=False, server_default="0"),  # 0: no time bank
    Column("time_bank_refill_seconds", Integer(), nullable=False, server_default="0"),  # per hand dealt
    Column("created_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime(), nullable=True),
)

# POINSCRIT's Tech: links a player's registration at a table to its buy-ins, hands and payout.
poker_registrations = Table(
    "poker_registrations",
    metadata,
    Column("tech", String(32), primary_key=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False, index=True),
    Column("table_id", String(32), ForeignKey("poker_tables.id"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
)

poker_seats = Table(
    "poker_seats",
    metadata,
    Column("table_id", String(32), ForeignKey("poker_tables.id"), primary_key=True),
    Column("seat", Integer(), primary_key=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False),
    Column("tech", String(32), ForeignKey("poker_registrations.tech"), nullable=False),
    Column("stack", BigInteger(), nullable=False),  # cents
)

poker_hands = Table(
    "poker_hands",
    metadata,
    Column("id", String(64), primary_key=True),  # IDPartie
    Column("table_id", String(32), ForeignKey("poker_tables.id"), nullable=False, index=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("record", Text(), nullable=True),  # JSON: seats, stacks before and after, rake
)

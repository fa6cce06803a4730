"""Tournament tables: definitions, entries (registrations with what they paid), hands.

A tournament's money sits in its escrow account of the ledger (``operator:tournament-<id>``)
from registration to the prizes; the fees leave it for ``operator:tournament-fees`` when the
tournament starts. ``poker_tournament_entries`` says whose money it is: one row per
registration (POINSCRIT's Tech), with the buy-in and fee paid, so a refund never depends on
what the running process remembers. Chips are not money here: stacks live in the running
process, and a tournament a restart interrupts is cancelled and refunded (see
``server.cardroom.tournaments``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table, Text

from server.db.tables import metadata
from server.db.types import UTCDateTime

poker_tournaments = Table(
    "poker_tournaments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("format", String(16), nullable=False),  # sit_and_go | scheduled
    Column("spec", Text(), nullable=False),  # JSON: the operator's definition, as parsed
    Column("status", String(16), nullable=False),  # open | running | finished | cancelled
    Column("created_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime(), nullable=True),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("info", Text(), nullable=True),  # why it was cancelled
)

poker_tournament_entries = Table(
    "poker_tournament_entries",
    metadata,
    Column("tech", String(32), primary_key=True),
    Column("tournament_id", String(32), ForeignKey("poker_tournaments.id"), nullable=False, index=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False, index=True),
    Column("price", BigInteger(), nullable=False),  # cents into the prize pool
    Column("fee", BigInteger(), nullable=False),  # cents, the operator's
    Column("chips", BigInteger(), nullable=False),  # starting chips, once POCAVE is recorded (0 before)
    # registered | unregistered | refunded | playing | out | finished
    Column("status", String(16), nullable=False),
    Column("place", Integer(), nullable=True),
    Column("prize", BigInteger(), nullable=True),  # cents
    Column("created_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
)

poker_tournament_hands = Table(
    "poker_tournament_hands",
    metadata,
    Column("id", String(64), primary_key=True),  # IDPartie
    Column("tournament_id", String(32), ForeignKey("poker_tournaments.id"), nullable=False, index=True),
    Column("table_id", String(40), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("record", Text(), nullable=True),  # JSON: seats with players, techs, chips before and after
)

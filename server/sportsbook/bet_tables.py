"""Sports bets as struck: one row per PASPMISE (a slip of singles is one bet per leg).

``slip`` is the bet's own slip as JSON (legs with the selections and the odds taken), so a
bet is settled from what was struck, whatever the catalogue says later. ``paid`` is what
the bet has returned so far: a resettlement after a corrected result pays or takes back
the difference. ``sports_bet_markets`` finds the bets a result touches.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table, Text

from server.db.tables import metadata
from server.db.types import BIG_ID, UTCDateTime

sports_bets = Table(
    "sports_bets",
    metadata,
    Column("tech", String(16), primary_key=True),  # the coupon's code: PASPMISE/PASPGAIN/PASPANNUL Tech
    Column("slip_id", String(16), nullable=False),  # the player's slip it came from
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False, index=True),
    Column("slip", Text(), nullable=False),
    Column("stake", BigInteger(), nullable=False),  # cents, solde and bonus together
    Column("bonus_stake", BigInteger(), nullable=False),  # cents of it from the bonus compartment
    Column("status", String(8), nullable=False),  # open | settled | void
    Column("paid", BigInteger(), nullable=False),  # cents returned so far
    Column("placed_at", UTCDateTime(), nullable=False),
    Column("settled_at", UTCDateTime(), nullable=True),
    Column("settled_on", Text(), nullable=True),  # JSON: market id -> result version settled on
)

sports_bet_markets = Table(
    "sports_bet_markets",
    metadata,
    Column("tech", String(16), ForeignKey("sports_bets.tech"), primary_key=True),
    Column("market_id", BIG_ID, primary_key=True, index=True),
    Column("legs", Integer(), nullable=False),  # how many of the bet's prognoses are on this market
)

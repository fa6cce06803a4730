"""Sports bets as struck, and the markets each one depends on.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import BIG_ID, UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sports_bets",
        sa.Column("tech", sa.String(16), nullable=False),
        sa.Column("slip_id", sa.String(16), nullable=False),
        sa.Column("player_id", sa.String(64), nullable=False),
        sa.Column("slip", sa.Text(), nullable=False),
        sa.Column("stake", sa.BigInteger(), nullable=False),
        sa.Column("bonus_stake", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("placed_at", UTCDateTime(), nullable=False),
        sa.Column("settled_at", UTCDateTime(), nullable=True),
        sa.Column("settled_on", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], name="fk_sports_bets_player_id_players"),
        sa.PrimaryKeyConstraint("tech", name="pk_sports_bets"),
    )
    op.create_index("ix_sports_bets_player_id", "sports_bets", ["player_id"])
    op.create_table(
        "sports_bet_markets",
        sa.Column("tech", sa.String(16), nullable=False),
        sa.Column("market_id", BIG_ID, nullable=False),
        sa.Column("legs", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tech"], ["sports_bets.tech"], name="fk_sports_bet_markets_tech_sports_bets"),
        sa.PrimaryKeyConstraint("tech", "market_id", name="pk_sports_bet_markets"),
    )
    op.create_index("ix_sports_bet_markets_market_id", "sports_bet_markets", ["market_id"])


def downgrade() -> None:
    op.drop_index("ix_sports_bet_markets_market_id", "sports_bet_markets")
    op.drop_table("sports_bet_markets")
    op.drop_index("ix_sports_bets_player_id", "sports_bets")
    op.drop_table("sports_bets")

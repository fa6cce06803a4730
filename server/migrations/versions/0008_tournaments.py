"""Tournaments: definitions, entries with what each paid, hands.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "poker_tournaments",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("info", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_poker_tournaments"),
    )
    op.create_table(
        "poker_tournament_entries",
        sa.Column("tech", sa.String(32), nullable=False),
        sa.Column("tournament_id", sa.String(32), nullable=False),
        sa.Column("player_id", sa.String(64), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("chips", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("place", sa.Integer(), nullable=True),
        sa.Column("prize", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tournament_id"], ["poker_tournaments.id"],
                                name="fk_poker_tournament_entries_tournament_id_poker_tournaments"),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"],
                                name="fk_poker_tournament_entries_player_id_players"),
        sa.PrimaryKeyConstraint("tech", name="pk_poker_tournament_entries"),
    )
    op.create_index("ix_poker_tournament_entries_tournament_id", "poker_tournament_entries", ["tournament_id"])
    op.create_index("ix_poker_tournament_entries_player_id", "poker_tournament_entries", ["player_id"])
    op.create_table(
        "poker_tournament_hands",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("tournament_id", sa.String(32), nullable=False),
        sa.Column("table_id", sa.String(40), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["tournament_id"], ["poker_tournaments.id"],
                                name="fk_poker_tournament_hands_tournament_id_poker_tournaments"),
        sa.PrimaryKeyConstraint("id", name="pk_poker_tournament_hands"),
    )
    op.create_index("ix_poker_tournament_hands_tournament_id", "poker_tournament_hands", ["tournament_id"])


def downgrade() -> None:
    op.drop_index("ix_poker_tournament_hands_tournament_id", "poker_tournament_hands")
    op.drop_table("poker_tournament_hands")
    op.drop_index("ix_poker_tournament_entries_player_id", "poker_tournament_entries")
    op.drop_index("ix_poker_tournament_entries_tournament_id", "poker_tournament_entries")
    op.drop_table("poker_tournament_entries")
    op.drop_table("poker_tournaments")

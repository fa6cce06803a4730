"""Card room: poker tables, registrations, seats with their stacks, hands.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "poker_tables",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("variant", sa.String(8), nullable=False),
        sa.Column("structure", sa.String(2), nullable=False),
        sa.Column("small_blind", sa.BigInteger(), nullable=False),
        sa.Column("big_blind", sa.BigInteger(), nullable=False),
        sa.Column("ante", sa.BigInteger(), nullable=False),
        sa.Column("big_blind_ante", sa.Boolean(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("buy_in_min", sa.BigInteger(), nullable=False),
        sa.Column("buy_in_max", sa.BigInteger(), nullable=False),
        sa.Column("rake_percent", sa.String(16), nullable=False),
        sa.Column("rake_cap", sa.BigInteger(), nullable=False),
        sa.Column("decision_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_poker_tables"),
    )
    op.create_table(
        "poker_registrations",
        sa.Column("tech", sa.String(32), nullable=False),
        sa.Column("player_id", sa.String(64), nullable=False),
        sa.Column("table_id", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], name="fk_poker_registrations_player_id_players"),
        sa.ForeignKeyConstraint(["table_id"], ["poker_tables.id"],
                                name="fk_poker_registrations_table_id_poker_tables"),
        sa.PrimaryKeyConstraint("tech", name="pk_poker_registrations"),
    )
    op.create_index("ix_poker_registrations_player_id", "poker_registrations", ["player_id"])
    op.create_table(
        "poker_seats",
        sa.Column("table_id", sa.String(32), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.String(64), nullable=False),
        sa.Column("tech", sa.String(32), nullable=False),
        sa.Column("stack", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["table_id"], ["poker_tables.id"], name="fk_poker_seats_table_id_poker_tables"),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], name="fk_poker_seats_player_id_players"),
        sa.ForeignKeyConstraint(["tech"], ["poker_registrations.tech"],
                                name="fk_poker_seats_tech_poker_registrations"),
        sa.PrimaryKeyConstraint("table_id", "seat", name="pk_poker_seats"),
    )
    op.create_table(
        "poker_hands",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("table_id", sa.String(32), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["table_id"], ["poker_tables.id"], name="fk_poker_hands_table_id_poker_tables"),
        sa.PrimaryKeyConstraint("id", name="pk_poker_hands"),
    )
    op.create_index("ix_poker_hands_table_id", "poker_hands", ["table_id"])


def downgrade() -> None:
    op.drop_index("ix_poker_hands_table_id", "poker_hands")
    op.drop_table("poker_hands")
    op.drop_table("poker_seats")
    op.drop_index("ix_poker_registrations_player_id", "poker_registrations")
    op.drop_table("poker_registrations")
    op.drop_table("poker_tables")

"""RNG audit: the decks dealt, in monthly chunks, and their card x position counters.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rng_audit_chunks",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("decks", sa.LargeBinary(), nullable=False),
        sa.Column("variants", sa.LargeBinary(), nullable=False),
        sa.Column("table_index", sa.LargeBinary(), nullable=False),
        sa.Column("tables", sa.Text(), nullable=False),
        sa.Column("times", sa.LargeBinary(), nullable=False),
        sa.Column("hands", sa.Text(), nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", "chunk", name="pk_rng_audit_chunks"),
    )
    op.create_table(
        "rng_audit_counters",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("variant", sa.String(16), nullable=False),
        sa.Column("deals", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", "variant", name="pk_rng_audit_counters"),
    )


def downgrade() -> None:
    op.drop_table("rng_audit_counters")
    op.drop_table("rng_audit_chunks")

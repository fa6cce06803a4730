"""RNG audit: how each deal's hand ended (seats, sample seat, last street), per month.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rng_audit_ends",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("deal_chunks", sa.LargeBinary(), nullable=False),
        sa.Column("deal_index", sa.LargeBinary(), nullable=False),
        sa.Column("layouts", sa.LargeBinary(), nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", "batch", name="pk_rng_audit_ends"),
    )


def downgrade() -> None:
    op.drop_table("rng_audit_ends")

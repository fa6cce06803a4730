"""Cash tables: an optional time bank per seat (its size, and its refill per hand dealt).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults: tables created before this revision keep playing without a time bank.
    with op.batch_alter_table("poker_tables") as batch:
        batch.add_column(sa.Column("time_bank_seconds", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("time_bank_refill_seconds", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("poker_tables") as batch:
        batch.drop_column("time_bank_refill_seconds")
        batch.drop_column("time_bank_seconds")

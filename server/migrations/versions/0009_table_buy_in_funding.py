"""Cash tables: buy-ins from the poker bonus compartment, the operator's top-up (MontAbond).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("poker_tables") as batch:
        batch.add_column(sa.Column("bonus_allowed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("top_up_percent", sa.String(16), nullable=False, server_default="0"))
        batch.add_column(sa.Column("top_up_cap", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("poker_tables") as batch:
        batch.drop_column("top_up_cap")
        batch.drop_column("top_up_percent")
        batch.drop_column("bonus_allowed")

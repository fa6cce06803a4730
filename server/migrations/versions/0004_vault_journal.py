"""Vault journal: per-vault IDEvt counter and events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_counters",
        sa.Column("id_coffre", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_id_evt", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id_coffre"),
    )
    op.create_table(
        "vault_events",
        sa.Column("id_coffre", sa.Integer(), nullable=False),
        sa.Column("id_evt", sa.BigInteger(), nullable=False),
        sa.Column("event_name", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id_coffre", "id_evt", name="pk_vault_events"),
        sa.UniqueConstraint("id_coffre", "idempotency_key", name="uq_vault_events_idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("vault_events")
    op.drop_table("vault_counters")

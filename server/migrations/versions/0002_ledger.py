"""Ledger: accounts, transactions, entries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import BIG_ID, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(128), nullable=False),
        sa.Column("may_go_negative", sa.Integer(), nullable=False),
        sa.Column("balance_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_accounts"),
        sa.UniqueConstraint("code", name="uq_ledger_accounts_code"),
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_transactions"),
        sa.UniqueConstraint("idempotency_key", name="uq_ledger_transactions_idempotency_key"),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("transaction_id", BIG_ID, nullable=False),
        sa.Column("account_id", BIG_ID, nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_entries"),
        sa.ForeignKeyConstraint(["transaction_id"], ["ledger_transactions.id"],
                                name="fk_ledger_entries_transaction_id_ledger_transactions"),
        sa.ForeignKeyConstraint(["account_id"], ["ledger_accounts.id"],
                                name="fk_ledger_entries_account_id_ledger_accounts"),
    )
    op.create_index("ix_ledger_entries_account", "ledger_entries", ["account_id"])
    op.create_index("ix_ledger_entries_transaction", "ledger_entries", ["transaction_id"])


def downgrade() -> None:
    for table in ("ledger_entries", "ledger_transactions", "ledger_accounts"):
        op.drop_table(table)

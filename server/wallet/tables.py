"""Ledger tables. Balances are derived from entries; the cached balance is checked against them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from server.db.tables import metadata
from server.db.types import BIG_ID, UTCDateTime

ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    # "player:<IDJoueur>:<compartment>:<licence>" or "operator:<name>"
    Column("code", String(128), nullable=False, unique=True),
    Column("may_go_negative", Integer(), nullable=False),
    # Cache of SUM(entries.amount_cents) kept in the same transaction; `ledger check` proves it.
    Column("balance_cents", BigInteger(), nullable=False),
)

ledger_transactions = Table(
    "ledger_transactions",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # Replaying a request (retry after a timeout, restart) must not move money twice.
    Column("idempotency_key", String(128), nullable=True, unique=True),
    Column("memo", Text(), nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("transaction_id", BIG_ID, ForeignKey("ledger_transactions.id"), nullable=False),
    Column("account_id", BIG_ID, ForeignKey("ledger_accounts.id"), nullable=False),
    Column("amount_cents", BigInteger(), nullable=False),
)
Index("ix_ledger_entries_account", ledger_entries.c.account_id)
Index("ix_ledger_entries_transaction", ledger_entries.c.transaction_id)

# Deposits and withdrawals as asked of the payment provider; the ledger holds the money.
payments = Table(
    "payments",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False),
    Column("direction", String(16), nullable=False),  # deposit | withdrawal
    Column("trigger", String(16), nullable=False),  # player | auto_payout
    Column("amount_cents", BigInteger(), nullable=False),
    Column("status", String(16), nullable=False),  # pending | succeeded | failed
    Column("provider", String(64), nullable=False),
    Column("payment_type", String(32), nullable=False),
    Column("provider_reference", String(128), nullable=True),
    Column("reason", Text(), nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("effective_at", UTCDateTime(), nullable=True),
    # The player's solde right after the movement hit it (reservation for a withdrawal).
    Column("balance_after_cents", BigInteger(), nullable=True),
)
Index("ix_payments_player_direction", payments.c.player_id, payments.c.direction, payments.c.requested_at)
Index("ix_payments_status", payments.c.status)

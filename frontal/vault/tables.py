"""Vault tables, on their own metadata: the frontal does not depend on the server."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint

metadata = MetaData()

# One row per vault: the next IDEvt. Allocation and insertion share a transaction, so a
# rollback returns the IDs with the events and no ID is ever skipped.
vault_counters = Table(
    "vault_counters",
    metadata,
    Column("id_coffre", Integer(), primary_key=True, autoincrement=False),
    Column("next_id_evt", BigInteger(), nullable=False),
)

vault_events = Table(
    "vault_events",
    metadata,
    Column("id_coffre", Integer(), nullable=False),
    Column("id_evt", BigInteger(), nullable=False),
    Column("event_name", String(32), nullable=False),
    Column("payload", Text(), nullable=False),  # the event on one line, as it goes into a lot
    # A deposit replayed after a crash (notice acknowledged twice) returns the first IDEvt.
    Column("idempotency_key", String(128), nullable=True),
    PrimaryKeyConstraint("id_coffre", "id_evt", name="pk_vault_events"),
    UniqueConstraint("id_coffre", "idempotency_key", name="uq_vault_events_idempotency_key"),
)

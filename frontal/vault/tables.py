"""Vault tables, on their own metadata: the frontal does not depend on the server."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Column, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table,
                        Text, UniqueConstraint)

metadata = MetaData()

ZERO_HASH = "0" * 64

# One row per vault: the next IDEvt, and how far sealing has gone. Allocation and insertion
# share a transaction, so a rollback returns the IDs with the events and no ID is skipped.
vault_counters = Table(
    "vault_counters",
    metadata,
    Column("id_coffre", Integer(), primary_key=True, autoincrement=False),
    Column("next_id_evt", BigInteger(), nullable=False),
    Column("sealed_through", BigInteger(), nullable=False, server_default="0"),  # next IDEvt to seal
    Column("next_lot", BigInteger(), nullable=False, server_default="0"),
    Column("last_validation_sha256", String(64), nullable=False, server_default=ZERO_HASH),
)

vault_events = Table(
    "vault_events",
    metadata,
    Column("id_coffre", Integer(), nullable=False),
    Column("id_evt", BigInteger(), nullable=False),
    Column("event_name", String(32), nullable=False),
    # The event on one line in canonical XML, as it goes into a lot; emptied once sealed, so
    # the clear text does not outlive its encrypted lot.
    Column("payload", Text(), nullable=True),
    # A deposit replayed after a crash (notice acknowledged twice) returns the first IDEvt.
    Column("idempotency_key", String(128), nullable=True),
    Column("journaled_us", BigInteger(), nullable=False, server_default="0"),  # epoch microseconds
    PrimaryKeyConstraint("id_coffre", "id_evt", name="pk_vault_events"),
    UniqueConstraint("id_coffre", "idempotency_key", name="uq_vault_events_idempotency_key"),
)

# A sealed lot: its Validation record in clear (stored bytes, hashed by the next record's
# EmpVal) and the encrypted plaintext.
vault_lots = Table(
    "vault_lots",
    metadata,
    Column("id_coffre", Integer(), nullable=False),
    Column("lot_no", BigInteger(), nullable=False),
    Column("first_id_evt", BigInteger(), nullable=False),
    Column("last_id_evt", BigInteger(), nullable=False),
    Column("first_date_evt_us", BigInteger(), nullable=False),
    Column("date_horodatage_us", BigInteger(), nullable=False),
    Column("validation", LargeBinary(), nullable=False),
    Column("wrapped_key", LargeBinary(), nullable=False),
    Column("nonce", LargeBinary(), nullable=False),
    Column("ciphertext", LargeBinary(), nullable=False),
    Column("translation_sha256", String(64), nullable=True),  # tag table the plaintext uses, if any
    PrimaryKeyConstraint("id_coffre", "lot_no", name="pk_vault_lots"),
    UniqueConstraint("id_coffre", "first_id_evt", name="uq_vault_lots_first_id_evt"),
)

# Tag translation tables (annex 1.5) lots were written with, kept so exports carry them.
vault_translations = Table(
    "vault_translations",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content", Text(), nullable=False),
)

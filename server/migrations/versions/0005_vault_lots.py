"""Vault lots: sealing cursor, sealed lots, translation tables; journal payloads emptied once sealed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vault_counters") as batch:
        batch.add_column(sa.Column("sealed_through", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_lot", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_validation_sha256", sa.String(64), nullable=False,
                                   server_default="0" * 64))
    with op.batch_alter_table("vault_events") as batch:
        batch.alter_column("payload", existing_type=sa.Text(), nullable=True)
        batch.add_column(sa.Column("journaled_us", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "vault_lots",
        sa.Column("id_coffre", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.BigInteger(), nullable=False),
        sa.Column("first_id_evt", sa.BigInteger(), nullable=False),
        sa.Column("last_id_evt", sa.BigInteger(), nullable=False),
        sa.Column("first_date_evt_us", sa.BigInteger(), nullable=False),
        sa.Column("date_horodatage_us", sa.BigInteger(), nullable=False),
        sa.Column("validation", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("translation_sha256", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id_coffre", "lot_no", name="pk_vault_lots"),
        sa.UniqueConstraint("id_coffre", "first_id_evt", name="uq_vault_lots_first_id_evt"),
    )
    op.create_table(
        "vault_translations",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )


def downgrade() -> None:
    op.drop_table("vault_translations")
    op.drop_table("vault_lots")
    with op.batch_alter_table("vault_events") as batch:
        batch.drop_column("journaled_us")
        batch.alter_column("payload", existing_type=sa.Text(), nullable=False)
    with op.batch_alter_table("vault_counters") as batch:
        batch.drop_column("last_validation_sha256")
        batch.drop_column("next_lot")
        batch.drop_column("sealed_through")

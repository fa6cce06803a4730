"""Player identities (the verified identity and HashJoueur behind an account) and self-exclusions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import BIG_ID, UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "player_identities",
        sa.Column("player_id", sa.String(64), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("hash_joueur", sa.String(40), nullable=False),
        sa.Column("licences", sa.String(16), nullable=False),
        sa.Column("solde_licence", sa.String(3), nullable=False, server_default="ALL"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("terms_version", sa.String(32), nullable=True),
        sa.Column("limits", sa.Text(), nullable=True),
        sa.Column("payment_account", sa.Text(), nullable=True),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], name="fk_player_identities_player_id_players"),
        sa.PrimaryKeyConstraint("player_id", name="pk_player_identities"),
    )
    op.create_table(
        "self_exclusions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("player_id", sa.String(64), nullable=False),
        sa.Column("licence", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], name="fk_self_exclusions_player_id_players"),
        sa.PrimaryKeyConstraint("id", name="pk_self_exclusions"),
    )
    op.create_index("ix_self_exclusions_player_id", "self_exclusions", ["player_id"])
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("last_run_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_job_runs"),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.drop_index("ix_self_exclusions_player_id", "self_exclusions")
    op.drop_table("self_exclusions")
    op.drop_table("player_identities")

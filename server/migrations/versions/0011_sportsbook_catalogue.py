"""Sportsbook catalogue: competitions, race meetings, fixtures and races, participants and
runners, markets, selections, the history of odds and suspensions, versioned results.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from server.db.types import BIG_ID, UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CODE = 32
DISCIPLINES = 4 * (CODE + 1)


def upgrade() -> None:
    op.create_table(
        "sportsbook_competitions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("sport", sa.String(CODE), nullable=False),
        sa.Column("event", sa.String(CODE), nullable=False),
        sa.Column("category", sa.String(CODE), nullable=True),
        sa.Column("disciplines", sa.String(DISCIPLINES), nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_competitions"),
    )
    op.create_table(
        "sportsbook_meetings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("venue", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_meetings"),
        sa.UniqueConstraint("day", "number", name="uq_sportsbook_meetings_day"),
    )
    op.create_table(
        "sportsbook_fixtures",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("competition_id", BIG_ID, nullable=True),
        sa.Column("meeting_id", BIG_ID, nullable=True),
        sa.Column("race_number", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("canonical_name", sa.String(256), nullable=False),
        sa.Column("category", sa.String(CODE), nullable=True),
        sa.Column("disciplines", sa.String(DISCIPLINES), nullable=False),
        sa.Column("gender", sa.String(1), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["sportsbook_competitions.id"],
                                name="fk_sportsbook_fixtures_competition_id_sportsbook_competitions"),
        sa.ForeignKeyConstraint(["meeting_id"], ["sportsbook_meetings.id"],
                                name="fk_sportsbook_fixtures_meeting_id_sportsbook_meetings"),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_fixtures"),
    )
    op.create_index("ix_sportsbook_fixtures_competition_id", "sportsbook_fixtures", ["competition_id"])
    op.create_index("ix_sportsbook_fixtures_meeting_id", "sportsbook_fixtures", ["meeting_id"])
    op.create_table(
        "sportsbook_participants",
        sa.Column("fixture_id", BIG_ID, nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("canonical_name", sa.String(64), nullable=False),
        sa.Column("part", sa.String(64), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("rule4_deduction", sa.Integer(), nullable=True),
        sa.Column("withdrawn_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["fixture_id"], ["sportsbook_fixtures.id"],
                                name="fk_sportsbook_participants_fixture_id_sportsbook_fixtures"),
        sa.PrimaryKeyConstraint("fixture_id", "number", name="pk_sportsbook_participants"),
    )
    op.create_table(
        "sportsbook_markets",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("fixture_id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("place_numerator", sa.Integer(), nullable=True),
        sa.Column("place_denominator", sa.Integer(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["fixture_id"], ["sportsbook_fixtures.id"],
                                name="fk_sportsbook_markets_fixture_id_sportsbook_fixtures"),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_markets"),
    )
    op.create_index("ix_sportsbook_markets_fixture_id", "sportsbook_markets", ["fixture_id"])
    op.create_table(
        "sportsbook_selections",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("market_id", BIG_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("type_res", sa.String(CODE), nullable=True),
        sa.Column("choix", sa.String(64), nullable=False),
        sa.Column("extra", sa.String(1024), nullable=False),
        sa.Column("runner", sa.Integer(), nullable=True),
        sa.Column("odds", sa.Integer(), nullable=False),
        sa.Column("odds_since", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["market_id"], ["sportsbook_markets.id"],
                                name="fk_sportsbook_selections_market_id_sportsbook_markets"),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_selections"),
        sa.UniqueConstraint("market_id", "position", name="uq_sportsbook_selections_market_id"),
    )
    op.create_table(
        "sportsbook_odds",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("selection_id", BIG_ID, nullable=False),
        sa.Column("odds", sa.Integer(), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["selection_id"], ["sportsbook_selections.id"],
                                name="fk_sportsbook_odds_selection_id_sportsbook_selections"),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_odds"),
    )
    op.create_index("ix_sportsbook_odds_selection_id", "sportsbook_odds", ["selection_id"])
    op.create_table(
        "sportsbook_suspensions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("fixture_id", BIG_ID, nullable=False),
        sa.Column("market_id", BIG_ID, nullable=True),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(256), nullable=True),
        sa.ForeignKeyConstraint(["fixture_id"], ["sportsbook_fixtures.id"],
                                name="fk_sportsbook_suspensions_fixture_id_sportsbook_fixtures"),
        sa.ForeignKeyConstraint(["market_id"], ["sportsbook_markets.id"],
                                name="fk_sportsbook_suspensions_market_id_sportsbook_markets"),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_suspensions"),
    )
    op.create_index("ix_sportsbook_suspensions_fixture_id", "sportsbook_suspensions", ["fixture_id"])
    op.create_table(
        "sportsbook_results",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("market_id", BIG_ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("void", sa.Boolean(), nullable=False),
        sa.Column("result_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(256), nullable=True),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["market_id"], ["sportsbook_markets.id"],
                                name="fk_sportsbook_results_market_id_sportsbook_markets"),
        sa.PrimaryKeyConstraint("id", name="pk_sportsbook_results"),
        sa.UniqueConstraint("market_id", "version", name="uq_sportsbook_results_market_id"),
    )
    op.create_table(
        "sportsbook_result_lines",
        sa.Column("result_id", BIG_ID, nullable=False),
        sa.Column("selection_id", BIG_ID, nullable=False),
        sa.Column("leg", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("dead_heat_tied", sa.Integer(), nullable=True),
        sa.Column("dead_heat_places", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["result_id"], ["sportsbook_results.id"],
                                name="fk_sportsbook_result_lines_result_id_sportsbook_results"),
        sa.ForeignKeyConstraint(["selection_id"], ["sportsbook_selections.id"],
                                name="fk_sportsbook_result_lines_selection_id_sportsbook_selections"),
        sa.PrimaryKeyConstraint("result_id", "selection_id", "leg", name="pk_sportsbook_result_lines"),
    )


def downgrade() -> None:
    op.drop_table("sportsbook_result_lines")
    op.drop_table("sportsbook_results")
    op.drop_index("ix_sportsbook_suspensions_fixture_id", "sportsbook_suspensions")
    op.drop_table("sportsbook_suspensions")
    op.drop_index("ix_sportsbook_odds_selection_id", "sportsbook_odds")
    op.drop_table("sportsbook_odds")
    op.drop_table("sportsbook_selections")
    op.drop_index("ix_sportsbook_markets_fixture_id", "sportsbook_markets")
    op.drop_table("sportsbook_markets")
    op.drop_table("sportsbook_participants")
    op.drop_index("ix_sportsbook_fixtures_meeting_id", "sportsbook_fixtures")
    op.drop_index("ix_sportsbook_fixtures_competition_id", "sportsbook_fixtures")
    op.drop_table("sportsbook_fixtures")
    op.drop_table("sportsbook_meetings")
    op.drop_table("sportsbook_competitions")

"""The server's own tables (players, sessions, notices, operator access).

Money and game tables arrive with their issues, each with an Alembic revision. Table
definitions are SQLAlchemy Core: the server talks in explicit statements inside explicit
transactions, which is what a ledger and an audit trail want.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from server.db.types import BIG_ID, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# IDJoueur is string-64 in the annex and must never change: an opaque id, not the login.
players = Table(
    "players",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("pseudo", String(64), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("created_at", UTCDateTime(), nullable=False),
)

# A login session; its id is the traces' IDSession (never shown to the player).
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False, index=True),
    Column("ip", String(45), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("end_reason", String(32), nullable=True),
)

# Platform-initiated messages the player must acknowledge; the frontal hangs traces on acks.
notices = Table(
    "notices",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payload", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("acked_at", UTCDateTime(), nullable=True),
    Column("ack_session_id", String(64), nullable=True),
    Column("ack_ip", String(45), nullable=True),
)
Index("ix_notices_pending", notices.c.player_id, notices.c.acked_at)

operator_tokens = Table(
    "operator_tokens",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    # SHA-256 of the bearer token: a leaked database does not leak working tokens.
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("method", String(8), nullable=False),
    Column("path", String(512), nullable=False),
    Column("body", Text(), nullable=False),
    Column("status", Integer(), nullable=False),
    Column("remote", String(45), nullable=False),
)

# The verified identity behind an account (annex 1.3.3.a), written by the regulated opening.
# HashJoueur is derived once, at opening, from the canonical first name, birth name, birth
# date and birthplace, and never recomputed: it must stay constant in every trace.
player_identities = Table(
    "player_identities",
    metadata,
    Column("player_id", String(64), ForeignKey("players.id"), primary_key=True),
    Column("form", Text(), nullable=False),  # the validated form, JSON
    Column("hash_joueur", String(40), nullable=False),
    Column("licences", String(16), nullable=False),  # TypAg the account serves, e.g. "PS,PH,JC"
    # The solde compartment's licence: ALL for one account serving every licence (the
    # default), the licence itself for the per-licence variant the annex allows.
    Column("solde_licence", String(3), nullable=False, server_default="ALL"),
    Column("created_at", UTCDateTime(), nullable=False),
    # The opening's later steps (annex 1.3.3 kinematics): terms, moderators, payment account,
    # then the operator's confirmation of the documents.
    Column("terms_version", String(32), nullable=True),
    Column("limits", Text(), nullable=True),  # JSON: in force, and an increase pending with its date
    Column("payment_account", Text(), nullable=True),  # JSON: iban or reference, cib, label
    Column("confirmed_at", UTCDateTime(), nullable=True),
)

# Self-exclusions (annex AUTOINTERDICTION), one row per licence; never deleted.
self_exclusions = Table(
    "self_exclusions",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("player_id", String(64), ForeignKey("players.id"), nullable=False, index=True),
    Column("licence", String(2), nullable=False),
    Column("kind", String(16), nullable=False),  # Temporaire | Definitive
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("days", Integer(), nullable=False),
)

# When each periodic job last completed, so restarts do not postpone monthly duties.
job_runs = Table(
    "job_runs",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("last_run_at", UTCDateTime(), nullable=False),
)

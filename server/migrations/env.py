"""Alembic environment: the caller hands us a live connection (see server.db.migrate)."""

from __future__ import annotations

from alembic import context

from server.db.migrate import target_metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `croupier db upgrade` or server.db.migrate.upgrade()")

context.configure(connection=connection, target_metadata=target_metadata(), render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

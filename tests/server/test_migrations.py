"""Alembic migrations produce exactly the tables the code declares, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from server.db import migrate
from server.db.engine import make_engine


def test_upgrade_matches_metadata(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.upgrade(engine)  # idempotent
    combined = MetaData()
    for metadata in migrate.target_metadata():
        for table in metadata.tables.values():
            table.to_metadata(combined)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, combined)
    engine.dispose()
    assert differences == []

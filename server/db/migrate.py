"""Bring a database to the newest schema with Alembic, from inside the package."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine


def target_metadata() -> list[MetaData]:
    # Importing a tables module registers its tables on the shared metadata.
    import server.cardroom.tables  # noqa: F401
    import server.cardroom.tournament_tables  # noqa: F401
    import server.sportsbook.catalogue_tables  # noqa: F401
    import server.sportsbook.bet_tables  # noqa: F401
    import server.wallet.tables  # noqa: F401
    import server.rng_audit.tables  # noqa: F401
    from frontal.vault.tables import metadata as vault_metadata
    from server.db.tables import metadata

    return [metadata, vault_metadata]


def _alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(files("server") / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.support import ServerProcess, fresh_pg_database, pg_url

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if pg_url():
        return
    skip = pytest.mark.skip(reason="PostgreSQL tests need CROUPIER_TEST_PG (set by .ci/run)")
    for item in items:
        if "pg" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL per backend: SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        with fresh_pg_database() as url:
            yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the head revision (test files add their own rows)."""
    from server.db import migrate
    from server.db.engine import make_engine

    engine = make_engine(db_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def server_factory(tmp_path: Path, db_url: str) -> Iterator[object]:
    started: list[ServerProcess] = []

    def make(**settings: object) -> ServerProcess:
        data_dir = tmp_path / f"data{len(started)}"
        server = ServerProcess(data_dir=data_dir, db_url=db_url, settings=dict(settings))
        started.append(server)
        return server.start()

    yield make
    for server in started:
        server.kill()


@pytest.fixture
def server(server_factory: object) -> ServerProcess:
    return server_factory()  # type: ignore[operator]

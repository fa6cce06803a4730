from __future__ import annotations


import pytest
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths, init_pki
from frontal.vault import journal


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PkiPaths:
    return init_pki(tmp_path_factory.mktemp("pki") / "pki")


@pytest.fixture(scope="session")
def foreign_pki(tmp_path_factory: pytest.TempPathFactory) -> PkiPaths:
    return init_pki(tmp_path_factory.mktemp("foreign") / "pki")


@pytest.fixture
def engine(engine: Engine) -> Engine:
    with engine.begin() as connection:
        journal.ensure_vault(connection, 1)
    return engine

"""frontal.vault.driver: the vault's fixed statements at the driver level, any paramstyle."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from frontal.vault import driver
from server.db.engine import make_engine


@pytest.mark.parametrize("paramstyle", [None, "named"])
def test_statements_run_with_the_driver_s_paramstyle(tmp_path: Path, paramstyle: str | None) -> None:
    extra = {"paramstyle": paramstyle} if paramstyle else {}
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}", **extra)
    try:
        with engine.begin() as c:
            c.exec_driver_sql("CREATE TABLE t (a INTEGER, b TEXT)")
            driver.Statement("INSERT INTO t (a, b) VALUES (?, ?)").executemany(c, [(1, "x"), (2, None)])
            assert driver.Statement("INSERT INTO t (a, b) VALUES (?, ?)").execute(c, 3, "y") == []
            rows = driver.Statement("SELECT a, b FROM t WHERE a >= ? ORDER BY a").execute(c, 2)
        assert [tuple(r) for r in rows] == [(2, None), (3, "y")]
    finally:
        engine.dispose()


def test_statements_use_question_marks_only() -> None:
    with pytest.raises(ValueError):
        driver.Statement("SELECT :a")


def test_one_write_lock_per_sqlite_engine(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    other = make_engine(f"sqlite:///{tmp_path / 'y.sqlite3'}")
    try:
        assert driver.write_lock(engine) is driver.write_lock(engine)
        assert driver.write_lock(engine) is not driver.write_lock(other)
    finally:
        engine.dispose()
        other.dispose()

"""Hypothesis drives random sequences of deposits, withdrawals, stakes, wins and the
operator's movements (the real functions, notices included): the books balance after
each step and no player compartment ever goes negative."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from server.db.tables import players
from server.wallet import ledger, operator_movements
from server.wallet.ledger import InsufficientFunds, Posting, operator_account, player_account

CLEARING = operator_account("psp_clearing")
STAKES = operator_account("stakes_in_play")
PLAYERS = ("P1", "P2")


@pytest.fixture
def engine(engine: Engine) -> Engine:
    with engine.begin() as c:
        for pid in PLAYERS:
            c.execute(insert(players).values(id=pid, login=pid, pseudo=pid, password_hash="x", status="open",
                                             created_at=datetime.now(timezone.utc)))
    return engine


def _raw(kind: str, pid: str, cents: int) -> list[Posting]:
    return {
        "deposit": [Posting(player_account(pid), cents), Posting(CLEARING, -cents)],
        "withdraw": [Posting(player_account(pid), -cents), Posting(CLEARING, cents)],
        "stake": [Posting(player_account(pid), -cents), Posting(STAKES, cents)],
        "win": [Posting(player_account(pid), cents), Posting(STAKES, -cents)],
        "bonus_stake": [Posting(player_account(pid, "bonus", "PS"), -cents), Posting(STAKES, cents)],
    }[kind]


steps = st.lists(st.tuples(
    st.sampled_from(["deposit", "withdraw", "stake", "win", "bonus_stake", "CPTEABOND", "CPTEALIMOPE",
                     "CPTEAJUSTOPE", "LOTNATURE"]),
    st.sampled_from(PLAYERS),
    st.integers(min_value=1, max_value=20_000),
    st.booleans(),
), max_size=30)


def _operator(c: Any, kind: str, pid: str, cents: int, debit: bool) -> None:
    if kind == "CPTEABOND":
        operator_movements.abondement(c, pid, "JC", cents, "offre", "Offre")
    elif kind == "CPTEALIMOPE":
        operator_movements.bonus(c, pid, "PS", cents, "bienvenue")
    elif kind == "CPTEAJUSTOPE":
        operator_movements.adjustment(c, pid, ["JC"], "Abondement", "correction", solde_cents=-cents if debit else cents)
    else:
        operator_movements.prize_in_kind(c, pid, "JC", [{"name": "lot", "value_cents": cents}])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_random_lives_keep_the_books(engine: Engine, sequence: list[tuple[str, str, int, bool]]) -> None:
    for kind, pid, cents, debit in sequence:
        try:
            with engine.begin() as c:
                if kind.startswith("CPTE") or kind == "LOTNATURE":
                    _operator(c, kind, pid, cents, debit)
                else:
                    ledger.post(c, kind, _raw(kind, pid, cents))
        except (InsufficientFunds, operator_movements.MovementRefused):
            pass  # refused: nothing moved, which the check below also proves
        with engine.begin() as c:
            report = ledger.check(c)
            assert report.ok, report.problems
            for p in PLAYERS:
                for account in (player_account(p), player_account(p, "bonus", "PS")):
                    assert ledger.balance(c, account) >= 0

"""Deposits and withdrawals through the staging provider, on both backends."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from sqlalchemy import insert, select
from twisted.internet import reactor
from twisted.internet.defer import Deferred

from client.blocking import in_reactor
from server.db import migrate
from server.db.engine import make_engine
from server.db.pool import Database
from server.db.tables import notices, players
from server.hub import Hub
from server.moderators import Ceiling, CeilingExceeded, Period
from server.notices import NoticeService
from server.wallet import ledger
from server.wallet.ledger import player_account
from server.wallet.payments import Payments, PaymentRefused
from server.wallet.psp import StagingProvider

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


class Env:
    def __init__(self, db_url: str) -> None:
        engine = make_engine(db_url)
        migrate.upgrade(engine)
        self.db = Database(engine, reactor)
        self.db.start()
        self.ceiling: Ceiling | None = None
        self.notices = NoticeService(self.db, Hub(), 100)

        async def ceiling(_player: str) -> Ceiling | None:
            return self.ceiling

        self.payments = Payments(self.db, StagingProvider(), self.notices, ceiling, clock=lambda: NOW)
        with engine.begin() as c:
            c.execute(insert(players).values(id="JP1", login="p1", pseudo="p1", password_hash="x", status="open",
                                             created_at=NOW))

    def run(self, coroutine: Any) -> Any:
        return in_reactor(lambda: Deferred.fromCoroutine(coroutine))

    def balance(self) -> int:
        with self.db.engine.begin() as c:
            assert ledger.check(c).ok
            return ledger.balance(c, player_account("JP1"))

    def notices_data(self) -> list[dict[str, Any]]:
        import json

        with self.db.engine.begin() as c:
            return [json.loads(r.payload) for r in c.execute(select(notices).order_by(notices.c.id))]


@pytest.fixture
def env(db_url: str) -> Iterator[Env]:
    environment = Env(db_url)
    yield environment
    environment.db.stop()


def test_deposit_paths(env: Env) -> None:
    ok = env.run(env.payments.deposit("JP1", 5_000))
    assert ok.status == "succeeded" and env.balance() == 5_000
    failed = env.run(env.payments.deposit("JP1", 1_000, "fail"))
    assert failed.status == "failed" and env.balance() == 5_000
    late = env.run(env.payments.deposit("JP1", 2_000, "timeout"))
    assert late.status == "pending" and env.balance() == 5_000
    late_fail = env.run(env.payments.deposit("JP1", 3_000, "timeout_then_fail"))
    settled = env.run(env.payments.reconcile())
    assert sorted((p.id, p.status) for p in settled) == [(late.id, "succeeded"), (late_fail.id, "failed")]
    assert env.balance() == 7_000
    assert env.run(env.payments.reconcile()) == []
    data = env.notices_data()
    assert [d["event"] for d in data] == ["CPTEALIM", "CPTEALIM"]
    assert (data[0]["solde_avant"], data[0]["solde_mouvement"], data[0]["solde_apres"]) == ("0.00", "50.00", "50.00")
    assert (data[1]["solde_avant"], data[1]["solde_apres"]) == ("50.00", "70.00")


def test_deposit_ceiling_counts_pending(env: Env) -> None:
    env.ceiling = Ceiling(10_000, Period.MONTH)
    env.run(env.payments.deposit("JP1", 6_000, "timeout"))
    with pytest.raises(CeilingExceeded, match="4000 left"):
        env.run(env.payments.deposit("JP1", 4_001))
    env.run(env.payments.deposit("JP1", 4_000))
    assert env.balance() == 4_000


def test_withdrawal_paths(env: Env) -> None:
    env.run(env.payments.deposit("JP1", 10_000))
    with pytest.raises(PaymentRefused, match="insufficient"):
        env.run(env.payments.withdraw("JP1", 10_001, "FR1420041010050500013M02606"))
    done = env.run(env.payments.withdraw("JP1", 2_500, "FR1420041010050500013M02606"))
    assert done.status == "succeeded" and env.balance() == 7_500
    refused = env.run(env.payments.withdraw("JP1", 1_000, "FR1420041010050500013M02606", "fail"))
    assert refused.status == "failed" and env.balance() == 7_500
    pending = env.run(env.payments.withdraw("JP1", 7_500, "FR1420041010050500013M02606", "timeout"))
    assert pending.status == "pending" and env.balance() == 0  # reserved: cannot be spent twice
    with pytest.raises(PaymentRefused):
        env.run(env.payments.withdraw("JP1", 1, "FR1420041010050500013M02606"))
    env.run(env.payments.reconcile())
    assert env.balance() == 0
    withdrawals = [d for d in env.notices_data() if d["event"] == "CPTERETRAIT"]
    assert [(d["solde_avant"], d["solde_mouvement"], d["solde_apres"]) for d in withdrawals] == [
        ("100.00", "25.00", "75.00"), ("75.00", "75.00", "0.00")]


def test_bad_amounts_change_nothing(env: Env) -> None:
    for amount in (0, -5, 1.5):
        with pytest.raises(PaymentRefused):
            env.run(env.payments.deposit("JP1", amount))  # type: ignore[arg-type]
    assert env.balance() == 0 and env.notices_data() == []

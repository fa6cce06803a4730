"""The ledger never loses a cent: property tests and real concurrent transactions."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from server.wallet import ledger
from server.wallet.ledger import InsufficientFunds, LedgerError, Posting, operator_account, player_account
from tests.support import REPO

CLEARING = operator_account("psp_clearing")
STAKES = operator_account("stakes_in_play")
BONUS_BUDGET = operator_account("bonus_budget")


def deposit(engine: Engine, player: str, cents: int, key: str | None = None) -> ledger.Transaction:
    with engine.begin() as c:
        return ledger.post(c, "deposit", [Posting(player_account(player), cents), Posting(CLEARING, -cents)],
                           idempotency_key=key)


def withdraw(engine: Engine, player: str, cents: int) -> ledger.Transaction:
    with engine.begin() as c:
        return ledger.post(c, "withdrawal", [Posting(player_account(player), -cents), Posting(CLEARING, cents)])


def test_balanced_movements_and_refusals(engine: Engine) -> None:
    deposit(engine, "J1", 10_000)
    tx = withdraw(engine, "J1", 2_550)
    assert tx.balances_after[player_account("J1")] == 7_450
    with pytest.raises(InsufficientFunds):
        withdraw(engine, "J1", 7_451)
    with engine.begin() as c:
        with pytest.raises(LedgerError, match="do not balance"):
            ledger.post(c, "x", [Posting(player_account("J1"), 5), Posting(CLEARING, -4)])
        with pytest.raises(LedgerError, match="integer cents"):
            ledger.post(c, "x", [Posting(player_account("J1"), 1.5), Posting(CLEARING, -1.5)])  # type: ignore[arg-type]
        with pytest.raises(LedgerError, match="two entries"):
            ledger.post(c, "x", [Posting(player_account("J1"), 0)])
        assert ledger.balance(c, player_account("J1")) == 7_450
        assert ledger.check(c).ok


def test_idempotency_key_moves_money_once(engine: Engine) -> None:
    first = deposit(engine, "J2", 500, key="psp:abc")
    second = deposit(engine, "J2", 500, key="psp:abc")
    assert second.replayed and second.id == first.id
    with engine.begin() as c:
        assert ledger.balance(c, player_account("J2")) == 500


def test_check_detects_tampering(engine: Engine) -> None:
    deposit(engine, "J3", 1_000)
    with engine.begin() as c:
        c.execute(text("UPDATE ledger_accounts SET balance_cents = balance_cents + 1 WHERE code LIKE :p"), {"p": "player:%"})
        report = ledger.check(c)
    assert not report.ok and "cached balance 1001 != sum of entries 1000" in report.problems[0]


def test_cli_check_exit_codes(engine: Engine, db_url: str) -> None:
    deposit(engine, "J4", 100)
    run = lambda: subprocess.run([sys.executable, "-m", "server.cli", "ledger", "check", "--db-url", db_url],
                                 capture_output=True, text=True, cwd=REPO, timeout=60)
    ok = run()
    assert ok.returncode == 0 and "books balance" in ok.stdout
    with engine.begin() as c:
        c.exec_driver_sql("DELETE FROM ledger_entries WHERE amount_cents < 0")
    broken = run()
    assert broken.returncode == 1 and "PROBLEM" in broken.stdout


operations = st.lists(
    st.tuples(
        st.sampled_from(["deposit", "withdraw", "stake", "win", "bonus", "bonus_stake"]),
        st.sampled_from(["P1", "P2", "P3"]),
        st.integers(min_value=1, max_value=50_000),
    ),
    max_size=40,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_sequences_keep_the_books(engine: Engine, ops: list[tuple[str, str, int]]) -> None:
    shapes = {
        "deposit": lambda p, a: [Posting(player_account(p), a), Posting(CLEARING, -a)],
        "withdraw": lambda p, a: [Posting(player_account(p), -a), Posting(CLEARING, a)],
        "stake": lambda p, a: [Posting(player_account(p), -a), Posting(STAKES, a)],
        "win": lambda p, a: [Posting(player_account(p), a), Posting(STAKES, -a)],
        "bonus": lambda p, a: [Posting(player_account(p, "bonus"), a), Posting(BONUS_BUDGET, -a)],
        "bonus_stake": lambda p, a: [Posting(player_account(p, "bonus"), -a), Posting(STAKES, a)],
    }
    with engine.begin() as c:
        expected = {code: ledger.balance(c, code) for code in
                    [player_account(p, comp) for p in ("P1", "P2", "P3") for comp in ("solde", "bonus")]}
    for kind, player, amount in ops:
        postings = shapes[kind](player, amount)
        try:
            with engine.begin() as c:
                ledger.post(c, kind, postings)
        except InsufficientFunds:
            own = postings[0]
            assert expected[own.account] + own.amount_cents < 0
            continue
        own = postings[0]
        expected[own.account] += own.amount_cents
        with engine.begin() as c:
            report = ledger.check(c)
            assert report.ok, report.problems
            assert ledger.balance(c, own.account) == expected[own.account]


def test_concurrent_movements_never_overdraw(engine: Engine) -> None:
    """Real concurrent transactions from many threads on one account."""
    deposit(engine, "JC", 10_000)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        for _ in range(10):
            kind = ("withdraw", "stake", "deposit")[index % 3]
            cents = 700 if kind != "deposit" else 300
            postings = {
                "withdraw": [Posting(player_account("JC"), -cents), Posting(CLEARING, cents)],
                "stake": [Posting(player_account("JC"), -cents), Posting(STAKES, cents)],
                "deposit": [Posting(player_account("JC"), cents), Posting(CLEARING, -cents)],
            }[kind]
            for attempt in range(50):
                try:
                    with engine.begin() as c:
                        ledger.post(c, kind, postings)
                    result = kind
                    break
                except InsufficientFunds:
                    result = "refused"
                    break
                except OperationalError:  # lock timeout or serialization: retry as a client would
                    continue
            else:
                result = "gave up"
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert "gave up" not in outcomes and len(outcomes) == 80
    done = {k: outcomes.count(k) for k in ("withdraw", "stake", "deposit")}
    expected = 10_000 - 700 * (done["withdraw"] + done["stake"]) + 300 * done["deposit"]
    with engine.begin() as c:
        assert ledger.balance(c, player_account("JC")) == expected >= 0
        assert ledger.check(c).ok

"""Double-entry bookkeeping in integer euro cents.

Every money movement is one transaction whose entries sum to zero. Player compartments
(``solde``, ``bonus``) may never go below zero; operator accounts that face the outside
world (payment clearing, bonus budget...) may. Accounts touched by a transaction are
locked in a fixed order (by id) before their balances are read, so concurrent movements on
one account serialise and cannot overdraw it: ``SELECT ... FOR UPDATE`` on PostgreSQL,
``BEGIN IMMEDIATE`` (one writer) on SQLite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from server.wallet.tables import ledger_accounts, ledger_entries, ledger_transactions

COMPARTMENTS = ("solde", "bonus")
LICENCES = ("ALL", "PS", "PH", "JC")


class LedgerError(ValueError):
    """A movement that would break the books; nothing was written."""


class InsufficientFunds(LedgerError):
    def __init__(self, account: str, balance: int, needed: int) -> None:
        super().__init__(f"{account}: balance {balance} cents, movement needs {needed}")
        self.account = account
        self.balance = balance
        self.needed = needed


def player_account(player_id: str, compartment: str = "solde", licence: str = "ALL") -> str:
    if compartment not in COMPARTMENTS:
        raise LedgerError(f"unknown compartment {compartment!r}")
    if licence not in LICENCES:
        raise LedgerError(f"unknown licence {licence!r}")
    if not player_id or ":" in player_id:
        raise LedgerError(f"bad player id {player_id!r}")
    return f"player:{player_id}:{compartment}:{licence}"


def operator_account(name: str) -> str:
    if not name or ":" in name:
        raise LedgerError(f"bad operator account name {name!r}")
    return f"operator:{name}"


@dataclass(frozen=True)
class Posting:
    account: str
    amount_cents: int


@dataclass(frozen=True)
class Transaction:
    id: int
    kind: str
    created_at: datetime
    postings: tuple[Posting, ...]
    balances_after: dict[str, int]
    replayed: bool = False


def _check_postings(postings: Sequence[Posting]) -> None:
    if len(postings) < 2:
        raise LedgerError("a transaction needs at least two entries")
    for p in postings:
        if not isinstance(p.amount_cents, int) or isinstance(p.amount_cents, bool):
            raise LedgerError(f"amounts are integer cents, got {p.amount_cents!r}")
        if p.amount_cents == 0:
            raise LedgerError(f"zero entry on {p.account}")
        if not (p.account.startswith("player:") or p.account.startswith("operator:")):
            raise LedgerError(f"unknown account kind {p.account!r}")
    if sum(p.amount_cents for p in postings) != 0:
        raise LedgerError("entries do not balance")


def _ensure_accounts(connection: Connection, codes: Iterable[str]) -> None:
    wanted = sorted(set(codes))
    existing = set(connection.execute(select(ledger_accounts.c.code).where(ledger_accounts.c.code.in_(wanted))).scalars())
    for code in wanted:
        if code in existing:
            continue
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(ledger_accounts).values(
                        code=code, may_go_negative=int(code.startswith("operator:")), balance_cents=0
                    )
                )
        except IntegrityError:
            pass  # created concurrently: fine, it exists now


def _lock(connection: Connection, codes: Sequence[str]) -> dict[str, Any]:
    """Read the accounts; lock (in id order) only those that may not go negative.

    Operator accounts may go negative, so nothing needs their balance before the update:
    they are changed last with an atomic increment, and a hot one (stakes in play) is held
    only from that statement to the commit instead of for the whole movement."""
    rows = {row.code: row for row in connection.execute(
        select(ledger_accounts).where(ledger_accounts.c.code.in_(codes)).order_by(ledger_accounts.c.id))}
    guarded = [code for code in codes if not rows[code].may_go_negative]
    if guarded and connection.dialect.name != "sqlite":  # SQLite: BEGIN IMMEDIATE already serialises
        query = (select(ledger_accounts).where(ledger_accounts.c.code.in_(guarded))
                 .order_by(ledger_accounts.c.id).with_for_update())
        rows.update({row.code: row for row in connection.execute(query)})
    return rows


def post(
    connection: Connection,
    kind: str,
    postings: Sequence[Posting],
    *,
    idempotency_key: str | None = None,
    memo: dict[str, Any] | None = None,
) -> Transaction:
    """Write one balanced transaction inside the caller's DB transaction."""
    _check_postings(postings)
    if idempotency_key is not None:
        previous = _find_by_key(connection, idempotency_key)
        if previous is not None:
            return previous
    codes = sorted({p.account for p in postings})
    _ensure_accounts(connection, codes)
    accounts = _lock(connection, codes)
    if idempotency_key is not None:
        # Re-check under the locks: a concurrent twin may have committed meanwhile.
        previous = _find_by_key(connection, idempotency_key)
        if previous is not None:
            return previous
    delta: dict[str, int] = {}
    for p in postings:
        delta[p.account] = delta.get(p.account, 0) + p.amount_cents
    after: dict[str, int] = {}
    for code in codes:
        row = accounts[code]
        new_balance = row.balance_cents + delta[code]
        if new_balance < 0 and not row.may_go_negative:
            raise InsufficientFunds(code, row.balance_cents, -delta[code])
        after[code] = new_balance
    created_at = datetime.now(timezone.utc)
    transaction_id = connection.execute(
        insert(ledger_transactions)
        .values(kind=kind, created_at=created_at, idempotency_key=idempotency_key,
                memo=json.dumps(memo or {}, sort_keys=True))
        .returning(ledger_transactions.c.id)
    ).scalar_one()
    connection.execute(
        insert(ledger_entries),
        [{"transaction_id": transaction_id, "account_id": accounts[p.account].id, "amount_cents": p.amount_cents}
         for p in postings],
    )
    for code in sorted(codes, key=lambda c: accounts[c].id):
        account = ledger_accounts.c
        if accounts[code].may_go_negative:
            after[code] = connection.execute(
                update(ledger_accounts).where(account.id == accounts[code].id)
                .values(balance_cents=account.balance_cents + delta[code]).returning(account.balance_cents)
            ).scalar_one()
        else:
            connection.execute(update(ledger_accounts).where(account.id == accounts[code].id)
                               .values(balance_cents=after[code]))
    return Transaction(transaction_id, kind, created_at, tuple(postings), after)


def _find_by_key(connection: Connection, key: str) -> Transaction | None:
    row = connection.execute(select(ledger_transactions).where(ledger_transactions.c.idempotency_key == key)).first()
    if row is None:
        return None
    entries = connection.execute(
        select(ledger_accounts.c.code, ledger_entries.c.amount_cents, ledger_accounts.c.balance_cents)
        .join(ledger_accounts, ledger_accounts.c.id == ledger_entries.c.account_id)
        .where(ledger_entries.c.transaction_id == row.id)
        .order_by(ledger_entries.c.id)
    ).all()
    return Transaction(
        row.id, row.kind, row.created_at, tuple(Posting(e.code, e.amount_cents) for e in entries),
        {e.code: e.balance_cents for e in entries}, replayed=True,
    )


def balance(connection: Connection, account: str) -> int:
    value = connection.execute(select(ledger_accounts.c.balance_cents).where(ledger_accounts.c.code == account)).scalar()
    return int(value or 0)


@dataclass(frozen=True)
class CheckReport:
    accounts: int
    transactions: int
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(connection: Connection) -> CheckReport:
    """Every cached balance equals the sum of its entries; every transaction sums to zero."""
    problems: list[str] = []
    sums = dict(
        connection.execute(
            select(ledger_entries.c.account_id, func.coalesce(func.sum(ledger_entries.c.amount_cents), 0))
            .group_by(ledger_entries.c.account_id)
        ).all()
    )
    accounts = connection.execute(select(ledger_accounts)).all()
    for row in accounts:
        derived = int(sums.get(row.id, 0))
        if derived != row.balance_cents:
            problems.append(f"{row.code}: cached balance {row.balance_cents} != sum of entries {derived}")
        if derived < 0 and not row.may_go_negative:
            problems.append(f"{row.code}: negative balance {derived}")
    unbalanced = connection.execute(
        select(ledger_entries.c.transaction_id, func.sum(ledger_entries.c.amount_cents))
        .group_by(ledger_entries.c.transaction_id)
        .having(func.sum(ledger_entries.c.amount_cents) != 0)
    ).all()
    for transaction_id, total in unbalanced:
        problems.append(f"transaction {transaction_id} does not balance: {total}")
    orphans = connection.execute(
        select(func.count()).select_from(ledger_transactions).where(
            ~ledger_transactions.c.id.in_(select(ledger_entries.c.transaction_id))
        )
    ).scalar_one()
    if orphans:
        problems.append(f"{orphans} transaction(s) without entries")
    total = sum(int(v) for v in sums.values())
    if total != 0:
        problems.append(f"the books do not balance: entries sum to {total}")
    return CheckReport(
        accounts=len(accounts),
        transactions=connection.execute(select(func.count()).select_from(ledger_transactions)).scalar_one(),
        entries=connection.execute(select(func.count()).select_from(ledger_entries)).scalar_one(),
        problems=problems,
    )

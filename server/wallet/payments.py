"""Deposits and withdrawals: the provider's word moves the money, the player's ack records it.

- A deposit is credited only when the provider confirms it; then a CPTEALIM notice is
  pushed (the trace is recorded when the player acknowledges it, SPEC-NOTES 3).
- A withdrawal reserves the amount at once (player ``solde`` -> ``withdrawals_pending``)
  so it cannot be staked or withdrawn twice; the provider's confirmation moves it out
  (``withdrawals_pending`` -> ``psp_clearing``) and pushes CPTERETRAIT; a refusal gives it
  back.
- A provider that does not answer in time leaves the payment pending; ``reconcile`` asks
  again. Each ledger movement carries the payment's idempotency key, so a reconciliation
  that races a late answer cannot move money twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from server.db.pool import Database
from server.moderators import Ceiling, check_within, period_start
from server.notices import Notice, NoticeService, insert_notice
from server.wallet import ledger
from server.wallet.ledger import Posting, operator_account
from server.wallet.solde import solde_account
from server.wallet.psp import Outcome, PaymentProvider, ProviderAnswer
from server.wallet.tables import payments

CLEARING = operator_account("psp_clearing")
WITHDRAWALS_PENDING = operator_account("withdrawals_pending")


class PaymentRefused(ValueError):
    pass


@dataclass(frozen=True)
class Payment:
    id: int
    player_id: str
    direction: str
    amount_cents: int
    status: str
    reason: str
    requested_at: datetime
    effective_at: datetime | None
    provider_reference: str | None


def _row(row: Any) -> Payment:
    return Payment(row.id, row.player_id, row.direction, row.amount_cents, row.status, row.reason,
                   row.requested_at, row.effective_at, row.provider_reference)


def deposited_since(connection: Connection, player_id: str, since: datetime) -> int:
    """Deposits counted against the ceiling: confirmed and still pending ones."""
    return int(connection.execute(
        select(func.coalesce(func.sum(payments.c.amount_cents), 0)).where(
            (payments.c.player_id == player_id) & (payments.c.direction == "deposit")
            & payments.c.status.in_(("pending", "succeeded")) & (payments.c.requested_at >= since)
        )
    ).scalar_one())


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


CeilingLookup = Callable[[str], Awaitable[Ceiling | None]]


class Payments:
    def __init__(self, db: Database, provider: PaymentProvider, notices: NoticeService,
                 deposit_ceiling: CeilingLookup, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._provider = provider
        self._notices = notices
        self._deposit_ceiling = deposit_ceiling
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    async def deposit(self, player_id: str, amount_cents: int, scenario: str = "succeed") -> Payment:
        if not isinstance(amount_cents, int) or amount_cents <= 0:
            raise PaymentRefused("a deposit is a positive number of cents")
        ceiling = await self._deposit_ceiling(player_id)
        now = self._clock()

        def open_deposit(c: Connection) -> int:
            if ceiling is not None:
                used = deposited_since(c, player_id, period_start(ceiling.period, now))
                check_within("deposit", ceiling, used, amount_cents)
            return c.execute(insert(payments).values(
                player_id=player_id, direction="deposit", trigger="player", amount_cents=amount_cents,
                status="pending", provider=self._provider.name, payment_type=self._provider.payment_type,
                reason="", requested_at=now,
            ).returning(payments.c.id)).scalar_one()

        payment_id = await self._db.transaction(open_deposit)
        answer = await self._provider.charge(payment_id, amount_cents, scenario)
        return await self._settle(payment_id, answer)

    async def withdraw(self, player_id: str, amount_cents: int, account_reference: str,
                       scenario: str = "succeed", trigger: str = "player") -> Payment:
        if not isinstance(amount_cents, int) or amount_cents <= 0:
            raise PaymentRefused("a withdrawal is a positive number of cents")
        now = self._clock()

        def reserve(c: Connection) -> int:
            payment_id = c.execute(insert(payments).values(
                player_id=player_id, direction="withdrawal", trigger=trigger, amount_cents=amount_cents,
                status="pending", provider=self._provider.name, payment_type=self._provider.payment_type,
                reason="", requested_at=now,
            ).returning(payments.c.id)).scalar_one()
            solde = solde_account(c, player_id)
            tx = ledger.post(c, "withdrawal_reserved",
                             [Posting(solde, -amount_cents), Posting(WITHDRAWALS_PENDING, amount_cents)],
                             idempotency_key=f"payment:{payment_id}:reserve")
            c.execute(update(payments).where(payments.c.id == payment_id)
                      .values(balance_after_cents=tx.balances_after[solde]))
            return payment_id

        try:
            payment_id = await self._db.transaction(reserve)
        except ledger.InsufficientFunds as exc:
            raise PaymentRefused(f"insufficient balance: {_euros(exc.balance)} available") from None
        answer = await self._provider.payout(payment_id, amount_cents, account_reference, scenario)
        return await self._settle(payment_id, answer)

    async def reconcile(self) -> list[Payment]:
        """Ask the provider about every pending payment; settle those it now answers."""
        pending = await self._db.transaction(
            lambda c: [_row(r) for r in c.execute(select(payments).where(payments.c.status == "pending")
                                                  .order_by(payments.c.id)).all()]
        )
        settled = []
        for payment in pending:
            if payment.provider_reference is None:
                continue
            answer = await self._provider.status(payment.provider_reference)
            if answer.outcome is not Outcome.PENDING:
                settled.append(await self._settle(payment.id, answer))
        return settled

    async def _settle(self, payment_id: int, answer: ProviderAnswer) -> Payment:
        now = self._clock()

        def apply(c: Connection) -> tuple[Payment, Notice | None]:
            row = c.execute(select(payments).where(payments.c.id == payment_id)).one()
            if row.status != "pending":
                return _row(row), None  # already settled by a concurrent answer
            values: dict[str, Any] = {"provider_reference": answer.reference, "reason": answer.reason}
            notice = None
            if answer.outcome is Outcome.PENDING:
                c.execute(update(payments).where(payments.c.id == payment_id).values(**values))
                return _row(c.execute(select(payments).where(payments.c.id == payment_id)).one()), None
            account = solde_account(c, row.player_id)
            if answer.outcome is Outcome.SUCCEEDED:
                if row.direction == "deposit":
                    tx = ledger.post(c, "deposit", [Posting(account, row.amount_cents), Posting(CLEARING, -row.amount_cents)],
                                     idempotency_key=f"payment:{payment_id}:settle")
                    after = tx.balances_after[account]
                    values["balance_after_cents"] = after
                    data = {"event": "CPTEALIM", "payment_id": payment_id,
                              "solde_avant": _euros(after - row.amount_cents), "solde_mouvement": _euros(row.amount_cents),
                              "solde_apres": _euros(after), "date_demande": row.requested_at.isoformat(),
                              "date_effective": now.isoformat(), "moyen_paiement": row.provider,
                              "type_moyen_paiement": row.payment_type}
                else:
                    ledger.post(c, "withdrawal", [Posting(WITHDRAWALS_PENDING, -row.amount_cents), Posting(CLEARING, row.amount_cents)],
                                idempotency_key=f"payment:{payment_id}:settle")
                    # The player's balance moved when the amount was reserved; the trace
                    # reports the movement against the balance as it stood then.
                    after = row.balance_after_cents
                    data = {"event": "CPTERETRAIT", "payment_id": payment_id,
                              "solde_avant": _euros(after + row.amount_cents), "solde_mouvement": _euros(row.amount_cents),
                              "solde_apres": _euros(after)}
                notice = insert_notice(c, row.player_id, data["event"], data, limit=None)
                values.update(status="succeeded", effective_at=now)
            else:
                if row.direction == "withdrawal":
                    ledger.post(c, "withdrawal_refused", [Posting(WITHDRAWALS_PENDING, -row.amount_cents), Posting(account, row.amount_cents)],
                                idempotency_key=f"payment:{payment_id}:settle")
                values.update(status="failed")
            c.execute(update(payments).where(payments.c.id == payment_id).values(**values))
            return _row(c.execute(select(payments).where(payments.c.id == payment_id)).one()), notice

        payment, notice = await self._db.transaction(apply)
        if notice is not None:
            self._notices.deliver(notice)
        return payment

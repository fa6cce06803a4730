"""Where a cash-table buy-in's chips come from: the solde, the poker bonus compartment, the operator.

A buy-in (or a top-up) of ``amount`` cents is what the player pays: ``bonus`` of it from
the bonus compartment of the poker licence (``JC``) when the table allows it, the rest
from the solde. The table may add an operator top-up (``MontAbond``, the annex's
"abondement de mise"): a share of what the player pays, capped, given as extra chips and
paid from the promotions budget. The table's limits apply to what the player pays.

Chips are money at the table whatever paid for them: what is left when the player leaves
goes back to the solde (POREVERS has no bonus fields); an operator who wants a bonus to
stay a bonus keeps ``bonus_allowed`` off at cash tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from frontal.builders import po
from frontal.builders.pasp import BalanceMove
from server.protocol.errors import ProtocolError
from server.wallet import ledger
from server.wallet.ledger import Posting, player_account
from server.wallet.money import euros
from server.wallet.operator_movements import PROMOTIONS
from server.wallet.solde import solde_account
from server.wallet.tables import ledger_accounts, ledger_entries, ledger_transactions

POKER_LICENCE = "JC"


@dataclass(frozen=True)
class OperatorTopUp:
    percent: Decimal  # of what the player pays
    cap: int  # cents per buy-in; 0: no cap

    def on(self, amount: int) -> int:
        value = int((Decimal(amount) * self.percent / 100).to_integral_value(ROUND_DOWN))
        return min(value, self.cap) if self.cap else value


@dataclass(frozen=True)
class TableMoney:
    bonus_allowed: bool
    top_up: OperatorTopUp


@dataclass(frozen=True)
class Funding:
    amount: int  # what the player pays, solde and bonus together
    bonus: int
    top_up: int

    @property
    def solde(self) -> int:
        return self.amount - self.bonus

    @property
    def chips(self) -> int:
        return self.amount + self.top_up


def funding(amount: int, bonus: Any, rules: TableMoney) -> Funding:
    """The request's split, refused with a reason before anything moves."""
    bonus = 0 if bonus is None else bonus
    if bonus and not rules.bonus_allowed:
        raise ProtocolError("bonus_not_allowed", "this table takes no bonus money")
    if not 0 <= bonus <= amount:
        raise ProtocolError("invalid_buy_in", f"bonus_cents: from 0 to the buy-in ({amount})")
    return Funding(amount, bonus, rules.top_up.on(amount))


@dataclass(frozen=True)
class Balances:
    solde_account: str
    solde: int
    bonus_account: str
    bonus: int
    bonus_name: str | None


def balances(c: Connection, player_id: str) -> Balances:
    account = solde_account(c, player_id)
    bonus_account = player_account(player_id, "bonus", POKER_LICENCE)
    return Balances(account, ledger.balance(c, account), bonus_account, ledger.balance(c, bonus_account),
                    _bonus_name(c, bonus_account))


def _bonus_name(c: Connection, account: str) -> str | None:
    """The name the last credit of this bonus compartment was shown with (BonusNom)."""
    memo = c.execute(select(ledger_transactions.c.memo).select_from(ledger_transactions.join(
        ledger_entries, ledger_entries.c.transaction_id == ledger_transactions.c.id).join(
        ledger_accounts, ledger_accounts.c.id == ledger_entries.c.account_id)).where(
        (ledger_accounts.c.code == account) & (ledger_transactions.c.kind == "bonus")).order_by(
        ledger_transactions.c.id.desc()).limit(1)).scalar()
    name = json.loads(memo).get("name") if memo else None
    return name[:64] if isinstance(name, str) else None


def check_funds(found: Balances, money: Funding) -> None:
    if found.solde < money.solde:
        raise ProtocolError("insufficient_funds", f"the solde holds {found.solde} cents, the buy-in needs "
                                                  f"{money.solde}")
    if found.bonus < money.bonus:
        raise ProtocolError("insufficient_funds", f"the poker bonus holds {found.bonus} cents, not {money.bonus}")


def post(c: Connection, found: Balances, money: Funding, escrow: str, memo: dict[str, Any]) -> None:
    """One transaction; refused if a balance moved since ``found`` was read (the trace shows ``found``)."""
    postings = [Posting(escrow, money.chips)]
    if money.solde:
        postings.append(Posting(found.solde_account, -money.solde))
    if money.bonus:
        postings.append(Posting(found.bonus_account, -money.bonus))
    if money.top_up:
        postings.append(Posting(PROMOTIONS, -money.top_up))
    tx = ledger.post(c, "poker_buy_in", postings, memo=memo)
    if (money.solde and tx.balances_after[found.solde_account] != found.solde - money.solde) or (
            money.bonus and tx.balances_after[found.bonus_account] != found.bonus - money.bonus):
        raise ProtocolError("retry", "a balance changed during the buy-in; nothing was moved, try again")


def pocave(tech: str, found: Balances, money: Funding, cave_min: int, cave_max: int) -> po.BuyIn:
    def move(before: int, amount: int) -> BalanceMove | None:
        return BalanceMove(euros(before), euros(amount), euros(before - amount)) if amount else None

    return po.BuyIn(tech, euros(money.chips), "Euro", cave_min=euros(cave_min), cave_max=euros(cave_max),
                    solde=move(found.solde, money.solde),
                    mont_abond=euros(money.top_up) if money.top_up else None,
                    bonus=move(found.bonus, money.bonus), bonus_nom=found.bonus_name if money.bonus else None)

"""Money a player staked, for the stake ceiling the player set (PREFCPTE MiseMax).

A stake is money leaving the player's own accounts to play: a cash-table buy-in or top-up,
a tournament entry (buy-in and fee), a rebuy or add-on, a sports bet. Refunds do not give the ceiling back: the ceiling is
on what the player committed in the period, as the player chose it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from server.wallet.tables import ledger_accounts, ledger_entries, ledger_transactions

STAKE_KINDS = ("poker_buy_in", "tournament_buy_in", "tournament_purchase", "sports_stake")


def staked_since(connection: Connection, player_id: str, since: datetime) -> int:
    """Cents taken from the player's accounts by stakes since ``since``."""
    return int(-connection.execute(
        select(func.coalesce(func.sum(ledger_entries.c.amount_cents), 0))
        .select_from(ledger_entries.join(ledger_transactions).join(ledger_accounts))
        .where(ledger_transactions.c.kind.in_(STAKE_KINDS) & (ledger_transactions.c.created_at >= since)
               & ledger_accounts.c.code.like(f"player:{player_id}:%") & (ledger_entries.c.amount_cents < 0))
    ).scalar_one())

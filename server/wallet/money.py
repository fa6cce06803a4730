"""Cents, the ledger's unit, as the euros the traces write (two decimals, exact)."""

from __future__ import annotations

from decimal import Decimal


def euros(amount_cents: int) -> Decimal:
    return Decimal(amount_cents).scaleb(-2)

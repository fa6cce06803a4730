"""Which solde compartment a player's money lives in.

One account for all licences (``ALL``) by default; with ``accounts.per_licence`` each
account serves one licence and its solde is that licence's (annex 1.3.3: the operator may
keep one account per licence). The choice is stored with the identity at opening, so every
money path reads it from the database.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from server.db.tables import player_identities
from server.wallet.ledger import player_account


def solde_account(connection: Connection, player_id: str) -> str:
    licence = connection.execute(select(player_identities.c.solde_licence).where(
        player_identities.c.player_id == player_id)).scalar()
    return player_account(player_id, "solde", licence or "ALL")

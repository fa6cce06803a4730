"""Tournament money in the ledger, each movement with the entry rows and notices it goes with.

Every function runs inside the caller's DB transaction and locks the tournament's row first
(``SELECT ... FOR UPDATE``; SQLite has one writer anyway), so a registration, an
unregistration, the start and a cancellation are serialised and each sees the others' rows:
a cancellation refunds exactly the entries whose money is in the escrow, and a registration
arriving after it moves nothing.

Accounts: the player's solde; the tournament's escrow ``operator:tournament-<id>`` (buy-ins and,
until the start, fees); ``operator:tournament-fees`` (fees from the start on). Notice data are
what ``server.cardroom.notice_events`` builds POANNUL and POGAIN from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from server.cardroom.buy_in import euros
from server.cardroom.tournament_tables import poker_tournament_entries, poker_tournaments
from server.notices import Notice, insert_notice
from server.protocol.errors import ProtocolError
from server.wallet import ledger
from server.wallet.ledger import Posting, operator_account
from server.wallet.solde import solde_account

FEES_ACCOUNT = operator_account("tournament-fees")


def escrow(tournament_id: str) -> str:
    return operator_account(f"tournament-{tournament_id}")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def lock(c: Connection, tournament_id: str) -> Any:
    return c.execute(select(poker_tournaments).where(poker_tournaments.c.id == tournament_id)
                     .with_for_update()).one()


@dataclass(frozen=True)
class Moved:
    before: int  # the solde, cents
    amount: int
    after: int


def pay_entry(c: Connection, tournament_id: str, tech: str, player_id: str, price: int, fee: int,
              expected_before: int) -> Moved:
    """The registration's money: solde to escrow (the fee straight to the operator once started)."""
    row = lock(c, tournament_id)
    if row.status not in ("open", "running"):
        raise ProtocolError("registration_closed", f"the tournament is {row.status}")
    account = solde_account(c, player_id)
    paid = price + fee
    fee_to = FEES_ACCOUNT if row.status == "running" else escrow(tournament_id)
    postings = [Posting(account, -paid), Posting(escrow(tournament_id), price if fee_to == FEES_ACCOUNT else paid)]
    if fee_to == FEES_ACCOUNT and fee:
        postings.append(Posting(FEES_ACCOUNT, fee))
    try:
        tx = ledger.post(c, "tournament_buy_in", [p for p in postings if p.amount_cents],
                         memo={"tournament": tournament_id, "tech": tech})
    except ledger.InsufficientFunds as exc:
        raise ProtocolError("insufficient_funds", str(exc)) from None
    after = tx.balances_after[account]
    if after != expected_before - paid:
        raise ProtocolError("retry", "the solde changed during the registration; nothing was moved, try again")
    c.execute(insert(poker_tournament_entries).values(
        tech=tech, tournament_id=tournament_id, player_id=player_id, price=price, fee=fee, chips=0,
        status="registered" if row.status == "open" else "playing", created_at=utcnow()))
    return Moved(expected_before, paid, after)


def pay_purchase(c: Connection, tournament_id: str, tech: str, player_id: str, price: int, fee: int,
                 expected_before: int) -> Moved:
    """A rebuy or add-on once the tournament runs: the price to the escrow (the prize pool), the
    fee to the operator; the entry's ``price`` and ``fee`` grow by them, so a refund gives all back."""
    row = lock(c, tournament_id)
    if row.status != "running":
        raise ProtocolError("purchase_refused", f"the tournament is {row.status}")
    entry = entry_of(c, tech)
    if entry.status != "playing":
        raise ProtocolError("purchase_refused", f"the registration is {entry.status}")
    account = solde_account(c, player_id)
    postings = [Posting(account, -(price + fee)), Posting(escrow(tournament_id), price), Posting(FEES_ACCOUNT, fee)]
    try:
        tx = ledger.post(c, "tournament_purchase", [p for p in postings if p.amount_cents],
                         memo={"tournament": tournament_id, "tech": tech})
    except ledger.InsufficientFunds as exc:
        raise ProtocolError("insufficient_funds", str(exc)) from None
    after = tx.balances_after[account]
    if after != expected_before - price - fee:
        raise ProtocolError("retry", "the solde changed during the purchase; nothing was moved, try again")
    c.execute(update(poker_tournament_entries).where(poker_tournament_entries.c.tech == tech).values(
        price=poker_tournament_entries.c.price + price, fee=poker_tournament_entries.c.fee + fee))
    return Moved(expected_before, price + fee, after)


def record_chips(c: Connection, tournament_id: str, tech: str, chips: int) -> None:
    """POCAVE's action: the entry holds its starting chips (refused once refunded)."""
    lock(c, tournament_id)
    done = c.execute(update(poker_tournament_entries).where(
        (poker_tournament_entries.c.tech == tech)
        & poker_tournament_entries.c.status.in_(("registered", "playing"))).values(chips=chips)).rowcount
    if not done:
        raise ProtocolError("registration_closed", "the registration was cancelled and refunded")


def refund(c: Connection, tournament_id: str, entry: Any, status: str, fees_collected: bool,
           expected_before: int | None = None) -> Moved:
    """Give back everything ``entry`` paid: the price from the escrow, the fee from wherever it is."""
    account = solde_account(c, entry.player_id)
    paid = entry.price + entry.fee
    postings = [Posting(account, paid)]
    from_escrow = entry.price + (0 if fees_collected else entry.fee)
    if from_escrow:
        postings.append(Posting(escrow(tournament_id), -from_escrow))
    if fees_collected and entry.fee:
        postings.append(Posting(FEES_ACCOUNT, -entry.fee))
    tx = ledger.post(c, "tournament_refund", postings, idempotency_key=f"tournament-refund:{entry.tech}",
                     memo={"tournament": tournament_id, "tech": entry.tech})
    after = tx.balances_after[account]
    if expected_before is not None and after != expected_before + paid:
        raise ProtocolError("retry", "the solde changed while unregistering; nothing was moved, try again")
    c.execute(update(poker_tournament_entries).where(poker_tournament_entries.c.tech == entry.tech).values(
        status=status, ended_at=utcnow()))
    return Moved(after - paid, paid, after)


def entry_of(c: Connection, tech: str) -> Any:
    return c.execute(select(poker_tournament_entries).where(poker_tournament_entries.c.tech == tech)).one()


def active_entries(c: Connection, tournament_id: str, statuses: tuple[str, ...]) -> list[Any]:
    return list(c.execute(select(poker_tournament_entries).where(
        (poker_tournament_entries.c.tournament_id == tournament_id)
        & poker_tournament_entries.c.status.in_(statuses)).order_by(poker_tournament_entries.c.created_at,
                                                                     poker_tournament_entries.c.tech)))


def collect_fees(c: Connection, tournament_id: str, techs: list[str]) -> int:
    """The start: the entries play, their fees become the operator's."""
    lock(c, tournament_id)
    entries = [entry_of(c, tech) for tech in techs]
    fees = sum(e.fee for e in entries)
    if fees:
        ledger.post(c, "tournament_fees", [Posting(escrow(tournament_id), -fees), Posting(FEES_ACCOUNT, fees)],
                    idempotency_key=f"tournament-fees:{tournament_id}", memo={"tournament": tournament_id})
    c.execute(update(poker_tournament_entries).where(poker_tournament_entries.c.tech.in_(techs)).values(
        status="playing"))
    return fees


def pay_prize(c: Connection, tournament_id: str, entry: Any, amount: int, info: str) -> Notice:
    """A prize from the escrow to the solde, and its POGAIN notice (traced on acknowledgement)."""
    account = solde_account(c, entry.player_id)
    tx = ledger.post(c, "tournament_prize", [Posting(escrow(tournament_id), -amount), Posting(account, amount)],
                     idempotency_key=f"tournament-prize:{entry.tech}",
                     memo={"tournament": tournament_id, "tech": entry.tech})
    after = tx.balances_after[account]
    return insert_notice(c, entry.player_id, "POGAIN", {
        "won_at": utcnow().isoformat(), "tech": entry.tech, "solde_avant": str(euros(after - amount)),
        "gain": str(euros(amount)), "solde_apres": str(euros(after)), "info": info,
        "tournament_id": tournament_id}, limit=None)


def refund_notice(c: Connection, tournament_id: str, entry: Any, moved: Moved, info: str) -> Notice:
    """POANNUL for a registration the platform cancelled and refunded."""
    return insert_notice(c, entry.player_id, "POANNUL", {
        "cancelled_at": utcnow().isoformat(), "tech": entry.tech, "solde_avant": str(euros(moved.before)),
        "montant": str(euros(moved.amount)), "solde_apres": str(euros(moved.after)), "info": info,
        "tournament_id": tournament_id}, limit=None)


def void_hand_notice(c: Connection, player_id: str, tech: str, id_partie: str, info: str) -> Notice:
    """POANNUL for a hand that will never finish: no money moves, the tournament settles it."""
    return insert_notice(c, player_id, "POANNUL", {
        "cancelled_at": utcnow().isoformat(), "tech": tech, "id_partie": id_partie, "info": info}, limit=None)

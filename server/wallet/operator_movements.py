"""Money the operator moves on a player's account (annex 1.3.3.i.4-5, j, k).

Each movement is applied at once in the ledger and, in the same transaction, a notice is
written for the player; the regulator's trace (CPTEABOND, CPTEALIMOPE, LOTNATURE,
CPTEAJUSTOPE) is recorded when the player acknowledges it. Bonus compartments are kept per
licence, as the annex requires when one account serves several licences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from server.notices import Notice, insert_notice
from server.wallet import ledger
from server.wallet.ledger import Posting, operator_account, player_account
from server.wallet.solde import solde_account

PROMOTIONS = operator_account("promotions")
ADJUSTMENTS = operator_account("adjustments")
LICENCES = ("PS", "PH", "JC")
ABONDEMENT_TYPES = ("Ouverture", "RakeBack", "HautFait", "Code", "Offre")
ADJUSTMENT_TYPES = ("Alimentation", "Retrait", "Gain", "Abondement", "Bonus", "Lot")


class MovementRefused(ValueError):
    pass


def euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _text(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise MovementRefused(f"{name}: 1 to {limit} characters")
    return value.strip()


def _licence(value: Any) -> str:
    if value not in LICENCES:
        raise MovementRefused(f"licence: one of {', '.join(LICENCES)}")
    return str(value)


def _positive(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise MovementRefused(f"{name}: a positive number of cents")
    return value


@dataclass(frozen=True)
class Applied:
    notice: Notice
    transaction_id: int | None


def abondement(c: Connection, player_id: str, licence: Any, amount_cents: Any, info: Any, kind: Any) -> Applied:
    """CPTEABOND: the operator credits the player's solde (withdrawable)."""
    licence = _licence(licence)
    amount = _positive(amount_cents, "amount_cents")
    info = _text(info, "info", 1024)
    if kind not in ABONDEMENT_TYPES:
        raise MovementRefused(f"type: one of {', '.join(ABONDEMENT_TYPES)}")
    account = solde_account(c, player_id)
    tx = ledger.post(c, "abondement", [Posting(account, amount), Posting(PROMOTIONS, -amount)],
                     memo={"licence": licence, "info": info})
    after = tx.balances_after[account]
    data = {"event": "CPTEABOND", "licence": licence, "solde_avant": euros(after - amount),
            "mont_abond": euros(amount), "solde_apres": euros(after), "info": info, "type_abondement": kind}
    return Applied(insert_notice(c, player_id, "CPTEABOND", data, limit=None), tx.id)


def bonus(c: Connection, player_id: str, licence: Any, amount_cents: Any, name: Any) -> Applied:
    """CPTEALIMOPE: the operator credits the licence's bonus compartment (stake only)."""
    licence = _licence(licence)
    amount = _positive(amount_cents, "amount_cents")
    name = _text(name, "name", 1024)
    account = player_account(player_id, "bonus", licence)
    tx = ledger.post(c, "bonus", [Posting(account, amount), Posting(PROMOTIONS, -amount)],
                     memo={"licence": licence, "name": name})
    after = tx.balances_after[account]
    data = {"event": "CPTEALIMOPE", "licence": licence, "bonus_avant": euros(after - amount),
            "bonus_mouvement": euros(amount), "bonus_apres": euros(after), "bonus_nom": name}
    return Applied(insert_notice(c, player_id, "CPTEALIMOPE", data, limit=None), tx.id)


def prize_in_kind(c: Connection, player_id: str, licence: Any, items: Any) -> Applied:
    """LOTNATURE: prizes in kind; no money moves, their value counts in the payout ratio."""
    licence = _licence(licence)
    if not isinstance(items, list) or not 1 <= len(items) <= 64:
        raise MovementRefused("items: 1 to 64 prizes")
    lots = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"name", "value_cents"}:
            raise MovementRefused('each prize is {"name": ..., "value_cents": ...}')
        lots.append({"nom": _text(item["name"], "name", 64), "valeur": euros(_positive(item["value_cents"], "value_cents"))})
    data = {"event": "LOTNATURE", "licence": licence, "lots": lots}
    return Applied(insert_notice(c, player_id, "LOTNATURE", data, limit=None), None)


def adjustment(c: Connection, player_id: str, licences: Any, kind: Any, info: Any,
               solde_cents: Any = 0, bonus_cents: Any = 0) -> Applied:
    """CPTEAJUSTOPE: an exceptional correction of the solde and/or a bonus compartment (signed)."""
    if not isinstance(licences, list) or not 1 <= len(licences) <= 3 or len(set(licences)) != len(licences):
        raise MovementRefused("licences: 1 to 3 distinct licences")
    licences = [_licence(x) for x in licences]
    if kind not in ADJUSTMENT_TYPES:
        raise MovementRefused(f"type: one of {', '.join(ADJUSTMENT_TYPES)}")
    info = _text(info, "info", 1024)
    for value, name in ((solde_cents, "solde_cents"), (bonus_cents, "bonus_cents")):
        if not isinstance(value, int) or isinstance(value, bool):
            raise MovementRefused(f"{name}: a whole number of cents (negative for a debit)")
    if kind == "Lot":
        if solde_cents or bonus_cents:
            raise MovementRefused("a prize-in-kind correction moves no money")
    elif kind == "Bonus":
        if solde_cents or not bonus_cents or len(licences) != 1:
            raise MovementRefused("a Bonus adjustment moves one licence's bonus compartment only")
    elif bonus_cents or not solde_cents:
        raise MovementRefused(f"a {kind} adjustment moves the solde only")
    data: dict[str, Any] = {"event": "CPTEAJUSTOPE", "licences": licences, "info": info, "type_ajust": kind}
    postings = []
    if solde_cents:
        postings.append((solde_account(c, player_id), solde_cents, "solde"))
    if bonus_cents:
        postings.append((player_account(player_id, "bonus", licences[0]), bonus_cents, "bonus"))
    transaction_id = None
    if postings:
        try:
            tx = ledger.post(c, "adjustment",
                             [Posting(a, v) for a, v, _ in postings] + [Posting(ADJUSTMENTS, -sum(v for _, v, _ in postings))],
                             memo={"info": info, "type": kind})
        except ledger.InsufficientFunds as exc:
            raise MovementRefused(f"the adjustment would make {exc.account} negative") from None
        transaction_id = tx.id
        for account, value, compartment in postings:
            after = tx.balances_after[account]
            data[f"{compartment}_avant"] = euros(after - value)
            data[f"{compartment}_ajust"] = euros(value)
            data[f"{compartment}_apres"] = euros(after)
    return Applied(insert_notice(c, player_id, "CPTEAJUSTOPE", data, limit=None), transaction_id)

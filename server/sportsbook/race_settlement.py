"""Settling fixed-odds race bets on their market's result, and again when it is corrected.

``settlement.settle_bet`` hands over a bet whose slip says ``"race": true`` (race_bets.py).
The bet is the engine's single (games.betslip), each-way with the terms it was struck on; its
runner's outcome comes from the market's result in force:

- a non-runner (its lines are void) or a void market: ``VOID``, the stake back (both parts of
  an each-way bet): PAHIANNUL, ``DateHeure`` the withdrawal (or the void result);
- the win leg won: ``WIN``, a dead heat sharing the win part; each-way, the place part is won
  too, with the place leg's own dead heat when more runners tied than places were left;
- the win leg lost and the place leg won (an each-way bet): ``PLACE``, the place part paid,
  shared on a dead heat for the last paying places;
- otherwise lost: nothing to trace (the annex has no event for it).

Rule 4 (Tattersalls' Rule 4(c)): a bet loses, from the net winnings of both parts, the
deductions of every runner of the race withdrawn *after* it was struck (``withdrawn_at``
later than the bet's ``struck_at``; the catalogue's rule, docs/sportsbook.md): they add up,
and "in the case of two or more horses being withdrawn, the total reduction shall not exceed
90 pence in the pound" (Tattersalls' wording, quoted by every bookmaker's help, e.g. William
Hill's "Rule 4 deduction" page). A withdrawal the bet was struck after was priced into its
odds, so it costs nothing. Bookmakers that waive a total of 5p do so as a house rule, not
Tattersalls': not applied (the operator gives the deduction it means to apply).

Money exactly as sports bets (settlement.py): in one transaction the stake leaves
``operator:sportsbook-stakes`` for the book, the return goes from the book to the solde
(whatever part of the stake came from the bonus), the notice is written; PAHIGAIN and
PAHIANNUL are recorded when the player acknowledges them. A corrected result resettles the
difference through ``settlement._resettle``: more due, a PAHIGAIN for it; less due, taken
back from the solde with a CPTEAJUSTOPE (type Gain, licence PH).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from fractions import Fraction
from typing import Any, Iterable

from sqlalchemy import update
from sqlalchemy.engine import Connection

from games.betslip import DeadHeat, Outcome, Result, settle
from server.notices import Notice, insert_notice
from server.sportsbook.bet_tables import sports_bets
from server.sportsbook.bets import STAKES
from server.sportsbook.for_bets import MarketResult, ResultLine, Withdrawal, market_result, selection_for_bet
from server.sportsbook.race_bets import LICENCE, engine_slip
from server.sportsbook.settlement import BOOK, _resettle
from server.wallet import ledger
from server.wallet.ledger import Posting
from server.wallet.solde import solde_account
from server.wallet.money import euros

RULE4_CAP = 90  # pence in the pound, whatever the number of non-runners


def rule4(struck_at: datetime, withdrawals: Iterable[Withdrawal], runner: int) -> Fraction:
    """The deduction from the winnings of a bet on ``runner`` struck at ``struck_at``."""
    pence = sum(w.rule4_deduction for w in withdrawals if w.at > struck_at and w.runner != runner)
    return Fraction(min(pence, RULE4_CAP), 100)


def _dead_heat(line: ResultLine | None) -> DeadHeat | None:
    return DeadHeat(*line.dead_heat) if line is not None and line.outcome == "win" and line.dead_heat else None


def race_outcome(result: MarketResult, selection_id: int, each_way: bool, deduction: Fraction) -> Outcome:
    legs = {line.leg: line for line in result.lines if line.selection_id == selection_id}
    win = legs.get("win")
    # A win-only bet struck on an each-way market settles on the win leg alone.
    place = legs.get("place") if each_way else None
    if result.void or win is None or win.outcome == "void":
        return Outcome(Result.VOID)
    if win.outcome == "win":
        return Outcome(Result.WIN, dead_heat=_dead_heat(win), place_dead_heat=_dead_heat(place), rule4=deduction)
    if place is not None and place.outcome == "win":
        return Outcome(Result.PLACE, place_dead_heat=_dead_heat(place), rule4=deduction)
    return Outcome(Result.LOSE)


def _ordinal(position: int | None) -> str:
    if position is None:
        return "placed"
    return f"{position}{'st' if position == 1 else 'nd' if position == 2 else 'rd' if position == 3 else 'th'}"


def describe(outcome: Outcome, result: MarketResult, selection_id: int, runner: int) -> str:
    """PAHIGAIN Info: "résultat gagnant" (annex 1.3.4.b), the dead heat and the Rule 4 applied."""
    position = next((line.position for line in result.lines if line.selection_id == selection_id), None)
    parts = [f"runner {runner} " + ("won" if outcome.result is Result.WIN else f"placed {_ordinal(position)}")]
    if outcome.dead_heat is not None:
        parts.append(f"dead heat for the win: {outcome.dead_heat.tied} for {outcome.dead_heat.places}")
    if outcome.place_dead_heat is not None:
        heat = outcome.place_dead_heat
        parts.append(f"dead heat for the place: {heat.tied} for {heat.places} place{'s' if heat.places > 1 else ''}")
    if outcome.rule4:
        parts.append(f"Rule 4: {int(outcome.rule4 * 100)}p in the pound deducted from the winnings")
    return "; ".join(parts)


def settle_race_bet(c: Connection, row: Any, data: dict[str, Any]) -> list[Notice]:
    """Settle (or resettle) one race bet, its row locked by the caller; returns its notices."""
    choice = data["legs"][0]["choices"][0]
    market_id, selection_id, runner = choice["market_id"], choice["selection_id"], data["runner"]
    result = market_result(c, market_id)
    if result is None:
        return []
    on = json.dumps({str(market_id): result.version})
    if row.status != "open" and row.settled_on == on:
        return []  # settled on this very result already
    selection = selection_for_bet(c, selection_id)
    assert selection is not None and selection.race is not None
    withdrawals = selection.race.withdrawals
    outcome = race_outcome(result, selection_id, data["each_way"],
                           rule4(datetime.fromisoformat(data["struck_at"]), withdrawals, runner))
    due = int(settle(engine_slip(data), ((outcome,),)).total_return.scaleb(2))
    account = solde_account(c, row.player_id)
    void = outcome.result is Result.VOID
    trace = {"tech": data["trace_tech"], "clair": data["clair"]}  # PAHIGAIN/PAHIANNUL name the bet as PAHIMISE did
    notices: list[Notice] = []
    if row.status == "open":
        postings = [Posting(STAKES, -row.stake), Posting(BOOK, row.stake - due)]
        if due:
            postings.append(Posting(account, due))
        tx = ledger.post(c, "sports_settlement", [p for p in postings if p.amount_cents],
                         idempotency_key=f"race-settlement:{row.tech}", memo={"tech": row.tech, "race": True})
        paid = due
        if due:
            after = tx.balances_after[account]
            moved = {"solde_avant": str(euros(after - due)), "solde_apres": str(euros(after))}
            if void:
                withdrawal = next((w for w in withdrawals if w.runner == runner), None)
                if withdrawal is not None:
                    cancelled_at, info = withdrawal.at, f"runner {runner} withdrawn (non-runner): stake refunded"
                else:
                    cancelled_at = result.result_at
                    info = "race void: stake refunded" + (f" ({result.reason})" if result.reason else "")
                notices.append(insert_notice(c, row.player_id, "PAHIANNUL", {
                    **trace, "cancelled_at": cancelled_at.isoformat(), "montant": str(euros(due)), **moved,
                    "info": info}, limit=None))
            else:
                notices.append(insert_notice(c, row.player_id, "PAHIGAIN", {
                    **trace, "result_at": result.result_at.isoformat(), "gain": str(euros(due)), **moved,
                    "info": describe(outcome, result, selection_id, runner)}, limit=None))
    else:
        # PAHIGAIN's DateHeure is the result's time: the corrected result's here.
        paid = row.paid + _resettle(c, row, account, due - row.paid, result.result_at, notices,
                                    gain="PAHIGAIN", licence=LICENCE, trace=trace)
    c.execute(update(sports_bets).where(sports_bets.c.tech == row.tech).values(
        status="void" if void else "settled", paid=paid, settled_at=datetime.now(timezone.utc).replace(microsecond=0),
        settled_on=on))
    return notices

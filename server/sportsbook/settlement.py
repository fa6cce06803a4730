"""Settling sports bets when results come in, and again when a result is corrected.

A result written for a market settles every bet that has a prognosis on it once all the
bet's prognoses are known: the engine (games.betslip.settle) gives the return, rounded
once, down to the cent. In one transaction per bet: the stake leaves
``operator:sportsbook-stakes`` for the book (``operator:sportsbook-book``), the return
goes from the book to the player's solde, and the notice is written:

- a bet every prognosis of which is void: PASPANNUL, the stake refunded, the cause in Info;
- a bet that returns something (won, or partly void): PASPGAIN; for a LUCKY bet struck
  with the operator's LUCKY offer, what the offer adds is GainAbond, paid from
  ``operator:promotions``;
- a lost bet: nothing to trace (the annex has no event for it).

A corrected result (a new version of the market's result) resettles the bets settled on the
old one: more due is paid with a PASPGAIN for the difference (Info names the correction);
less due is taken back from the solde, at most what it holds, as an operator adjustment
(CPTEAJUSTOPE, type Gain); what the solde could not cover is logged and left on the bet
(``paid`` stays above what is due). Each trace is recorded when the player acknowledges it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Callable, Coroutine

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from twisted.internet.defer import Deferred, DeferredLock
from twisted.logger import Logger

from games.betslip import settle
from server.db.pool import Database
from server.notices import Notice, NoticeService, insert_notice
from server.sportsbook import slips
from server.sportsbook.bet_tables import sports_bet_markets, sports_bets
from server.sportsbook.bets import LICENCE, STAKES
from server.sportsbook.outcomes import all_void, outcomes_of
from server.wallet import ledger
from server.wallet.ledger import Posting, operator_account
from server.wallet.operator_movements import PROMOTIONS
from server.wallet.solde import solde_account
from server.wallet.money import euros

log = Logger(namespace="croupier.sportsbook")

BOOK = operator_account("sportsbook-book")
BATCH = 100  # bets per transaction


class BetSettler:
    """Settles one market at a time: two settlements at once would lock players' and the book's
    accounts in different orders (PostgreSQL aborts one of them as a deadlock)."""

    def __init__(self, db: Database, notices: NoticeService) -> None:
        self.db = db
        self.notices = notices
        self._work: set[Deferred[Any]] = set()
        self._one_at_a_time = DeferredLock()

    def on_result(self, market_id: int) -> Deferred[Any]:
        """Settle in the background; the server's stop waits for it (``pending_work``)."""
        return self._background(lambda: self.settle_market(market_id), f"market {market_id}")

    def sweep(self) -> Deferred[Any]:
        """Every open bet whose results are all in: what a stop or a failure left unsettled."""
        return self._background(self.settle_open, "open bets")

    def _background(self, work: Callable[[], Coroutine[Any, Any, int]], what: str) -> Deferred[Any]:
        d = self._one_at_a_time.run(lambda: Deferred.fromCoroutine(work()))
        self._work.add(d)
        d.addBoth(lambda result: (self._work.discard(d), result)[1])
        d.addErrback(lambda f: log.failure("settling {what} failed; the next sweep (start-up) retries", f, what=what))
        return d

    def pending_work(self) -> list[Deferred[Any]]:
        return list(self._work)

    async def settle_market(self, market_id: int) -> int:
        techs = await self.db.transaction(lambda c: list(c.execute(select(sports_bet_markets.c.tech).where(
            sports_bet_markets.c.market_id == market_id).order_by(sports_bet_markets.c.tech)).scalars()))
        return await self._settle(techs)

    async def settle_open(self) -> int:
        techs = await self.db.transaction(lambda c: list(c.execute(select(sports_bets.c.tech).where(
            sports_bets.c.status == "open").order_by(sports_bets.c.tech)).scalars()))
        return await self._settle(techs)

    async def _settle(self, techs: list[str]) -> int:
        moved = 0
        for start in range(0, len(techs), BATCH):
            chunk = techs[start:start + BATCH]
            notices = await self.db.transaction(lambda c: [n for tech in chunk for n in settle_bet(c, tech)])
            for notice in notices:
                self.notices.deliver(notice)
            moved += len(notices)
        return moved


def settle_bet(c: Connection, tech: str) -> list[Notice]:
    """Settle (or resettle) one bet on the results in force; returns its notices."""
    row = c.execute(select(sports_bets).where(sports_bets.c.tech == tech).with_for_update()).one()
    data = json.loads(row.slip)
    if data.get("race"):
        # Imported here: race_settlement builds on this module (BOOK, _resettle).
        from server.sportsbook.race_settlement import settle_race_bet
        return settle_race_bet(c, row, data)
    outcomes, versions = outcomes_of(c, data)
    slip = slips.build(data)
    settlement = settle(slip, outcomes)
    if not settlement.settled:
        return []
    on = json.dumps({str(k): v for k, v in sorted(versions.items())})
    if row.status != "open" and row.settled_on == on:
        return []  # settled on these very results already
    due = int(settlement.total_return.scaleb(2))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    account = solde_account(c, row.player_id)
    void = all_void(outcomes)
    notices: list[Notice] = []
    if row.status == "open":
        # The operator's LUCKY bonus is its top-up of the winnings (GainAbond), paid from promotions.
        abond = 0 if slip.lucky_bonus is None else max(0, due - int(settle(
            replace(slip, lucky_bonus=None), outcomes).total_return.scaleb(2)))
        postings = [Posting(STAKES, -row.stake), Posting(BOOK, row.stake - (due - abond)), Posting(PROMOTIONS, -abond)]
        if due:
            postings.append(Posting(account, due))
        tx = ledger.post(c, "sports_settlement", [p for p in postings if p.amount_cents],
                         idempotency_key=f"sports-settlement:{tech}", memo={"tech": tech})
        paid = due
        if due:
            after = tx.balances_after[account]
            if void:
                notices.append(insert_notice(c, row.player_id, "PASPANNUL", {
                    "tech": tech, "cancelled_at": now.isoformat(), "solde_avant": str(euros(after - due)),
                    "montant": str(euros(due)), "solde_apres": str(euros(after)),
                    "info": "every prognosis void: stake refunded"}, limit=None))
            else:
                notices.append(insert_notice(c, row.player_id, "PASPGAIN", {
                    "tech": tech, "result_at": now.isoformat(), "solde_avant": str(euros(after - due)),
                    "gain": str(euros(due - abond)), "solde_apres": str(euros(after)),
                    **({"gain_abond": str(euros(abond))} if abond else {})}, limit=None))
    else:
        paid = row.paid + _resettle(c, row, account, due - row.paid, now, notices)
    c.execute(update(sports_bets).where(sports_bets.c.tech == tech).values(
        status="void" if void else "settled", paid=paid, settled_at=now, settled_on=on))
    return notices


def _resettle(c: Connection, row: Any, account: str, delta: int, now: datetime, notices: list[Notice],
              gain: str = "PASPGAIN", licence: str = LICENCE, trace: dict[str, str] | None = None) -> int:
    """What a corrected result changes: returns the cents moved to (+) or from (-) the player.

    Race bets (race_settlement.py) pay with a PAHIGAIN naming the bet by ``trace`` (Tech, Clair)
    and adjust under their licence, PH."""
    info = f"resettlement of coupon {row.tech} after a corrected result"
    if delta > 0:
        tx = ledger.post(c, "sports_resettlement", [Posting(BOOK, -delta), Posting(account, delta)],
                         memo={"tech": row.tech})
        after = tx.balances_after[account]
        notices.append(insert_notice(c, row.player_id, gain, {
            **(trace or {"tech": row.tech}), "result_at": now.isoformat(), "solde_avant": str(euros(after - delta)),
            "gain": str(euros(delta)), "solde_apres": str(euros(after)), "info": info}, limit=None))
        return delta
    if delta == 0:
        return 0
    take = min(-delta, ledger.balance(c, account))
    if take < -delta:
        log.warn("coupon {tech}: {short} cents over-paid could not be taken back from the solde",
                 tech=row.tech, short=-delta - take)
    if not take:
        return 0
    tx = ledger.post(c, "sports_resettlement", [Posting(account, -take), Posting(BOOK, take)], memo={"tech": row.tech})
    after = tx.balances_after[account]
    notices.append(insert_notice(c, row.player_id, "CPTEAJUSTOPE", {
        "event": "CPTEAJUSTOPE", "licences": [licence], "info": info, "type_ajust": "Gain",
        "solde_avant": str(euros(after + take)), "solde_ajust": str(euros(-take)), "solde_apres": str(euros(after))},
        limit=None))
    return -take

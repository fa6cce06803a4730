"""Players' sports bets: price a slip, place it (PASPMISE), list one's bets.

Placement is the player's request: every selection is read from the catalogue and must be
open (not suspended, not started unless its market is live, not resulted), at the odds the
player saw (else ``odds_changed`` with the new prices); the engine checks the slip
(combinable legs, lines, minimum stake); the stake ceiling (PREFCPTE) and the funds are
checked; then each bet's PASPMISE is held by the sensor around its money movement and
recorded once it is done, before the player sees the acceptance. ``Tech`` is the coupon's
code. Stakes go from the player's solde (or first from the ``PS`` bonus compartment with
``use_bonus``) to ``operator:sportsbook-stakes`` until the bet is settled; the operator's
top-up of stakes (``sportsbook.stake_top_up_percent``: MiseAbond) joins each line's stake
from ``operator:promotions``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Awaitable, Callable

from lxml import etree
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from frontal.builders.header import Header
from frontal.builders.pasp import BalanceMove, BetLine, Combination, Prognostic, SportsBet, build_paspmise
from frontal.sensor import Sensor
from games.betslip import Limits, PaspBet, SlipRefused, check_slip, paspmise_bets, price, settle
from server import accounts
from server.db.pool import Database
from server.player_requests import player_header, session_of, traced
from server.protocol.errors import ProtocolError
from server.sportsbook import slips
from server.sportsbook.bet_tables import sports_bet_markets, sports_bets
from server.sportsbook.for_bets import SelectionForBet, selection_for_bet
from server.wallet import ledger
from server.wallet.ledger import InsufficientFunds, Posting, operator_account, player_account
from server.wallet.operator_movements import PROMOTIONS
from server.wallet.solde import solde_account
from server.wallet.money import euros

STAKES = operator_account("sportsbook-stakes")
LICENCE = "PS"
Handler = Callable[[Any, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class BetSettings:
    operator_id: str
    id_coffre: int
    limits: Limits
    # The operator's LUCKY15/31/63 offer ({"one_winner_odds_multiplier", "all_winners_bonus_pct",
    # "requires_all_run"}), struck with each LUCKY bet; what it adds is the GainAbond of PASPGAIN.
    lucky_bonus: dict[str, Any] | None = None
    max_stake: int | None = None  # cents per bet, the operator's limit
    # The operator's top-up of stakes (MiseAbond): this percentage of each line's stake, added
    # to it, whole cents, from the promotions budget.
    stake_top_up_percent: Decimal = Decimal(0)


def coupon_code() -> str:
    """The coupon's Tech: 10 characters from the OS CSPRNG, like the annex's 8ACEB0TV."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@dataclass(frozen=True)
class Struck:
    """A bet ready to place: its stored slip, its PASPMISE record and its stake."""

    data: dict[str, Any]
    record: PaspBet
    stake: int  # cents, the operator's top-up included
    max_return: int
    top_up: int = 0  # cents of the stake the operator adds (MiseAbond)

    @property
    def player_stake(self) -> int:
        return self.stake - self.top_up


class Desk:
    """What a betting desk works with: the database, the sensor, the rules, the account checks."""

    def __init__(self, db: Database, sensor: Sensor, settings: BetSettings,
                 eligible: Callable[[accounts.Session], Awaitable[Any]],
                 check_stake: Callable[[accounts.Session, Any, int], Awaitable[None]] | None = None) -> None:
        self.db = db
        self.sensor = sensor
        self.settings = settings
        self.eligible = eligible
        self.check_stake = check_stake

    async def record(self, session: accounts.Session, build: Callable[[datetime], etree._Element],
                     move: Callable[[Connection], None]) -> None:
        """Take the stake (``move``, one transaction) within the sensor's trace of the request."""

        async def action() -> None:
            try:
                await self.db.transaction(move)
            except InsufficientFunds as exc:
                raise ProtocolError("insufficient_funds", str(exc)) from None

        await traced(self.sensor, session, build, action)


def take_stake(c: Connection, funds: "Funds", postings: list[Posting], from_solde: int, bonus: int,
               memo: dict[str, Any]) -> None:
    """Post the stake with the player's part from the solde and the bonus compartment; refused
    (rolled back with the transaction) if either balance moved since ``funds`` was read."""
    if from_solde:
        postings.append(Posting(funds.solde_account, -from_solde))
    if bonus:
        postings.append(Posting(funds.bonus_account, -bonus))
    tx = ledger.post(c, "sports_stake", postings, memo=memo)
    if (from_solde and tx.balances_after[funds.solde_account] != funds.solde - from_solde) or (
            bonus and tx.balances_after[funds.bonus_account] != funds.bonus - bonus):
        raise ProtocolError("retry", "a balance changed while the bet was placed; nothing was moved")


class BetDesk(Desk):

    def handlers(self) -> dict[str, Handler]:
        return {"sports_slip_price": self.price, "sports_bet_place": self.place, "sports_bets": self.list_bets}

    # -- reading the slip against the catalogue ---------------------------------------------------

    async def _read(self, raw: dict[str, Any]) -> tuple[list[Struck], dict[int, SelectionForBet]]:
        now = datetime.now(timezone.utc)
        wanted = slips.selection_ids(raw)
        found = await self.db.transaction(lambda c: {i: selection_for_bet(c, i, now) for i in set(wanted)})
        changed = []
        for leg_index, leg in enumerate(raw["legs"]):
            for choice in leg["choices"]:
                selection = found[choice["selection_id"]]
                where = f"slip.legs[{leg_index}]: selection {choice['selection_id']}"
                if selection is None:
                    raise ProtocolError("unknown_selection", f"{where} does not exist")
                if selection.kind != "sport":
                    raise ProtocolError("invalid_slip", f"{where} is a race runner: race bets are not sports slips")
                if not selection.open:
                    raise ProtocolError("selection_closed", f"{where} takes no bet now ({_why_closed(selection)})")
                if Decimal(choice["odds"]) != selection.odds:
                    changed.append({"selection_id": selection.selection_id, "odds": str(selection.odds)})
        if changed:
            raise ProtocolError("odds_changed", "the odds moved: " + ", ".join(
                f"selection {c['selection_id']} now {c['odds']}" for c in changed), data={"odds": changed})
        data = dict(raw)
        data["legs"] = [{**leg, "fixture": found[leg["choices"][0]["selection_id"]].fixture_id,  # type: ignore[union-attr]
                         "choices": [{**c, "market_id": found[c["selection_id"]].market_id}  # type: ignore[union-attr]
                                     for c in leg["choices"]]} for leg in raw["legs"]]
        _same_leg_same_fixture(data, found)
        data = slips.with_lucky_bonus(data, self.settings.lucky_bonus)
        try:
            check_slip(slips.build(data), self.settings.limits)
        except SlipRefused as exc:
            raise ProtocolError("slip_refused", f"{exc.code}: {exc.message}") from None
        struck = []
        for bet in slips.bets_of(data):
            bet, top_up = self._topped_up(bet)
            slip = slips.build(bet)
            (record,) = paspmise_bets(slip)
            settlement = settle(slip)
            stake = int(record.mise.scaleb(2))
            if self.settings.max_stake is not None and stake > self.settings.max_stake:
                raise ProtocolError("slip_refused", f"stake_too_high: {stake} cents on one bet, the operator takes at "
                                                    f"most {self.settings.max_stake}")
            struck.append(Struck(bet, record, stake, int(settlement.max_return.scaleb(2)), top_up))
        return struck, {i: s for i, s in found.items() if s is not None}

    def _topped_up(self, bet: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """The bet struck with the operator's top-up in each line's stake, and the top-up in all."""
        percent = self.settings.stake_top_up_percent
        if not percent:
            return bet, 0
        pricing = price(slips.build(bet))
        line = int(pricing.line_stake.scaleb(2))
        extra = int(line * percent / 100)  # down to the cent
        if not extra:
            return bet, 0
        return {**bet, "stake_cents": line + extra, "stake_mode": "line"}, extra * pricing.lines

    async def price(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        struck, _ = await self._read(message["slip"])
        return {"bets": [{"lines": s.record.lines, "stake_cents": s.player_stake, "top_up_cents": s.top_up,
                          "max_return_cents": s.max_return} for s in struck],
                "total_stake_cents": sum(s.player_stake for s in struck)}

    # -- placing ----------------------------------------------------------------------------------

    async def place(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = session_of(connection)
        identity = await self.eligible(session)
        struck, found = await self._read(message["slip"])
        total = sum(s.player_stake for s in struck)
        player_id = session.player.id
        use_bonus = bool(message.get("use_bonus"))
        funds = await self.db.transaction(lambda c: funds_of(c, player_id))
        if funds.solde + (funds.bonus if use_bonus else 0) < total:
            raise ProtocolError("insufficient_funds", f"the slip stakes {total} cents, the account holds "
                                                      f"{funds.solde}" + (f" and {funds.bonus} of bonus" if use_bonus else ""))
        if self.check_stake is not None:
            await self.check_stake(session, identity, total)
        slip_id = coupon_code()
        placed = []
        for bet in struck:
            try:
                placed.append(await self._place_one(session, identity, slip_id, bet, found, use_bonus))
            except ProtocolError as exc:
                if not placed:
                    raise
                # Singles are separate bets: those placed stand, the player is told which did not.
                placed.append({"error": exc.code, "message": exc.message})
        return {"slip_id": slip_id, "bets": placed}

    async def _place_one(self, session: accounts.Session, identity: Any, slip_id: str, bet: Struck,
                         found: dict[int, SelectionForBet], use_bonus: bool) -> dict[str, Any]:
        player_id = session.player.id
        tech = coupon_code()
        funds = await self.db.transaction(lambda c: funds_of(c, player_id))
        bonus = min(funds.bonus, bet.player_stake) if use_bonus else 0
        from_solde = bet.player_stake - bonus

        def build(at: datetime) -> etree._Element:
            header = player_header(self.settings.operator_id, self.settings.id_coffre, session,
                                   identity.hash_joueur, at)
            return paspmise(header, tech, bet, found, funds, from_solde, bonus)

        def move(c: Connection) -> None:
            postings = [Posting(STAKES, bet.stake)]
            if bet.top_up:
                postings.append(Posting(PROMOTIONS, -bet.top_up))
            take_stake(c, funds, postings, from_solde, bonus, {"tech": tech})
            now = datetime.now(timezone.utc)
            c.execute(insert(sports_bets).values(
                tech=tech, slip_id=slip_id, player_id=player_id, slip=json.dumps(bet.data, sort_keys=True),
                stake=bet.stake, bonus_stake=bonus, status="open", paid=0, placed_at=now))
            markets: dict[int, int] = {}
            for leg in bet.data["legs"]:
                for choice in leg["choices"]:
                    markets[choice["market_id"]] = markets.get(choice["market_id"], 0) + 1
            c.execute(insert(sports_bet_markets), [{"tech": tech, "market_id": m, "legs": n}
                                                   for m, n in markets.items()])

        await self.record(session, build, move)
        return {"tech": tech, "lines": bet.record.lines, "stake_cents": bet.player_stake, "bonus_cents": bonus,
                "top_up_cents": bet.top_up, "max_return_cents": bet.max_return}

    # -- the player's bets ------------------------------------------------------------------------

    async def list_bets(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        player_id = session_of(connection).player.id
        rows = await self.db.transaction(lambda c: c.execute(select(sports_bets).where(
            sports_bets.c.player_id == player_id).order_by(sports_bets.c.placed_at.desc()).limit(100)).all())
        return {"bets": [{"tech": r.tech, "slip_id": r.slip_id, "status": r.status, "stake_cents": r.stake,
                          "paid_cents": r.paid, "placed_at": r.placed_at.isoformat(),
                          "slip": json.loads(r.slip)} for r in rows]}


def _why_closed(selection: SelectionForBet) -> str:
    if selection.resulted:
        return "resulted"
    if selection.suspended:
        return "suspended"
    if selection.withdrawn:
        return "withdrawn"
    return "started, and its market is not live"


def _same_leg_same_fixture(data: dict[str, Any], found: dict[int, SelectionForBet | None]) -> None:
    """Several prognoses of one leg are on one fixture (they multiply the lines, annex 1.3.4.a.1)."""
    for index, leg in enumerate(data["legs"]):
        fixtures = {found[c["selection_id"]].fixture_id for c in leg["choices"]}  # type: ignore[union-attr]
        if len(fixtures) > 1:
            raise ProtocolError("invalid_slip", f"slip.legs[{index}]: the prognoses of one leg are on one fixture")


@dataclass(frozen=True)
class Funds:
    solde_account: str
    solde: int
    bonus_account: str
    bonus: int


def funds_of(c: Connection, player_id: str, licence: str = LICENCE) -> Funds:
    """The solde and the bonus compartment of ``licence`` (PS for sports, PH for races)."""
    account = solde_account(c, player_id)
    bonus_account = player_account(player_id, "bonus", licence)
    return Funds(account, ledger.balance(c, account), bonus_account, ledger.balance(c, bonus_account))


def paspmise(header: Header, tech: str, bet: Struck, found: dict[int, SelectionForBet], funds: Funds,
             from_solde: int, bonus: int) -> etree._Element:
    combinations = []
    for combination in bet.record.combinations:
        lines = []
        for line in combination.lines:
            leg = bet.data["legs"][line.leg]
            first = found[leg["choices"][0]["selection_id"]]
            prognostics = tuple(Prognostic(found[leg["choices"][p.choice]["selection_id"]].prognostic, p.cote)
                                for p in line.prognoses)
            base = first.bet_line()
            lines.append(BetLine(renc=base.renc, tech=base.tech, sport=base.sport, evnt=base.evnt, date=base.date,
                                 prognostics=prognostics, cat=base.cat, disc=base.disc, genre=base.genre,
                                 part=base.part, live=base.live, banque=line.banque))
        combinations.append(Combination(combination.combi, tuple(lines), combination.x, combination.mise_base))
    solde = BalanceMove(euros(funds.solde), euros(from_solde), euros(funds.solde - from_solde)) if from_solde else None
    bonus_move = BalanceMove(euros(funds.bonus), euros(bonus), euros(funds.bonus - bonus)) if bonus else None
    return build_paspmise(header, SportsBet(tech, tuple(combinations), solde=solde, bonus=bonus_move,
                                            mise_abond=euros(bet.top_up) if bet.top_up else None))

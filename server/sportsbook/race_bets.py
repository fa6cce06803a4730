"""Fixed-odds race bets: a single on one runner, win or each-way, traced as PAHIMISE.

The player's ``race_bet_place`` names a runner of a race market (``win`` or ``each_way``),
the odds seen, the stake and whether the bet is each-way. It is read against the catalogue
as sports bets are (bets.py): the runner must be open (not suspended, not started unless
live, not withdrawn, no result) and at the odds given, else ``odds_changed`` with the new
price; the engine (games.betslip) checks the minimum stake per part; the funds and the stake
ceiling (PREFCPTE) are checked; then the PAHIMISE is held by the sensor around the money
movement and recorded once it is done, before the player sees the acceptance.

Each-way (only on an ``each_way`` market): two bets of the same stake, one to win at the
odds, one to be placed at the market's fraction of them; ``stake_cents`` is one part's stake
and the bet costs twice that. A win-only bet may also be struck on an each-way market.

Trace. PAHIMISE describes one bet on one race (one ``Nom``, one ``DateHeure``, the horses of
that race in ``Choix``): a fixed-odds accumulator over several races does not fit it, so race
accumulators are not offered (a forecast or a tricast on one race would fit, but the
catalogue has no such market). Its fields (annex 1.3.4.a.2):

- ``Tech``: "commun à tous les joueurs, et non ... un identifiant généré à la prise de pari"
  (l. 3009): the race market's code (``M12``, ``for_bets.SelectionForBet.tech``);
- ``Clair``: the bet as shown to the player: kind, odds (PAHIMISE has no ``Cote``), place
  terms, runner, race, day, and the bet's own reference (``tech`` below), so that two bets
  of one player on one market, which share their ``Tech``, are told apart in PAHIGAIN and
  PAHIANNUL, which carry only ``Tech`` and ``Clair``;
- ``Desc``: ``Type`` one string per kind of bet (``GAGNANT COTE FIXE``, ``EACH-WAY COTE
  FIXE``), ``Nom`` ``R1C3``, ``DateHeure`` the race's start, ``Choix`` the runner's number;
- the solde's move (``SoldeAvantMise``, ``Mise``, ``SoldeApresMise``) and, with
  ``use_bonus``, the ``PH`` bonus compartment's (``BonusAvantMise``, ``BonusMouvement``,
  ``BonusApresMise``), each present only when that compartment pays (the annex's third
  PAHIMISE example, l. 5721, has the bonus's and no solde's).

Money as for sports bets: the stake goes from the solde (and the PH bonus first with
``use_bonus``) to ``operator:sportsbook-stakes`` as a ``sports_stake`` transaction, so the
stake ceiling counts it. The bet is a row of ``sports_bets`` (its key ``tech`` a coupon code
of its own) whose slip says ``"race": true``; ``sports_bet_markets`` finds it when the
market's result comes (race_settlement.py settles it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from lxml import etree
from sqlalchemy import insert
from sqlalchemy.engine import Connection

from frontal.builders.header import Header
from frontal.builders.pahi import RaceBet, build_pahimise
from games.betslip import BetType, Choice, EachWay, Leg, Slip, SlipError, SlipRefused, Stake, check_slip, settle
from server.player_requests import player_header, session_of
from server.protocol.errors import ProtocolError
from server.sportsbook.bet_tables import sports_bet_markets, sports_bets
from server.sportsbook.bets import STAKES, Desk, Funds, Handler, coupon_code, funds_of, take_stake
from server.sportsbook.for_bets import RACE_BET_TYPES, SelectionForBet, selection_for_bet
from server.wallet.ledger import Posting
from server.wallet.money import euros

LICENCE = "PH"
RACE_KINDS = ("win", "each_way")
CLAIR_MAX = 256  # string-256


@dataclass(frozen=True)
class RacePick:
    """What the player asked for, as read from the message."""

    selection_id: int
    odds: Decimal
    stake_cents: int  # one part's stake
    each_way: bool


def read_pick(message: dict[str, Any]) -> RacePick:
    try:
        odds = Decimal(message["odds"])
    except InvalidOperation:
        raise ProtocolError("invalid_value", f"odds: {message['odds']!r} is not a decimal") from None
    return RacePick(message["selection_id"], odds, message["stake_cents"], bool(message.get("each_way")))


def check_pick(selection: SelectionForBet | None, pick: RacePick) -> SelectionForBet:
    """The runner takes this bet now, at these odds; else the refusal the player is told."""
    where = f"selection {pick.selection_id}"
    if selection is None:
        raise ProtocolError("unknown_selection", f"{where} does not exist")
    if selection.kind not in RACE_KINDS or selection.race is None:
        raise ProtocolError("invalid_slip", f"{where} is not a race runner: sports bets are sports_bet_place")
    if pick.each_way and selection.kind != "each_way":
        raise ProtocolError("invalid_slip", f"each_way: {where} is in a win-only market, which has no place terms")
    if not selection.open:
        raise ProtocolError("selection_closed", f"{where} takes no bet now ({why_closed(selection)})")
    if pick.odds != selection.odds:
        changed = [{"selection_id": selection.selection_id, "odds": str(selection.odds)}]
        raise ProtocolError("odds_changed", f"the odds moved: {where} now {selection.odds}", data={"odds": changed})
    return selection


def why_closed(selection: SelectionForBet) -> str:
    if selection.withdrawn:
        return "a non-runner"
    if selection.resulted:
        return "resulted"
    if selection.suspended:
        return "suspended"
    return "the race has started and its market is not live"


def slip_data(selection: SelectionForBet, pick: RacePick) -> dict[str, Any]:
    """The bet as stored: what settlement reads, whatever the catalogue says later."""
    race = selection.race
    assert race is not None
    fraction = race.place_fraction if pick.each_way else None
    return {
        "race": True, "type": BetType.S.value, "each_way": pick.each_way, "stake_cents": pick.stake_cents,
        "runner": race.runner, "place_fraction": f"{fraction[0]}/{fraction[1]}" if fraction else None,
        "places": race.places if pick.each_way else None,
        "legs": [{"fixture": selection.fixture_id, "choices": [{
            "selection_id": selection.selection_id, "odds": str(selection.odds), "market_id": selection.market_id}]}],
    }


def engine_slip(data: dict[str, Any]) -> Slip:
    """The bet-slip engine's single: each-way with the market's terms, as struck."""
    leg = data["legs"][0]
    choice = leg["choices"][0]
    each_way = EachWay(Fraction(data["place_fraction"])) if data["each_way"] else None
    try:
        return Slip(BetType.S, (Leg((Choice(Fraction(Decimal(choice["odds"])), ref=str(choice["selection_id"])),),
                                    fixture=str(leg["fixture"])),),
                    Stake(Decimal(data["stake_cents"]).scaleb(-2)), each_way=each_way)
    except SlipError as exc:
        raise ProtocolError("invalid_slip", f"{exc.field}: {exc.message}") from None


def bet_type(each_way: bool) -> str:
    """PAHIMISE Desc/Type: the kind of the bet struck (a win bet on an each-way market is a win bet)."""
    return RACE_BET_TYPES["each_way" if each_way else "win"]


def clair(selection: SelectionForBet, each_way: bool, reference: str) -> str:
    """PAHIMISE Clair, as shown to the player: the odds and terms (PAHIMISE has no Cote) and the reference."""
    race = selection.race
    assert race is not None
    if each_way and race.place_fraction is not None:
        numerator, denominator = race.place_fraction
        head = f"Each-way cote fixe {selection.odds} (placé {numerator}/{denominator}, {race.places} places) - "
    else:
        head = f"Gagnant cote fixe {selection.odds} - "
    # The race's default name already ends with R1C3 ("Cagnes-sur-Mer R1C3"); an operator's own name may not.
    code = "" if race.race in selection.fixture_name else f" {race.race}"
    tail = f"{code} {selection.starts_at:%d/%m/%Y} - ref. {reference}"
    # The names may be long (a race's name is up to 256): they give way, the terms and the reference do not.
    middle = f"{selection.label} - {selection.fixture_name}"[:max(0, CLAIR_MAX - len(head) - len(tail))]
    return head + middle + tail


def pahimise(header: Header, selection: SelectionForBet, data: dict[str, Any], funds: Funds, from_solde: int,
             bonus: int) -> etree._Element:
    race = selection.race
    assert race is not None
    solde = (euros(funds.solde), euros(from_solde), euros(funds.solde - from_solde)) if from_solde else (None,) * 3
    bonus_move = (euros(funds.bonus), euros(bonus), euros(funds.bonus - bonus)) if bonus else (None,) * 3
    return build_pahimise(header, RaceBet(
        tech=data["trace_tech"], clair=data["clair"], bet_type=bet_type(data["each_way"]), race_name=race.race,
        race_at=selection.starts_at, horses=(str(race.runner),),
        solde_avant=solde[0], mise=solde[1], solde_apres=solde[2],
        bonus_avant=bonus_move[0], bonus_mouvement=bonus_move[1], bonus_apres=bonus_move[2]))


class RaceDesk(Desk):
    def handlers(self) -> dict[str, Handler]:
        return {"race_bet_place": self.place}

    async def place(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = session_of(connection)
        identity = await self.eligible(session)
        pick = read_pick(message)
        selection = check_pick(await self.db.transaction(lambda c: selection_for_bet(c, pick.selection_id)), pick)
        data = slip_data(selection, pick)
        slip = engine_slip(data)
        try:
            pricing = check_slip(slip, self.settings.limits)
        except SlipRefused as exc:
            raise ProtocolError("slip_refused", f"{exc.code}: {exc.message}") from None
        total = int(pricing.total_stake.scaleb(2))  # each-way: both parts
        if self.settings.max_stake is not None and total > self.settings.max_stake:
            raise ProtocolError("slip_refused", f"stake_too_high: {total} cents on one bet, the operator takes at "
                                                f"most {self.settings.max_stake}")
        max_return = int(settle(slip).max_return.scaleb(2))
        player_id = session.player.id
        use_bonus = bool(message.get("use_bonus"))
        funds = await self.db.transaction(lambda c: funds_of(c, player_id, LICENCE))
        bonus = min(funds.bonus, total) if use_bonus else 0
        from_solde = total - bonus
        if funds.solde < from_solde:
            raise ProtocolError("insufficient_funds", f"the bet stakes {total} cents, the account holds "
                                                      f"{funds.solde}" + (f" and {funds.bonus} of bonus" if use_bonus else ""))
        if self.check_stake is not None:
            await self.check_stake(session, identity, total)
        tech = coupon_code()
        data.update(trace_tech=selection.tech, clair=clair(selection, pick.each_way, tech))

        def build(at: datetime) -> etree._Element:
            header = player_header(self.settings.operator_id, self.settings.id_coffre, session,
                                   identity.hash_joueur, at)
            return pahimise(header, selection, data, funds, from_solde, bonus)

        def move(c: Connection) -> None:
            struck_at = datetime.now(timezone.utc)
            # Read again in the transaction that takes the stake: Rule 4 turns on when the bet was
            # struck, so at struck_at the runner must still be open at the odds the player took.
            check_pick(selection_for_bet(c, pick.selection_id, struck_at), pick)
            take_stake(c, funds, [Posting(STAKES, total)], from_solde, bonus, {"tech": tech, "race": True})
            c.execute(insert(sports_bets).values(
                tech=tech, slip_id=tech, player_id=player_id,
                slip=json.dumps({**data, "struck_at": struck_at.isoformat()}, sort_keys=True),
                stake=total, bonus_stake=bonus, status="open", paid=0, placed_at=struck_at))
            c.execute(insert(sports_bet_markets).values(tech=tech, market_id=selection.market_id, legs=1))

        await self.record(session, build, move)
        return {"tech": tech, "trace_tech": selection.tech, "clair": data["clair"], "each_way": pick.each_way,
                "stake_cents": total, "bonus_cents": bonus, "max_return_cents": max_return}

"""What bet placement and settlement read from the catalogue.

``selection_for_bet`` gives, for one selection, everything a PASPMISE line (LigSp) or a
PAHIMISE needs, and the state that decides whether a bet may be struck now: suspended,
started, live, withdrawn, resulted. ``odds_at`` and ``suspended_at`` answer for a past
moment from the histories, so a bet can be checked against the catalogue as it stood
when it was struck; ``market_result`` gives the current result and its version (a
correction is a new version: the settlement engine resettles what it settled on an older
one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from frontal.builders.pasp import BetLine, ElementaryPrognostic, Prognostic
from server.sportsbook.catalogue_tables import (
    sportsbook_competitions, sportsbook_fixtures, sportsbook_markets, sportsbook_meetings, sportsbook_odds,
    sportsbook_participants, sportsbook_result_lines, sportsbook_results, sportsbook_selections,
    sportsbook_suspensions,
)
from server.sportsbook.catalogue_views import fixture_tech
from server.sportsbook.racing_input import race_code

RACE_BET_TYPES = {"win": "GAGNANT COTE FIXE", "each_way": "EACH-WAY COTE FIXE"}  # PAHIMISE Desc/Type


def odds_decimal(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


@dataclass(frozen=True)
class Withdrawal:
    runner: int
    at: datetime
    rule4_deduction: int  # pence in the pound, for bets struck before `at`


@dataclass(frozen=True)
class RaceTerms:
    race: str  # PAHIMISE Desc/Nom: "R1C3"
    bet_type: str  # PAHIMISE Desc/Type: one string per kind of bet
    runner: int  # Desc/Choix
    place_fraction: tuple[int, int] | None  # each-way: fraction of the win odds
    places: int | None
    withdrawals: tuple[Withdrawal, ...]  # every non-runner of the race (Rule 4)


@dataclass(frozen=True)
class SelectionForBet:
    selection_id: int
    market_id: int
    fixture_id: int
    kind: str  # sport | win | each_way
    tech: str  # LigSp/Tech for sports; for races the market's code (PAHIMISE Tech: the bet as offered)
    fixture_name: str  # as shown to the player
    renc: str  # LigSp/Renc, canonical
    sport: str | None
    event: str | None
    category: str | None
    disciplines: tuple[str, ...]
    gender: str | None
    starts_at: datetime
    parts: tuple[str, ...]  # LigSp/Part
    market_label: str
    label: str
    prognostic: tuple[ElementaryPrognostic, ...]  # PronoSp (races: none)
    odds: Decimal  # the current price: the Cote of a bet struck now
    odds_since: datetime
    suspended: bool  # the fixture or the market
    started: bool
    live: bool  # the market takes bets once the fixture has started
    withdrawn: bool  # races: a non-runner
    resulted: bool
    race: RaceTerms | None

    @property
    def in_play(self) -> bool:
        """A bet struck now is a live bet (LigSp/Live)."""
        return self.started and self.live

    @property
    def open(self) -> bool:
        return not (self.suspended or self.withdrawn or self.resulted) and (not self.started or self.live)

    def bet_line(self, cote: Decimal | None = None) -> BetLine:
        """The PASPMISE line of a single bet on this selection at ``cote`` (the current odds by default)."""
        if self.kind != "sport" or self.sport is None or self.event is None:
            raise ValueError("races are traced as PAHIMISE, not as a LigSp")
        return BetLine(renc=self.renc, tech=self.tech, sport=self.sport, evnt=self.event, date=self.starts_at,
                       prognostics=(Prognostic(self.prognostic, self.odds if cote is None else cote),),
                       cat=self.category, disc=self.disciplines, genre=self.gender, part=self.parts,
                       live=self.in_play)


def selection_for_bet(c: Connection, selection_id: int, now: datetime | None = None) -> SelectionForBet | None:
    now = now or datetime.now(timezone.utc)
    s = c.execute(select(sportsbook_selections).where(sportsbook_selections.c.id == selection_id)).first()
    if s is None:
        return None
    m = c.execute(select(sportsbook_markets).where(sportsbook_markets.c.id == s.market_id)).one()
    f = c.execute(select(sportsbook_fixtures).where(sportsbook_fixtures.c.id == m.fixture_id)).one()
    people = c.execute(select(sportsbook_participants).where(sportsbook_participants.c.fixture_id == f.id)
                       .order_by(sportsbook_participants.c.number)).all()
    resulted = c.execute(select(sportsbook_results.c.id).where(sportsbook_results.c.market_id == m.id)
                         .limit(1)).first() is not None
    competition = None
    if f.competition_id is not None:
        competition = c.execute(select(sportsbook_competitions).where(
            sportsbook_competitions.c.id == f.competition_id)).one()
    race = None
    withdrawn = False
    if f.kind == "race":
        meeting = c.execute(select(sportsbook_meetings).where(sportsbook_meetings.c.id == f.meeting_id)).one()
        withdrawals = tuple(Withdrawal(p.number, p.withdrawn_at, p.rule4_deduction)
                            for p in sorted(people, key=lambda p: p.withdrawn_at or now) if p.withdrawn_at)
        withdrawn = any(w.runner == s.runner for w in withdrawals)
        race = RaceTerms(race_code(meeting.number, f.race_number), RACE_BET_TYPES[m.kind], s.runner,
                         (m.place_numerator, m.place_denominator) if m.places else None, m.places, withdrawals)
    prognostic: tuple[ElementaryPrognostic, ...] = ()
    if s.type_res is not None:
        prognostic = tuple(ElementaryPrognostic(t, ch) for t, ch in [(s.type_res, s.choix),
                                                                      *json.loads(s.extra or "[]")])
    return SelectionForBet(
        selection_id=s.id, market_id=m.id, fixture_id=f.id, kind=m.kind,
        tech=fixture_tech(f.id) if f.kind == "sport" else f"M{m.id}",
        fixture_name=f.name, renc=f.canonical_name,
        sport=competition.sport if competition else None, event=competition.event if competition else None,
        category=f.category, disciplines=tuple(f.disciplines.split()), gender=f.gender, starts_at=f.starts_at,
        parts=tuple(p.part for p in people) if f.kind == "sport" else (),
        market_label=m.label, label=s.label, prognostic=prognostic, odds=odds_decimal(s.odds),
        odds_since=s.odds_since, suspended=bool(f.suspended or m.suspended), started=now >= f.starts_at,
        live=m.live, withdrawn=withdrawn, resulted=resulted, race=race)


def odds_at(c: Connection, selection_id: int, at: datetime) -> Decimal | None:
    """The selection's price at ``at`` (None before it was first priced)."""
    value = c.execute(select(sportsbook_odds.c.odds).where(
        (sportsbook_odds.c.selection_id == selection_id) & (sportsbook_odds.c.valid_from <= at))
        .order_by(sportsbook_odds.c.valid_from.desc(), sportsbook_odds.c.id.desc()).limit(1)).scalar()
    return odds_decimal(value) if value is not None else None


def suspended_at(c: Connection, market_id: int, at: datetime) -> bool:
    """Whether the market, or its fixture, was suspended at ``at``, from the history."""
    fixture_id = c.execute(select(sportsbook_markets.c.fixture_id).where(sportsbook_markets.c.id == market_id)
                           ).scalar_one()

    def last(condition: object) -> bool:
        value = c.execute(select(sportsbook_suspensions.c.suspended).where(
            (sportsbook_suspensions.c.fixture_id == fixture_id) & condition & (sportsbook_suspensions.c.at <= at))
            .order_by(sportsbook_suspensions.c.at.desc(), sportsbook_suspensions.c.id.desc()).limit(1)).scalar()
        return bool(value)

    return last(sportsbook_suspensions.c.market_id.is_(None)) or last(sportsbook_suspensions.c.market_id == market_id)


@dataclass(frozen=True)
class ResultLine:
    selection_id: int
    leg: str
    outcome: str
    dead_heat: tuple[int, int] | None
    position: int | None


@dataclass(frozen=True)
class MarketResult:
    market_id: int
    version: int
    void: bool
    result_at: datetime
    recorded_at: datetime
    reason: str | None
    lines: tuple[ResultLine, ...]


def market_result(c: Connection, market_id: int) -> MarketResult | None:
    """The market's result in force (the latest version), or None before any."""
    r = c.execute(select(sportsbook_results).where(
        (sportsbook_results.c.market_id == market_id) & sportsbook_results.c.superseded_at.is_(None))).first()
    if r is None:
        return None
    lines = c.execute(select(sportsbook_result_lines).where(sportsbook_result_lines.c.result_id == r.id)
                      .order_by(sportsbook_result_lines.c.selection_id, sportsbook_result_lines.c.leg)).all()
    return MarketResult(r.market_id, r.version, r.void, r.result_at, r.recorded_at, r.reason, tuple(
        ResultLine(x.selection_id, x.leg, x.outcome,
                   (x.dead_heat_tied, x.dead_heat_places) if x.dead_heat_tied else None, x.position)
        for x in lines))

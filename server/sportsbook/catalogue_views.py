"""Reading the catalogue: what players are offered, and everything operators and auditors see.

The players' offer is read in two steps: a snapshot of every market without a result
(from the database, cached by the service until the next write), then a filter by the
clock at each request, since a fixture's start closes its pre-match markets without any
write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from server.sportsbook.catalogue_tables import (
    sportsbook_competitions, sportsbook_fixtures, sportsbook_markets, sportsbook_meetings, sportsbook_odds,
    sportsbook_participants, sportsbook_result_lines, sportsbook_results, sportsbook_selections,
    sportsbook_suspensions,
)
from server.sportsbook.inputs import odds_text
from server.sportsbook.racing_input import race_code


@dataclass(frozen=True)
class SelectionView:
    id: int
    label: str
    odds: int
    withdrawn: bool


@dataclass(frozen=True)
class MarketView:
    id: int
    kind: str
    label: str
    live: bool
    suspended: bool
    each_way: dict[str, Any] | None
    selections: tuple[SelectionView, ...]


@dataclass(frozen=True)
class FixtureView:
    id: int
    kind: str
    name: str
    starts_at: datetime
    suspended: bool
    sport: str | None
    event: str | None
    competition: dict[str, Any] | None
    meeting: dict[str, Any] | None
    participants: tuple[dict[str, Any], ...]
    markets: tuple[MarketView, ...]


def each_way(row: Any) -> dict[str, Any] | None:
    if row.places is None:
        return None
    return {"fraction": f"{row.place_numerator}/{row.place_denominator}", "places": row.places}


def fixture_tech(fixture_id: int) -> str:
    """LigSp/Tech: the fixture's code, common to every player's bets on it."""
    return f"F{fixture_id}"


def open_snapshot(c: Connection) -> list[FixtureView]:
    """Every fixture with at least one market that has no result, and those markets."""
    unresulted = ~exists().where(sportsbook_results.c.market_id == sportsbook_markets.c.id)
    markets = c.execute(select(sportsbook_markets).where(unresulted).order_by(sportsbook_markets.c.id)).all()
    if not markets:
        return []
    fixture_ids = sorted({m.fixture_id for m in markets})
    market_ids = [m.id for m in markets]
    fixtures = c.execute(select(sportsbook_fixtures).where(sportsbook_fixtures.c.id.in_(fixture_ids))).all()
    competitions = {r.id: r for r in c.execute(select(sportsbook_competitions).where(
        sportsbook_competitions.c.id.in_({f.competition_id for f in fixtures if f.competition_id}))).all()}
    meetings = {r.id: r for r in c.execute(select(sportsbook_meetings).where(
        sportsbook_meetings.c.id.in_({f.meeting_id for f in fixtures if f.meeting_id}))).all()}
    people: dict[int, list[Any]] = {}
    for p in c.execute(select(sportsbook_participants).where(
            sportsbook_participants.c.fixture_id.in_(fixture_ids)).order_by(sportsbook_participants.c.number)):
        people.setdefault(p.fixture_id, []).append(p)
    selections: dict[int, list[Any]] = {}
    for s in c.execute(select(sportsbook_selections).where(sportsbook_selections.c.market_id.in_(market_ids))
                       .order_by(sportsbook_selections.c.position)):
        selections.setdefault(s.market_id, []).append(s)
    views = []
    for f in sorted(fixtures, key=lambda f: (f.starts_at, f.id)):
        withdrawn = {p.number for p in people.get(f.id, []) if p.withdrawn_at is not None}
        competition = competitions.get(f.competition_id)
        meeting = meetings.get(f.meeting_id)
        views.append(FixtureView(
            id=f.id, kind=f.kind, name=f.name, starts_at=f.starts_at, suspended=f.suspended,
            sport=competition.sport if competition else None, event=competition.event if competition else None,
            competition={"competition_id": competition.id, "name": competition.name} if competition else None,
            meeting=({"meeting_id": meeting.id, "venue": meeting.venue, "number": meeting.number,
                      "day": meeting.day.isoformat(), "race": race_code(meeting.number, f.race_number)}
                     if meeting else None),
            participants=tuple({"number": p.number, "name": p.name, "withdrawn": p.withdrawn_at is not None}
                               for p in people.get(f.id, [])),
            markets=tuple(MarketView(
                id=m.id, kind=m.kind, label=m.label, live=m.live, suspended=m.suspended, each_way=each_way(m),
                selections=tuple(SelectionView(s.id, s.label, s.odds, s.runner in withdrawn)
                                 for s in selections.get(m.id, [])))
                for m in markets if m.fixture_id == f.id)))
    return views


def player_listing(snapshot: list[FixtureView], now: datetime, fixture_id: int | None = None,
                   sport: str | None = None) -> list[dict[str, Any]]:
    """The offer now: a started fixture keeps only its live markets."""
    listed = []
    for f in snapshot:
        if (fixture_id is not None and f.id != fixture_id) or (sport is not None and f.sport != sport):
            continue
        started = now >= f.starts_at
        markets = []
        for m in f.markets:
            if started and not m.live:
                continue  # closed at the start; it waits for its result
            market_open = not (f.suspended or m.suspended)
            markets.append({
                "market_id": m.id, "kind": m.kind, "label": m.label, "live": m.live, "suspended": m.suspended,
                "open": market_open, "each_way": m.each_way,
                "selections": [{"selection_id": s.id, "label": s.label, "odds": odds_text(s.odds),
                                "withdrawn": s.withdrawn, "open": market_open and not s.withdrawn}
                               for s in m.selections]})
        if markets:
            listed.append({
                "fixture_id": f.id, "kind": f.kind, "name": f.name, "sport": f.sport, "event": f.event,
                "competition": f.competition, "meeting": f.meeting, "starts_at": f.starts_at.isoformat(),
                "started": started, "suspended": f.suspended, "participants": list(f.participants),
                "markets": markets})
    return listed


def competitions(c: Connection, competition_id: int | None = None) -> list[dict[str, Any]]:
    query = select(sportsbook_competitions).order_by(sportsbook_competitions.c.id)
    if competition_id is not None:
        query = query.where(sportsbook_competitions.c.id == competition_id)
    return [{"competition_id": r.id, "name": r.name, "sport": r.sport, "event": r.event, "category": r.category,
             "disciplines": r.disciplines.split(), "gender": r.gender, "created_at": r.created_at.isoformat(),
             "created_by": r.created_by} for r in c.execute(query)]


def meetings(c: Connection, meeting_id: int | None = None) -> list[dict[str, Any]]:
    query = select(sportsbook_meetings).order_by(sportsbook_meetings.c.id)
    if meeting_id is not None:
        query = query.where(sportsbook_meetings.c.id == meeting_id)
    return [{"meeting_id": r.id, "venue": r.venue, "day": r.day.isoformat(), "number": r.number,
             "created_at": r.created_at.isoformat(), "created_by": r.created_by} for r in c.execute(query)]


def fixture_summaries(c: Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    rows = c.execute(select(sportsbook_fixtures).order_by(sportsbook_fixtures.c.id).limit(limit)
                     .offset(offset)).all()
    return [{"fixture_id": r.id, "kind": r.kind, "tech": fixture_tech(r.id), "name": r.name,
             "canonical_name": r.canonical_name, "competition_id": r.competition_id, "meeting_id": r.meeting_id,
             "race_number": r.race_number, "starts_at": r.starts_at.isoformat(), "suspended": r.suspended}
            for r in rows]


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def fixture_detail(c: Connection, fixture_id: int) -> dict[str, Any] | None:
    """Everything about one fixture, its history included: the operator's and auditor's view."""
    f = c.execute(select(sportsbook_fixtures).where(sportsbook_fixtures.c.id == fixture_id)).first()
    if f is None:
        return None
    competition = None
    if f.competition_id is not None:
        competition = c.execute(select(sportsbook_competitions).where(
            sportsbook_competitions.c.id == f.competition_id)).one()
    meeting = None
    if f.meeting_id is not None:
        meeting = c.execute(select(sportsbook_meetings).where(sportsbook_meetings.c.id == f.meeting_id)).one()
    markets = c.execute(select(sportsbook_markets).where(sportsbook_markets.c.fixture_id == fixture_id)
                        .order_by(sportsbook_markets.c.id)).all()
    market_ids = [m.id for m in markets]
    selections = c.execute(select(sportsbook_selections).where(sportsbook_selections.c.market_id.in_(market_ids))
                           .order_by(sportsbook_selections.c.market_id, sportsbook_selections.c.position)).all()
    history: dict[int, list[dict[str, Any]]] = {}
    for o in c.execute(select(sportsbook_odds).where(sportsbook_odds.c.selection_id.in_([s.id for s in selections]))
                       .order_by(sportsbook_odds.c.id)):
        history.setdefault(o.selection_id, []).append(
            {"odds": odds_text(o.odds), "valid_from": o.valid_from.isoformat(), "changed_by": o.changed_by})
    results: dict[int, list[dict[str, Any]]] = {}
    result_rows = c.execute(select(sportsbook_results).where(sportsbook_results.c.market_id.in_(market_ids))
                            .order_by(sportsbook_results.c.market_id, sportsbook_results.c.version)).all()
    lines: dict[int, list[dict[str, Any]]] = {}
    for line in c.execute(select(sportsbook_result_lines).where(
            sportsbook_result_lines.c.result_id.in_([r.id for r in result_rows]))
            .order_by(sportsbook_result_lines.c.selection_id, sportsbook_result_lines.c.leg)):
        lines.setdefault(line.result_id, []).append({
            "selection_id": line.selection_id, "leg": line.leg, "outcome": line.outcome,
            "dead_heat": ({"tied": line.dead_heat_tied, "places": line.dead_heat_places}
                          if line.dead_heat_tied else None), "position": line.position})
    for r in result_rows:
        results.setdefault(r.market_id, []).append({
            "version": r.version, "void": r.void, "result_at": r.result_at.isoformat(),
            "recorded_at": r.recorded_at.isoformat(), "recorded_by": r.recorded_by, "reason": r.reason,
            "superseded_at": _when(r.superseded_at), "lines": lines.get(r.id, [])})
    suspensions = [{"market_id": s.market_id, "suspended": s.suspended, "at": s.at.isoformat(),
                    "changed_by": s.changed_by, "reason": s.reason}
                   for s in c.execute(select(sportsbook_suspensions).where(
                       sportsbook_suspensions.c.fixture_id == fixture_id).order_by(sportsbook_suspensions.c.id))]
    people = c.execute(select(sportsbook_participants).where(sportsbook_participants.c.fixture_id == fixture_id)
                       .order_by(sportsbook_participants.c.number)).all()
    return {
        "fixture_id": f.id, "kind": f.kind, "tech": fixture_tech(f.id), "name": f.name,
        "canonical_name": f.canonical_name, "starts_at": f.starts_at.isoformat(), "suspended": f.suspended,
        "competition": ({"competition_id": competition.id, "name": competition.name, "sport": competition.sport,
                         "event": competition.event} if competition else None),
        "meeting": ({"meeting_id": meeting.id, "venue": meeting.venue, "day": meeting.day.isoformat(),
                     "number": meeting.number, "race": race_code(meeting.number, f.race_number)}
                    if meeting else None),
        "category": f.category, "disciplines": f.disciplines.split(), "gender": f.gender,
        "created_at": f.created_at.isoformat(), "created_by": f.created_by,
        "participants": [{"number": p.number, "name": p.name, "canonical_name": p.canonical_name, "part": p.part,
                          "withdrawn_at": _when(p.withdrawn_at), "rule4_deduction": p.rule4_deduction,
                          "withdrawn_by": p.withdrawn_by} for p in people],
        "markets": [{
            "market_id": m.id, "kind": m.kind, "label": m.label, "live": m.live, "suspended": m.suspended,
            "each_way": each_way(m), "created_at": m.created_at.isoformat(), "created_by": m.created_by,
            "selections": [{
                "selection_id": s.id, "position": s.position, "label": s.label, "runner": s.runner,
                "prognostic": [[s.type_res, s.choix], *json.loads(s.extra or "[]")] if s.type_res else None,
                "choix": s.choix, "odds": odds_text(s.odds), "odds_since": s.odds_since.isoformat(),
                "odds_history": history.get(s.id, [])} for s in selections if s.market_id == m.id],
            "results": results.get(m.id, [])} for m in markets],
        "suspensions": suspensions,
    }

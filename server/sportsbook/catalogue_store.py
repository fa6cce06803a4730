"""Writing the catalogue, in the caller's transaction, with the history beside every change.

Each write first locks its fixture's row (``FOR UPDATE`` on PostgreSQL; SQLite's writers
are serialised already), so two operators changing one fixture at once are applied one
after the other: a market is never priced on a runner withdrawn meanwhile, two results
never get the same version.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Row

from server.sportsbook.catalogue_input import CompetitionIn, FixtureIn, MarketIn
from server.sportsbook.catalogue_tables import (
    sportsbook_competitions, sportsbook_fixtures, sportsbook_markets, sportsbook_meetings, sportsbook_odds,
    sportsbook_participants, sportsbook_result_lines, sportsbook_results, sportsbook_selections,
    sportsbook_suspensions,
)
from server.sportsbook.racing_input import MeetingIn, RaceIn, RaceMarketIn, WithdrawalIn
from server.sportsbook.result_input import ResultIn


class Conflict(Exception):
    """The request is well formed but the catalogue's state refuses it (409)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _id(c: Connection, statement: Any) -> int:
    key = c.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_competition(c: Connection, new: CompetitionIn, actor: str, now: datetime) -> int:
    return _id(c, insert(sportsbook_competitions).values(
        name=new.name, sport=new.sport, event=new.event, category=new.category,
        disciplines=" ".join(new.disciplines), gender=new.gender, created_at=now, created_by=actor))


def insert_meeting(c: Connection, new: MeetingIn, actor: str, now: datetime) -> int:
    taken = c.execute(select(sportsbook_meetings.c.id).where(
        (sportsbook_meetings.c.day == new.day) & (sportsbook_meetings.c.number == new.number))).first()
    if taken is not None:
        raise Conflict("meeting_exists", f"meeting R{new.number} on {new.day} is already meeting {taken.id}")
    return _id(c, insert(sportsbook_meetings).values(venue=new.venue, day=new.day, number=new.number,
                                                     created_at=now, created_by=actor))


def insert_fixture(c: Connection, new: FixtureIn, actor: str, now: datetime) -> int:
    fixture_id = _id(c, insert(sportsbook_fixtures).values(
        kind="sport", competition_id=new.competition_id, name=new.name, canonical_name=new.renc,
        category=new.category, disciplines=" ".join(new.disciplines), gender=new.gender,
        starts_at=new.starts_at, suspended=False, created_at=now, created_by=actor))
    _participants(c, fixture_id, new.participants)
    return fixture_id


def insert_race(c: Connection, new: RaceIn, actor: str, now: datetime) -> int:
    taken = c.execute(select(sportsbook_fixtures.c.id).where(
        (sportsbook_fixtures.c.meeting_id == new.meeting_id)
        & (sportsbook_fixtures.c.race_number == new.number))).first()
    if taken is not None:
        raise Conflict("race_exists", f"race {new.number} of this meeting is already fixture {taken.id}")
    fixture_id = _id(c, insert(sportsbook_fixtures).values(
        kind="race", meeting_id=new.meeting_id, race_number=new.number, name=new.name,
        canonical_name=new.canonical_name, disciplines="", starts_at=new.starts_at, suspended=False,
        created_at=now, created_by=actor))
    _participants(c, fixture_id, new.runners)
    return fixture_id


def _participants(c: Connection, fixture_id: int, participants: Any) -> None:
    if participants:
        c.execute(insert(sportsbook_participants), [
            {"fixture_id": fixture_id, "number": p.number, "name": p.name, "canonical_name": p.canonical_name,
             "part": p.part} for p in participants])


def lock_fixture(c: Connection, fixture_id: int) -> Row[Any]:
    row = c.execute(select(sportsbook_fixtures).where(sportsbook_fixtures.c.id == fixture_id)
                    .with_for_update()).first()
    if row is None:
        raise NotFound("unknown_fixture", f"no fixture {fixture_id}")
    return row


def market_row(c: Connection, market_id: int) -> Row[Any]:
    row = c.execute(select(sportsbook_markets).where(sportsbook_markets.c.id == market_id)).first()
    if row is None:
        raise NotFound("unknown_market", f"no market {market_id}")
    return row


def current_result(c: Connection, market_id: int) -> Row[Any] | None:
    return c.execute(select(sportsbook_results).where(
        (sportsbook_results.c.market_id == market_id) & sportsbook_results.c.superseded_at.is_(None))).first()


def has_result(c: Connection, fixture_id: int) -> bool:
    return c.execute(select(sportsbook_results.c.id).join(
        sportsbook_markets, sportsbook_markets.c.id == sportsbook_results.c.market_id).where(
        sportsbook_markets.c.fixture_id == fixture_id).limit(1)).first() is not None


def participants(c: Connection, fixture_id: int) -> list[Row[Any]]:
    return list(c.execute(select(sportsbook_participants).where(
        sportsbook_participants.c.fixture_id == fixture_id).order_by(sportsbook_participants.c.number)).all())


def insert_market(c: Connection, fixture_id: int, new: MarketIn, actor: str, now: datetime) -> int:
    market_id = _id(c, insert(sportsbook_markets).values(
        fixture_id=fixture_id, kind="sport", label=new.label, live=new.live, suspended=False,
        created_at=now, created_by=actor))
    for position, selection in enumerate(new.selections, start=1):
        (type_res, choix), *more = selection.prognostic
        _selection(c, market_id, position, selection.label, type_res, choix, more, None, selection.odds, actor, now)
    return market_id


def insert_race_market(c: Connection, fixture_id: int, new: RaceMarketIn, runner_names: dict[int, str],
                       actor: str, now: datetime) -> int:
    numerator, denominator, places = new.place_terms or (None, None, None)
    market_id = _id(c, insert(sportsbook_markets).values(
        fixture_id=fixture_id, kind=new.kind, label=new.label, live=new.live, suspended=False,
        place_numerator=numerator, place_denominator=denominator, places=places, created_at=now,
        created_by=actor))
    for position, (runner, odds) in enumerate(new.odds.items(), start=1):
        _selection(c, market_id, position, f"{runner}. {runner_names[runner]}", None, str(runner), [], runner,
                   odds, actor, now)
    return market_id


def _selection(c: Connection, market_id: int, position: int, label: str, type_res: str | None, choix: str,
               more: list[tuple[str, str]], runner: int | None, odds: int, actor: str, now: datetime) -> None:
    selection_id = _id(c, insert(sportsbook_selections).values(
        market_id=market_id, position=position, label=label, type_res=type_res, choix=choix,
        extra=json.dumps(more) if more else "", runner=runner, odds=odds, odds_since=now))
    c.execute(insert(sportsbook_odds).values(selection_id=selection_id, odds=odds, valid_from=now, changed_by=actor))


def change_odds(c: Connection, market_id: int, changes: dict[int, int], actor: str,
                now: datetime) -> list[dict[str, Any]]:
    """New prices, each a history row; a price equal to the current one is no change."""
    rows = {r.id: r for r in c.execute(select(sportsbook_selections).where(
        sportsbook_selections.c.market_id == market_id)).all()}
    changed = []
    for selection_id, odds in changes.items():
        row = rows[selection_id]
        if row.odds == odds:
            continue
        c.execute(update(sportsbook_selections).where(sportsbook_selections.c.id == selection_id).values(
            odds=odds, odds_since=now))
        c.execute(insert(sportsbook_odds).values(selection_id=selection_id, odds=odds, valid_from=now,
                                                 changed_by=actor))
        changed.append({"selection_id": selection_id, "before": row.odds, "after": odds})
    return changed


def set_suspended(c: Connection, fixture_id: int, market_id: int | None, suspended: bool, actor: str,
                  reason: str | None, now: datetime) -> bool:
    """Returns whether anything changed; a change is kept in the suspensions' history."""
    table = sportsbook_fixtures if market_id is None else sportsbook_markets
    key = fixture_id if market_id is None else market_id
    current = c.execute(select(table.c.suspended).where(table.c.id == key)).scalar_one()
    if bool(current) == suspended:
        return False
    c.execute(update(table).where(table.c.id == key).values(suspended=suspended))
    c.execute(insert(sportsbook_suspensions).values(fixture_id=fixture_id, market_id=market_id,
                                                    suspended=suspended, at=now, changed_by=actor, reason=reason))
    return True


def record_result(c: Connection, market_id: int, result: ResultIn, actor: str, now: datetime) -> int:
    """A first result is version 1; a correction supersedes the current version and keeps it."""
    last = c.execute(select(func.max(sportsbook_results.c.version)).where(
        sportsbook_results.c.market_id == market_id)).scalar()
    version = (last or 0) + 1
    if last is not None:
        c.execute(update(sportsbook_results).where(
            (sportsbook_results.c.market_id == market_id) & sportsbook_results.c.superseded_at.is_(None)).values(
            superseded_at=now))
    result_id = _id(c, insert(sportsbook_results).values(
        market_id=market_id, version=version, void=result.void, result_at=result.result_at, recorded_at=now,
        recorded_by=actor, reason=result.reason))
    c.execute(insert(sportsbook_result_lines), [
        {"result_id": result_id, "selection_id": line.selection_id, "leg": line.leg, "outcome": line.outcome,
         "dead_heat_tied": line.dead_heat[0] if line.dead_heat else None,
         "dead_heat_places": line.dead_heat[1] if line.dead_heat else None, "position": line.position}
        for line in result.lines])
    return version


def withdraw_runner(c: Connection, fixture_id: int, number: int, withdrawal: WithdrawalIn, actor: str) -> None:
    c.execute(update(sportsbook_participants).where(
        (sportsbook_participants.c.fixture_id == fixture_id) & (sportsbook_participants.c.number == number)).values(
        withdrawn_at=withdrawal.withdrawn_at, rule4_deduction=withdrawal.deduction, withdrawn_by=actor))

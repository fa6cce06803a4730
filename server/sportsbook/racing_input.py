"""The operator's race meetings, races, fixed-odds race markets and non-runners, checked.

A race is traced as PAHIMISE (annex 1.3.4.a.2): Nom is the meeting and race numbers
("R1C3", as every example of 1.4.1.b), DateHeure the race's start, Choix the runner's
number. Place terms of an each-way market are a fraction of the win odds (1/4, 1/5...)
for the first ``places`` finishers. A non-runner's Rule 4 deduction (pence in the pound,
0 to 90, as in the Tattersalls table the operator reads it from) applies to bets on the
other runners struck before the withdrawal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from server.sportsbook import canonical as names
from server.sportsbook.catalogue_input import ParticipantIn, participant
from server.sportsbook.inputs import InputError, Reader

MAX_RUNNERS = 40
MAX_RULE4 = 90
FRACTION = re.compile(r"([1-9])/([1-9][0-9]?)\Z")


@dataclass(frozen=True)
class MeetingIn:
    venue: str
    day: date
    number: int


@dataclass(frozen=True)
class Meeting:
    id: int
    venue: str
    number: int


@dataclass(frozen=True)
class RaceIn:
    meeting_id: int
    number: int
    name: str
    canonical_name: str
    starts_at: datetime
    runners: tuple[ParticipantIn, ...]


@dataclass(frozen=True)
class RaceMarketIn:
    kind: str  # win | each_way
    label: str
    live: bool
    place_terms: tuple[int, int, int] | None  # numerator, denominator, places
    odds: Mapping[int, int]  # runner number -> hundredths, in the runners' order


@dataclass(frozen=True)
class WithdrawalIn:
    withdrawn_at: datetime
    deduction: int  # pence in the pound


def race_code(meeting_number: int, race_number: int) -> str:
    """PAHIMISE Desc/Nom, as in the annex's examples: réunion 1, course 3 -> R1C3."""
    return f"R{meeting_number}C{race_number}"


def parse_meeting(body: Any) -> MeetingIn:
    r = Reader(body, {"venue", "day", "number"})
    return MeetingIn(r.text("venue", 64), r.day("day"), r.integer("number", 1, 99))


def race_meeting_id(body: Any) -> int:
    if not isinstance(body, dict):
        raise InputError("body", "expected a JSON object")
    value = body.get("meeting_id")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError("meeting_id", "the id of a meeting (a positive integer)")
    return value


def parse_race(body: Any, meeting: Meeting) -> RaceIn:
    r = Reader(body, {"meeting_id", "number", "name", "starts_at", "runners"})
    number = r.integer("number", 1, 99)
    name = r.optional_text("name", 200) or f"{meeting.venue} {race_code(meeting.number, number)}"
    canonical_name = names.canonical(name)
    if not canonical_name:
        raise InputError("name", "has no character the canonical form keeps")
    starts_at = r.time("starts_at")
    runners = []
    numbers: dict[int, int] = {}
    for i, item in enumerate(r.items("runners", 2, MAX_RUNNERS)):
        runner = Reader(item, {"number", "name"}, f"runners[{i}]")
        n = runner.integer("number", 1, 99)
        if n in numbers:
            raise InputError(runner.path("number"), f"runner {n} is already runners[{numbers[n]}]")
        numbers[n] = i
        runners.append(participant(item.get("name"), runner.path("name"), n, None, None))
    return RaceIn(meeting.id, number, name, canonical_name, starts_at, tuple(runners))


def parse_race_market(body: Any, running: list[int], withdrawn: set[int]) -> RaceMarketIn:
    """``running``: the race's runners still in it, in number order."""
    r = Reader(body, {"kind", "label", "live", "each_way", "odds"})
    kind = r.raw("kind")
    if kind not in ("win", "each_way"):
        raise InputError("kind", "win or each_way")
    terms = None
    if kind == "each_way":
        terms = _place_terms(r, len(running))
    elif r.has("each_way"):
        raise InputError("each_way", "place terms belong to an each_way market")
    default_label = "Gagnant" if terms is None else f"Each-way ({terms[0]}/{terms[1]} de la cote, {terms[2]} places)"
    label = r.text("label", 128, default=default_label)
    live = r.boolean("live", False)
    odds: dict[int, int] = {}
    for i, item in enumerate(r.items("odds", 1, MAX_RUNNERS)):
        line = Reader(item, {"runner", "odds"}, f"odds[{i}]")
        runner = line.integer("runner", 1, 99)
        if runner in withdrawn:
            raise InputError(line.path("runner"), f"runner {runner} is a non-runner")
        if runner not in running:
            raise InputError(line.path("runner"), f"the race has no runner {runner}")
        if runner in odds:
            raise InputError(line.path("runner"), f"runner {runner} is priced twice")
        odds[runner] = line.odds("odds")
    missing = [n for n in running if n not in odds]
    if missing:
        raise InputError("odds", f"every runner needs a price; missing: {', '.join(map(str, missing))}")
    return RaceMarketIn(kind, label, live, terms, {n: odds[n] for n in running})


def _place_terms(r: Reader, field_size: int) -> tuple[int, int, int]:
    if not r.has("each_way"):
        raise InputError("each_way", 'required: {"fraction": "1/4", "places": 3}')
    terms = Reader(r.raw("each_way"), {"fraction", "places"}, "each_way")
    fraction = terms.raw("fraction")
    match = FRACTION.match(fraction) if isinstance(fraction, str) else None
    if match is None or int(match[1]) >= int(match[2]):
        raise InputError(terms.path("fraction"), 'a fraction of the win odds below 1, e.g. "1/4" or "1/5"')
    places = terms.integer("places", 1, 10)
    if places >= field_size:
        raise InputError(terms.path("places"), f"fewer places than runners ({field_size})")
    return int(match[1]), int(match[2]), places


def parse_withdrawal(body: Any, now: datetime, starts_at: datetime) -> WithdrawalIn:
    r = Reader(body if body is not None else {}, {"withdrawn_at", "rule4_deduction"})
    withdrawn_at = r.time("withdrawn_at", default=now)
    if withdrawn_at > now:
        raise InputError("withdrawn_at", "in the future: record a withdrawal once it is known")
    if withdrawn_at >= starts_at:
        raise InputError("withdrawn_at", "after the race's start: a runner that started is no non-runner")
    # Explicit, even when 0: the deduction is the operator's reading of the Rule 4 table.
    return WithdrawalIn(withdrawn_at, r.integer("rule4_deduction", 0, MAX_RULE4))

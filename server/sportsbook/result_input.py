"""A market's result (or its correction), checked, as one line per selection and leg.

Sports markets: the operator lists the outcome of the selections that did not simply lose
(``win``, ``void``, ``half_win``, ``half_lose``; a win may be a dead heat: ``tied``
selections shared ``places`` places, so the stake is paid at full odds on places/tied of
it). Race markets: the operator gives the finishing positions and the lines follow —
the win leg for the first place, the place leg (each-way) for the first ``places``; a
dead heat over the last paying places pays the share of them the tied runners cover;
non-runners are void. A void market voids every selection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from server.sportsbook.inputs import InputError, Reader

OUTCOMES = ("win", "lose", "void", "half_win", "half_lose")
MAX_POSITION = 40


@dataclass(frozen=True)
class LineIn:
    selection_id: int
    leg: str  # win | place
    outcome: str
    dead_heat: tuple[int, int] | None = None  # (tied, places)
    position: int | None = None


@dataclass(frozen=True)
class ResultIn:
    void: bool
    result_at: datetime
    reason: str | None
    lines: tuple[LineIn, ...]


@dataclass(frozen=True)
class MarketContext:
    kind: str  # sport | win | each_way
    selections: Mapping[int, int | None]  # selection id -> runner number (races)
    places: int | None = None
    withdrawn: frozenset[int] = frozenset()

    @property
    def legs(self) -> tuple[str, ...]:
        return ("win", "place") if self.kind == "each_way" else ("win",)


def parse_result(body: Any, market: MarketContext, now: datetime, correction: bool) -> ResultIn:
    detail = "outcomes" if market.kind == "sport" else "placings"
    r = Reader(body, {"void", "result_at", "reason", detail})
    # A correction says why: the settlement engine resettles bets on it, auditors ask.
    reason = r.text("reason", 256) if correction else r.optional_text("reason", 256)
    result_at = r.time("result_at", default=now)
    if result_at > now:
        raise InputError("result_at", "in the future")
    void = r.boolean("void", False)
    if void:
        if r.has(detail):
            raise InputError(detail, "a void market has none: every selection is void")
        lines = tuple(LineIn(s, leg, "void") for s in market.selections for leg in market.legs)
    elif market.kind == "sport":
        lines = _sport_lines(r, market)
    else:
        lines = _race_lines(r, market)
    return ResultIn(void, result_at, reason, lines)


def _sport_lines(r: Reader, market: MarketContext) -> tuple[LineIn, ...]:
    given: dict[int, LineIn] = {}
    for i, item in enumerate(r.items("outcomes", 1, len(market.selections))):
        line = Reader(item, {"selection_id", "outcome", "dead_heat"}, f"outcomes[{i}]")
        selection = line.integer("selection_id", 1, 2**62)
        if selection not in market.selections:
            raise InputError(line.path("selection_id"), f"{selection} is not a selection of this market")
        if selection in given:
            raise InputError(line.path("selection_id"), f"selection {selection} is listed twice")
        outcome = line.raw("outcome")
        if outcome not in OUTCOMES:
            raise InputError(line.path("outcome"), " or ".join(OUTCOMES))
        dead_heat = None
        if line.has("dead_heat"):
            if outcome != "win":
                raise InputError(line.path("dead_heat"), "only a win can be a dead heat")
            terms = Reader(line.raw("dead_heat"), {"tied", "places"}, line.path("dead_heat"))
            tied = terms.integer("tied", 2, 64)
            dead_heat = (tied, terms.integer("places", 1, tied - 1))
        given[selection] = LineIn(selection, "win", outcome, dead_heat)
    return tuple(given.get(s, LineIn(s, "win", "lose")) for s in market.selections)


def _race_lines(r: Reader, market: MarketContext) -> tuple[LineIn, ...]:
    runners = {runner: selection for selection, runner in market.selections.items() if runner is not None}
    positions: dict[int, int] = {}
    for i, item in enumerate(r.items("placings", 1, len(runners) + len(market.withdrawn))):
        line = Reader(item, {"runner", "position"}, f"placings[{i}]")
        runner = line.integer("runner", 1, 99)
        if runner in market.withdrawn:
            raise InputError(line.path("runner"), f"runner {runner} is a non-runner: its bets are void")
        if runner not in runners:
            raise InputError(line.path("runner"), f"the market has no runner {runner}")
        if runner in positions:
            raise InputError(line.path("runner"), f"runner {runner} is placed twice")
        positions[runner] = line.integer("position", 1, MAX_POSITION)
    tied = _check_ties(positions)
    lines = []
    for selection, number in market.selections.items():
        assert number is not None
        runner = number
        for leg in market.legs:
            if runner in market.withdrawn:
                lines.append(LineIn(selection, leg, "void"))
                continue
            position = positions.get(runner)
            paid = 1 if leg == "win" else market.places or 0
            if position is None or position > paid:
                lines.append(LineIn(selection, leg, "lose", position=position))
                continue
            group = tied[position]
            share = paid - position + 1  # the paying places the tied runners cover
            dead_heat = (group, share) if group > share else None
            lines.append(LineIn(selection, leg, "win", dead_heat, position))
    return tuple(lines)


def _check_ties(positions: dict[int, int]) -> dict[int, int]:
    """n runners tied at p take places p to p+n-1: the next position is p+n or later."""
    tied: dict[int, int] = {}
    for position in positions.values():
        tied[position] = tied.get(position, 0) + 1
    if 1 not in tied:
        raise InputError("placings", "no runner is placed first")
    ordered = sorted(tied)
    for here, after in zip(ordered, ordered[1:]):
        if after < here + tied[here]:
            raise InputError("placings", f"position {after} cannot follow {tied[here]} runners tied at {here}")
    return tied

"""A tournament's definition: the operator's request, checked, stored as JSON, and the rules of
``games.tournament`` it gives.

Money is cents (buy-in into the prize pool, fee for the operator); blinds and antes are chips.
A sit-and-go seats ``players`` and starts as soon as that many have registered; a scheduled
tournament starts at ``starts_at`` with ``min_players`` to ``max_players`` (else it is cancelled
and refunded). Levels last ``level_hands`` hands or ``level_minutes`` minutes of play.

Payouts default to ``games.tournament.payouts.DEFAULT_PAYOUTS``; ``payout_shares`` (basis points
per place, best first, adding up to 10 000) replaces the default from that many entrants up, the
default table paying the smaller fields.

``time_bank_seconds`` (default 0: none) gives every player a time bank when the tournament
starts (or when they enter late), refilled by ``time_bank_refill_seconds`` per hand dealt and
carried with them when they move tables (``server.cardroom.runtime`` says how it is spent).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from games.betting import Structure
from games.hand import Variant
from games.tournament.errors import TournamentError
from games.tournament.ledger import Price
from games.tournament.rebuys import AddOnRule, RebuyRule
from games.tournament.payouts import BASIS, DEFAULT_PAYOUTS, PayoutBand, PayoutTable, Tier
from games.tournament.registration import Format, RegistrationRules
from games.tournament.structure import BlindLevel, Breaks, Pace, Schedule
from games.tournament.tournament import TournamentRules


class SpecError(ValueError):
    """The operator's definition is refused; the message names the field."""


@dataclass(frozen=True)
class TournamentSpec:
    name: str
    format: str  # Format value
    variant: str  # HOLDEM | OMAHA
    structure: str  # NL | PL | FL
    seats: int  # per table
    min_players: int
    max_players: int
    buy_in: int  # cents
    fee: int  # cents
    chips: int
    levels: tuple[tuple[int, int, int], ...]  # (small blind, big blind, ante) in chips
    pace: str  # Pace value
    level_length: int  # hands, or seconds of play
    decision_seconds: int
    break_every: int | None = None  # seconds
    break_length: int | None = None
    payout_shares: tuple[int, ...] | None = None
    starts_at: str | None = None  # ISO, scheduled only
    late_until_level: int | None = None
    # Defaults: definitions stored before the time bank existed read back without one.
    time_bank_seconds: int = 0
    time_bank_refill_seconds: int = 0
    # {"price", "fee", "chips", "threshold", "until_level", "limit" (0: none), "decision_seconds"}
    rebuy: dict[str, int] | None = None
    add_on: dict[str, int] | None = None  # {"price", "fee", "chips", "at_level"}

    @property
    def sit_and_go(self) -> bool:
        return self.format == Format.SIT_AND_GO.value

    def start_time(self) -> datetime | None:
        return None if self.starts_at is None else datetime.fromisoformat(self.starts_at)

    def schedule(self) -> Schedule:
        breaks = None if self.break_every is None or self.break_length is None else Breaks(
            self.break_every, self.break_length)
        return Schedule(tuple(BlindLevel(sb, bb, ante) for sb, bb, ante in self.levels), Pace(self.pace),
                        self.level_length, breaks)

    def payouts(self) -> PayoutTable:
        if self.payout_shares is None:
            return DEFAULT_PAYOUTS
        return custom_payouts(self.payout_shares)

    def rules(self, opens_at: datetime) -> TournamentRules:
        registration = RegistrationRules(Format(self.format), Price(self.buy_in, self.fee, self.chips),
                                         self.min_players, self.max_players, opens_at, starts_at=self.start_time(),
                                         late_until_level=self.late_until_level)
        rebuy = add_on = None
        if self.rebuy is not None:
            r = self.rebuy
            rebuy = RebuyRule(Price(r["price"], r["fee"], r["chips"]), r["threshold"], r["until_level"],
                              r["limit"] or None)
        if self.add_on is not None:
            a = self.add_on
            add_on = AddOnRule(Price(a["price"], a["fee"], a["chips"]), a["at_level"])
        return TournamentRules(registration, self.schedule(), self.seats, self.payouts(), rebuy=rebuy, add_on=add_on)

    def game(self) -> tuple[Variant, Structure]:
        return Variant[self.variant], Structure(self.structure)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @staticmethod
    def from_json(text: str) -> TournamentSpec:
        data = json.loads(text)
        data["levels"] = tuple(tuple(level) for level in data["levels"])
        if data.get("payout_shares") is not None:
            data["payout_shares"] = tuple(data["payout_shares"])
        return TournamentSpec(**data)

    def public(self) -> dict[str, Any]:
        """What players and operators are shown."""
        payouts = self.payouts()
        return {
            "name": self.name, "format": self.format, "variant": self.variant, "structure": self.structure,
            "seats": self.seats, "min_players": self.min_players, "max_players": self.max_players,
            "buy_in_cents": self.buy_in, "fee_cents": self.fee, "starting_chips": self.chips,
            "levels": [{"small_blind": sb, "big_blind": bb, "ante": ante} for sb, bb, ante in self.levels],
            "level_hands" if self.pace == Pace.HANDS.value else "level_seconds": self.level_length,
            "decision_seconds": self.decision_seconds, "starts_at": self.starts_at,
            "break_every_seconds": self.break_every, "break_seconds": self.break_length,
            "late_until_level": self.late_until_level, "time_bank_seconds": self.time_bank_seconds,
            "time_bank_refill_seconds": self.time_bank_refill_seconds,
            "rebuy": None if self.rebuy is None else _public_purchase(self.rebuy),
            "add_on": None if self.add_on is None else _public_purchase(self.add_on),
            "payouts_for_max_field": [round(share / 100, 2) for share in
                                      payouts.band(self.max_players).shares()],
        }


def _public_purchase(terms: dict[str, int]) -> dict[str, int | None]:
    names = {"price": "buy_in_cents", "fee": "fee_cents", "threshold": "threshold_chips"}
    shown: dict[str, int | None] = {names.get(k, k): v for k, v in terms.items()}
    if "limit" in shown:
        shown["limit"] = shown["limit"] or None
    return shown


def custom_payouts(shares: tuple[int, ...]) -> PayoutTable:
    """The default table below ``len(shares)`` entrants, ``shares`` from there up."""
    paid = len(shares)
    bands: list[PayoutBand] = []
    for band in DEFAULT_PAYOUTS.bands:
        if band.min_field >= paid:
            break
        top = band.max_field if band.max_field is not None and band.max_field < paid else paid - 1
        bands.append(PayoutBand(band.min_field, top, band.tiers))
    bands.append(PayoutBand(max(paid, 2), None, tuple(Tier(1, share) for share in shares)))
    return PayoutTable(tuple(bands))


_FIELDS = {"name", "format", "variant", "structure", "seats", "players", "min_players", "max_players",
           "buy_in_cents", "fee_cents", "starting_chips", "levels", "level_hands", "level_minutes",
           "break_every_minutes", "break_minutes", "payout_shares", "decision_seconds", "starts_at", "late_until_level",
           "time_bank_seconds", "time_bank_refill_seconds", "rebuy", "add_on"}


def _integer(body: dict[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SpecError(f"{name}: an integer from {low} to {high}")
    return value


def _seconds(body: dict[str, Any], name: str, low: float, high: float) -> int:
    value = body.get(name)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise SpecError(f"{name}: a number of minutes from {low} to {high}")
    return max(1, round(value * 60))


def _levels(body: dict[str, Any]) -> tuple[tuple[int, int, int], ...]:
    raw = body.get("levels")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 100:
        raise SpecError("levels: a list of 1 to 100 levels {small_blind, big_blind, ante} in chips")
    levels = []
    for index, level in enumerate(raw, start=1):
        if not isinstance(level, dict) or set(level) - {"small_blind", "big_blind", "ante"}:
            raise SpecError(f"levels[{index}]: an object with small_blind, big_blind and ante (optional)")
        small = _integer(level, "small_blind", 1, 10**12)
        big = _integer(level, "big_blind", small, 10**12)
        levels.append((small, big, _integer(level, "ante", 0, big, 0)))
    return tuple(levels)


def _shares(body: dict[str, Any], max_players: int) -> tuple[int, ...] | None:
    raw = body.get("payout_shares")
    if raw is None:
        return None
    if (not isinstance(raw, list) or not 1 <= len(raw) <= max_players
            or any(not isinstance(s, int) or isinstance(s, bool) or s <= 0 for s in raw)):
        raise SpecError(f"payout_shares: 1 to {max_players} positive basis points, best place first")
    if sum(raw) != BASIS or any(b > a for a, b in zip(raw, raw[1:])):
        raise SpecError(f"payout_shares: add up to {BASIS} and never grow down the places")
    return tuple(raw)


def _field(body: dict[str, Any], sit_and_go: bool) -> tuple[int, int]:
    if sit_and_go:
        if "min_players" in body or "max_players" in body:
            raise SpecError("a sit-and-go takes players (it starts when full), not min_players/max_players")
        players = _integer(body, "players", 2, 1000)
        return players, players
    if "players" in body:
        raise SpecError("a scheduled tournament takes min_players and max_players")
    low = _integer(body, "min_players", 2, 10_000)
    return low, _integer(body, "max_players", low, 10_000)


def _start(body: dict[str, Any], sit_and_go: bool, now: datetime) -> tuple[str | None, int | None]:
    if sit_and_go:
        if "starts_at" in body or "late_until_level" in body:
            raise SpecError("a sit-and-go starts when full: no starts_at, no late registration")
        return None, None
    raw = body.get("starts_at")
    try:
        starts_at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        starts_at = None
    if starts_at is None or starts_at.tzinfo is None or starts_at <= now:
        raise SpecError("starts_at: an ISO date-time with its offset, in the future")
    late = body.get("late_until_level")
    if late is not None:
        late = _integer(body, "late_until_level", 1, 100)
    return starts_at.astimezone(timezone.utc).isoformat(), late


def _purchase_terms(body: dict[str, Any], name: str, extra: dict[str, tuple[int, int, int | None]]) -> dict[str, int] | None:
    """A rebuy's or add-on's terms: the price and chips like the buy-in's, then ``extra``
    (field: (low, high, default))."""
    raw = body.get(name)
    if raw is None:
        return None
    allowed = {"buy_in_cents", "fee_cents", "chips"} | set(extra)
    if not isinstance(raw, dict) or set(raw) - allowed:
        raise SpecError(f"{name}: an object with {', '.join(sorted(allowed))}")
    try:
        terms = {"price": _integer(raw, "buy_in_cents", 0, 100_000_000),
                 "fee": _integer(raw, "fee_cents", 0, 100_000_000, 0), "chips": _integer(raw, "chips", 1, 10**9)}
        for field_name, (low, high, default) in extra.items():
            terms[field_name.removesuffix("_chips")] = _integer(raw, field_name, low, high, default)
    except SpecError as exc:
        raise SpecError(f"{name}.{exc}") from None
    return terms


def parse_tournament_request(body: Any, now: datetime) -> TournamentSpec:
    """The operator's definition, checked field by field, then against the tournament rules."""
    if not isinstance(body, dict):
        raise SpecError("send a JSON object")
    unknown = set(body) - _FIELDS
    if unknown:
        raise SpecError(f"unknown fields: {', '.join(sorted(unknown))}")
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        raise SpecError("name: 1 to 64 characters")
    kind = body.get("format", Format.SIT_AND_GO.value)
    if kind not in (f.value for f in Format):
        raise SpecError("format: sit_and_go or scheduled")
    sit_and_go = kind == Format.SIT_AND_GO.value
    variant = body.get("variant", "HOLDEM")
    if variant not in ("HOLDEM", "OMAHA"):
        raise SpecError("variant: HOLDEM or OMAHA")
    structure = body.get("structure", "NL")
    if structure not in ("NL", "PL", "FL"):
        raise SpecError("structure: NL, PL or FL")
    if ("level_hands" in body) == ("level_minutes" in body):
        raise SpecError("give one of level_hands and level_minutes")
    if "level_hands" in body:
        pace, length = Pace.HANDS.value, _integer(body, "level_hands", 1, 10_000)
    else:
        pace, length = Pace.TIME.value, _seconds(body, "level_minutes", 0.05, 600)
    every = length_of_break = None
    if "break_every_minutes" in body or "break_minutes" in body:
        every = _seconds(body, "break_every_minutes", 1, 1440)
        length_of_break = _seconds(body, "break_minutes", 0.05, 120)
    min_players, max_players = _field(body, sit_and_go)
    starts_at, late = _start(body, sit_and_go, now)
    bank = _integer(body, "time_bank_seconds", 0, 600, 0)
    spec = TournamentSpec(
        name=name, format=kind, variant=variant, structure=structure, seats=_integer(body, "seats", 2, 10, 9),
        min_players=min_players, max_players=max_players, buy_in=_integer(body, "buy_in_cents", 0, 100_000_000),
        fee=_integer(body, "fee_cents", 0, 100_000_000, 0), chips=_integer(body, "starting_chips", 1, 10**9),
        levels=_levels(body), pace=pace, level_length=length,
        decision_seconds=_integer(body, "decision_seconds", 1, 600, 20), break_every=every,
        break_length=length_of_break, payout_shares=_shares(body, max_players), starts_at=starts_at,
        late_until_level=late, time_bank_seconds=bank,
        # A refill above the bank could never be used: the bank is capped at its size.
        time_bank_refill_seconds=_integer(body, "time_bank_refill_seconds", 0, bank, 0),
        rebuy=_purchase_terms(body, "rebuy", {"threshold_chips": (0, 10**9, 0), "until_level": (1, 100, None),
                                              "limit": (0, 100, 0), "decision_seconds": (5, 600, 60)}),
        add_on=_purchase_terms(body, "add_on", {"at_level": (1, 100, None)}))
    try:
        spec.rules(now)  # the core's own checks: a positive price, rising blinds, breaks shorter than periods...
    except TournamentError as exc:
        raise SpecError(str(exc)) from None
    return spec

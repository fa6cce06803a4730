"""A player's slip as the server keeps it: JSON with the selections and the odds taken,
turned into the engine's ``Slip`` (games.betslip) and split into bets.

Stored form (also what ``sports_bet_place`` carries, plus each leg's ``fixture`` once the
catalogue was read)::

    {"type": "S|C|XY|TRIXIE|...|GOLIATH|CUSTOM", "x": 2, "perm": false,
     "stake_cents": 150, "stake_mode": "line|total",
     "legs": [{"banker": false, "fixture": 7, "choices": [{"selection_id": 12, "odds": "3.40"}]}],
     "custom": [{"combi": "C", "legs": [0, 1], "x": null}]}

A slip of singles is one bet per leg (annex 1.3.4.a.1: "plusieurs paris simples ... sont
plusieurs paris", one PASPMISE each): :func:`bets_of` splits it, so every stored bet is a
slip that makes exactly one PASPMISE and settles on its own.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

from games.betslip import BetType, Choice, CustomPart, Leg, LuckyBonus, Slip, SlipError, Stake, StakeMode, price
from server.protocol.errors import ProtocolError


def build(data: dict[str, Any]) -> Slip:
    """The engine's slip; a slip that is not a bet is refused naming the field."""
    try:
        legs = tuple(Leg(tuple(Choice(Fraction(Decimal(c["odds"])), ref=str(c["selection_id"]))
                               for c in leg["choices"]),
                         banker=bool(leg.get("banker")), fixture=_fixture(leg), ref=str(index))
                     for index, leg in enumerate(data["legs"]))
        custom = tuple(CustomPart(BetType(part["combi"]), tuple(part["legs"]), part.get("x"))
                       for part in data.get("custom") or ())
        stake = Stake(Decimal(data["stake_cents"]).scaleb(-2), StakeMode(data.get("stake_mode", "line")))
        bonus = data.get("lucky_bonus")
        lucky = None if bonus is None else LuckyBonus(Fraction(bonus["one_winner_odds_multiplier"]),
                                                      Fraction(bonus["all_winners_bonus_pct"]),
                                                      bool(bonus["requires_all_run"]))
        return Slip(BetType(data["type"]), legs, stake, x=data.get("x"), perm=bool(data.get("perm")),
                    custom=custom, lucky_bonus=lucky)
    except SlipError as exc:
        raise ProtocolError("invalid_slip", f"slip.{exc.field}: {exc.message}") from None
    except ValueError as exc:  # an unknown bet type or combi
        raise ProtocolError("invalid_slip", f"slip: {exc}") from None


def _fixture(leg: dict[str, Any]) -> str | None:
    return None if leg.get("fixture") is None else str(leg["fixture"])


def bets_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The slip's bets, each a slip of its own: a slip of singles gives one per prognosis
    (two prognoses on one fixture bet as singles are two bets)."""
    if data["type"] != BetType.S.value:
        return [data]
    picks = [{**leg, "choices": [choice]} for leg in data["legs"] for choice in leg["choices"]]
    if len(picks) == 1:
        return [data]
    each = data["stake_cents"]
    if data.get("stake_mode") == StakeMode.TOTAL.value:  # the total split over the singles, as the engine does
        each = int(price(build(data)).line_stake.scaleb(2))
    singles = []
    for pick in picks:
        single = copy.deepcopy(data)
        single.update(legs=[pick], stake_cents=each, stake_mode=StakeMode.LINE.value)
        singles.append(single)
    return singles


LUCKY = {BetType.LUCKY15.value, BetType.LUCKY31.value, BetType.LUCKY63.value}


def with_lucky_bonus(data: dict[str, Any], terms: dict[str, Any] | None) -> dict[str, Any]:
    """The operator's LUCKY offer in force when the bet is struck goes with it (it is what the
    player was promised); a LUCKY bet with bankers or several prognoses on a leg has none (no
    single to pay at bonus odds)."""
    if terms is None or data["type"] not in LUCKY or any(
            leg.get("banker") or len(leg["choices"]) > 1 for leg in data["legs"]):
        return data
    return {**data, "lucky_bonus": terms}


def selection_ids(data: dict[str, Any]) -> list[int]:
    return [c["selection_id"] for leg in data["legs"] for c in leg["choices"]]

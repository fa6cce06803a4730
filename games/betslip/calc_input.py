"""The calculator's JSON slip, read into a ``Slip``, its outcomes and the settlement rules.

Takes the already-parsed document (numbers as ``int`` or ``Decimal``, never ``float``: the
caller parses with ``parse_float=Decimal``; amounts are best given as strings) and raises
``SlipError`` naming the field at fault, spelled as in the document: ``legs[2].odds``.
Unknown fields are errors too: a misspelt ``stake_mod`` must not silently mean "line".

See docs/betslip.md for the format.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Mapping, TypeVar

from games.betslip.checks import Limits
from games.betslip.errors import SlipError
from games.betslip.money import Rounding
from games.betslip.odds import decimal_odds, fractional_odds, parse_decimal, parse_fraction
from games.betslip.outcomes import DeadHeat, Outcome, Outcomes, Result
from games.betslip.settlement import CapBasis, CapScope, PayoutCap, SettlementRules
from games.betslip.types import BetType, Choice, CustomPart, EachWay, Leg, LuckyBonus, Slip, Stake, StakeMode

T = TypeVar("T")

TOP_FIELDS = {"type", "x", "perm", "stake", "stake_mode", "each_way", "max_payout", "lucky_bonus", "legs",
              "combinations", "rounding", "allow_same_fixture"}
OUTCOME_FIELDS = {"result", "dead_heat", "place_dead_heat", "rule4", "void_factor"}
CHOICE_FIELDS = {"odds", "odds_frac"} | OUTCOME_FIELDS
LEG_FIELDS = CHOICE_FIELDS | {"place_fraction", "banker", "fixture", "choices"}


@dataclass(frozen=True)
class CalcRequest:
    slip: Slip
    outcomes: Outcomes
    rules: SettlementRules
    limits: Limits


def read_request(document: Any) -> CalcRequest:
    top = _object(document, "slip", TOP_FIELDS)
    legs_doc = _required(top, "legs", "slip")
    if not isinstance(legs_doc, list) or not legs_doc:
        raise SlipError("legs", "must be a non-empty list of legs")
    legs, outcomes = [], []
    for i, leg_doc in enumerate(legs_doc):
        leg, leg_outcomes = _leg(leg_doc, f"legs[{i}]")
        legs.append(leg)
        outcomes.append(leg_outcomes)
    kind = _enum(BetType, _required(top, "type", "slip"), "type")
    stake = Stake(_money(_required(top, "stake", "slip"), "stake"),
                  _enum(StakeMode, top.get("stake_mode", "line"), "stake_mode"))
    slip = Slip(
        bet_type=kind,
        legs=tuple(legs),
        stake=stake,
        x=_optional(top, "x", _whole),
        perm=_optional(top, "perm", _boolean) or False,
        custom=_custom(top["combinations"]) if "combinations" in top else (),
        each_way=_optional(top, "each_way", _each_way),
        lucky_bonus=_optional(top, "lucky_bonus", _lucky),
    )
    rules = SettlementRules(payout_cap=_optional(top, "max_payout", _cap),
                            rounding=_enum(Rounding, top.get("rounding", "down"), "rounding"))
    limits = Limits(allow_same_fixture=_optional(top, "allow_same_fixture", _boolean) or False)
    return CalcRequest(slip, tuple(outcomes), rules, limits)


def _leg(document: Any, where: str) -> tuple[Leg, tuple[Outcome, ...]]:
    fields = _object(document, where, LEG_FIELDS)
    if "choices" in fields:
        misplaced = sorted(set(fields) & CHOICE_FIELDS)
        if misplaced:
            raise SlipError(f"{where}.{misplaced[0]}", "with choices, odds and results go in each choice")
        choices_doc = fields["choices"]
        if not isinstance(choices_doc, list) or not choices_doc:
            raise SlipError(f"{where}.choices", "must be a non-empty list of prognoses")
        pairs = [_choice(_object(c, f"{where}.choices[{j}]", CHOICE_FIELDS), f"{where}.choices[{j}]")
                 for j, c in enumerate(choices_doc)]
    else:
        pairs = [_choice(fields, where)]
    fixture = fields.get("fixture")
    if fixture is not None and not isinstance(fixture, str):
        raise SlipError(f"{where}.fixture", "must be a string")
    leg = _build(lambda: Leg(choices=tuple(choice for choice, _ in pairs),
                             banker=_optional(fields, "banker", _boolean, where) or False,
                             fixture=fixture,
                             place_fraction=_optional(fields, "place_fraction", _terms, where)), where)
    return leg, tuple(outcome for _, outcome in pairs)


def _choice(fields: Mapping[str, Any], where: str) -> tuple[Choice, Outcome]:
    if ("odds" in fields) == ("odds_frac" in fields):
        raise SlipError(f"{where}.odds", "give the odds once: odds (decimal, \"2.50\") or odds_frac (\"6/4\")")
    if "odds" in fields:
        odds = _parsed(fields["odds"], f"{where}.odds", decimal_odds)
    else:
        odds = _parsed(fields["odds_frac"], f"{where}.odds_frac", fractional_odds)
    outcome = _build(lambda: Outcome(
        result=_enum(Result, fields.get("result", "open"), f"{where}.result"),
        dead_heat=_optional(fields, "dead_heat", _dead_heat, where),
        place_dead_heat=_optional(fields, "place_dead_heat", _dead_heat, where),
        rule4=_optional(fields, "rule4", _ratio, where) or Fraction(0),
        void_factor=_optional(fields, "void_factor", _ratio, where) or Fraction(0),
    ), where)
    return Choice(odds), outcome


def _custom(document: Any) -> tuple[CustomPart, ...]:
    if not isinstance(document, list) or not document:
        raise SlipError("combinations", "must be a non-empty list of combinations")
    parts = []
    for p, item in enumerate(document):
        where = f"combinations[{p}]"
        if isinstance(item, list):
            # a bare list of legs: the accumulator of those legs (a single if only one)
            legs = _leg_indices(item, where)
            parts.append(CustomPart(BetType.S if len(legs) == 1 else BetType.C, legs))
            continue
        fields = _object(item, where, {"combi", "x", "legs"})
        combi = _enum(BetType, _required(fields, "combi", where), f"{where}.combi")
        parts.append(CustomPart(combi, _leg_indices(_required(fields, "legs", where), f"{where}.legs"),
                                _optional(fields, "x", _whole, where)))
    return tuple(parts)


def _leg_indices(document: Any, where: str) -> tuple[int, ...]:
    if not isinstance(document, list) or not document:
        raise SlipError(where, "must be a non-empty list of leg numbers (0 for the first leg)")
    return tuple(_whole(item, where) for item in document)


def _each_way(document: Any, where: str) -> EachWay:
    fields = _object(document, where, {"place_fraction"})
    return EachWay(_optional(fields, "place_fraction", _terms, where))


def _lucky(document: Any, where: str) -> LuckyBonus:
    fields = _object(document, where, {"one_winner_odds_multiplier", "all_winners_bonus_pct", "requires_all_run"})
    return LuckyBonus(
        one_winner_odds_multiplier=_optional(fields, "one_winner_odds_multiplier", _number, where) or Fraction(1),
        all_winners_bonus_pct=_optional(fields, "all_winners_bonus_pct", _number, where) or Fraction(0),
        requires_all_run=_optional(fields, "requires_all_run", _boolean, where) is not False,
    )


def _cap(document: Any, where: str) -> PayoutCap:
    fields = _object(document, where, {"amount", "basis", "scope"})
    return PayoutCap(_money(_required(fields, "amount", where), f"{where}.amount"),
                     _enum(CapBasis, _required(fields, "basis", where), f"{where}.basis"),
                     _enum(CapScope, fields.get("scope", "bet"), f"{where}.scope"))


def _dead_heat(document: Any, where: str) -> DeadHeat:
    fields = _object(document, where, {"tied", "places"})
    tied = _whole(_required(fields, "tied", where), f"{where}.tied")
    places = _whole(_required(fields, "places", where), f"{where}.places")
    try:
        return DeadHeat(tied, places)
    except SlipError as exc:
        raise SlipError(where, exc.message) from None


# --- scalar fields ---------------------------------------------------------------------


def _object(document: Any, where: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(document, dict):
        raise SlipError(where, "must be a JSON object")
    for key in document:
        if key not in allowed:
            raise SlipError(f"{where}.{key}" if where != "slip" else key, "unknown field")
    return document


def _required(fields: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in fields:
        raise SlipError(key if where == "slip" else f"{where}.{key}", "is required")
    return fields[key]


def _optional(fields: Mapping[str, Any], key: str, read: Callable[[Any, str], T], where: str = "slip") -> T | None:
    if key not in fields or fields[key] is None:
        return None
    return read(fields[key], key if where == "slip" else f"{where}.{key}")


def _enum(kind: Any, value: Any, where: str) -> Any:
    try:
        return kind(value)
    except (ValueError, TypeError):
        allowed = "|".join(member.value for member in kind)
        raise SlipError(where, f"must be one of {allowed}, got {value!r}") from None


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise SlipError(where, f"must be true or false, got {value!r}")
    return value


def _whole(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SlipError(where, f"must be a whole number, got {value!r}")
    return value


def _decimal_text(value: Any, where: str) -> str:
    """Decimal strings and JSON numbers read exactly; floats are refused (they are not exact)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise SlipError(where, f"must be a decimal string such as \"2.50\", got {value!r}")
    if isinstance(value, (int, Decimal)):
        return str(value) if isinstance(value, int) else format(value, "f")
    if not isinstance(value, str):
        raise SlipError(where, f"must be a decimal string such as \"2.50\", got {value!r}")
    return value


def _parsed(value: Any, where: str, parse: Callable[[str], T]) -> T:
    text = value if isinstance(value, str) else _decimal_text(value, where)
    try:
        return parse(text)
    except ValueError as exc:
        raise SlipError(where, str(exc)) from None


def _number(value: Any, where: str) -> Fraction:
    return _parsed(_decimal_text(value, where), where, lambda text: parse_decimal(text, what="a number"))


def _ratio(value: Any, where: str) -> Fraction:
    return _number(value, where)


def _money(value: Any, where: str) -> Decimal:
    text = _decimal_text(value, where)
    _parsed(text, where, lambda t: parse_decimal(t, what="an amount"))
    return Decimal(text)


def _terms(value: Any, where: str) -> Fraction:
    """Place terms: "1/4", or a decimal such as "0.25"."""
    if isinstance(value, str) and "/" in value:
        return _parsed(value, where, lambda text: parse_fraction(text, what="place terms"))
    return _number(value, where)


def _build(make: Callable[[], T], where: str) -> T:
    """Construct, prefixing the path of a nested field named by the constructor's check."""
    try:
        return make()
    except SlipError as exc:
        if exc.field.startswith(where):
            raise
        raise SlipError(f"{where}.{exc.field}", exc.message) from None

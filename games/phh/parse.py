"""Reading .phh and .phhs texts (TOML): each hand's fields, checked and scaled to integer chips."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from games.phh.actions import _parse_action, _raise_amount
from games.phh.model import PhhError, PhhHand

_NO_LIMIT_FIELDS = ("antes", "blinds_or_straddles", "min_bet", "starting_stacks", "actions")
_FIXED_LIMIT_FIELDS = ("antes", "blinds_or_straddles", "small_bet", "big_bet", "starting_stacks", "actions")
_STUD_FIELDS = ("antes", "bring_in", "small_bet", "big_bet", "starting_stacks", "actions")
#: Required fields by variant, as the standard's table has them (and alike for Croupier's codes).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "FT": _FIXED_LIMIT_FIELDS, "NT": _NO_LIMIT_FIELDS, "NS": _NO_LIMIT_FIELDS, "PO": _NO_LIMIT_FIELDS,
    "FO/8": _FIXED_LIMIT_FIELDS, "F7S": _STUD_FIELDS, "F7S/8": _STUD_FIELDS, "FR": _STUD_FIELDS,
    "N2L1D": _NO_LIMIT_FIELDS, "F2L3D": _FIXED_LIMIT_FIELDS, "FB": _FIXED_LIMIT_FIELDS,
    "PT": _NO_LIMIT_FIELDS, "NO": _NO_LIMIT_FIELDS, "FO": _FIXED_LIMIT_FIELDS,
}
_COMMON_FIELDS = ("antes", "starting_stacks", "actions")
_AMOUNT_FIELDS = ("min_bet", "small_bet", "big_bet", "bring_in")
_ARRAY_FIELDS = ("antes", "blinds_or_straddles", "finishing_stacks", "winnings")
_KNOWN_FIELDS = {"variant", "ante_trimming_status", "starting_stacks", "actions", "seats", "players", "hand",
                 "currency", *_AMOUNT_FIELDS, *_ARRAY_FIELDS}


def parse_phh(text: str) -> list[PhhHand]:
    """A .phh (one hand: top-level ``variant``) or a .phhs (tables ``[1]``, ``[2]``...)."""
    try:
        document = tomllib.loads(text, parse_float=Decimal)  # floats are amounts: exact, never binary
    except tomllib.TOMLDecodeError as exc:
        raise PhhError(f"not TOML: {exc}") from None
    if "variant" in document:
        return [_parse_hand(document, "1", 1)]
    tables = [(key, value) for key, value in document.items() if isinstance(value, dict)]
    if not tables:
        raise PhhError("no hand: a .phh has a top-level variant, a .phhs tables [1], [2]...")
    strays = [key for key, value in document.items() if not isinstance(value, dict)]
    if strays:
        raise PhhError(f"fields outside any hand's table: {', '.join(strays)}")
    return [_parse_hand(table, key, int(key) if key.isdigit() else position)
            for position, (key, table) in enumerate(tables, start=1)]


def _parse_hand(raw: Mapping[str, Any], key: str, number: int) -> PhhHand:
    where = f"hand {key}"
    try:
        return _build_hand(raw, key, number)
    except PhhError as exc:
        raise PhhError(f"{where}: {exc}") from None


def _build_hand(raw: Mapping[str, Any], key: str, number: int) -> PhhHand:
    variant = raw.get("variant")
    if not isinstance(variant, str):
        raise PhhError("variant must be a string")
    missing = [name for name in REQUIRED_FIELDS.get(variant, _COMMON_FIELDS) if name not in raw]
    if missing:
        raise PhhError(f"missing required field(s) for {variant}: {', '.join(missing)}")
    if not isinstance(raw["starting_stacks"], list):
        raise PhhError("starting_stacks must be an array")
    stacks = [_stack(value) for value in raw["starting_stacks"]]
    count = len(stacks)
    if count == 0:
        raise PhhError("starting_stacks is empty")
    arrays = {name: _amounts(raw[name], name, count) for name in _ARRAY_FIELDS if name in raw}
    singles = {name: _amount(raw[name], name) for name in _AMOUNT_FIELDS if name in raw}
    texts = _strings(raw["actions"], "actions")
    raises = [amount for index, text in enumerate(texts, start=1)
              if (amount := _raise_amount(text, index)) is not None]
    places = _decimal_places([*(s for s in stacks if s is not None), *singles.values(), *raises,
                              *(value for values in arrays.values() for value in values)])
    scale = 10 ** places

    def chips(value: Decimal) -> int:
        return int(value * scale)  # exact: scale covers every decimal place written

    def scaled(values: Sequence[Decimal] | None) -> tuple[int, ...] | None:
        return None if values is None else tuple(map(chips, values))

    single = {name: chips(value) for name, value in singles.items()}
    seats, players = raw.get("seats"), raw.get("players")
    return PhhHand(
        number=number, key=key, variant=variant, places=places,
        antes=tuple(map(chips, arrays["antes"])), blinds_or_straddles=scaled(arrays.get("blinds_or_straddles")),
        min_bet=single.get("min_bet"), small_bet=single.get("small_bet"), big_bet=single.get("big_bet"),
        bring_in=single.get("bring_in"),
        starting_stacks=tuple(None if s is None else chips(s) for s in stacks),
        actions=tuple(action for index, text in enumerate(texts, start=1)
                      if (action := _parse_action(text, index, count, chips)) is not None),
        ante_trimming_status=_typed(raw, "ante_trimming_status", (bool,), "true or false") or False,
        seats=_seat_list(seats, count) if seats is not None else None,
        players=tuple(_strings(players, "players", count)) if players is not None else None,
        hand_id=_typed(raw, "hand", (str, int), "a string or an integer"),
        finishing_stacks=scaled(arrays.get("finishing_stacks")), winnings=scaled(arrays.get("winnings")),
        currency=_typed(raw, "currency", (str,), "a string"),
        other={name: value for name, value in raw.items() if name not in _KNOWN_FIELDS},
    )


def _decimal_places(amounts: Iterable[Decimal]) -> int:
    """The most decimal places any amount is written with ("0.50" has two, "2E+3" none)."""
    return max((-int(exponent) for amount in amounts if int(exponent := amount.as_tuple().exponent) < 0),
               default=0)


def _typed(raw: Mapping[str, Any], name: str, kinds: tuple[type, ...], what: str) -> Any:
    value = raw.get(name)
    if value is not None and (isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds)):
        raise PhhError(f"{name} must be {what}")
    return value


def _amount(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise PhhError(f"{name} must hold numbers, not {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise PhhError(f"{name}: {value} is not an amount")
    if number < 0:
        raise PhhError(f"{name}: {value} is negative")
    return number


def _stack(value: object) -> Decimal | None:
    if isinstance(value, Decimal) and value.is_infinite() and value > 0:
        return None  # the standard writes an unknown stack as inf
    return _amount(value, "starting_stacks")


def _amounts(value: object, name: str, count: int) -> list[Decimal]:
    if not isinstance(value, list):
        raise PhhError(f"{name} must be an array")
    if len(value) != count:
        raise PhhError(f"{name} has {len(value)} entries for {count} players")
    return [_amount(item, name) for item in value]


def _strings(value: object, name: str, count: int | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PhhError(f"{name} must be an array of strings")
    if count is not None and len(value) != count:
        raise PhhError(f"{name} has {len(value)} entries for {count} players")
    return value


def _seat_list(value: object, count: int) -> tuple[int, ...]:
    if (not isinstance(value, list) or len(value) != count
            or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in value)):
        raise PhhError(f"seats must be {count} positive integers")
    return tuple(value)

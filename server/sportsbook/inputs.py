"""Reading the operator's JSON field by field: every refusal names the field it is about.

A request is read whole before anything is written, and the first problem refuses it
(``InputError``: a 400 with ``field`` and ``message``), so bad input changes nothing.
Field paths are written as the operator sent them: ``selections[2].odds``.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from server.sportsbook.nomenclature import Code, Nomenclature

MAX_ODDS = Decimal("10000")
_CENT = Decimal("0.01")


class InputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def to_body(self) -> dict[str, str]:
        return {"error": "invalid_input", "field": self.field, "message": f"{self.field}: {self.message}"}


def odds_text(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def parse_odds(value: Any, field: str) -> int:
    """Decimal (European) odds above 1 with at most two decimals, as the annex's Cote
    examples; returned in hundredths. Strings are preferred: a JSON number is read back
    through its shortest text, which is exact for two decimals."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(field, 'decimal odds, e.g. "1.65"')
    try:
        odds = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(field, f'{value!r} is not a decimal, e.g. "1.65"') from None
    if not odds.is_finite():
        raise InputError(field, "not a finite number")
    if odds != odds.quantize(_CENT):
        raise InputError(field, "at most two decimals")
    if odds <= 1:
        raise InputError(field, "decimal odds must be above 1.00")
    if odds > MAX_ODDS:
        raise InputError(field, f"at most {MAX_ODDS}")
    return int(odds * 100)


def parse_time(value: Any, field: str) -> datetime:
    """ISO 8601 with its UTC offset: a time without one is ambiguous, so it is refused."""
    if not isinstance(value, str):
        raise InputError(field, "an ISO 8601 time with its offset, e.g. 2011-12-06T19:45:00+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(field, f"{value[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InputError(field, "give the UTC offset (e.g. +01:00 or Z)")
    if not 2000 <= parsed.year <= 2099:
        raise InputError(field, "the year must be 2000 to 2099 (the annex writes two-digit years)")
    return parsed.astimezone(timezone.utc)


class Reader:
    """One JSON object of a request: its fields, by name, checked as they are read."""

    def __init__(self, body: Any, allowed: set[str], where: str = "") -> None:
        if not isinstance(body, dict):
            raise InputError(where or "body", "expected a JSON object")
        self.body = body
        self.where = where
        unknown = sorted(str(k) for k in set(body) - allowed)
        if unknown:
            raise InputError(self.path(unknown[0]), "unknown field")

    def path(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def has(self, name: str) -> bool:
        return self.body.get(name) is not None

    def raw(self, name: str) -> Any:
        return self.body.get(name)

    def text(self, name: str, max_len: int, default: str | None = None) -> str:
        value = self.body.get(name, default)
        field = self.path(name)
        if value is None:
            raise InputError(field, "required")
        if not isinstance(value, str):
            raise InputError(field, "a string")
        value = value.strip()
        if not 1 <= len(value) <= max_len:
            raise InputError(field, f"1 to {max_len} characters")
        if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
            raise InputError(field, "control or unassigned characters are not allowed")
        return value

    def optional_text(self, name: str, max_len: int) -> str | None:
        return self.text(name, max_len) if self.has(name) else None

    def integer(self, name: str, low: int, high: int, default: int | None = None) -> int:
        value = self.body.get(name, default)
        if value is None:
            raise InputError(self.path(name), "required")
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InputError(self.path(name), f"an integer from {low} to {high}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.body.get(name, default)
        if not isinstance(value, bool):
            raise InputError(self.path(name), "true or false")
        return value

    def time(self, name: str, default: datetime | None = None) -> datetime:
        if not self.has(name):
            if default is None:
                raise InputError(self.path(name), "required")
            return default
        return parse_time(self.body[name], self.path(name))

    def day(self, name: str) -> date:
        value = self.body.get(name)
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise InputError(self.path(name), "a date YYYY-MM-DD")

    def odds(self, name: str) -> int:
        if not self.has(name):
            raise InputError(self.path(name), "required")
        return parse_odds(self.body[name], self.path(name))

    def items(self, name: str, low: int, high: int, required: bool = True) -> list[Any]:
        value = self.body.get(name)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not low <= len(value) <= high:
            raise InputError(self.path(name), f"a list of {low} to {high} items")
        return value

    def code(self, name: str, nomenclature: Nomenclature, kind: str, sport: str | None = None,
             default: str | None = None) -> str:
        value = self.body.get(name, default)
        return check_code(value, self.path(name), nomenclature, kind, sport).code

    def codes(self, name: str, nomenclature: Nomenclature, kind: str, sport: str, high: int,
              default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if not self.has(name):
            return default
        values = self.items(name, 0, high)
        found = tuple(check_code(v, f"{self.path(name)}[{i}]", nomenclature, kind, sport).code
                      for i, v in enumerate(values))
        if len(set(found)) != len(found):
            raise InputError(self.path(name), "a code is listed twice")
        return found


def check_code(value: Any, field: str, nomenclature: Nomenclature, kind: str, sport: str | None) -> Code:
    """A code of the nomenclature, of the right kind, and of the fixture's sport when the
    nomenclature ties it to one."""
    if value is None:
        raise InputError(field, "required")
    if not isinstance(value, str):
        raise InputError(field, "a nomenclature code (a string)")
    entry = nomenclature.get(kind, value)
    if entry is None:
        raise InputError(field, f"{value[:40]!r} is not a {kind.replace('_', ' ')} code of the nomenclature")
    if sport is not None and entry.sport is not None and entry.sport != sport:
        raise InputError(field, f"{value} belongs to sport {entry.sport}, not {sport}")
    return entry

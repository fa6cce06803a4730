"""Odds as exact fractions: parsing the two notations, and the decimal shown in traces.

Decimal ("European") odds are the return per unit staked, stake included: ``2.50``.
Fractional ("UK") odds are the winnings per unit: ``6/4`` is 1 + 6/4 = 2.5 in decimal.
Both become one ``Fraction`` (the decimal odds), so 8/13 stays 21/13 and never 1.615...

The annex's ``Cote`` is "la cote européenne (format décimal) affichée au joueur": a decimal
number. Fractional odds with no finite decimal expansion (8/13) are shown rounded to two
places, half up, as bookmakers display them (Sports Interaction help: 10/11 is displayed
1.91 while "we will use the most accurate value of the bet price" to pay); settlement always
uses the exact fraction.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_FRACTION = re.compile(r"([0-9]+)/([0-9]+)")


def parse_decimal(text: str, *, what: str) -> Fraction:
    """A plain non-negative decimal number (no exponent, no sign) as a Fraction."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise ValueError(f"{what} must be a decimal number such as 2.50, got {text!r}")
    return Fraction(Decimal(text))


def parse_fraction(text: str, *, what: str) -> Fraction:
    """``a/b`` with whole a >= 0 and b > 0."""
    match = _FRACTION.fullmatch(text) if isinstance(text, str) else None
    if match is None or int(match.group(2)) == 0:
        raise ValueError(f"{what} must be a fraction such as 1/4, got {text!r}")
    return Fraction(int(match.group(1)), int(match.group(2)))


def decimal_odds(text: str) -> Fraction:
    odds = parse_decimal(text, what="decimal odds")
    if odds <= 1:
        raise ValueError(f"decimal odds must be greater than 1, got {text}")
    return odds


def fractional_odds(text: str) -> Fraction:
    winnings = parse_fraction(text, what="fractional odds")
    if winnings <= 0:
        raise ValueError(f"fractional odds must be greater than 0/1, got {text}")
    return 1 + winnings


def has_finite_decimal(value: Fraction) -> bool:
    q = value.denominator
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    return q == 1


def cote(odds: Fraction) -> tuple[Decimal, bool]:
    """The decimal odds for a trace (at least two places, as displayed: 3.40), and whether
    they are exact (False: rounded half up to 0.01)."""
    if has_finite_decimal(odds):
        digits = 2
        while (odds * 10**digits).denominator != 1:
            digits += 1
        return _places(odds.numerator * 10**digits // odds.denominator, digits), True
    scaled = odds * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return _places(whole, 2), False


def _places(units: int, digits: int) -> Decimal:
    # built from text: Decimal arithmetic would round to the context's precision
    text = str(units).rjust(digits + 1, "0")
    return Decimal(f"{text[:-digits]}.{text[-digits:]}")

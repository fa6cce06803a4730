"""Money: exact fractions inside, whole cents outside, one rounding.

Every amount is computed as a ``Fraction`` (odds, dead-heat shares and Rule 4 deductions
multiply without loss) and turned into cents once, per bet, at the very end. Bookmakers
round the fractions of a penny down ("Fractions of pence in total winnings are invariably
rounded down by bookmakers to the nearest penny below", Wikipedia, *Mathematics of
bookmaking*, "Settling winning bets"), so ``Rounding.DOWN`` is the default; the two
to-nearest modes exist because the regulator's annex prints its expected wins rounded to
the nearest cent (1.4.1.a.1, examples 4a and 5).
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from fractions import Fraction


class Rounding(str, Enum):
    DOWN = "down"
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"


def to_cents(amount: Fraction, rounding: Rounding = Rounding.DOWN) -> Decimal:
    """``amount`` (non-negative) as a Decimal with exactly two places."""
    if amount < 0:
        raise ValueError(f"a return is never negative: {amount}")
    scaled = amount * 100
    p, q = scaled.numerator, scaled.denominator
    whole, rest = divmod(p, q)
    if rounding is Rounding.HALF_UP and 2 * rest >= q:
        whole += 1
    elif rounding is Rounding.HALF_EVEN and (2 * rest > q or (2 * rest == q and whole % 2 == 1)):
        whole += 1
    # from text: Decimal arithmetic would round to the context's 28 digits
    return Decimal(f"{whole // 100}.{whole % 100:02d}")


def is_whole_cents(amount: Decimal) -> bool:
    return amount.is_finite() and (Fraction(amount) * 100).denominator == 1

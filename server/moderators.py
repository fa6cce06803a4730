"""The player's moderators (PREFCPTE, annex 1.3.3.c) and how they constrain money movements.

Three are mandatory: a stake ceiling per period, a deposit ceiling per period, and a
balance above which the excess is paid out automatically. Periods (H, J, S, M, A) are
calendar periods in French time (Europe/Paris): a "day" for a player is the day they live
in, and the week starts on Monday. A lower ceiling applies at once; a higher one (or the
removal of the payout threshold) only after ``increase_delay``, so that a player cannot
raise a limit in the heat of play. Amounts are integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import Enum
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_INCREASE_DELAY = timedelta(days=2)


class Period(Enum):
    HOUR = "H"
    DAY = "J"
    WEEK = "S"
    MONTH = "M"
    YEAR = "A"


def period_start(period: Period, at: datetime) -> datetime:
    """The UTC instant at which the calendar period containing ``at`` began (Paris time)."""
    local = at.astimezone(PARIS)
    if period is Period.HOUR:
        start = local.replace(minute=0, second=0, microsecond=0)
    elif period is Period.DAY:
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    elif period is Period.WEEK:
        start = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    elif period is Period.MONTH:
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    else:
        start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    # Re-attach the zone so the offset is the one in force at the start (DST changes).
    return start.replace(tzinfo=None).replace(tzinfo=PARIS).astimezone(timezone.utc)


@dataclass(frozen=True)
class Ceiling:
    amount_cents: int
    period: Period

    def __post_init__(self) -> None:
        if not isinstance(self.amount_cents, int) or self.amount_cents < 0:
            raise ValueError("a ceiling is a non-negative number of cents")


@dataclass(frozen=True)
class Moderators:
    stake: Ceiling
    deposit: Ceiling
    payout_above_cents: int | None  # None: no automatic payout

    def __post_init__(self) -> None:
        if self.payout_above_cents is not None and self.payout_above_cents < 0:
            raise ValueError("the payout threshold is a non-negative number of cents")


def _stricter(new: Ceiling, old: Ceiling) -> bool:
    """Whether ``new`` can never allow more than ``old`` (same or shorter period, lower amount)."""
    order = [Period.HOUR, Period.DAY, Period.WEEK, Period.MONTH, Period.YEAR]
    return new.amount_cents <= old.amount_cents and order.index(new.period) >= order.index(old.period)


@dataclass(frozen=True)
class ModeratorChange:
    effective_now: Moderators
    pending: Moderators | None
    pending_from: datetime | None


def apply_change(current: Moderators, wanted: Moderators, at: datetime,
                 delay: timedelta = DEFAULT_INCREASE_DELAY) -> ModeratorChange:
    """Split a requested change into what applies at once and what waits for the delay."""
    now = current
    later = False
    if _stricter(wanted.stake, current.stake):
        now = replace(now, stake=wanted.stake)
    else:
        later = True
    if _stricter(wanted.deposit, current.deposit):
        now = replace(now, deposit=wanted.deposit)
    else:
        later = True
    lowers_payout = wanted.payout_above_cents is not None and (
        current.payout_above_cents is None or wanted.payout_above_cents <= current.payout_above_cents
    )
    if lowers_payout:
        now = replace(now, payout_above_cents=wanted.payout_above_cents)
    elif wanted.payout_above_cents != current.payout_above_cents:
        later = True
    return ModeratorChange(now, wanted if later else None, at + delay if later else None)


class CeilingExceeded(ValueError):
    def __init__(self, what: str, ceiling: Ceiling, used_cents: int, requested_cents: int) -> None:
        remaining = max(0, ceiling.amount_cents - used_cents)
        super().__init__(
            f"{what} ceiling of {ceiling.amount_cents} cents per {ceiling.period.name.lower()} reached: "
            f"{used_cents} used, {requested_cents} requested, {remaining} left"
        )
        self.remaining_cents = remaining


def check_within(what: str, ceiling: Ceiling, used_in_period_cents: int, requested_cents: int) -> None:
    if used_in_period_cents + requested_cents > ceiling.amount_cents:
        raise CeilingExceeded(what, ceiling, used_in_period_cents, requested_cents)


def automatic_payout(balance_cents: int, moderators: Moderators) -> int:
    """How much to pay out to the player's payment account: the excess over the threshold."""
    if moderators.payout_above_cents is None:
        return 0
    return max(0, balance_cents - moderators.payout_above_cents)

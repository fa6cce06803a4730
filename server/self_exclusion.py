"""Self-exclusion durations (AUTOINTERDICTION, annex 1.3.3.g.4).

A temporary exclusion lasts 7 days or more; a definitive one 3 years, followed by the
account's closure. Durations given in months or years end on the day of the final month
bearing the same number as the start day, or on that month's last day when it has no
such day (Code de procédure civile, art. 641, as the annex requires); the event carries
the duration in days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

MIN_TEMPORARY_DAYS = 7
DEFINITIVE_YEARS = 3


class ExclusionKind(Enum):
    TEMPORARY = "Temporaire"
    DEFINITIVE = "Definitive"


class ExclusionError(ValueError):
    pass


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Exclusion:
    kind: ExclusionKind
    starts_at: datetime  # DateModif: when the request took effect (immediately)
    days: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(days=self.days)

    def active(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


def temporary(starts_at: datetime, *, days: int = 0, months: int = 0, years: int = 0,
              until: date | None = None) -> Exclusion:
    """A temporary exclusion given as a duration (days, months, years) or an end date."""
    if sum(bool(x) for x in (days, months, years, until)) != 1:
        raise ExclusionError("give exactly one of days, months, years or an end date")
    start_day = starts_at.date()
    if days and days < MIN_TEMPORARY_DAYS:
        raise ExclusionError(f"a temporary self-exclusion lasts at least {MIN_TEMPORARY_DAYS} days, not {days}")
    if until is not None:
        end = until
    elif days:
        # CPC art. 641, annex example 4: a delay in days does not count the day of the
        # request, so 42 days asked on 27 February give a Duree of 43.
        end = start_day + timedelta(days=days + 1)
    else:
        end = add_months(start_day, months + 12 * years)
    length = (end - start_day).days
    if length < MIN_TEMPORARY_DAYS:
        raise ExclusionError(f"a temporary self-exclusion lasts at least {MIN_TEMPORARY_DAYS} days, not {length}")
    return Exclusion(ExclusionKind.TEMPORARY, starts_at, length)


def definitive(starts_at: datetime) -> Exclusion:
    start_day = starts_at.date()
    return Exclusion(ExclusionKind.DEFINITIVE, starts_at,
                     (add_months(start_day, 12 * DEFINITIVE_YEARS) - start_day).days)

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from server.self_exclusion import ExclusionError, ExclusionKind, add_months, definitive, temporary


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("start", "kwargs", "days"),
    [
        (at(2011, 2, 10), {"months": 6}, 181),   # annex example 1
        (at(2011, 1, 31), {"months": 1}, 28),    # annex example 2: no 31 February
        (at(2012, 2, 29), {"years": 1}, 365),    # annex example 3: no 29 February 2013
        (at(2012, 2, 27), {"days": 42}, 43),    # annex example 4: the request's day does not count
        (at(2011, 2, 10), {"days": 7}, 8),
        (at(2011, 2, 10), {"until": date(2011, 3, 1)}, 19),
    ],
)
def test_annex_durations(start: datetime, kwargs: dict, days: int) -> None:
    exclusion = temporary(start, **kwargs)
    assert exclusion.days == days and exclusion.kind is ExclusionKind.TEMPORARY


def test_definitive_is_three_years_in_days() -> None:
    assert definitive(at(2011, 2, 10)).days == 1096  # 2012 is a leap year
    assert definitive(at(2024, 2, 29)).days == 1095  # ends 28 February 2027


def test_refusals() -> None:
    with pytest.raises(ExclusionError, match="at least 7"):
        temporary(at(2011, 2, 10), days=6)
    with pytest.raises(ExclusionError, match="exactly one"):
        temporary(at(2011, 2, 10), days=7, months=1)


def test_active_window() -> None:
    exclusion = temporary(at(2011, 2, 10), days=7)
    assert exclusion.active(at(2011, 2, 17)) and not exclusion.active(at(2011, 2, 18))
    assert add_months(date(2011, 12, 31), 2) == date(2012, 2, 29)


def test_an_unconfirmed_account_has_a_month() -> None:
    from server.account_flows import unconfirmed_deadline

    assert unconfirmed_deadline(at(2011, 1, 31)) == at(2011, 2, 28)
    assert unconfirmed_deadline(at(2011, 3, 15)) == at(2011, 4, 15)

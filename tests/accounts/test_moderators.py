from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.moderators import (
    Ceiling, CeilingExceeded, Moderators, Period, apply_change, automatic_payout, check_within, period_start,
)

UTC = timezone.utc


def test_calendar_periods_in_paris_time() -> None:
    # 2026-03-29 is the spring DST change in France; 22:30 UTC on the 28th is 23:30 in Paris.
    at = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)
    assert period_start(Period.DAY, at) == datetime(2026, 3, 27, 23, 0, tzinfo=UTC)
    assert period_start(Period.HOUR, at) == datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    assert period_start(Period.WEEK, at) == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)  # Monday 23 March, Paris
    assert period_start(Period.MONTH, at) == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert period_start(Period.YEAR, at) == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)
    assert period_start(Period.DAY, summer) == datetime(2026, 7, 13, 22, 0, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)),
       st.sampled_from(list(Period)))
def test_period_start_contains_the_instant(at: datetime, period: Period) -> None:
    start = period_start(period, at)
    assert start <= at
    assert at - start < timedelta(days=367)
    assert period_start(period, start) == start


BASE = Moderators(Ceiling(10_000, Period.WEEK), Ceiling(50_000, Period.MONTH), 100_000)
T = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_decrease_applies_at_once() -> None:
    wanted = Moderators(Ceiling(5_000, Period.WEEK), Ceiling(20_000, Period.MONTH), 50_000)
    change = apply_change(BASE, wanted, T)
    assert change.effective_now == wanted and change.pending is None


def test_increase_waits_for_the_delay() -> None:
    wanted = Moderators(Ceiling(20_000, Period.WEEK), Ceiling(20_000, Period.MONTH), None)
    change = apply_change(BASE, wanted, T)
    assert change.effective_now == Moderators(BASE.stake, Ceiling(20_000, Period.MONTH), BASE.payout_above_cents)
    assert change.pending == wanted and change.pending_from == T + timedelta(days=2)


def test_shorter_period_with_same_amount_is_an_increase() -> None:
    # 100 euros a day allows more than 100 euros a week; 100 a month allows less.
    wanted = Moderators(Ceiling(10_000, Period.DAY), BASE.deposit, BASE.payout_above_cents)
    change = apply_change(BASE, wanted, T)
    assert change.effective_now.stake == BASE.stake and change.pending == wanted
    stricter = Moderators(Ceiling(10_000, Period.MONTH), BASE.deposit, BASE.payout_above_cents)
    assert apply_change(BASE, stricter, T).effective_now == stricter


def test_ceiling_and_payout() -> None:
    check_within("stake", BASE.stake, 9_000, 1_000)
    with pytest.raises(CeilingExceeded, match="1000 left") as caught:
        check_within("stake", BASE.stake, 9_000, 1_001)
    assert caught.value.remaining_cents == 1_000
    assert automatic_payout(150_000, BASE) == 50_000
    assert automatic_payout(99_999, BASE) == 0
    with pytest.raises(ValueError):
        Ceiling(-1, Period.DAY)

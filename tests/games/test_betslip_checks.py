"""Refusals with a reason: legs that cannot be combined, too many lines, too small a stake."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from games.betslip import BetType, Choice, CustomPart, Leg, Limits, Slip, SlipRefused, Stake, StakeMode, check_slip


def leg(fixture: str | None = None, banker: bool = False) -> Leg:
    return Leg((Choice(F(2)),), banker=banker, fixture=fixture)


def refusal(slip: Slip, limits: Limits = Limits()) -> SlipRefused:
    with pytest.raises(SlipRefused) as error:
        check_slip(slip, limits)
    return error.value


def test_two_legs_on_one_fixture_in_a_line_are_refused() -> None:
    slip = Slip(BetType.C, (leg("f1"), leg("f2"), leg("f1")), Stake(D("1")))
    error = refusal(slip)
    assert error.code == "same_fixture"
    assert "legs[0] and legs[2]" in error.message and "'f1'" in error.message
    # unless the operator allows related legs
    assert check_slip(slip, Limits(allow_same_fixture=True)).lines == 1


def test_legs_on_one_fixture_that_never_meet_are_fine() -> None:
    # singles never combine legs
    check_slip(Slip(BetType.S, (leg("f1"), leg("f1")), Stake(D("1"))))
    # 1 sur 3 is three singles
    check_slip(Slip(BetType.XY, (leg("f1"), leg("f1"), leg("f2")), Stake(D("1")), x=1))
    # two combinations of a custom system do not mix their legs
    check_slip(Slip(BetType.CUSTOM, (leg("f1"), leg("f2"), leg("f1"), leg("f3")), Stake(D("1")),
                    custom=(CustomPart(BetType.C, (0, 1)), CustomPart(BetType.C, (2, 3)))))


def test_a_banker_meets_every_leg() -> None:
    # 1 sur 3 with a banker: every line holds the banker, so a leg on its fixture meets it
    slip = Slip(BetType.XY, (leg("f1", banker=True), leg("f1"), leg("f2"), leg("f3")), Stake(D("1")), x=1)
    assert refusal(slip).code == "same_fixture"


def test_too_many_lines() -> None:
    goliath = Slip(BetType.GOLIATH, tuple(leg() for _ in range(8)), Stake(D("1")))
    error = refusal(goliath, Limits(max_lines=200))
    assert (error.code, error.message) == ("too_many_lines", "247 lines, more than the 200 allowed")
    assert check_slip(goliath, Limits(max_lines=247)).lines == 247


def test_stake_below_the_minimum() -> None:
    yankee = Slip(BetType.YANKEE, tuple(leg() for _ in range(4)), Stake(D("1.00"), StakeMode.TOTAL))
    # 1.00 over 11 lines: 0.09 a line, 0.99 staked
    error = refusal(yankee, Limits(min_line_stake=D("0.10")))
    assert (error.code, error.message) == ("stake_too_low", "0.09 a line is under the minimum of 0.10")
    error = refusal(yankee, Limits(min_total_stake=D("1.00")))
    assert (error.code, error.message) == ("stake_too_low", "0.99 in all is under the minimum of 1.00")
    assert check_slip(yankee, Limits(min_line_stake=D("0.05"), min_total_stake=D("0.50"))).total_stake == D("0.99")


def test_annex_limits_are_checked_too() -> None:
    assert refusal(Slip(BetType.C, tuple(leg() for _ in range(65)), Stake(D("1")))).code == "annex_limit"

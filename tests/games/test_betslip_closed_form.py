"""The closed form equals the enumeration of every line, exactly; big systems use it."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F
from itertools import combinations
from math import comb, prod

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games.betslip import (
    FORMULAS,
    BetType,
    Choice,
    CustomPart,
    DeadHeat,
    EachWay,
    Leg,
    LuckyBonus,
    Method,
    Outcome,
    Outcomes,
    Result,
    Slip,
    Stake,
    StakeMode,
    price,
    settle,
)
from games.betslip.closed_form import elementary
from games.betslip.lines import iter_lines

ODDS = [F("1.01"), F("1.5"), F("1.65"), F(2), F("2.37"), F(7, 4) + 1, F(8, 13) + 1, F(11), F(34)]
TERMS = [F(1, 4), F(1, 5), F(1, 3), F(1, 2)]


@st.composite
def slips(draw: st.DrawFn) -> Slip:
    kind = draw(st.sampled_from([BetType.S, BetType.C, BetType.XY, BetType.TRIXIE, BetType.PATENT,
                                 BetType.YANKEE, BetType.LUCKY15, BetType.CANADIAN, BetType.LUCKY31,
                                 BetType.CUSTOM, BetType.LUCKY15, BetType.LUCKY31]))
    x, perm, custom = None, False, ()
    if kind is BetType.S:
        n = draw(st.integers(1, 4))
    elif kind is BetType.C:
        n = draw(st.integers(2, 5))
    elif kind is BetType.XY:
        n = draw(st.integers(3, 6))
        x = draw(st.integers(1, n - 1))
    elif kind is BetType.CUSTOM:
        n = draw(st.integers(2, 5))
    else:
        wanted = FORMULAS[kind].selections
        perm = wanted <= 4 and draw(st.booleans())
        n = wanted + (draw(st.integers(0, 2)) if perm else 0)
    if kind is BetType.CUSTOM:
        # distinct leg sets as accumulators (or singles) never repeat a line
        subsets = [s for size in range(1, n + 1) for s in combinations(range(n), size)]
        chosen = draw(st.lists(st.sampled_from(subsets), min_size=1, max_size=4, unique=True))
        custom = tuple(CustomPart(BetType.S if len(s) == 1 else BetType.C, s) for s in chosen)
        if draw(st.booleans()) and n >= 3:
            custom += (CustomPart(BetType.XY, tuple(range(n)), 1),) if all(len(s) > 1 for s in chosen) else ()
    has_singles = kind is BetType.S or any(part.combi is BetType.S for part in custom)
    lucky = kind in FORMULAS and FORMULAS[kind].lucky and draw(st.booleans())
    bankers = 0 if kind is BetType.C or has_singles or lucky else draw(st.integers(0, 2))
    most = 1 if lucky else (2 if perm or n + bankers > 5 else 3)
    legs = []
    for _ in range(n + bankers):
        choices = draw(st.lists(st.sampled_from(ODDS), min_size=1, max_size=most))
        legs.append(Leg(tuple(Choice(o) for o in choices)))
    # bankers anywhere on the slip: custom parts name non-banker legs by their index
    order = draw(st.permutations(range(n + bankers)))
    banker_at = set(order[:bankers])
    renumber = [i for i in range(n + bankers) if i not in banker_at]
    legs = [Leg(leg.choices, banker=i in banker_at) for i, leg in enumerate(legs)]
    custom = tuple(CustomPart(part.combi, tuple(renumber[i] for i in part.legs), part.x) for part in custom)
    each_way = EachWay(draw(st.sampled_from(TERMS))) if draw(st.booleans()) else None
    bonus = None
    if lucky:
        bonus = LuckyBonus(draw(st.sampled_from([F(1), F(2), F(3), F("1.5")])),
                           draw(st.sampled_from([F(0), F(10), F(20)])), draw(st.booleans()))
    stake = Stake(D(draw(st.sampled_from(["0.10", "1.00", "2.50", "7.00"]))),
                  draw(st.sampled_from([StakeMode.LINE, StakeMode.TOTAL])))
    return Slip(kind, tuple(legs), stake, x=x, perm=perm, custom=custom, each_way=each_way, lucky_bonus=bonus)


@st.composite
def outcomes_for(draw: st.DrawFn, slip: Slip) -> Outcomes:
    # a slip's results lean one way or another, so that all-win and one-winner slips (the
    # LUCKY bonuses' cases) come up as often as mixed ones
    pool = draw(st.sampled_from([list(Result), [Result.WIN] * 6 + list(Result), [Result.WIN, Result.OPEN],
                                 [Result.LOSE] * 3 + [Result.WIN, Result.VOID]]))
    rows = []
    for leg in slip.legs:
        row = []
        for _ in leg.choices:
            result = draw(st.sampled_from(pool))
            dead_heat = place_dead_heat = None
            if result is Result.WIN and draw(st.booleans()):
                tied = draw(st.integers(2, 4))
                dead_heat = DeadHeat(tied, draw(st.integers(1, tied)))
            if slip.each_way is not None and result in (Result.WIN, Result.PLACE) and draw(st.booleans()):
                place_dead_heat = DeadHeat(3, draw(st.integers(1, 3)))
            rule4 = draw(st.sampled_from([F(0), F(0), F("0.15"), F("0.3")]))
            void_factor = F(0)
            if result in (Result.WIN, Result.LOSE):
                void_factor = draw(st.sampled_from([F(0), F(0), F(1, 2), F(1, 4)]))
            row.append(Outcome(result, dead_heat, place_dead_heat, rule4, void_factor))
        rows.append(tuple(row))
    return tuple(rows)


@st.composite
def settled_slips(draw: st.DrawFn) -> tuple[Slip, Outcomes]:
    slip = draw(slips())
    try:
        price(slip)
    except ValueError:  # a total stake too small for its lines
        slip = Slip(slip.bet_type, slip.legs, Stake(D("1.00")), slip.x, slip.perm, slip.custom, slip.each_way,
                    slip.lucky_bonus)
    return slip, draw(outcomes_for(slip))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(settled_slips())
def test_closed_form_equals_the_enumeration_of_every_line(case: tuple[Slip, Outcomes]) -> None:
    slip, outcomes = case
    closed = settle(slip, outcomes, method=Method.CLOSED_FORM)
    listed = settle(slip, outcomes, method=Method.ENUMERATION)
    assert [(b.exact_return, b.exact_max) for b in closed.bets] == [(b.exact_return, b.exact_max)
                                                                    for b in listed.bets]
    assert (closed.total_return, closed.max_return) == (listed.total_return, listed.max_return)
    assert closed.total_return <= closed.max_return or slip.lucky_bonus is not None
    # the counted lines are the listed lines, each-way twice
    pricing = price(slip)
    listed_lines = sum(1 for bet in pricing.bets for c in bet.components for _ in iter_lines(c, slip))
    assert pricing.lines == listed_lines * (2 if slip.each_way else 1)
    assert pricing.total_stake == pricing.line_stake * pricing.lines


@st.composite
def lucky_slips(draw: st.DrawFn) -> tuple[Slip, Outcomes]:
    kind = draw(st.sampled_from([BetType.LUCKY15, BetType.LUCKY31]))
    wanted = FORMULAS[kind].selections
    n = wanted + (draw(st.integers(0, 2)) if draw(st.booleans()) else 0)
    slip = Slip(kind, tuple(Leg((Choice(draw(st.sampled_from(ODDS))),)) for _ in range(n)), Stake(D("1.00")),
                perm=n > wanted, each_way=EachWay(F(1, 4)) if draw(st.booleans()) else None,
                lucky_bonus=LuckyBonus(draw(st.sampled_from([F(1), F(2), F(3)])),
                                       draw(st.sampled_from([F(0), F(10), F(25)])), draw(st.booleans())))
    return slip, draw(outcomes_for(slip))


@settings(max_examples=150, deadline=None)
@given(lucky_slips())
def test_lucky_bonuses_closed_form_equals_the_enumeration(case: tuple[Slip, Outcomes]) -> None:
    slip, outcomes = case
    closed = settle(slip, outcomes, method=Method.CLOSED_FORM)
    listed = settle(slip, outcomes, method=Method.ENUMERATION)
    assert [(b.exact_return, b.exact_max) for b in closed.bets] == [(b.exact_return, b.exact_max)
                                                                    for b in listed.bets]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=50, max_denominator=1000), max_size=9), st.integers(0, 9))
def test_elementary_symmetric_polynomials_are_sums_over_subsets(values: list[F], top: int) -> None:
    e = elementary(values, top)
    assert e == [sum((prod(s, start=F(1)) for s in combinations(values, j)), F(0)) for j in range(top + 1)]


def test_goliath_and_ten_from_twenty_use_the_closed_form() -> None:
    # GOLIATH, eight winners at 2.00, 1.00 a line: sum over j = 2..8 of C(8, j) 2^j
    # = 3^8 - 1 - 16 = 6544
    goliath = Slip(BetType.GOLIATH, tuple(Leg((Choice(F(2)),)) for _ in range(8)), Stake(D("1.00")))
    won = settle(goliath, tuple((Outcome(Result.WIN),) for _ in range(8)))
    assert (won.lines, won.total_return, won.method) == (247, D("6544.00"), Method.CLOSED_FORM)
    # 10 sur 20 (184,756 lines) at 0.10: fifteen winners at 2.00, five losers:
    # C(15, 10) = 3003 winning lines of 2^10 = 1024, x 0.10 = 307,507.20
    xy = Slip(BetType.XY, tuple(Leg((Choice(F(2)),)) for _ in range(20)), Stake(D("0.10")), x=10)
    results = tuple((Outcome(Result.WIN if i < 15 else Result.LOSE),) for i in range(20))
    settled = settle(xy, results)
    assert (settled.lines, settled.total_stake) == (comb(20, 10), D("18475.60"))
    assert (settled.total_return, settled.method) == (D("307507.20"), Method.CLOSED_FORM)
    # all open: at best every line wins, 184,756 x 1024 x 0.10
    assert settle(xy).max_return == D(comb(20, 10) * 1024) / 10

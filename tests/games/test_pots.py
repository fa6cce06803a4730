"""Pots: uncalled bets, side pots, rake, splits and odd chips; chips are never created or lost."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games.pots import Pot, PotError, RakeRule, settle


def test_uncalled_bet_is_returned_and_the_rest_goes_to_the_winner() -> None:
    result = settle({0: 100, 1: 40}, live=[0], values=None, button=0, seat_count=2)
    assert result.returned == {0: 60} and result.pots == [Pot(80, (0,))] and result.winnings == {0: 80}


def test_side_pots_layer_by_all_in_levels() -> None:
    # Seat 0 all-in for 50, seat 1 all-in for 100, seat 2 and 3 put 200, seat 3 folded.
    result = settle({0: 50, 1: 100, 2: 200, 3: 200}, live=[0, 1, 2], values={0: 9, 1: 5, 2: 1},
                    button=3, seat_count=4)
    assert result.returned == {}
    assert result.pots == [Pot(200, (0, 1, 2)), Pot(150, (1, 2)), Pot(200, (2,))]
    assert result.winnings == {0: 200, 1: 150, 2: 200}


def test_split_pot_gives_odd_chips_left_of_the_button() -> None:
    result = settle({1: 101, 2: 101, 4: 101}, live=[1, 2, 4], values={1: 7, 2: 3, 4: 7}, button=2,
                    seat_count=6)
    # 303 split between seats 1 and 4: seat 4 is the first winner left of the button (seat 2).
    assert result.winnings == {4: 152, 1: 151} and result.winners == [(4, 1)]


def test_rake_is_capped_and_not_taken_without_a_flop() -> None:
    rule = RakeRule(Fraction(5, 100), cap=300)
    big = settle({0: 5000, 1: 5000}, live=[0, 1], values={0: 2, 1: 1}, button=0, seat_count=2, rake=rule)
    assert big.rake == 300 and big.winnings == {0: 9700}
    small = settle({0: 110, 1: 110}, live=[0, 1], values={0: 2, 1: 1}, button=0, seat_count=2, rake=rule)
    assert small.rake == 11 and small.winnings == {0: 209}
    preflop = settle({0: 110, 1: 20}, live=[0], values=None, button=0, seat_count=2, rake=rule, saw_flop=False)
    assert preflop.rake == 0 and preflop.returned == {0: 90} and preflop.winnings == {0: 40}


def test_folded_chips_above_the_live_levels_stay_in_play() -> None:
    # Seat 2 bet 300 then folded to seat 0's all-in for 100 and seat 1's call of 300.
    result = settle({0: 100, 1: 300, 2: 300}, live=[0, 1], values={0: 5, 1: 4}, button=0, seat_count=3)
    assert result.pots == [Pot(300, (0, 1)), Pot(400, (1,))]
    assert result.winnings == {0: 300, 1: 400}


@pytest.mark.parametrize("kwargs, message", [
    ({"contributions": {0: -1, 1: 5}, "live": [1], "values": None}, "negative"),
    ({"contributions": {0: 5, 1: 5}, "live": [0, 1], "values": None}, "exactly one"),
    ({"contributions": {0: 5, 1: 5}, "live": [0, 1], "values": {0: 1}}, "every live seat"),
    ({"contributions": {0: 5}, "live": [3], "values": None}, "contributors"),
])
def test_inconsistent_inputs_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(PotError, match=message):
        settle(button=0, seat_count=6, **kwargs)


hands = st.integers(min_value=2, max_value=10).flatmap(lambda n: st.tuples(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.lists(st.integers(min_value=0, max_value=3), min_size=n, max_size=n),
    st.integers(min_value=0, max_value=n - 1),
    st.integers(min_value=0, max_value=10),
))


@settings(max_examples=300, deadline=None)
@given(hands)
def test_chips_are_conserved_and_each_pot_goes_to_its_best_eligible_hands(hand: tuple) -> None:
    amounts, folded, strengths, button, rake_percent = hand
    seats = len(amounts)
    live = [s for s in range(seats) if not folded[s]] or [0]
    values = {s: strengths[s] for s in live} if len(live) > 1 else None
    result = settle(dict(enumerate(amounts)), live, values, button=button, seat_count=seats,
                    rake=RakeRule(Fraction(rake_percent, 100), cap=500))
    assert sum(result.returned.values()) + result.rake + sum(result.winnings.values()) == sum(amounts)
    assert sum(p.amount for p in result.pots) == sum(result.winnings.values())
    eligible_sets = [set(p.eligible) for p in result.pots]
    assert all(later <= earlier for earlier, later in zip(eligible_sets, eligible_sets[1:]))
    for pot, winners in zip(result.pots, result.winners):
        if values is not None:
            best = max(values[s] for s in pot.eligible)
            assert {values[w] for w in winners} == {best} and set(winners) == {
                s for s in pot.eligible if values[s] == best}
    assert all(amount >= 0 for amount in result.winnings.values())

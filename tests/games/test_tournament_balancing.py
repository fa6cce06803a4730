"""Seating, positions, breaking and balancing tables."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games.hand import Blinds
from games.tournament.balancing import Reason, TableView, plan
from games.tournament.errors import TournamentError
from games.tournament.seating import (first_seating, hands_until_big_blind, next_positions, table_sizes,
                                      worst_seat)
from tests.games.test_tournament_kit import SeededChooser, names


def test_positions_follow_the_moving_button_like_the_engine() -> None:
    seats = [1, 3, 6, 8]
    p = next_positions(seats, 3)
    assert p is not None and (p.button, p.small_blind, p.big_blind) == (6, 8, 1)
    standard = Blinds.standard(seats, p.button)
    assert (standard.small_blind, standard.big_blind) == (p.small_blind, p.big_blind)
    p = next_positions(seats, 4)  # the last button's player has left: the next seat after it
    assert p is not None and p.button == 6
    heads_up = next_positions([2, 5], 2)
    assert heads_up is not None and (heads_up.button, heads_up.small_blind, heads_up.big_blind) == (5, 5, 2)
    assert next_positions([4], 1) is None


def test_the_worst_seat_posts_the_big_blind_soonest() -> None:
    # Seats 1, 2, 5 with the button last on 1: next hand button 2, small blind 5, big blind 1.
    # Seat 6 or more, between the small blind and the big blind, becomes the very next big blind.
    assert worst_seat({1, 2, 5}, 1, 9) == 6 and hands_until_big_blind({1, 2, 5, 6}, 1, 6) == 1
    assert hands_until_big_blind({1, 2, 3, 5}, 1, 3) == 4  # seat 3, just after the button: a full orbit
    # Seats 1, 2, 4, 5, last button 1: button 2, small 4, big 5; the seat right after the big
    # blind is next (2 hands); seat 3, just after the button, would wait 5 hands.
    assert worst_seat({1, 2, 4, 5}, 1, 9) == 6
    assert [hands_until_big_blind({1, 2, 4, 5, s}, 1, s) for s in (3, 6)] == [5, 2]
    # Heads-up 3 and 5, last button 3: button 5 posts the small blind, 3 the big. A third
    # player in 4 makes it button 5, small 3, big 4.
    assert worst_seat({3, 5}, 3, 6) == 4
    with pytest.raises(TournamentError):
        worst_seat({1, 2}, 1, 2)


def test_first_seating_fills_the_fewest_tables_evenly_at_random_seats() -> None:
    tables = first_seating(names(23), 9, SeededChooser(5))
    assert [len(t.seats) for t in tables] == [8, 8, 7] and [t.table for t in tables] == [1, 2, 3]
    seated = [p for t in tables for p in t.seats.values()]
    assert sorted(seated) == names(23)
    for t in tables:
        assert set(t.seats) <= set(range(1, 10))
        p = next_positions(t.seats, t.last_button)
        assert p is not None and p.button in t.seats  # the drawn button deals the first hand
    assert first_seating(names(23), 9, SeededChooser(6)) != tables
    assert table_sizes(30, 10) == [10, 10, 10] and table_sizes(31, 10) == [8, 8, 8, 7]


def view(table: int, players: list[str], seats: list[int], last_button: int | None = None,
         idle: bool = True) -> TableView:
    return TableView(table, dict(zip(seats, players)), last_button, idle)


def test_balancing_moves_the_next_big_blind_to_the_smallest_table() -> None:
    big = view(1, ["a", "b", "c", "d", "e", "f", "g"], [1, 2, 3, 4, 5, 6, 7], last_button=3)  # next BB: 6
    small = view(2, ["x", "y", "z", "w", "v"], [1, 3, 5, 7, 9], last_button=5)
    result = plan([big, small], 9)
    assert len(result.moves) == 1
    move = result.moves[0]
    assert (move.player, move.from_table, move.from_seat, move.to_table) == ("f", 1, 6, 2)
    assert move.reason is Reason.BALANCE
    assert move.to_seat == worst_seat({1, 3, 5, 7, 9}, 5, 9)
    assert big.seats[6] == "f"  # the caller's views are left alone


def test_a_table_breaks_when_the_players_fit_in_one_table_less() -> None:
    tables = [view(1, names(7, "a"), list(range(1, 8))), view(2, names(6, "b"), list(range(1, 7))),
              view(3, names(6, "c"), list(range(1, 7)))]
    assert plan(tables, 9).moves == ()  # 19 players need 3 tables of 9
    tables[0].seats.pop(1)  # 18 fit in two
    result = plan(tables, 9)
    assert result.broken == (3,) and all(m.reason is Reason.BREAK for m in result.moves)
    assert sorted(len(t.seats) for t in result.tables) == [9, 9]


def test_busy_tables_neither_give_players_nor_break() -> None:
    tables = [view(1, names(9, "a"), list(range(1, 10)), idle=False), view(2, names(5, "b"), list(range(1, 6)))]
    assert plan(tables, 9).moves == ()  # the big table is in a hand: it gives at its end
    tables = [view(1, names(8, "a"), list(range(1, 9))), view(2, names(3, "b"), [1, 2, 3], idle=False),
              view(3, names(7, "c"), list(range(1, 8)))]
    assert plan(tables, 9).moves == ()  # table 2 must break but is in a hand: nothing moves yet
    tables[1].idle = True
    assert plan(tables, 9).broken == (2,)


@st.composite
def tournaments(draw: st.DrawFn) -> tuple[int, list[TableView]]:
    max_seats = draw(st.integers(min_value=2, max_value=10))
    count = draw(st.integers(min_value=1, max_value=8))
    tables = []
    serial = 0
    for number in range(1, count + 1):
        seats = draw(st.sets(st.integers(min_value=1, max_value=max_seats), max_size=max_seats))
        players = [f"p{serial + i}" for i in range(len(seats))]
        serial += len(seats)
        button = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=max_seats)))
        tables.append(view(number, players, sorted(seats), button))
    return max_seats, tables


def check_plan(max_seats: int, before: list[TableView]) -> list[TableView]:
    result = plan(before, max_seats)
    players = sum(t.size for t in before)
    after = list(result.tables)
    needed = max(1, -(-players // max_seats))
    assert len(after) == needed  # a table broke exactly when the players fit in fewer tables
    assert bool(result.broken) == (len(before) > needed)
    assert max(t.size for t in after) - min(t.size for t in after) <= 1
    seated = Counter(p for t in after for p in t.seats.values())
    assert seated == Counter(p for t in before for p in t.seats.values())  # nobody lost or duplicated
    assert all(set(t.seats) <= set(range(1, max_seats + 1)) for t in after)
    # Replaying the moves on the tables before gives the tables after.
    replay = {t.table: dict(t.seats) for t in before}
    for move in result.moves:
        assert replay[move.from_table].pop(move.from_seat) == move.player
        assert move.to_seat not in replay[move.to_table]
        replay[move.to_table][move.to_seat] = move.player
    assert {n: s for n, s in replay.items() if n not in result.broken} == {t.table: t.seats for t in after}
    assert all(not replay[n] for n in result.broken)
    return after


@settings(max_examples=300)
@given(tournaments())
def test_balancing_every_idle_table_always_reaches_the_invariants(case: tuple[int, list[TableView]]) -> None:
    max_seats, tables = case
    if sum(t.size for t in tables) == 0:
        return
    check_plan(max_seats, tables)


@settings(max_examples=100)
@given(st.integers(min_value=2, max_value=10), st.integers(min_value=2, max_value=80),
       st.randoms(use_true_random=False))
def test_random_bust_sequences_down_to_one_table(max_seats: int, players: int, rng: random.Random) -> None:
    tables = [TableView(t.table, dict(t.seats), t.last_button)
              for t in first_seating(names(players), max_seats, SeededChooser(rng.randrange(10**6)))]
    remaining = players
    while remaining > 1:
        busts = rng.randint(1, min(3, remaining - 1))
        for _ in range(busts):
            table = rng.choice([t for t in tables if t.seats])
            del table.seats[rng.choice(sorted(table.seats))]
        remaining -= busts
        for t in tables:  # some hands were played: buttons moved
            p = next_positions(t.seats, t.last_button)
            t.last_button = p.button if p else t.last_button
        tables = check_plan(max_seats, tables)


@settings(max_examples=200)
@given(tournaments(), st.data())
def test_tables_in_a_hand_keep_their_players_and_never_break(case: tuple[int, list[TableView]],
                                                             data: st.DataObject) -> None:
    max_seats, tables = case
    if sum(t.size for t in tables) == 0:
        return
    for t in tables:
        t.idle = data.draw(st.booleans())
    result = plan(tables, max_seats)
    busy = {t.table: t.seats for t in tables if not t.idle}
    assert all(m.from_table not in busy for m in result.moves) and not set(result.broken) & set(busy)
    after = {t.table: t.seats for t in result.tables}
    assert all(after[n].items() >= seats.items() for n, seats in busy.items())
    assert Counter(p for t in result.tables for p in t.seats.values()) == Counter(
        p for t in tables for p in t.seats.values())
    for t in result.tables:  # once every table is idle the invariants hold
        t.idle = True
    check_plan(max_seats, list(result.tables))

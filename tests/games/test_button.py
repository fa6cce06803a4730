"""Moving button, blinds and missed blinds over a sequence of hands."""

from __future__ import annotations

from dataclasses import replace

from games.button import SeatStatus, join, plan_hand, sit_back_in
from games.hand import Blinds

SB, BB = 5, 10


def plan(statuses, previous):
    return plan_hand(statuses, previous, small_blind=SB, big_blind=BB)


def test_button_and_blinds_move_one_seat_each_hand() -> None:
    seats = [SeatStatus(s) for s in (1, 3, 6, 8)]
    previous = None
    seen = []
    for _ in range(5):
        p = plan(seats, previous)
        assert p is not None
        seen.append((p.button, p.blinds.small_blind, p.blinds.big_blind))
        previous, seats = p.button, list(p.seats)
    assert seen == [(1, 3, 6), (3, 6, 8), (6, 8, 1), (8, 1, 3), (1, 3, 6)]


def test_heads_up_button_posts_the_small_blind() -> None:
    p = plan([SeatStatus(2), SeatStatus(5)], 2)
    assert p is not None and (p.button, p.blinds) == (5, Blinds(5, 2))


def test_a_new_player_waits_for_the_big_blind_or_posts_live() -> None:
    seats = [SeatStatus(1), SeatStatus(3), SeatStatus(6), join(8)]
    p = plan(seats, 1)  # button 3, small blind 6, big blind reaches 8: the newcomer is dealt in
    assert p is not None and (p.button, p.blinds.small_blind, p.blinds.big_blind) == (3, 6, 8)
    assert 8 in p.dealt_in and p.blinds.live == ()
    p = plan([SeatStatus(1), SeatStatus(3), SeatStatus(6), join(8)], 6)  # button 8? no: 8 waits
    assert p is not None and 8 not in p.dealt_in and p.button == 1
    p = plan([SeatStatus(1), SeatStatus(3), SeatStatus(6), join(8, post_now=True)], 6)
    assert p is not None and 8 in p.dealt_in and p.blinds.live == ((8, BB),) and p.blinds.dead == ()


def test_sitting_out_player_owes_the_blinds_that_passed_and_pays_them_on_return() -> None:
    seats = [SeatStatus(1), SeatStatus(3), SeatStatus(6, sitting_out=True), SeatStatus(8)]
    p = plan(seats, 1)  # button 3, small blind 8: seat 6 lies between the button and the small blind
    assert p is not None and (p.button, p.blinds.small_blind, p.blinds.big_blind) == (3, 8, 1)
    status = {s.seat: s for s in p.seats}[6]
    assert status.owes_small and not status.owes_big
    p = plan(list(p.seats), p.button)  # button 8, small 1, big 3
    p = plan(list(p.seats), p.button)  # button 1, small 3, big 8: the big blind passes seat 6
    assert p is not None
    status = {s.seat: s for s in p.seats}[6]
    assert status.owes_small and status.owes_big
    back = [sit_back_in(s, post_now=True) if s.seat == 6 else s for s in p.seats]
    p = plan(back, p.button)  # button 3, small 8, big 1; seat 6 posts a live big blind and a dead small one
    assert p is not None and 6 in p.dealt_in
    assert p.blinds.live == ((6, BB),) and p.blinds.dead == ((6, SB),)
    assert {s.seat: s for s in p.seats}[6] == SeatStatus(6)


def test_returning_player_who_waits_is_dealt_in_on_the_big_blind_owing_nothing_more() -> None:
    seats = [SeatStatus(1), SeatStatus(3), replace(sit_back_in(SeatStatus(6, owes_big=True, owes_small=True))),
             SeatStatus(8)]
    p = plan(seats, 8)  # button 1, small 3, big blind reaches 6
    assert p is not None and (p.blinds.small_blind, p.blinds.big_blind) == (3, 6)
    assert p.blinds.live == () and p.blinds.dead == ()
    assert {s.seat: s for s in p.seats}[6] == SeatStatus(6)


def test_no_hand_with_fewer_than_two_players() -> None:
    assert plan([SeatStatus(1), SeatStatus(2, sitting_out=True)], None) is None
    assert plan([join(1), join(2)], None) is None

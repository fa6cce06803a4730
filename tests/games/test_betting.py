"""Betting rounds: turns, minimum raises, short all-ins, pot limit, fixed-limit caps, refusals."""

from __future__ import annotations

import pytest

from games.betting import Action, BettingRound, IllegalAction, SeatState, Structure

F, X, C, R = Action.FOLD, Action.CHECK, Action.CALL, Action.RAISE


def preflop(structure: Structure, stacks: list[int], sb: int = 50, bb: int = 100, **kw: object) -> BettingRound:
    """Seats 0..n-1, button on the last seat: seat 0 small blind, seat 1 big blind."""
    seats = [SeatState(i, stack) for i, stack in enumerate(stacks)]
    seats[0].stack -= sb
    seats[0].bet = sb
    seats[1].stack -= bb
    seats[1].bet = bb
    first = 2 % len(stacks)
    return BettingRound(structure, seats, first, big_blind=bb, opening_bets=1, **kw)  # type: ignore[arg-type]


def test_the_big_blind_keeps_its_option() -> None:
    r = preflop(Structure.NO_LIMIT, [1000, 1000, 1000])
    r.act(2, C)
    r.act(0, C)
    assert r.turn == 1 and r.legal().can_check and r.legal().min_raise_to == 200
    r.act(1, X)
    assert r.complete


def test_minimum_raise_follows_the_last_full_raise() -> None:
    r = preflop(Structure.NO_LIMIT, [5000, 5000, 5000])
    with pytest.raises(IllegalAction, match="below the minimum 200"):
        r.act(2, R, 150)
    r.act(2, R, 350)  # raise of 250
    assert r.legal().min_raise_to == 600
    with pytest.raises(IllegalAction, match="below the minimum 600"):
        r.act(0, R, 500)
    r.act(0, R, 600)
    assert r.legal().min_raise_to == 850


def test_a_short_all_in_does_not_reopen_the_betting() -> None:
    r = preflop(Structure.NO_LIMIT, [5000, 5000, 5000, 450])
    r.act(2, R, 300)  # seat 2 raises by 200
    r.act(3, R, 450)  # all-in for 450: 150 more, short of a full 200 raise
    r.act(0, C)
    r.act(1, C)
    assert r.turn == 2
    legal = r.legal()
    assert legal.call == 150 and legal.min_raise_to is None  # seat 2 may only call or fold
    with pytest.raises(IllegalAction, match="not allowed"):
        r.act(2, R, 1000)
    r.act(2, C)
    assert r.complete


def test_seats_that_have_not_acted_may_still_raise_after_a_short_all_in() -> None:
    r = preflop(Structure.NO_LIMIT, [5000, 5000, 5000, 450])
    r.act(2, R, 300)
    r.act(3, R, 450)
    assert r.turn == 0 and r.legal().min_raise_to == 650  # 450 + the last full raise of 200


def test_pot_limit_maximum() -> None:
    r = preflop(Structure.POT_LIMIT, [10_000, 10_000, 10_000])
    # Seat 2: call 100, pot then 50 + 100 + 100 = 250 + 100 = 350 -> raise to 100 + 250 = 350.
    assert r.legal().max_raise_to == 350
    with pytest.raises(IllegalAction, match="above the maximum 350"):
        r.act(2, R, 400)
    r.act(2, R, 350)
    # Seat 0: call 300, pot 50 + 100 + 350 + 300 = 800 -> raise to 350 + 800 = 1150.
    assert r.legal().max_raise_to == 1150


def test_fixed_limit_unit_and_cap() -> None:
    r = preflop(Structure.FIXED_LIMIT, [10_000, 10_000, 10_000], bet_unit=100, max_bets=4)
    assert (r.legal().min_raise_to, r.legal().max_raise_to) == (200, 200)
    r.act(2, R, 200)  # 2nd bet
    r.act(0, R, 300)  # 3rd
    r.act(1, R, 400)  # 4th: capped
    assert r.legal().min_raise_to is None and r.legal().call == 200
    r.act(2, C)
    r.act(0, C)
    assert r.complete


def test_illegal_actions_change_nothing() -> None:
    r = preflop(Structure.NO_LIMIT, [1000, 1000, 1000])
    before = [(s.stack, s.bet, s.folded) for s in r.seats]
    for seat, action, amount, reason in [
        (0, C, None, "not seat 0's turn"),
        (2, X, None, "cannot check facing a bet"),
        (2, R, 5000, "above the maximum"),
        (2, C, 300, "takes no amount"),
        (9, C, None, "not in this hand"),
        (2, R, None, "needs the total"),
    ]:
        with pytest.raises(IllegalAction, match=reason):
            r.act(seat, action, amount)
    assert [(s.stack, s.bet, s.folded) for s in r.seats] == before and r.turn == 2
    r.act(2, F)
    with pytest.raises(IllegalAction, match="has folded"):
        r.act(2, C)


def test_everyone_folds_to_one_player() -> None:
    r = preflop(Structure.NO_LIMIT, [1000, 1000, 1000])
    r.act(2, R, 300)
    r.act(0, F)
    r.act(1, F)
    assert r.complete and r.uncalled_excess() == (2, 200)


def test_all_in_players_are_skipped_and_the_round_ends() -> None:
    r = preflop(Structure.NO_LIMIT, [1000, 1000, 1000])
    r.act(2, R, 1000)
    r.act(0, C)  # all-in for the rest
    r.act(1, C)
    assert r.complete and all(s.all_in for s in r.seats)


def test_postflop_bet_check_around() -> None:
    seats = [SeatState(0, 900), SeatState(1, 900), SeatState(2, 900)]
    r = BettingRound(Structure.NO_LIMIT, seats, 0, big_blind=100, pot=300)
    with pytest.raises(IllegalAction, match="nothing to call"):
        r.act(0, C)
    r.act(0, X)
    r.act(1, X)
    r.act(2, X)
    assert r.complete

"""Payout tables, prizes to the cent, places from busts, ties sharing places."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games.tournament.errors import TournamentError
from games.tournament.payouts import DEFAULT_PAYOUTS, PayoutBand, PayoutTable, Tier
from games.tournament.places import Award, Bust, Finish, awards, finishes

POOLS = (0, 1, 7, 99, 1000, 12_345, 999_999, 10**9 + 7)


def test_every_field_from_2_to_1000_is_paid_in_full_to_the_cent() -> None:
    for field in range(2, 1001):
        for pool in POOLS:
            amounts = DEFAULT_PAYOUTS.amounts(pool, field)
            assert sum(amounts) == pool
            assert len(amounts) == DEFAULT_PAYOUTS.places_paid(field) <= field
            assert all(a >= b >= 0 for a, b in zip(amounts, amounts[1:]))


@settings(max_examples=300)
@given(st.integers(min_value=2, max_value=5000), st.integers(min_value=0, max_value=10**12))
def test_any_pool_is_paid_in_full_and_in_order(field: int, pool: int) -> None:
    amounts = DEFAULT_PAYOUTS.amounts(pool, field)
    assert sum(amounts) == pool and list(amounts) == sorted(amounts, reverse=True)


def test_default_bands() -> None:
    assert [DEFAULT_PAYOUTS.places_paid(n) for n in (2, 4, 5, 6, 7, 9, 10, 18, 19, 27, 28, 50, 51, 100, 101,
                                                     200, 201, 500, 501, 10_000)] == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 7, 7, 10, 10, 20, 20, 40, 40, 80, 80]
    assert DEFAULT_PAYOUTS.amounts(900, 9) == (450, 270, 180)
    assert DEFAULT_PAYOUTS.amounts(600, 6) == (390, 210)
    assert DEFAULT_PAYOUTS.amounts(600, 3) == (600,)


def test_leftover_cents_go_to_the_highest_places() -> None:
    assert DEFAULT_PAYOUTS.amounts(101, 9) == (51, 30, 20)
    assert DEFAULT_PAYOUTS.amounts(7, 6) == (5, 2)  # 4.55 and 2.45: floors 4 and 2, the cent to 1st
    assert DEFAULT_PAYOUTS.amounts(2, 9) == (2, 0, 0)  # floors 1, 0, 0: the cent left goes to 1st


def test_payout_tables_are_data_and_checked() -> None:
    table = PayoutTable((PayoutBand(2, 3, (Tier(1, 10_000),)), PayoutBand(4, None, (Tier(1, 7000), Tier(1, 3000)))))
    assert table.amounts(1001, 4) == (701, 300) and table.amounts(1001, 3) == (1001,)
    with pytest.raises(TournamentError, match="add up"):
        PayoutBand(2, None, (Tier(1, 6000), Tier(1, 3000)))
    with pytest.raises(TournamentError, match="never gets more"):
        PayoutBand(2, None, (Tier(1, 4000), Tier(1, 6000)))
    with pytest.raises(TournamentError, match="more places"):
        PayoutBand(2, 5, (Tier(3, 3000), Tier(1, 1000)))
    with pytest.raises(TournamentError, match="gap"):
        PayoutTable((PayoutBand(2, 3, (Tier(1, 10_000),)), PayoutBand(5, None, (Tier(1, 10_000),))))
    with pytest.raises(TournamentError, match="upper bound"):
        PayoutTable((PayoutBand(2, 3, (Tier(1, 10_000),)),))
    with pytest.raises(TournamentError):
        DEFAULT_PAYOUTS.amounts(100, 1)


def bust(player: str, stack: int, table: int = 1, seat: int = 1) -> Bust:
    return Bust(player, stack, table, seat)


def test_players_busting_in_one_hand_finish_by_starting_stack() -> None:
    # b went out first; then c (3000 at the start of the hand) and d (2000) in the same hand.
    placed = finishes([[bust("b", 800)], [bust("d", 2000, seat=4), bust("c", 3000, seat=3)]], still_in=1)
    assert [(f.player, f.place, f.last_place) for f in placed] == [("c", 2, 2), ("d", 3, 3), ("b", 4, 4)]


def test_equal_starting_stacks_share_the_places_they_cover() -> None:
    placed = [Finish("a", 1, 1)] + finishes([[bust("d", 500, 2, 7), bust("c", 500, 1, 5)]], still_in=1)
    assert [(f.player, f.place, f.last_place) for f in placed] == [("a", 1, 1), ("c", 2, 3), ("d", 2, 3)]
    # 50/30/20 of 1001 cents: 501/300/200; 2nd and 3rd share 500: 250 each.
    assert awards(DEFAULT_PAYOUTS.amounts(1001, 9), placed) == [
        Award(1, "a", 501, 1), Award(2, "c", 250, 3), Award(2, "d", 250, 3)]
    odd = awards((500, 301, 200), placed)  # 501 shared: the odd cent to the earlier table, then seat
    assert odd[1:] == [Award(2, "c", 251, 3), Award(2, "d", 250, 3)]


def test_a_tie_on_the_bubble_shares_the_last_paid_place() -> None:
    placed = [Finish("a", 1, 1), Finish("b", 2, 2)] + finishes(
        [[bust("c", 700, 1, 2), bust("d", 700, 2, 3)]], still_in=2)
    assert awards((500, 301, 199), placed)[2:] == [Award(3, "c", 100, 4), Award(3, "d", 99, 4)]


def test_players_out_of_the_money_get_nothing_reported() -> None:
    placed = [Finish("a", 1, 1)] + finishes([[bust("c", 1)], [bust("b", 5)]], still_in=1)
    assert awards((100,), placed) == [Award(1, "a", 100, 1)]


@st.composite
def bust_orders(draw: st.DrawFn) -> tuple[int, list[list[Bust]]]:
    """A field and the groups its players went out in (all but a winner)."""
    field = draw(st.integers(min_value=2, max_value=120))
    players = [f"p{i}" for i in range(1, field)]  # p0 wins
    groups: list[list[Bust]] = []
    i = 0
    while i < len(players):
        size = draw(st.integers(min_value=1, max_value=min(4, len(players) - i)))
        groups.append([bust(p, draw(st.sampled_from((100, 200, 300))), 1 + j % 3, j)
                       for j, p in enumerate(players[i:i + size])])
        i += size
    return field, groups


@settings(max_examples=200)
@given(bust_orders(), st.integers(min_value=0, max_value=10**8))
def test_places_with_ties_pay_the_pool_in_full(order: tuple[int, list[list[Bust]]], pool: int) -> None:
    field, groups = order
    placed = [Finish("p0", 1, 1)] + finishes(groups, still_in=1)
    assert len(placed) == field
    spans = {(f.place, f.last_place) for f in placed}
    assert sum(last - first + 1 for first, last in spans) == field  # every place covered exactly once
    prizes = awards(DEFAULT_PAYOUTS.amounts(pool, field), placed)
    assert sum(a.amount for a in prizes) == pool
    by_player = {a.player: a.amount for a in prizes}
    # Within a tie, shares differ by at most a cent.
    for first, last in spans:
        shares = [by_player.get(f.player, 0) for f in placed if (f.place, f.last_place) == (first, last)]
        assert max(shares) - min(shares) <= 1

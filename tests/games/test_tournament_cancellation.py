"""Cancelling a running tournament: full refunds, or the prize pool split by chips."""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from games.tournament.cancellation import CancelPolicy, split_by_chips
from games.tournament.errors import TournamentError
from games.tournament.ledger import Price, Refund
from games.tournament.places import Award
from games.tournament.rebuys import RebuyRule
from games.tournament.tournament import Phase, Tournament
from tests.games.test_tournament_kit import at, play_hand, start


def seat_order(t: Tournament, table: int = 1) -> list[str]:
    return [t.tables[table].seats[s] for s in sorted(t.tables[table].seats)]


def test_refund_gives_everyone_everything_they_paid_busted_players_included() -> None:
    t = start(6, max_seats=6, rebuy=RebuyRule(Price(500, 50, 1500), threshold=1500, until_level=2))
    a, b, c = seat_order(t)[:3]
    t.rebuy(a, at(5))
    play_hand(t, 1, at(10), [b], winner=c)
    t.decline_rebuy(b, at(11))
    settlement = t.cancel(at(20), CancelPolicy.REFUND)
    assert settlement.policy is CancelPolicy.REFUND and settlement.awards == () and settlement.shares == ()
    refunds = {r.player: r for r in settlement.refunds}
    assert refunds[a] == Refund(a, 1100 + 550, 150) and refunds[b] == Refund(b, 1100, 100)
    assert len(refunds) == 6 and settlement.total == 6 * 1100 + 550
    assert t.phase is Phase.CANCELLED
    with pytest.raises(TournamentError):
        t.cancel(at(21), CancelPolicy.REFUND)
    with pytest.raises(TournamentError):
        t.start_hand(1, at(22))


def test_chip_split_before_the_money_shares_the_whole_pool_by_chips() -> None:
    t = start(6, max_seats=6)  # pays 65/35 of 6000
    players = seat_order(t)
    play_hand(t, 1, at(10), [players[0]], winner=players[1])  # players[1]: 3000, the others 1500
    hand = t.start_hand(1, at(20))  # void: cancelled during it
    settlement = t.cancel(at(30), CancelPolicy.CHIP_SPLIT)
    assert hand.players and settlement.awards == () and settlement.refunds == ()
    shares = {s.player: (s.chips, s.amount) for s in settlement.shares}
    assert players[0] not in shares
    assert shares[players[1]] == (3000, 2000) and all(shares[p] == (1500, 1000) for p in players[2:])
    assert settlement.total == t.prize_pool == 6000


def test_chip_split_in_the_money_pays_the_places_won_and_guarantees_the_next() -> None:
    t = start(9, max_seats=9)  # 9000 cents: 4500 / 2700 / 1800
    players = seat_order(t)
    for i, loser in enumerate(players[:7]):  # players[8] takes every chip but players[7]'s
        play_hand(t, 1, at(10 + i), [loser], winner=players[8])
    assert t.remaining == 2
    settlement = t.cancel(at(100), CancelPolicy.CHIP_SPLIT)
    assert settlement.awards == (Award(3, players[6], 1800, 3),)
    # Each of the two left is sure of 2nd prize (2700); the rest, 1800, by chips: 12000 / 1500.
    shares = {s.player: (s.chips, s.amount) for s in settlement.shares}
    assert shares == {players[8]: (12000, 2700 + 1600), players[7]: (1500, 2700 + 200)}
    assert settlement.total == 9000


def test_a_finished_tournament_cannot_be_cancelled() -> None:
    t = start(2, max_seats=2)
    a, b = seat_order(t)
    assert play_hand(t, 1, at(1), [a], winner=b).finished
    with pytest.raises(TournamentError, match="finished"):
        t.cancel(at(2), CancelPolicy.REFUND)


@given(st.integers(min_value=0, max_value=10**9),
       st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=60).filter(lambda s: sum(s) > 0))
def test_a_split_by_chips_is_exact_to_the_cent(amount: int, chips: list[int]) -> None:
    stacks = [(f"p{i}", c) for i, c in enumerate(chips)]
    parts = split_by_chips(amount, stacks)
    assert sum(parts) == amount
    total = sum(chips)
    for part, c in zip(parts, chips):
        assert abs(part * total - amount * c) < total  # within a cent of the exact share
    for i, j in product(range(len(chips)), repeat=2):
        assert chips[i] <= chips[j] or parts[i] >= parts[j]  # more chips never gets less

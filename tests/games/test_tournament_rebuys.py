"""Rebuys and the add-on: when they are allowed, what they cost and give, the prize pool."""

from __future__ import annotations

import pytest

from games.tournament.errors import TournamentError
from games.tournament.ledger import Price, PurchaseKind
from games.tournament.rebuys import AddOnRule, RebuyRule
from games.tournament.tournament import Standing, Tournament
from tests.games.test_tournament_kit import at, check_consistent, play_hand, start

REBUY = RebuyRule(Price(1000, 100, 1500), threshold=1500, until_level=3, limit=2)  # levels 1-3: 0-1800 s
ADD_ON = AddOnRule(Price(1000, 100, 2000), at_level=3)  # 1200-1800 s, then until the table's next hand


def rebuy_sng() -> Tournament:
    return start(6, max_seats=6, rebuy=REBUY, add_on=ADD_ON)


def chips_bought(t: Tournament) -> int:
    return sum(p.chips for p in t.ledger.purchases)


def seat_order(t: Tournament) -> list[str]:
    return [t.tables[1].seats[s] for s in sorted(t.tables[1].seats)]


def test_a_rebuy_while_at_or_under_the_threshold_adds_chips_and_money() -> None:
    t = rebuy_sng()
    a = seat_order(t)[0]
    purchase = t.rebuy(a, at(10))  # 1500 <= 1500
    assert (purchase.kind, purchase.paid, purchase.price, purchase.fee, purchase.chips) == (
        PurchaseKind.REBUY, 1100, 1000, 100, 1500)
    assert t.players[a].stack == 3000 and t.prize_pool == 7000 and t.ledger.fees == 700
    with pytest.raises(TournamentError, match="at most 1500"):
        t.rebuy(a, at(11))
    check_consistent(t, chips_bought(t))


def test_a_player_busting_in_the_rebuy_period_keeps_the_seat_until_they_decide() -> None:
    t = rebuy_sng()
    a, b = seat_order(t)[:2]
    outcome = play_hand(t, 1, at(100), [a], winner=b)
    assert outcome.awaiting_rebuy == (a,) and outcome.busted == ()
    assert t.players[a].standing is Standing.AWAITING_REBUY and t.remaining == 6
    assert a in t.tables[1].seats.values()
    hand = t.start_hand(1, at(101))
    assert a not in hand.players.values()  # not dealt in meanwhile
    with pytest.raises(TournamentError, match="wait"):
        t.rebuy(b, at(102))  # b is in the hand: chips are added between hands
    t.finish_hand(1, dict(hand.dealt), at(103))
    t.rebuy(a, at(104))
    assert t.players[a].standing is Standing.IN and t.players[a].stack == 1500
    play_hand(t, 1, at(110), [a], winner=b)
    t.rebuy(a, at(111))  # the second and last
    outcome = play_hand(t, 1, at(120), [a], winner=b)
    assert outcome.awaiting_rebuy == () and [x.player for x in outcome.busted] == [a]  # the limit reached
    assert t.ledger.count(a, PurchaseKind.REBUY) == 2
    assert t.prize_pool == 8000 and t.ledger.fees == 800
    check_consistent(t, chips_bought(t))


def test_declining_or_letting_the_period_end_puts_the_player_out() -> None:
    t = rebuy_sng()
    a, b, c = seat_order(t)[:3]
    play_hand(t, 1, at(100), [a, b], winner=c)
    outcome = t.decline_rebuy(a, at(200))
    assert [x.player for x in outcome.busted] == [a] and t.players[a].standing is Standing.OUT
    with pytest.raises(TournamentError):
        t.decline_rebuy(a, at(201))
    assert t.refresh(at(1799)).busted == ()
    outcome = t.refresh(at(1800))  # level 4: the rebuy period is over
    assert [x.player for x in outcome.busted] == [b]
    with pytest.raises(TournamentError, match="over"):
        t.rebuy(c, at(1800))
    assert [f.player for f in t.standings()] == [b, a]  # a went out first


def test_the_add_on_once_at_the_end_of_the_rebuy_period() -> None:
    t = rebuy_sng()
    a, b = seat_order(t)[:2]
    with pytest.raises(TournamentError, match="opens at level 3"):
        t.add_on(a, at(1199))
    purchase = t.add_on(a, at(1200))
    assert (purchase.kind, purchase.paid, purchase.chips) == (PurchaseKind.ADD_ON, 1100, 2000)
    assert t.players[a].stack == 3500 and t.prize_pool == 7000
    with pytest.raises(TournamentError, match="one add-on"):
        t.add_on(a, at(1300))
    hand = t.start_hand(1, at(1790))  # a level-3 hand running across the end of the level
    t.finish_hand(1, dict(hand.dealt), at(1830))
    assert t.add_on(b, at(1840)).chips == 2000  # level 4, but no level-4 hand yet at this table
    hand = t.start_hand(1, at(1850))
    t.finish_hand(1, dict(hand.dealt), at(1860))
    with pytest.raises(TournamentError, match="closed"):
        t.add_on(seat_order(t)[2], at(1870))
    assert t.prize_pool == 8000 and t.ledger.fees == 800
    check_consistent(t, chips_bought(t))


def test_a_player_awaiting_a_rebuy_cannot_add_on_and_the_rules_are_optional() -> None:
    t = rebuy_sng()
    a, b = seat_order(t)[:2]
    play_hand(t, 1, at(1300), [a], winner=b)
    with pytest.raises(TournamentError, match="rebuy first"):
        t.add_on(a, at(1301))
    plain = start(6, max_seats=6)
    with pytest.raises(TournamentError, match="no rebuys"):
        plain.rebuy(seat_order(plain)[0], at(0))
    with pytest.raises(TournamentError, match="no add-on"):
        plain.add_on(seat_order(plain)[0], at(0))


def test_the_tournament_waits_for_a_rebuy_decision_before_ending() -> None:
    t = start(2, max_seats=6, rebuy=REBUY)
    a, b = seat_order(t)
    outcome = play_hand(t, 1, at(10), [a], winner=b)
    assert not outcome.finished and outcome.awaiting_rebuy == (a,)
    t.rebuy(a, at(20))
    play_hand(t, 1, at(30), [b], winner=a)
    outcome = t.decline_rebuy(b, at(40))
    assert outcome.finished and t.winner == a
    assert [(x.player, x.amount) for x in t.payouts()] == [(a, 3000)]


def test_a_purchase_whose_payment_failed_is_reverted_exactly() -> None:
    t = rebuy_sng()
    a, b = seat_order(t)[:2]
    play_hand(t, 1, at(100), [a], winner=b)
    before = t.snapshot(a)
    purchase = t.rebuy(a, at(101))
    t.revert(purchase, before)
    assert t.players[a] == before and t.players[a].standing is Standing.AWAITING_REBUY
    assert t.prize_pool == 6000 and t.ledger.count(a, PurchaseKind.REBUY) == 0
    t.rebuy(a, at(102))  # still allowed: the failed one did not count
    before = t.snapshot(b)
    add_on = t.add_on(b, at(1300))
    t.revert(add_on, before)
    assert t.players[b] == before and not t.players[b].added_on
    assert t.add_on(b, at(1301)).chips == 2000
    with pytest.raises(TournamentError, match="only a rebuy or an add-on"):
        t.revert(t.ledger.purchases[0], t.snapshot(t.ledger.purchases[0].player))
    check_consistent(t, chips_bought(t))

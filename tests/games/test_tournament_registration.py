"""Registration windows, limits, unregistration, start or cancel, late entries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from games.tournament.errors import TournamentError
from games.tournament.ledger import PurchaseKind, Refund
from games.tournament.registration import Decision, Format, Phase, Registration, RegistrationRules
from tests.games.test_tournament_kit import ENTRY, T0, at, check_consistent, names, start

OPENS = T0 - timedelta(hours=2)


def sng(players: int = 9) -> Registration:
    return Registration(RegistrationRules(Format.SIT_AND_GO, ENTRY, players, players, OPENS))


def mtt(min_players: int = 10, max_players: int = 100, closes_at: datetime | None = None,
        late: int | None = None) -> Registration:
    return Registration(RegistrationRules(Format.SCHEDULED, ENTRY, min_players, max_players, OPENS, starts_at=T0,
                                          closes_at=closes_at, late_until_level=late))


def test_a_sit_and_go_starts_when_full() -> None:
    reg = sng(9)
    for i, player in enumerate(names(9)):
        assert reg.decide(OPENS).decision is Decision.WAIT
        receipt = reg.register(player, OPENS + timedelta(minutes=i))
        assert (receipt.kind, receipt.paid, receipt.price, receipt.fee, receipt.chips) == (
            PurchaseKind.BUY_IN, 1100, 1000, 100, 1500)
    with pytest.raises(TournamentError, match="not open"):
        reg.register("late", OPENS + timedelta(hours=1))
    decision = reg.decide(OPENS + timedelta(hours=1))
    assert decision.decision is Decision.START and [e.player for e in decision.entries] == names(9)
    assert reg.phase is Phase.STARTED
    with pytest.raises(TournamentError):
        reg.unregister("p001", OPENS + timedelta(hours=1))


def test_unregistering_before_the_start_refunds_buy_in_and_fee() -> None:
    reg = sng(3)
    reg.register("a", OPENS)
    reg.register("b", OPENS)
    assert reg.unregister("a", OPENS) == Refund("a", 1100, 100)
    assert list(reg.players) == ["b"]
    with pytest.raises(TournamentError, match="not registered"):
        reg.unregister("a", OPENS)
    reg.register("a", OPENS)  # may come back
    assert list(reg.players) == ["b", "a"]


def test_registration_windows_and_duplicates() -> None:
    reg = mtt(closes_at=T0 - timedelta(minutes=5))
    with pytest.raises(TournamentError, match="not open"):
        reg.register("early", OPENS - timedelta(seconds=1))
    reg.register("a", OPENS)
    with pytest.raises(TournamentError, match="already"):
        reg.register("a", OPENS)
    with pytest.raises(TournamentError, match="not open"):
        reg.register("b", T0 - timedelta(minutes=5))
    with pytest.raises(TournamentError, match="only before the start"):
        reg.unregister("a", T0)


def test_a_scheduled_tournament_starts_at_its_time_with_enough_players() -> None:
    reg = mtt(min_players=3)
    for player in names(3):
        reg.register(player, OPENS)
    assert reg.decide(T0 - timedelta(seconds=1)).decision is Decision.WAIT
    decision = reg.decide(T0)
    assert decision.decision is Decision.START and len(decision.entries) == 3
    with pytest.raises(TournamentError):
        reg.decide(T0)


def test_a_scheduled_tournament_short_of_players_is_cancelled_and_everyone_refunded() -> None:
    reg = mtt(min_players=10)
    for player in names(9):
        reg.register(player, OPENS)
    decision = reg.decide(T0)
    assert decision.decision is Decision.CANCEL and reg.phase is Phase.CANCELLED
    assert decision.refunds == tuple(Refund(p, 1100, 100) for p in names(9))


def test_the_operator_cancels_before_the_start() -> None:
    reg = sng(9)
    reg.register("a", OPENS)
    reg.register("b", OPENS)
    assert reg.cancel() == (Refund("a", 1100, 100), Refund("b", 1100, 100))
    with pytest.raises(TournamentError):
        reg.register("c", OPENS)


def test_registration_rules_refuse_nonsense() -> None:
    with pytest.raises(TournamentError):
        RegistrationRules(Format.SIT_AND_GO, ENTRY, 1, 9, OPENS)
    with pytest.raises(TournamentError):
        RegistrationRules(Format.SIT_AND_GO, ENTRY, 9, 9, OPENS, late_until_level=3)
    with pytest.raises(TournamentError):
        RegistrationRules(Format.SCHEDULED, ENTRY, 2, 9, OPENS)
    with pytest.raises(TournamentError):
        RegistrationRules(Format.SCHEDULED, ENTRY, 2, 9, OPENS, starts_at=T0, closes_at=T0 + timedelta(1))


def test_late_registration_until_the_given_level() -> None:
    t = start(12, max_players=40, max_seats=6, late_until_level=3)  # levels of 600 s
    assert t.late_registration_open(at(1799)) and not t.late_registration_open(at(1800))
    entry = t.register_late("late1", at(1000))
    assert entry.purchase.paid == 1100 and t.prize_pool == 13 * 1000 and t.entrants == 13
    assert t.players["late1"].stack == 1500
    assert entry.table == 3 and sorted(len(s.seats) for s in t.tables.values()) == [4, 4, 5]  # both were full
    check_consistent(t, 13 * 1500)
    with pytest.raises(TournamentError, match="already entered"):
        t.register_late("late1", at(1001))
    with pytest.raises(TournamentError, match="closed"):
        t.register_late("late2", at(1800))


def test_late_entries_fill_the_smallest_table_then_open_a_new_one() -> None:
    t = start(11, max_players=40, max_seats=6, late_until_level=2)  # tables of 6 and 5
    assert sorted(len(s.seats) for s in t.tables.values()) == [5, 6]
    first = t.register_late("late1", at(10))
    assert len(t.tables[first.table].seats) == 6 and set(t.tables) == {1, 2}
    second = t.register_late("late2", at(20))  # both tables full: a new table
    assert second.table == 3 and len(t.tables) == 3
    # Idle tables give it players straight away: 13 players on 3 tables, 5/4/4.
    assert sorted(len(s.seats) for s in t.tables.values()) == [4, 4, 5]
    assert all(m.to_table == 3 for m in second.outcome.moves)
    check_consistent(t, 13 * 1500)


def test_late_registration_stops_at_the_field_limit() -> None:
    t = start(3, max_players=4, late_until_level=5)
    t.register_late("d", at(0))
    assert not t.late_registration_open(at(0))
    with pytest.raises(TournamentError):
        t.register_late("e", at(0))

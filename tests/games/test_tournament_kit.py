"""Shared helpers for the tournament tests (seeded chooser, rules, hands with chosen busts),
and the tests of the chooser's shuffles they rely on."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

from games.tournament.chooser import shuffled
from games.tournament.ledger import Price, Purchase, PurchaseKind
from games.tournament.payouts import DEFAULT_PAYOUTS, PayoutTable
from games.tournament.rebuys import AddOnRule, RebuyRule
from games.tournament.registration import Format, RegistrationRules
from games.tournament.structure import BlindLevel, Breaks, Pace, Schedule
from games.tournament.tournament import Outcome, Standing, Tournament, TournamentRules

T0 = datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc)
ENTRY = Price(price=1000, fee=100, chips=1500)
LEVELS = tuple(BlindLevel(sb, 2 * sb, ante) for sb, ante in
               ((10, 0), (15, 0), (25, 0), (50, 5), (75, 10), (100, 15), (150, 20), (200, 25), (300, 40),
                (400, 50), (600, 75), (800, 100), (1000, 125), (1500, 200), (2000, 250)))


class SeededChooser:
    """The tests' stand-in for ``secrets``: the same draws for the same seed."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def randbelow(self, n: int) -> int:
        return self.random.randrange(n)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def schedule(pace: Pace = Pace.TIME, length: int = 600, breaks: Breaks | None = None) -> Schedule:
    return Schedule(LEVELS, pace, length, breaks)


def make_rules(max_players: int, *, max_seats: int = 10, fmt: Format = Format.SCHEDULED,
               sched: Schedule | None = None, rebuy: RebuyRule | None = None, add_on: AddOnRule | None = None,
               late_until_level: int | None = None, payouts: PayoutTable = DEFAULT_PAYOUTS,
               min_players: int = 2) -> TournamentRules:
    registration = RegistrationRules(
        fmt, ENTRY, min_players=min_players, max_players=max_players, opens_at=T0 - timedelta(hours=2),
        starts_at=T0 if fmt is Format.SCHEDULED else None,
        late_until_level=late_until_level if fmt is Format.SCHEDULED else None)
    return TournamentRules(registration, sched or schedule(), max_seats, payouts, rebuy, add_on)


def names(n: int, prefix: str = "p") -> list[str]:
    return [f"{prefix}{i:03d}" for i in range(1, n + 1)]


def buy_ins(players: Iterable[str], entry: Price = ENTRY) -> list[Purchase]:
    return [Purchase.of(p, PurchaseKind.BUY_IN, entry) for p in players]


def start(n: int, *, seed: int = 1, max_players: int | None = None, **kwargs: Any) -> Tournament:
    rules = make_rules(max_players or n, **kwargs)
    return Tournament(rules, buy_ins(names(n)), T0, SeededChooser(seed))


def play_hand(t: Tournament, table: int, now: datetime, losers: Sequence[str] = (),
              winner: str | None = None) -> Outcome:
    """One hand at ``table`` in which ``losers`` lose every chip to ``winner`` (default: the
    first other player dealt in); nobody else's stack moves."""
    start_ = t.start_hand(table, now)
    stacks = dict(start_.dealt)
    seat_of = {player: seat for seat, player in start_.players.items()}
    if winner is None:
        winner = next(p for p in start_.players.values() if p not in losers)
    for loser in losers:
        stacks[seat_of[winner]] += stacks[seat_of[loser]]
        stacks[seat_of[loser]] = 0
    return t.finish_hand(table, stacks, now)


def table_of(t: Tournament, player: str) -> int:
    table = t.players[player].table
    assert table is not None
    return table


def check_consistent(t: Tournament, chips_in_play: int | None = None) -> None:
    """Every player still in sits at exactly one seat, the seat maps back, chips add up."""
    seated: Counter[str] = Counter()
    for number, table in t.tables.items():
        assert len(table.seats) <= t.rules.max_seats
        for seat, player in table.seats.items():
            assert 1 <= seat <= t.rules.max_seats
            p = t.players[player]
            assert (p.table, p.seat) == (number, seat)
            seated[player] += 1
    alive = {n for n, p in t.players.items() if p.standing is not Standing.OUT}
    assert set(seated) == alive and all(c == 1 for c in seated.values())
    if chips_in_play is not None:
        assert sum(p.stack for p in t.players.values()) == chips_in_play


def test_shuffles_are_permutations_and_all_orders_come_up() -> None:
    chooser = SeededChooser(7)
    seen = Counter(tuple(shuffled("abc", chooser)) for _ in range(6000))
    assert len(seen) == 6 and all(800 < count < 1200 for count in seen.values())


def test_the_same_seed_draws_the_same_seating() -> None:
    one = Tournament(make_rules(30), buy_ins(names(30)), T0, SeededChooser(3)).seating()
    two = Tournament(make_rules(30), buy_ins(names(30)), T0, SeededChooser(3)).seating()
    assert one == two

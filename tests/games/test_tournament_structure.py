"""Blind levels by time and by hands, breaks, and a level change waiting for the next hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from games.betting import Structure
from games.hand import Variant
from games.tournament.errors import TournamentError
from games.tournament.structure import BlindLevel, Breaks, Pace, Schedule
from games.tournament.tournament import Tournament
from tests.games.test_tournament_kit import LEVELS, at, play_hand, schedule, start

HOURLY = Breaks(every=3600, length=300)  # 5 minutes every hour: 0:55-1:00, 1:55-2:00, ...


def test_time_levels_advance_every_length_of_play() -> None:
    s = schedule(Pace.TIME, 600)
    assert [s.level_number(t) for t in (0, 599, 600, 1199.5, 1200)] == [1, 1, 2, 2, 3]
    assert s.level_at(601) == LEVELS[1]
    assert s.level_index(10**9) == len(LEVELS) - 1  # the last level lasts until the end


def test_breaks_stop_no_clock_but_the_level_clock() -> None:
    s = schedule(Pace.TIME, 600, HOURLY)
    assert not s.on_break(3299.9) and s.on_break(3300) and s.on_break(3599.9) and not s.on_break(3600)
    assert s.on_break(3600 + 3300)
    assert HOURLY.ends_at(3400) == 3600 and HOURLY.ends_at(100) is None
    assert s.play_time(3599) == 3300 and s.play_time(3600) == 3300 and s.play_time(4000) == 3700
    # Level 6 (play 3000-3600) is interrupted by the break: its last 5 minutes come after it.
    assert s.level_number(3299) == 6 and s.level_number(3450) == 6 and s.level_number(3899) == 6
    assert s.level_number(3900) == 7
    assert s.next_level_at(3000) == 3900 and s.next_level_at(3899) == 3900
    assert s.next_level_at(100) == 600


def test_a_level_ending_exactly_at_a_break_changes_as_the_break_begins() -> None:
    s = Schedule(LEVELS, Pace.TIME, 1100, HOURLY)  # 3 levels fill the 55 minutes of play
    assert s.next_level_at(3000) == 3300 and s.level_number(3300) == 4 and s.on_break(3300)


def test_hand_levels_advance_every_so_many_hands_and_ignore_the_clock() -> None:
    s = schedule(Pace.HANDS, 10, HOURLY)
    assert [s.level_number(10**6, hands) for hands in (0, 9, 10, 19, 20)] == [1, 1, 2, 2, 3]
    assert s.level_number(0, 10**6) == len(LEVELS)
    assert s.on_break(3400)  # breaks still go by the clock
    assert s.next_level_at(0) is None


@given(st.lists(st.floats(min_value=0, max_value=50_000, allow_nan=False), min_size=2, max_size=20))
def test_levels_never_go_back_and_play_time_only_stops_on_breaks(times: list[float]) -> None:
    s = schedule(Pace.TIME, 700, HOURLY)
    times.sort()
    assert [s.level_index(t) for t in times] == sorted(s.level_index(t) for t in times)
    for a, b in zip(times, times[1:]):
        assert 0 <= s.play_time(b) - s.play_time(a) <= b - a + 1e-6
    for t in times:
        assert s.play_time(t) <= t and (s.on_break(t) or t < 3300 or s.play_time(t) < t)


def test_blind_levels_build_the_hand_engine_rules_and_refuse_nonsense() -> None:
    rules = BlindLevel(50, 100, 10, big_blind_ante=True).rules(Variant.HOLDEM, Structure.NO_LIMIT)
    assert (rules.small_blind, rules.big_blind, rules.ante, rules.big_blind_ante) == (50, 100, 10, True)
    with pytest.raises(TournamentError):
        BlindLevel(100, 50)
    with pytest.raises(TournamentError):
        BlindLevel(50, 100, 0, big_blind_ante=True)
    with pytest.raises(TournamentError):
        Schedule((BlindLevel(50, 100), BlindLevel(25, 50)), Pace.TIME, 600)
    with pytest.raises(TournamentError):
        Breaks(every=600, length=600)


def test_a_level_change_takes_effect_at_the_next_hand() -> None:
    t = start(6, max_seats=6)
    first = t.start_hand(1, at(590))
    assert first.level_number == 1 and first.level == LEVELS[0]
    assert t.level_index(at(650)) == 1  # level 2 is in force, but the hand keeps level 1
    t.finish_hand(1, dict(first.dealt), at(650))
    second = t.start_hand(1, at(651))
    assert second.level_number == 2 and second.level == LEVELS[1]


def test_no_hand_starts_during_a_break() -> None:
    t = start(6, max_seats=6, sched=schedule(Pace.TIME, 600, HOURLY))
    running = t.start_hand(1, at(3290))  # a hand started before the break finishes during it
    t.finish_hand(1, dict(running.dealt), at(3320))
    assert t.why_not_start(1, at(3320)) == "on a break"
    with pytest.raises(TournamentError, match="break"):
        t.start_hand(1, at(3599))
    assert t.start_hand(1, at(3600)).level_number == 6


def test_hand_paced_levels_follow_the_busiest_table() -> None:
    t = start(12, max_seats=6, sched=schedule(Pace.HANDS, 3))
    levels = []
    for _ in range(4):
        levels.append(t.start_hand(1, at(0)).level_number)
        play_hand_finish(t, 1)
    assert levels == [1, 1, 1, 2]
    assert t.start_hand(2, at(0)).level_number == 2  # table 2 has dealt nothing yet: the level is shared


def play_hand_finish(t: Tournament, table: int) -> None:
    """Finish the running hand with nobody's stack moved."""
    hand = t.tables[table].hand
    assert hand is not None
    t.finish_hand(table, dict(hand.starting), at(0))


def test_play_hand_helper_moves_chips_to_the_winner() -> None:
    t = start(4, max_seats=4)
    loser = t.tables[1].seats[min(t.tables[1].seats)]
    outcome = play_hand(t, 1, at(0), [loser])
    assert [b.player for b in outcome.busted] == [loser] and t.remaining == 3

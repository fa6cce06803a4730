"""Whole tournaments: a 30-player MTT down to a winner, hand-for-hand on the bubble, and a
9-player sit-and-go played with the real hand engine."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import pytest

from games.betting import Action, Structure
from games.cards import full_deck
from games.dealer import Deck
from games.hand import Blinds, Hand, Variant
from games.tournament.registration import Decision, Format, Registration
from games.tournament.structure import Breaks, Pace
from games.tournament.tournament import HandStart, Outcome, Phase, Tournament
from tests.games.test_tournament_kit import (ENTRY, T0, SeededChooser, at, buy_ins, check_consistent, make_rules,
                                             names, play_hand, schedule, start)


def random_result(hand: HandStart, rng: random.Random, bust_rate: float) -> dict[int, int]:
    """Final stacks: some players lose everything to others, and one pot changes hands."""
    stacks = dict(hand.dealt)
    seats = list(stacks)
    losers = [s for s in seats if rng.random() < bust_rate]
    if len(losers) == len(seats):
        losers.pop(rng.randrange(len(losers)))
    survivors = [s for s in seats if s not in losers]
    for seat in losers:
        winner = rng.choice(survivors)
        stacks[winner] += stacks[seat]
        stacks[seat] = 0
    if len(survivors) >= 2:
        giver, taker = rng.sample(survivors, 2)
        amount = rng.randint(0, stacks[giver])
        stacks[giver] -= amount
        stacks[taker] += amount
    return stacks


def check_balanced(t: Tournament) -> None:
    sizes = [len(table.seats) for table in t.tables.values()]
    assert max(sizes) - min(sizes) <= 1
    assert len(sizes) == max(1, -(-t.remaining // t.rules.max_seats))


def simulate(t: Tournament, rng: random.Random, bust_rate: float) -> Counter[str]:
    """Tables start and finish hands in a random interleaving, as a server would see them."""
    chips = sum(p.chips for p in t.ledger.purchases)
    running: dict[int, HandStart] = {}
    seen: Counter[str] = Counter()
    clock = 0.0
    while t.phase is Phase.RUNNING:
        clock += rng.uniform(1, 40)
        now = at(clock)
        startable = [n for n in sorted(t.tables) if t.why_not_start(n, now) is None]
        actions = [("finish", n) for n in sorted(running)] + [("start", n) for n in startable]
        if not actions:
            assert t.on_break(now), "nothing can happen, yet it is no break"
            seen["waited for a break"] += 1
            continue
        kind, table = rng.choice(actions)
        if kind == "start":
            if t.hand_for_hand.on:
                seen["hand-for-hand hands"] += 1
            running[table] = t.start_hand(table, now)
            continue
        outcome = t.finish_hand(table, random_result(running.pop(table), rng, bust_rate), now)
        seen["hands"] += 1
        seen["broken"] += len(outcome.broken)
        seen["final table"] += outcome.final_table
        seen["moves"] += len(outcome.moves)
        if outcome.final_table:
            assert len(t.tables) == 1
        check_consistent(t, chips)
        assert set(running) <= set(t.tables)  # a table in a hand never breaks
        if not running and t.phase is Phase.RUNNING:
            check_balanced(t)
        if t.remaining == t.places_paid + 1 and t.phase is Phase.RUNNING:
            assert t.hand_for_hand.on
            seen["on the bubble"] += 1
    return seen


def check_finished(t: Tournament) -> None:
    assert t.phase is Phase.FINISHED and t.winner is not None
    assert t.players[t.winner].stack == sum(p.chips for p in t.ledger.purchases)
    placed = t.standings()
    assert len(placed) == t.entrants and placed[0].player == t.winner
    spans = {(f.place, f.last_place) for f in placed}
    assert sorted(p for first, last in spans for p in range(first, last + 1)) == list(range(1, t.entrants + 1))
    prizes = t.payouts()
    assert sum(a.amount for a in prizes) == t.prize_pool
    assert prizes[0].place == 1 and prizes[0].player == t.winner


@pytest.mark.parametrize("seed", range(8))
def test_a_30_player_mtt_breaks_tables_down_to_a_final_table_and_a_winner(seed: int) -> None:
    rng = random.Random(seed)
    rules = make_rules(30, max_seats=10, sched=schedule(Pace.TIME, 600, Breaks(3600, 300)))
    t = Tournament(rules, buy_ins(names(30)), T0, SeededChooser(seed))
    assert sorted(len(table.seats) for table in t.tables.values()) == [10, 10, 10]
    seen = simulate(t, rng, bust_rate=0.06)
    assert seen["broken"] == 2 and seen["final table"] == 1
    check_finished(t)
    assert t.prize_pool == 30_000 and len(t.payouts()) >= 7 - sum(1 for f in t.standings() if f.tied)


@pytest.mark.parametrize("seed", range(4))
def test_a_large_field_on_six_max_tables(seed: int) -> None:
    rng = random.Random(100 + seed)
    t = Tournament(make_rules(95, max_seats=6), buy_ins(names(95)), T0, SeededChooser(seed))
    assert len(t.tables) == 16
    seen = simulate(t, rng, bust_rate=0.05)
    assert seen["broken"] == 15 and seen["final table"] == 1
    check_finished(t)


# -- hand-for-hand -------------------------------------------------------------------------------


def bust_down_to(t: Tournament, remaining: int, now: datetime) -> None:
    """One bust per hand, a table at a time, until ``remaining`` are left."""
    while t.remaining > remaining:
        table = next(n for n in sorted(t.tables) if t.why_not_start(n, now) is None)
        dealt = [t.tables[table].seats[s] for s in sorted(t.tables[table].seats)]
        play_hand(t, table, now, [dealt[-1]], winner=dealt[0])
        check_consistent(t, 30 * ENTRY.chips)


def set_stacks(t: Tournament, table: int, now: datetime, stacks: dict[str, int]) -> Outcome:
    """A hand at ``table`` after which the named players hold exactly ``stacks`` (the chips
    they give or take come from or go to the table's biggest stack)."""
    hand = t.start_hand(table, now)
    final = dict(hand.dealt)
    seat_of = {player: seat for seat, player in hand.players.items()}
    banker = max((s for s in final if hand.players[s] not in stacks), key=lambda s: final[s])
    for player, chips in stacks.items():
        final[banker] += final[seat_of[player]] - chips
        final[seat_of[player]] = chips
    return t.finish_hand(table, final, now)


def bubble() -> tuple[Tournament, int, int]:
    """30 entrants on 6-max tables, 7 paid: hand-for-hand with 8 left on two tables of 4."""
    t = start(30, max_seats=6)
    bust_down_to(t, 8, at(0))
    assert t.places_paid == 7 and t.hand_for_hand.on and len(t.tables) == 2
    a, b = sorted(t.tables)
    return t, a, b


def test_hand_for_hand_plays_one_hand_per_table_per_round() -> None:
    t, a, b = bubble()
    hand = t.start_hand(a, at(1))
    t.finish_hand(a, dict(hand.dealt), at(2))
    assert t.why_not_start(a, at(3)) == "hand-for-hand: waiting for the other tables"
    hand = t.start_hand(b, at(4))
    t.finish_hand(b, dict(hand.dealt), at(5))
    assert t.why_not_start(a, at(6)) is None and t.why_not_start(b, at(6)) is None  # a new round


def test_busts_in_one_round_are_simultaneous_the_bigger_stack_finishing_higher() -> None:
    t, a, b = bubble()
    x = next(iter(t.tables[a].seats.values()))
    y = next(iter(t.tables[b].seats.values()))
    set_stacks(t, a, at(1), {x: 2000})
    set_stacks(t, b, at(2), {y: 1000})  # round 1 over, nobody out
    outcome = play_hand(t, a, at(3), [x])
    assert outcome.hand_for_hand and t.remaining == 7  # the bubble burst, but the round goes on
    outcome = play_hand(t, b, at(4), [y])
    assert not outcome.hand_for_hand
    placed = {f.player: (f.place, f.last_place) for f in t.standings()}
    assert placed[x] == (7, 7) and placed[y] == (8, 8)  # y went out last, but with fewer chips


def test_equal_stacks_busting_in_one_round_share_the_places() -> None:
    t, a, b = bubble()
    x = next(iter(t.tables[a].seats.values()))
    y = next(iter(t.tables[b].seats.values()))
    set_stacks(t, a, at(1), {x: 1500})
    set_stacks(t, b, at(2), {y: 1500})
    play_hand(t, a, at(3), [x])
    play_hand(t, b, at(4), [y])
    placed = {f.player: (f.place, f.last_place) for f in t.standings()}
    assert placed[x] == placed[y] == (7, 8)
    while t.phase is Phase.RUNNING:  # play it out to see the shared prize
        table = next(n for n in sorted(t.tables) if t.why_not_start(n, at(10)) is None)
        dealt = [t.tables[table].seats[s] for s in sorted(t.tables[table].seats)]
        play_hand(t, table, at(10), [dealt[-1]], winner=dealt[0])
    amounts = t.rules.payouts.amounts(t.prize_pool, 30)
    prizes = {p.player: p for p in t.payouts()}
    seventh = amounts[6]
    assert {prizes[x].amount, prizes[y].amount} == {seventh // 2, seventh - seventh // 2}
    assert prizes[x].place == prizes[y].place == 7 and prizes[x].last_place == 8
    assert sum(p.amount for p in prizes.values()) == t.prize_pool


def test_a_hand_running_when_hand_for_hand_begins_finishes_first_and_counts_alone() -> None:
    t = start(30, max_seats=6)
    bust_down_to(t, 10, at(0))
    a, b = sorted(t.tables)[:2]
    running = t.start_hand(b, at(1))
    play_hand(t, a, at(2), [t.tables[a].seats[max(t.tables[a].seats)]])  # 9 left
    x = t.tables[a].seats[max(t.tables[a].seats)]
    play_hand(t, a, at(3), [x])  # 8 left: hand-for-hand, but table b's hand is from before
    assert t.hand_for_hand.on
    assert t.why_not_start(a, at(4)) == "hand-for-hand: waiting for the other tables"
    loser = running.players[max(running.players)]
    stacks = dict(running.dealt)
    stacks[min(stacks)] += stacks[max(stacks)]
    stacks[max(stacks)] = 0
    t.finish_hand(b, stacks, at(5))  # a bust on its own: the bubble bursts before any round
    assert not t.hand_for_hand.on and t.remaining == 7
    placed = {f.player: f.place for f in t.standings()}
    assert placed[loser] == 8 and placed[x] == 9


# -- a sit-and-go with the hand engine ------------------------------------------------------------


def play_engine_hand(start_: HandStart, rng: random.Random, deal_id: str) -> dict[int, int]:
    """Random but legal play, often all-in, so the sit-and-go ends quickly."""
    order = [seat for seat, _ in start_.dealt]
    rules = start_.level.rules(Variant.HOLDEM, Structure.NO_LIMIT)
    deck = Deck(deal_id, rng.sample(full_deck(), 52))
    hand = Hand(rules, start_.dealt, start_.button, deck, Blinds.standard(order, start_.button))
    while hand.result is None:
        seat = hand.turn
        assert seat is not None
        legal = hand.betting.legal()
        roll = rng.random()
        if legal.max_raise_to is not None and roll < 0.2:
            hand.act(seat, Action.RAISE, legal.max_raise_to)
        elif legal.can_check:
            hand.act(seat, Action.CHECK)
        elif roll < 0.55:
            hand.act(seat, Action.CALL)
        else:
            hand.act(seat, Action.FOLD)
    return dict(hand.result.final_stacks)


@pytest.mark.parametrize("seed", range(5))
def test_a_nine_player_sit_and_go_with_the_hand_engine(seed: int) -> None:
    rng = random.Random(seed)
    rules = make_rules(9, max_seats=9, fmt=Format.SIT_AND_GO, sched=schedule(Pace.HANDS, 10), min_players=9)
    registration = Registration(rules.registration)
    for player in names(9):
        registration.register(player, T0)
    decision = registration.decide(T0)
    assert decision.decision is Decision.START
    t = Tournament(rules, decision.entries, T0, SeededChooser(seed))
    hands = 0
    on_the_bubble = hand_for_hand_seen = False
    levels = []
    while t.phase is Phase.RUNNING:
        now = at(hands * 30)
        start_ = t.start_hand(1, now)
        levels.append(start_.level_number)
        hand_for_hand_seen |= t.hand_for_hand.on
        t.finish_hand(1, play_engine_hand(start_, rng, f"sng{seed}-{hands}"), now)
        hands += 1
        on_the_bubble |= t.remaining == 4  # 3 paid
        check_consistent(t, 9 * 1500)
        assert hands < 2000
    assert levels == sorted(levels) and levels[0] == 1
    assert all(levels[i] == min(i // 10 + 1, len(rules.schedule.levels)) for i in range(len(levels)))
    assert hand_for_hand_seen == on_the_bubble
    check_finished(t)
    prizes = t.payouts()
    assert t.prize_pool == 9000 and sum(p.amount for p in prizes) == 9000
    if not any(p.last_place > p.place for p in prizes):
        assert [p.amount for p in prizes] == [4500, 2700, 1800] and [p.place for p in prizes] == [1, 2, 3]

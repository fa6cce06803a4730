"""Full 6-max no-limit Hold'em hands per second: Croupier's engine against PokerKit, same run.

    .venv/bin/python bench/engine.py [--hands 20000] [--pokerkit-hands 2000] [--repeats 3] [--seed 2026]
                                     [--profile] [--profile-hands N]

Each engine plays a fixed number of complete hands, from posting the blinds to the chips
pushed (dealing, every betting round, the run-out, the showdown evaluation and the pots
included): 6 players, blinds 1/2, every stack reset to 100 big blinds at each hand, the
button on the last seat. Croupier: ``Hand`` (games/hand.py) with the cards of the
production ``Dealer()`` (games/dealer.py: a fresh Fisher-Yates deck from the OS CSPRNG
per hand, checked and wrapped by ``new_deck``). PokerKit: ``NoLimitTexasHoldem.create_state``
per hand with every automation that is not a player decision (it deals from its own
deck, shuffled with the ``random`` module, seeded here for repeatability).

Both engines take the same random decisions (:func:`decide`, from a ``random.Random``
seeded with ``--seed`` at the start of every run: test data only, never game randomness):
facing a bet, fold 15%; then check or call up to 60%; otherwise raise to a uniform amount
between the minimum and maximum legal raise-to, all-in for 20% of the raises (check or
call when no raise is legal). Decisions are counted; PokerKit's extra check of the last
player with chips before an all-in run-out (which Croupier skips) counts as one of its
decisions. Before timing, a few hundred hands on each engine check that chips are
conserved and print each engine's decisions per hand and share of hands reaching the
river, and whether every hand took as many decisions on both (the policy's draws depend
only on the legal bounds, which the engines agree on: same seed, same decisions; only
the cards differ), so that the two workloads can be compared.

The repeats alternate the engines (Croupier, PokerKit, Croupier, ...) so that noise on a
shared machine hits both; prints the medians of --repeats runs and the ratio of hands/s
(target: Croupier at least 20x PokerKit). ``--profile`` then runs Croupier's side under
cProfile and prints the top 25 functions by total (own) time, then the top 15 by
cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import time
from typing import Callable

from pokerkit import Automation, NoLimitTexasHoldem

from games.betting import Action, Structure
from games.dealer import Dealer
from games.hand import Hand, Rules, Variant

PLAYERS = 6
SMALL_BLIND, BIG_BLIND = 1, 2
STACK = 100 * BIG_BLIND
BUTTON = PLAYERS - 1  # PokerKit's seats: 0 small blind, 1 big blind, the last one the button

FOLD_SHARE = 0.15  # when facing a bet
CHECK_OR_CALL_UP_TO = 0.60  # fold 15%, check/call 45% when facing a bet; check 60% otherwise
ALL_IN_SHARE = 0.20  # of the raises

FOLD, CHECK_OR_CALL, RAISE = range(3)

POKERKIT_AUTOMATIONS = (Automation.ANTE_POSTING, Automation.BET_COLLECTION, Automation.BLIND_OR_STRADDLE_POSTING,
                        Automation.CARD_BURNING, Automation.HOLE_DEALING, Automation.BOARD_DEALING,
                        Automation.HOLE_CARDS_SHOWING_OR_MUCKING, Automation.HAND_KILLING,
                        Automation.CHIPS_PUSHING, Automation.CHIPS_PULLING)


def decide(rng: random.Random, facing_bet: bool, low: int | None, high: int | None) -> tuple[int, int]:
    """The random policy both engines follow: (FOLD | CHECK_OR_CALL | RAISE, raise-to amount)."""
    choice = rng.random()
    if choice < FOLD_SHARE and facing_bet:
        return FOLD, 0
    if choice < CHECK_OR_CALL_UP_TO or low is None or high is None:
        return CHECK_OR_CALL, 0
    return RAISE, high if rng.random() < ALL_IN_SHARE else rng.randint(low, high)


class Tally:
    """What the check run saw, hand by hand: decisions taken, whether the board reached the river."""

    def __init__(self) -> None:
        self.decisions: list[int] = []
        self.rivers: list[bool] = []


def croupier_hands(count: int, seed: int, tally: Tally | None = None) -> int:
    """Play ``count`` hands on Croupier's engine; return the number of decisions."""
    rng = random.Random(seed)
    dealer = Dealer()  # production: CsprngDeckSource, no observer
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, SMALL_BLIND, BIG_BLIND)
    seats = [(seat, STACK) for seat in range(PLAYERS)]
    decisions = 0
    for number in range(count):
        hand = Hand(rules, seats, BUTTON, dealer.new_deck(f"bench-{number}"))
        while hand.result is None:
            legal = hand.betting.legal()
            kind, amount = decide(rng, not legal.can_check, legal.min_raise_to, legal.max_raise_to)
            if kind == FOLD:
                hand.act(legal.seat, Action.FOLD)
            elif kind == CHECK_OR_CALL:
                hand.act(legal.seat, Action.CHECK if legal.can_check else Action.CALL)
            else:
                hand.act(legal.seat, Action.RAISE, amount)
            decisions += 1
        if tally is not None:
            if sum(hand.result.final_stacks.values()) != PLAYERS * STACK:
                raise SystemExit(f"Croupier: chips not conserved in hand {number}: {hand.result.final_stacks}")
            tally.decisions.append(decisions - sum(tally.decisions))
            tally.rivers.append(len(hand.board) == 5)
    return decisions


def pokerkit_hands(count: int, seed: int, tally: Tally | None = None) -> int:
    """Play ``count`` hands on PokerKit; return the number of decisions."""
    rng = random.Random(seed)
    random.seed(seed)  # PokerKit shuffles its deck with the random module's global generator
    decisions = 0
    for number in range(count):
        state = NoLimitTexasHoldem.create_state(POKERKIT_AUTOMATIONS, True, 0, (SMALL_BLIND, BIG_BLIND), BIG_BLIND,
                                                [STACK] * PLAYERS, PLAYERS)
        while state.status:
            if state.actor_index is None:
                raise SystemExit(f"PokerKit waits for something that is not a decision in hand {number}")
            if state.can_complete_bet_or_raise_to():
                low = state.min_completion_betting_or_raising_to_amount
                high = state.max_completion_betting_or_raising_to_amount
            else:
                low = high = None
            kind, amount = decide(rng, state.checking_or_calling_amount > 0, low, high)
            if kind == FOLD:
                state.fold()
            elif kind == CHECK_OR_CALL:
                state.check_or_call()
            else:
                state.complete_bet_or_raise_to(amount)
            decisions += 1
        if tally is not None:
            if sum(state.stacks) != PLAYERS * STACK:
                raise SystemExit(f"PokerKit: chips not conserved in hand {number}: {state.stacks}")
            tally.decisions.append(decisions - sum(tally.decisions))
            tally.rivers.append(sum(len(cards) for cards in state.board_cards) == 5)
    return decisions


def timed(play: Callable[[int, int], int], count: int, seed: int) -> tuple[float, float]:
    """One run of ``count`` hands: (hands/s, decisions/s)."""
    started = time.perf_counter()
    decisions = play(count, seed)
    elapsed = time.perf_counter() - started
    return count / elapsed, decisions / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hands", type=int, default=20_000, help="Croupier hands per run")
    parser.add_argument("--pokerkit-hands", type=int, default=2_000, help="PokerKit hands per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--check-hands", type=int, default=500, help="hands per engine in the check run")
    parser.add_argument("--profile", action="store_true", help="then profile Croupier's side with cProfile")
    parser.add_argument("--profile-hands", type=int, default=None, help="hands to profile (default: --hands)")
    options = parser.parse_args()

    print(f"6-max no-limit Hold'em, blinds {SMALL_BLIND}/{BIG_BLIND}, stacks {STACK} reset each hand, "
          f"random legal play (seed {options.seed})")
    tallies = {}
    for name, play in (("croupier", croupier_hands), ("pokerkit", pokerkit_hands)):
        tally = tallies[name] = Tally()
        play(options.check_hands, options.seed + 1, tally)
        hands = len(tally.decisions)
        print(f"  check, {name:<8} {hands:,} hands: chips conserved, "
              f"{sum(tally.decisions) / hands:.2f} decisions/hand, {sum(tally.rivers) / hands:.1%} reach the river")
    same = tallies["croupier"].decisions == tallies["pokerkit"].decisions
    print(f"  same number of decisions in every hand on both engines: {'yes' if same else 'no'}")

    results: dict[str, list[tuple[float, float]]] = {"croupier": [], "pokerkit": []}
    for _ in range(options.repeats):
        results["croupier"].append(timed(croupier_hands, options.hands, options.seed))
        results["pokerkit"].append(timed(pokerkit_hands, options.pokerkit_hands, options.seed))
    counts = {"croupier": options.hands, "pokerkit": options.pokerkit_hands}
    medians = {}
    for name, runs in results.items():
        hands = statistics.median(h for h, _ in runs)
        decisions = statistics.median(d for _, d in runs)
        medians[name] = hands
        each = ", ".join(f"{h:,.0f}" for h, _ in runs)
        print(f"  {name:<8} {counts[name]:>7,} hands/run  {hands:>10,.0f} hands/s  {decisions:>11,.0f} decisions/s"
              f"   (runs: {each} hands/s)")
    ratio = medians["croupier"] / medians["pokerkit"]
    print(f"  croupier / pokerkit: {ratio:.1f}x hands/s (median of {options.repeats})")
    print(f"  target: croupier >= 20x pokerkit: {'met' if ratio >= 20 else 'NOT met'}")

    if options.profile:
        count = options.profile_hands or options.hands
        profiler = cProfile.Profile()
        profiler.runcall(croupier_hands, count, options.seed)
        for order, top in (("tottime", 25), ("cumulative", 15)):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
            print(f"\nCroupier under cProfile, {count:,} hands, top {top} by {order}:")
            print(out.getvalue().split("\n", 1)[1].strip("\n"))


if __name__ == "__main__":
    main()

"""Hand evaluations per second: Croupier against treys, eval7 and phevaluator, same hands, same run.

    .venv/bin/python bench/evaluator.py [--hands 200000] [--omaha 20000] [--repeats 3]

Hold'em: the same random 7-card hands for every library (cards converted to each
library's form beforehand, outside the timing), single-hand calls from Python. Omaha: the
same random 4 hole + 5 board deals for Croupier, phevaluator, and treys taking the best of
its 60 five-card evaluations (what a treys user has to do). Before timing, every
evaluator's values are checked to rank all benchmark hands identically to Croupier's
(same order, same ties). Prints medians of --repeats and the ratios to treys (target: at
least 10x for Hold'em and for Omaha).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from itertools import combinations
from typing import Any, Callable, Sequence

import eval7
from phevaluator import evaluate_cards, evaluate_omaha_cards
from treys import Card as TreysCard
from treys import Evaluator as TreysEvaluator

from games.cards import to_str
import numpy as np

from games.evaluator import evaluate7, evaluate_omaha
from games.evaluator_batch import evaluate7_batch, evaluate_omaha_batch


def same_order(reference: Sequence[int], other: Sequence[int], lower_is_better: bool, name: str) -> None:
    """Both value lists induce the same ranking of the hands (ties included)."""
    signed = [-v for v in other] if lower_is_better else list(other)
    order = sorted(range(len(reference)), key=lambda i: reference[i])
    for a, b in zip(order, order[1:]):
        ours = (reference[a] > reference[b]) - (reference[a] < reference[b])
        theirs = (signed[a] > signed[b]) - (signed[a] < signed[b])
        if ours != theirs:
            raise SystemExit(f"{name} disagrees with Croupier on hands {a} and {b}")


def rate(run: Callable[[], Any], count: int, repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hands", type=int, default=200_000)
    parser.add_argument("--omaha", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    rng = random.Random(options.seed)  # the benchmark's hands only: never game randomness

    hands = [rng.sample(range(52), 7) for _ in range(options.hands)]
    treys_hands = [[TreysCard.new(to_str(c)) for c in h] for h in hands]
    eval7_hands = [[eval7.Card(to_str(c)) for c in h] for h in hands]
    treys = TreysEvaluator()

    def ours() -> list[int]:
        return [evaluate7(*h) for h in hands]

    def with_treys() -> list[int]:
        return [treys.evaluate(h[:2], h[2:]) for h in treys_hands]

    def with_eval7() -> list[int]:
        return [eval7.evaluate(h) for h in eval7_hands]

    def with_phevaluator() -> list[int]:
        return [evaluate_cards(*h) for h in hands]  # phevaluator's ids are Croupier's card ints

    reference = ours()
    same_order(reference, with_treys(), True, "treys")
    same_order(reference, with_eval7(), False, "eval7")
    same_order(reference, with_phevaluator(), True, "phevaluator")
    print(f"Hold'em, {options.hands:,} random 7-card hands, single calls; all four rank every hand alike")
    results = {name: rate(run, options.hands, options.repeats) for name, run in
               (("croupier", ours), ("treys", with_treys), ("eval7", with_eval7), ("phevaluator", with_phevaluator))}
    for name, value in results.items():
        print(f"  {name:<12} {value:>12,.0f} hands/s   {value / results['treys']:>7.1f}x treys")
    print(f"  target: croupier >= 10x treys: {'met' if results['croupier'] >= 10 * results['treys'] else 'NOT met'}")
    array = np.array(hands)
    if not (evaluate7_batch(array) == np.array(reference)).all():
        raise SystemExit("the batch path disagrees with the scalar one")
    batch = rate(lambda: evaluate7_batch(array), options.hands, options.repeats)
    print(f"  croupier batch (numpy) {batch:>12,.0f} hands/s   {batch / results['eval7']:>5.2f}x eval7 (target >= 1)")

    deals = [rng.sample(range(52), 9) for _ in range(options.omaha)]
    treys_deals = [[TreysCard.new(to_str(c)) for c in d] for d in deals]

    def omaha_ours() -> list[int]:
        return [evaluate_omaha(d[:4], d[4:]) for d in deals]

    def omaha_treys() -> list[int]:
        return [min(treys.evaluate(list(two), list(three)) for two in combinations(d[:4], 2)
                    for three in combinations(d[4:], 3)) for d in treys_deals]

    def omaha_phevaluator() -> list[int]:
        return [evaluate_omaha_cards(*d[4:], *d[:4]) for d in deals]

    reference = omaha_ours()
    same_order(reference, omaha_treys(), True, "treys (Omaha)")
    same_order(reference, omaha_phevaluator(), True, "phevaluator (Omaha)")
    print(f"Omaha, {options.omaha:,} random deals (4 hole + 5 board); all three rank every deal alike")
    results = {name: rate(run, options.omaha, options.repeats) for name, run in
               (("croupier", omaha_ours), ("treys", omaha_treys), ("phevaluator", omaha_phevaluator))}
    for name, value in results.items():
        print(f"  {name:<12} {value:>12,.0f} deals/s   {value / results['treys']:>7.1f}x treys")
    print(f"  target: croupier >= 10x treys: {'met' if results['croupier'] >= 10 * results['treys'] else 'NOT met'}")
    holes, boards = np.array([d[:4] for d in deals]), np.array([d[4:] for d in deals])
    if not (evaluate_omaha_batch(holes, boards) == np.array(reference)).all():
        raise SystemExit("the Omaha batch path disagrees with the scalar one")
    batch = rate(lambda: evaluate_omaha_batch(holes, boards), options.omaha, options.repeats)
    print(f"  croupier batch (numpy) {batch:>12,.0f} deals/s   {batch / results['treys']:>5.1f}x treys (target >= 10)")


if __name__ == "__main__":
    main()

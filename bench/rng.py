"""Full 52-card shuffles per second: the production dealer against a plain ``secrets.randbelow`` loop, same run.

    .venv/bin/python bench/rng.py [--quick] [--decks 40000] [--plain-decks 5000] [--repeats 7]
                                  [--report-deals 10000000]

Every candidate shuffles a fresh ``full_deck()`` in place, takes all its randomness from the
OS CSPRNG (``secrets``; numpy is not used) and is exactly unbiased; only the production one
(``games.dealer.fisher_yates``, which ``CsprngDeckSource`` and ``Dealer()`` use) deals.

* ``plain``: Fisher-Yates, ``j = secrets.randbelow(i + 1)`` for ``i`` = 51 .. 1: the reference
  the target is measured against (one ``getrandom`` call per card).
* ``bit pool``: the previous production dealer: Fisher-Yates whose indices are taken by
  rejection, ``i.bit_length()`` bits at a time, from a pool refilled with 64 bytes of
  ``secrets.token_bytes``.
* ``randbits(226)``: one number per deck: ``r = secrets.randbits(226)`` until ``r < 52!``
  (acceptance 52!/2**226 = 0.748), read in the mixed radix 52, 51, ..., 2 by 51 ``divmod``:
  each digit is the Fisher-Yates index of its step.
* ``production``: the same decoding, but ``r`` from ``secrets.token_bytes(29)`` and accepted
  below 85 * 52!, the largest multiple of 52! under 2**232 (acceptance 0.99336; the digits
  above 2 are uniform and independent all the same, the quotient left over is dropped).
* ``chunks < 2**30``: the same number, split first by ``divmod`` by products of consecutive
  radices that stay under 2**30 (52*51*50*49*48, ...), so that 40 of the 51 ``divmod`` work
  on one-digit integers.
* ``group draws``: no big number: each group of radices (product P < 2**30) is its own
  uniform draw, a 32-bit word from one ``token_bytes`` call kept when below the largest
  multiple of P, then reduced mod P and decoded with small ``divmod``.
* ``6-card tail table``: the production number, but the last five steps (positions 0..5)
  done at once by one of 720 precomputed ``operator.itemgetter``.
* ``sort, 16-bit keys``: one 16-bit key per card (``token_bytes(104)``), drawn again when two
  keys are equal (2% of decks), cards sorted by key: with distinct keys every order is
  equally likely (exchangeable keys), without the redraw a tie would favour the first card.

Before timing, each candidate shuffles a 6-card deck 72,000 times (7,200 with --quick) and
the chi-square p-value of the 720 orders is printed (a sanity check, not the proof: that is
in tests/games/test_dealer_speed_paths.py), with the CSPRNG bytes and ``getrandom`` calls
per 52-card deck counted by wrapping ``random._urandom``, which every ``secrets`` draw goes
through. The repeats run the candidates in turn (plain, bit pool, ..., plain, ...) so that
noise on a shared machine hits all; prints the median decks/s of --repeats runs by the wall
clock (runs: the slowest and the fastest) and by this process's CPU time (user + system, the
``getrandom`` calls included, which other processes on a shared machine do not inflate),
and the ratios to the plain loop's medians (target: the production dealer at least 10x).

Then the RNG audit's collection cost per deal (the production dealer with and without the
collector as its observer, in turns) and the whole monthly report
(``frontal.rng_audit.report.month_report``) on --report-deals decks shuffled by the
production dealer: its time and the process's RSS high-water mark (target: 10,000,000 deals
in under a minute).
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import secrets
import statistics
import time
from collections import Counter
from operator import itemgetter
from typing import Callable

import numpy as np
from scipy.stats import chisquare
from twisted.internet.defer import Deferred, succeed
from twisted.internet.task import Clock

from games.cards import full_deck
from games.dealer import Dealer, fisher_yates
from server.rng_audit.collector import AuditCollector

Shuffle = Callable[[list[int]], list[int]]
SMALL = 2**30  # CPython's one-digit integers


def plain(cards: list[int]) -> list[int]:
    for i in range(len(cards) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        cards[i], cards[j] = cards[j], cards[i]
    return cards


def bit_pool(cards: list[int]) -> list[int]:
    """games/dealer.py before this benchmark."""
    pool = 0
    bits = 0
    for i in range(len(cards) - 1, 0, -1):
        width = i.bit_length()
        while True:
            if bits < width:
                pool = (pool << 512) | int.from_bytes(secrets.token_bytes(64), "big")
                bits += 512
            bits -= width
            j = pool >> bits
            pool &= (1 << bits) - 1
            if j <= i:
                break
        cards[i], cards[j] = cards[j], cards[i]
    return cards


def _steps(n: int, last: int = 0) -> tuple[tuple[int, int], ...]:
    return tuple((i, i + 1) for i in range(n - 1, last, -1))


_FACTORIALS: dict[int, tuple[int, int, tuple[tuple[int, int], ...]]] = {}


def randbits_below_factorial(cards: list[int]) -> list[int]:
    n = len(cards)
    if n not in _FACTORIALS:
        orders = math.factorial(n)
        _FACTORIALS[n] = (orders, orders.bit_length(), _steps(n))
    orders, bits, steps = _FACTORIALS[n]
    r = secrets.randbits(bits)
    while r >= orders:
        r = secrets.randbits(bits)
    for i, radix in steps:
        r, j = divmod(r, radix)
        cards[i], cards[j] = cards[j], cards[i]
    return cards


def _below(limit: int, size: int) -> int:
    """Uniform on 0 .. limit - 1 from ``size`` CSPRNG bytes a try (rejection, no modulo)."""
    r = int.from_bytes(secrets.token_bytes(size), "big")
    while r >= limit:
        r = int.from_bytes(secrets.token_bytes(size), "big")
    return r


def _multiple(n: int) -> tuple[int, int]:
    """(the largest multiple of n! below 256**size, size): the fewest bytes holding n!."""
    orders = math.factorial(n)
    size = (orders.bit_length() + 7) // 8
    return (256**size // orders) * orders, size


def _groups(n: int) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """Consecutive Fisher-Yates steps grouped so that the product of their radices is < 2**30."""
    groups = []
    steps = list(_steps(n))
    while steps:
        product, group = 1, []
        while steps and product * steps[0][1] < SMALL:
            product *= steps[0][1]
            group.append(steps.pop(0))
        groups.append((product, tuple(group)))
    return tuple(groups)


_CHUNKS: dict[int, tuple[int, int, tuple]] = {}


def chunked(cards: list[int]) -> list[int]:
    n = len(cards)
    if n not in _CHUNKS:
        _CHUNKS[n] = (*_multiple(n), _groups(n))
    limit, size, groups = _CHUNKS[n]
    r = _below(limit, size)
    for product, group in groups:
        r, small = divmod(r, product)
        for i, radix in group:
            small, j = divmod(small, radix)
            cards[i], cards[j] = cards[j], cards[i]
    return cards


_GROUP_DRAWS: dict[int, tuple] = {}


def group_draws(cards: list[int]) -> list[int]:
    n = len(cards)
    if n not in _GROUP_DRAWS:
        groups = _groups(n)
        _GROUP_DRAWS[n] = (tuple((2**32 // p * p, p, g) for p, g in groups), 4 * len(groups) + 4)
    groups, size = _GROUP_DRAWS[n]
    words = memoryview(secrets.token_bytes(size)).cast("I")
    w = 0
    for limit, product, group in groups:
        while True:
            if w == len(words):
                words = memoryview(secrets.token_bytes(size)).cast("I")
                w = 0
            small = words[w]
            w += 1
            if small < limit:
                break
        small %= product
        for i, radix in group:
            small, j = divmod(small, radix)
            cards[i], cards[j] = cards[j], cards[i]
    return cards


TAIL = 6


def _tail_table() -> tuple[itemgetter, ...]:
    table = []
    for rank in range(math.factorial(TAIL)):
        order = list(range(TAIL))
        for i, radix in _steps(TAIL):
            rank, j = divmod(rank, radix)
            order[i], order[j] = order[j], order[i]
        table.append(itemgetter(*order))
    return tuple(table)


_TAIL_TABLE = _tail_table()
_TAILS: dict[int, tuple] = {}


def tail_table(cards: list[int]) -> list[int]:
    n = len(cards)
    if n < TAIL:
        return fisher_yates(cards)
    if n not in _TAILS:
        _TAILS[n] = (*_multiple(n), _steps(n, TAIL - 1))
    limit, size, steps = _TAILS[n]
    r = _below(limit, size)
    for i, radix in steps:
        r, j = divmod(r, radix)
        cards[i], cards[j] = cards[j], cards[i]
    cards[:TAIL] = _TAIL_TABLE[r % 720](cards)
    return cards


def sort_by_keys(cards: list[int]) -> list[int]:
    n = len(cards)
    while True:
        keyed = dict(zip(memoryview(secrets.token_bytes(2 * n)).cast("H"), cards))
        if len(keyed) == n:
            break
    cards[:] = map(keyed.__getitem__, sorted(keyed))
    return cards


CANDIDATES: dict[str, Shuffle] = {
    "plain": plain,
    "bit pool": bit_pool,
    "randbits(226)": randbits_below_factorial,
    "production": fisher_yates,
    "chunks < 2**30": chunked,
    "group draws": group_draws,
    "6-card tail table": tail_table,
    "sort, 16-bit keys": sort_by_keys,
}


def check(shuffle: Shuffle, draws: int) -> tuple[float, float, float]:
    """(chi-square p-value of the 720 orders of 6 cards, CSPRNG bytes and calls per 52-card deck)."""
    counts = Counter(tuple(shuffle(list(range(6)))) for _ in range(draws))
    p_value = chisquare([counts.get(order, 0) for order in itertools.permutations(range(6))]).pvalue
    calls = []
    original = random._urandom

    def counted(size: int) -> bytes:
        calls.append(size)
        return original(size)

    random._urandom = counted
    try:
        decks = 2000
        for _ in range(decks):
            deck = shuffle(full_deck())
            assert sorted(deck) == full_deck()
    finally:
        random._urandom = original
    return p_value, sum(calls) / decks, len(calls) / decks


def timed(shuffle: Shuffle, decks: int) -> tuple[float, float]:
    """One run: (decks per wall-clock second, decks per CPU second of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(decks):
        shuffle(full_deck())
    return decks / (time.perf_counter() - started), decks / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer decks and repeats")
    parser.add_argument("--decks", type=int, default=None, help="decks per run (default 40,000; --quick 5,000)")
    parser.add_argument("--plain-decks", type=int, default=None, help="decks per run of the plain loop (default 5,000)")
    parser.add_argument("--repeats", type=int, default=None, help="default 7; --quick 3")
    parser.add_argument("--report-deals", type=int, default=None,
                        help="deals for the monthly report's time and memory (default 10,000,000; --quick 200,000)")
    options = parser.parse_args()
    decks = options.decks or (5_000 if options.quick else 40_000)
    plain_decks = options.plain_decks or (1_000 if options.quick else 5_000)
    repeats = options.repeats or (3 if options.quick else 7)
    check_draws = 7_200 if options.quick else 72_000

    print(f"52-card shuffles, OS CSPRNG (secrets) only; {decks:,} decks per run ({plain_decks:,} for the plain loop), "
          f"median of {repeats}")
    print(f"  check: 6-card chi-square over {check_draws:,} shuffles (720 orders), CSPRNG use per 52-card deck")
    for name, shuffle in CANDIDATES.items():
        p_value, size, calls = check(shuffle, check_draws)
        print(f"    {name:<18} p = {p_value:.3f}   {size:6.1f} bytes in {calls:5.2f} getrandom calls per deck")

    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in CANDIDATES}
    for _ in range(repeats):
        for name, shuffle in CANDIDATES.items():
            runs[name].append(timed(shuffle, plain_decks if name == "plain" else decks))
    wall = {name: statistics.median(w for w, _ in rates) for name, rates in runs.items()}
    cpu = {name: statistics.median(c for _, c in rates) for name, rates in runs.items()}
    print("  decks per wall second (median; runs: slowest .. fastest) and per CPU second (median),"
          " ratios to the plain loop:")
    for name, rates in runs.items():
        walls = [w for w, _ in rates]
        marker = "  <- games/dealer.py" if name == "production" else ""
        print(f"    {name:<18} {wall[name]:>9,.0f}/s ({min(walls):>9,.0f} .. {max(walls):>9,.0f}) "
              f"{wall[name] / wall['plain']:5.1f}x   cpu {cpu[name]:>9,.0f}/s {cpu[name] / cpu['plain']:5.1f}x  "
              f"{1e6 / cpu[name]:6.2f} us/deck{marker}")
    for clock, rates in (("wall", wall), ("CPU", cpu)):
        ratio = rates["production"] / rates["plain"]
        print(f"  target: production >= 10x the plain loop ({clock} time): {ratio:.1f}x, "
              f"{'met' if ratio >= 10 else 'NOT met'}")
    collection_cost(repeats)
    report_cost(options.report_deals or (200_000 if options.quick else 10_000_000))


SEATS = (4, 6, 1, 2, 3)  # a five-handed hand's dealing order, for close_deal


class _NoDb:
    """The collector's flushes go nowhere: what is measured is the deal's side."""

    def transaction(self, fn: Callable[..., object]) -> "Deferred[int]":
        return succeed(0)


def collection_cost(repeats: int) -> None:
    """The RNG audit's collection per deal: ``Dealer.new_deck`` and, at the hand's end,
    ``Dealer.close_deal`` with the production observer (server/rng_audit/collector.py) against
    the same dealer without it, in turns."""
    audit = AuditCollector(_NoDb(), Clock(), {"t1a2b3c4": "HOLDEM"}.get, flush_deals=10**9, flush_seconds=0)
    bare, observed = Dealer(), Dealer(observer=audit)
    deals = 20_000
    without, with_audit = [], []
    for _ in range(repeats):
        for dealer, into in ((bare, without), (observed, with_audit)):
            start = time.perf_counter()
            for i in range(deals):
                deal_id = f"t1a2b3c4-{i:012x}"
                dealer.new_deck(deal_id)
                dealer.close_deal(deal_id, SEATS, 5)
            into.append((time.perf_counter() - start) / deals * 1e6)
    a, b = statistics.median(without), statistics.median(with_audit)
    print(f"collection per deal (medians of {repeats} x {deals:,} decks): new_deck + close_deal {a:.2f} us without "
          f"the observer, "
          f"{b:.2f} us with it: +{b - a:.2f} us a deal ({100 * (b - a) / a:.0f}%)")


def _rss_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def report_cost(deals: int) -> None:
    """The whole monthly report (frontal/rng_audit/report.py) on ``deals`` decks shuffled by the
    production dealer: the time to shuffle them is printed apart; the report's time and the
    process's RSS high-water mark are the figures (target: 10,000,000 deals in under a minute)."""
    from frontal.rng_audit.report import DealLayouts, month_report

    start = time.perf_counter()
    decks = np.empty((deals, 52), dtype=np.uint8)
    for row in range(deals):
        decks[row] = fisher_yates(list(range(52)))
    shuffled = time.perf_counter() - start
    before = _rss_mib("VmRSS")
    start = time.perf_counter()
    # Hand ends as play records them (seats 2..9, any sampled seat, any last street), in a fixed
    # pattern: the regulator's table then counts what the stored months count.
    row = np.arange(deals)
    seats = (2 + row % 8).astype(np.uint8)
    layouts = DealLayouts(seats, (row % seats).astype(np.uint8), (row % 4).astype(np.uint8))
    report = month_report(decks, "2026-11", np.ones(deals, np.uint8), layouts=layouts,
                          progress=lambda message: print(f"    {message}", flush=True))
    seconds = time.perf_counter() - start
    summary = report.json["summary"]
    print(f"monthly report on {deals:,} production decks (shuffled in {shuffled:.0f} s, {decks.nbytes / 2**20:.0f} MiB): "
          f"{seconds:.1f} s; RSS {before:.0f} MiB before, high-water {_rss_mib('VmHWM'):.0f} MiB; "
          f"passed: {summary['passed']}; target under 60 s at 10,000,000: "
          f"{'met' if seconds < 60 else 'NOT met'}{'' if deals >= 10_000_000 else ' (not this size)'}")


if __name__ == "__main__":
    main()

"""The bet-slip engine (games/betslip): slips priced and settled per second, and a book of open
slips settled after a batch of results, with memory.

    .venv/bin/python bench/slip.py [--quick] [--repeats 5] [--book-repeats 3] [--slips 100000]
                                   [--fixtures 500] [--resulted 200] [--seed 2026]

Everything goes through the engine's public API, single calls from Python, in exact
arithmetic as in production (``Fraction`` inside, ``Decimal`` cents out). The inputs (odds,
results, the mix of slips) come from a ``random.Random`` seeded with --seed: test data only,
never game randomness. A figure is the median of several timed runs over the same inputs
(--repeats for parts 1 and 2, --book-repeats for part 3; ``settle`` is pure and caches
nothing, so every run does the whole work again); "runs" gives the slowest and fastest.
A full garbage collection precedes each timed run; collections during a run count.

1. GOLIATH (8 selections, 247 lines), decimal odds 1.20-6.00, random results per leg
   (win 35 %, lose 35 %, void 10 %, dead heat 10 %: 2 tied for 1 place, 3 for 1 or 3 for 2;
   half 10 %: an Asian-handicap half-win or half-loss). ``price()`` per second, and
   ``settle()`` per second by its default path (the closed form: elementary symmetric
   polynomials) and, as the peer, by listing every line
   (``settle(..., method=Method.ENUMERATION)``: games/betslip/lines.py, the reference the
   tests check the closed form against and the path a payout cap per line takes). Before
   timing, both must give the same exact returns (``exact_return``, ``exact_max``) and
   the same cents on every slip of the ratio (asserted). The ratio compares the two paths
   on the same slips.
2. 10 sur 20 (XY, X = 10, 20 legs, 184,756 lines), same odds and results: ``price()`` and
   ``settle()`` per second by the closed form over a few slips; then ONE enumeration of one
   slip, timed once (seconds, not a median: it takes seconds), asserted equal to the closed
   form, and the ratio. --quick skips the enumeration.
3. A book of --slips open slips over --fixtures fixtures (football 1X2, Asian-handicap
   quarter lines, horse races at UK prices), a realistic mix: slips of 1-3 singles,
   accumulators of 2-6 legs, TRIXIE, YANKEE, LUCKY15 (half of them with the LUCKY bonuses),
   CANADIAN, HEINZ, X sur Y (Y 3-8), some with bankers, some legs with 2 prognoses, some
   stakes given as a total; legs on distinct fixtures. Then results arrive for --resulted
   fixtures (1X2 winners drawn by the odds, 3 % of matches cancelled: void; AH full or
   half results; races with dead heats, a non-runner void with Rule 4 on the others).
   Checked: on 1,000 touched slips, closed form = enumeration (asserted, untimed).
   Timed: (a) the batch: find the slips it touches (an index fixture -> slips), build their
   outcomes from the results (legs still open stay open) and ``settle()`` each; (b) every
   slip of the book, the same way. Each settlement's two figures (total_return,
   max_return) are stored, as a server would.
   Memory: VmRSS (/proc/self/status) before and after building the book; during the timed
   settlement runs, the RSS high-water mark (VmHWM, reset through /proc/self/clear_refs
   first). tracemalloc (it slows Python several times and takes memory of its own, so no
   timed run and no RSS reading has it on; it runs last): one untimed run of (a) traced
   (its peak above the book: transient allocations plus the stored figures), then the same
   book built a second time traced (what it holds, and the peak while building).

The default run takes about 3 minutes on 2 shared cores, --quick (a 10,000-slip book, 3
repeats, no 10-sur-20 enumeration) under 30 s. Figures only, no target.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import comb
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from games.betslip import (  # noqa: E402
    BetType, Choice, DeadHeat, Leg, LuckyBonus, Method, Outcome, Outcomes, Result, Settlement, Slip, SlipError,
    Stake, StakeMode, price, settle,
)
from games.betslip.outcomes import OPEN  # noqa: E402

MIB = 1024 * 1024
HALF = Fraction(1, 2)


# ----------------------------------------------------------------------------- measuring

def status_kib(field: str) -> int:
    """A ``/proc/self/status`` figure in KiB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def rss_mib() -> float:
    return status_kib("VmRSS") / 1024


def reset_hwm() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when refused."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` runs (garbage collected before each, as the timeit module
    does not: the book's objects are long-lived, a collection is part of real settlement)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def per_second(count: int, times: list[float]) -> float:
    return count / statistics.median(times)


def spread(count: int, times: list[float]) -> str:
    rates = sorted(count / t for t in times)
    return f"runs {rates[0]:,.0f}-{rates[-1]:,.0f}/s"


# ----------------------------------------------------------------------------- inputs

def decimal_odds(rng: random.Random, low: float, high: float) -> Fraction:
    return Fraction(Decimal(f"{rng.uniform(low, high):.2f}"))


def random_result(rng: random.Random) -> Outcome:
    """win / lose / void / dead heat / half, for parts 1 and 2."""
    draw = rng.random()
    if draw < 0.35:
        return Outcome(Result.WIN)
    if draw < 0.70:
        return Outcome(Result.LOSE)
    if draw < 0.80:
        return Outcome(Result.VOID)
    if draw < 0.90:
        tied, places = rng.choice(((2, 1), (3, 1), (3, 2)))
        return Outcome(Result.WIN, dead_heat=DeadHeat(tied, places))
    return Outcome(rng.choice((Result.WIN, Result.LOSE)), void_factor=HALF)


def one_choice_slip(rng: random.Random, kind: BetType, legs: int, x: int | None = None) -> tuple[Slip, Outcomes]:
    slip = Slip(kind, tuple(Leg((Choice(decimal_odds(rng, 1.2, 6.0)),)) for _ in range(legs)),
                Stake(Decimal("0.10")), x=x)
    return slip, tuple((random_result(rng),) for _ in range(legs))


def same_figures(closed: Settlement, listed: Settlement) -> None:
    assert closed.method is Method.CLOSED_FORM and listed.method is Method.ENUMERATION
    assert (closed.lines, closed.total_stake, closed.total_return, closed.max_return) == \
        (listed.lines, listed.total_stake, listed.total_return, listed.max_return), (closed, listed)
    for a, b in zip(closed.bets, listed.bets, strict=True):
        assert (a.exact_return, a.exact_max) == (b.exact_return, b.exact_max), (a, b)


# ----------------------------------------------------------------------------- 1 and 2

def bench_goliath(rng: random.Random, count: int, enumerated: int, repeats: int) -> None:
    cases = [one_choice_slip(rng, BetType.GOLIATH, 8) for _ in range(count)]
    slips = [slip for slip, _ in cases]
    peers = cases[:enumerated]
    for slip, outcomes in peers:
        same_figures(settle(slip, outcomes), settle(slip, outcomes, method=Method.ENUMERATION))
    assert price(slips[0]).lines == 247
    print(f"1. GOLIATH, 8 selections, 247 lines, odds 1.20-6.00, random results "
          f"(win/lose/void/dead heat/half); median of {repeats}")
    print(f"   closed form = enumeration, exact returns and cents, on all {len(peers)} slips of the ratio: yes")

    loops = 20
    priced = timed(lambda: [price(s) for _ in range(loops) for s in slips], repeats)
    settled = timed(lambda: [settle(s, o) for s, o in cases], repeats)
    closed = timed(lambda: [settle(s, o) for s, o in peers], repeats)
    listed = timed(lambda: [settle(s, o, method=Method.ENUMERATION) for s, o in peers], repeats)
    p, c = per_second(loops * count, priced), per_second(count, settled)
    cp, lp = per_second(len(peers), closed), per_second(len(peers), listed)
    print(f"   price()                    {p:>10,.0f} slips/s  ({spread(loops * count, priced)}, "
          f"{count:,} slips x {loops})")
    print(f"   settle(), closed form      {c:>10,.0f} slips/s  ({spread(count, settled)}, {count:,} slips)")
    print(f"   settle(), closed form      {cp:>10,.0f} slips/s  ({spread(len(peers), closed)}, "
          f"the {len(peers)} slips of the ratio)")
    print(f"   settle(), enumeration      {lp:>10,.0f} slips/s  ({spread(len(peers), listed)}, "
          f"{len(peers)} slips, up to {len(peers) * 247 * 2:,} lines: 247 x 2 scenarios each, one when nothing is open)")
    print(f"   closed form / enumeration  {cp / lp:>10.1f}x")


def bench_ten_of_twenty(rng: random.Random, count: int, repeats: int, enumerate_one: bool) -> None:
    cases = [one_choice_slip(rng, BetType.XY, 20, x=10) for _ in range(count)]
    slips = [slip for slip, _ in cases]
    lines = comb(20, 10)
    assert price(slips[0]).lines == lines
    print(f"2. 10 sur 20 (XY), {lines:,} lines, same odds and results; median of {repeats}")
    loops = 20
    priced = timed(lambda: [price(s) for _ in range(loops) for s in slips], repeats)
    loops_settled = 5
    settled = timed(lambda: [settle(s, o) for _ in range(loops_settled) for s, o in cases], repeats)
    p, c = per_second(loops * count, priced), per_second(loops_settled * count, settled)
    print(f"   price()                    {p:>10,.0f} slips/s  ({spread(loops * count, priced)}, "
          f"{count} slips x {loops})")
    print(f"   settle(), closed form      {c:>10,.0f} slips/s  ({spread(loops_settled * count, settled)}, "
          f"{count} slips x {loops_settled})")
    if not enumerate_one:
        print("   settle(), enumeration      skipped (--quick)")
        return
    slip, outcomes = cases[0]
    closed = settle(slip, outcomes)
    gc.collect()
    started = time.perf_counter()
    listed = settle(slip, outcomes, method=Method.ENUMERATION)
    seconds = time.perf_counter() - started
    same_figures(closed, listed)
    print(f"   settle(), enumeration      {seconds:>10.2f} s for one slip  (one run; {2 * lines:,} lines: "
          f"{lines:,} x 2 scenarios; {seconds / (2 * lines) * 1e6:.1f} us a line)")
    print(f"   closed form = enumeration, exact returns and cents: yes;  closed form / enumeration "
          f"{c * seconds:,.0f}x")


# ----------------------------------------------------------------------------- 3: the book

UK_PRICES = ("4/6", "5/6", "1/1", "6/4", "2/1", "5/2", "3/1", "7/2", "4/1", "5/1", "6/1", "8/1", "10/1", "12/1",
             "16/1")


@dataclass(frozen=True)
class Fixture:
    kind: str  # "1x2", "ah" (Asian handicap quarter line), "race"
    odds: tuple[Fraction, ...]


def make_fixtures(rng: random.Random, count: int) -> list[Fixture]:
    fixtures = []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.70:
            fixtures.append(Fixture("1x2", (decimal_odds(rng, 1.3, 4.5), decimal_odds(rng, 2.9, 4.2),
                                            decimal_odds(rng, 1.5, 7.0))))
        elif draw < 0.85:
            home = decimal_odds(rng, 1.7, 2.2)
            fixtures.append(Fixture("ah", (home, decimal_odds(rng, 1.7, 2.2))))
        else:
            runners = rng.randint(6, 12)
            fixtures.append(Fixture("race", tuple(1 + Fraction(*map(int, rng.choice(UK_PRICES).split("/")))
                                                  for _ in range(runners))))
    return fixtures


def make_result(rng: random.Random, fixture: Fixture) -> tuple[Outcome, ...]:
    """One Outcome per prognosis of the fixture's market."""
    n = len(fixture.odds)
    weights = [1 / float(o) for o in fixture.odds]
    if fixture.kind == "1x2":
        if rng.random() < 0.03:  # match cancelled
            return tuple(Outcome(Result.VOID) for _ in range(n))
        winner = rng.choices(range(n), weights)[0]
        return tuple(Outcome(Result.WIN if c == winner else Result.LOSE) for c in range(n))
    if fixture.kind == "ah":
        winner = rng.randrange(2)
        half = HALF if rng.random() < 0.4 else Fraction(0)
        return tuple(Outcome(Result.WIN if c == winner else Result.LOSE, void_factor=half) for c in range(2))
    winner = rng.choices(range(n), weights)[0]
    draw = rng.random()
    tied = {winner}
    if draw < 0.05:
        tied.add(rng.choice([c for c in range(n) if c != winner]))
    non_runner = None
    rule4 = Fraction(0)
    if 0.05 <= draw < 0.12:
        non_runner = rng.choice([c for c in range(n) if c != winner])
        rule4 = Fraction(rng.choice((5, 10, 15, 20, 25)), 100)
    row = []
    for c in range(n):
        if c == non_runner:
            row.append(Outcome(Result.VOID))
        elif c in tied:
            row.append(Outcome(Result.WIN, dead_heat=DeadHeat(2, 1) if len(tied) == 2 else None, rule4=rule4))
        else:
            row.append(Outcome(Result.LOSE, rule4=rule4))
    return tuple(row)


# (kind, weight): the share of slips of each kind in the book
MIX = (("S", 30), ("C", 34), ("TRIXIE", 5), ("YANKEE", 6), ("LUCKY15", 6), ("CANADIAN", 3), ("HEINZ", 2),
       ("XY", 14))
STAKES = tuple(Decimal(s) for s in ("0.10", "0.20", "0.50", "1.00", "2.00", "5.00", "10.00"))
TOTALS = tuple(Decimal(s) for s in ("5.00", "10.00", "20.00", "50.00"))

Spec = tuple[tuple[int, tuple[int, ...]], ...]  # per leg: (fixture, the market's prognoses it holds)


def make_slip(rng: random.Random, fixtures: list[Fixture]) -> tuple[Slip, Spec]:
    kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
    bankers = 0
    doubles = 0.0  # chance that a leg holds 2 prognoses
    lucky = None
    x = None
    if kind == "S":
        legs, doubles = rng.choice((1, 1, 1, 1, 2, 2, 3)), 0.05
    elif kind == "C":
        legs, doubles = rng.choice((2, 2, 3, 3, 3, 4, 4, 5, 6)), 0.08
    elif kind == "XY":
        legs = rng.randint(3, 8)
        x = rng.randint(2, legs - 1)
        bankers = rng.choice((0, 0, 0, 1, 2))
        doubles = 0.05
    else:
        legs = {"TRIXIE": 3, "YANKEE": 4, "LUCKY15": 4, "CANADIAN": 5, "HEINZ": 6}[kind]
        if kind == "LUCKY15" and rng.random() < 0.5:
            lucky = LuckyBonus(Fraction(2), Fraction(10))
        else:
            bankers = rng.choice((0, 0, 0, 0, 1))
            doubles = 0.05
    chosen = rng.sample(range(len(fixtures)), legs + bankers)
    leg_list, spec = [], []
    for n, f in enumerate(chosen):
        market = fixtures[f].odds
        two = len(market) >= 3 and rng.random() < doubles
        picks = tuple(sorted(rng.sample(range(len(market)), 2 if two else 1)))
        leg_list.append(Leg(tuple(Choice(market[c]) for c in picks), banker=n >= legs, fixture=str(f)))
        spec.append((f, picks))
    bet_type = BetType(kind)
    stake = Stake(rng.choice(STAKES))
    if kind != "S" and rng.random() < 0.2:
        stake = Stake(rng.choice(TOTALS), StakeMode.TOTAL)
    try:
        slip = Slip(bet_type, tuple(leg_list), stake, x=x, lucky_bonus=lucky)
        price(slip)
    except SlipError:  # a total too small for its lines: staked per line instead
        slip = Slip(bet_type, tuple(leg_list), Stake(Decimal("0.10")), x=x, lucky_bonus=lucky)
    return slip, tuple(spec)


@dataclass
class Book:
    slips: list[Slip]
    specs: list[Spec]
    index: dict[int, list[int]]  # fixture -> the slips with a leg on it


def build_book(seed: int, fixtures: list[Fixture], count: int) -> Book:
    rng = random.Random(seed)
    slips, specs = [], []
    index: dict[int, list[int]] = {}
    for n in range(count):
        slip, spec = make_slip(rng, fixtures)
        slips.append(slip)
        specs.append(spec)
        for f, _ in spec:
            index.setdefault(f, []).append(n)
    return Book(slips, specs, index)


OPEN_ROWS = {n: tuple(OPEN for _ in range(n)) for n in range(1, 5)}


def outcomes_of(spec: Spec, results: dict[int, tuple[Outcome, ...]]) -> Outcomes:
    rows = []
    for f, picks in spec:
        row = results.get(f)
        rows.append(OPEN_ROWS[len(picks)] if row is None else tuple(row[c] for c in picks))
    return tuple(rows)


def settle_slips(book: Book, which: list[int] | range, results: dict[int, tuple[Outcome, ...]],
                 store: list) -> None:
    slips, specs = book.slips, book.specs
    for n in which:
        settlement = settle(slips[n], outcomes_of(specs[n], results))
        store[n] = (settlement.total_return, settlement.max_return)


def touched_by(book: Book, fixtures: list[int]) -> list[int]:
    return sorted({n for f in fixtures for n in book.index.get(f, ())})


def bench_book(seed: int, count: int, fixture_count: int, resulted: int, repeats: int) -> None:
    rng = random.Random(seed)
    fixtures = make_fixtures(rng, fixture_count)
    batch = rng.sample(range(fixture_count), resulted)
    results = {f: make_result(rng, fixtures[f]) for f in batch}

    gc.collect()
    rss_before = rss_mib()
    started = time.perf_counter()
    book = build_book(seed + 1, fixtures, count)
    built_in = time.perf_counter() - started
    gc.collect()
    rss_built = rss_mib()

    kinds: dict[str, int] = {}
    lines = bankers = doubled = 0
    for slip in book.slips:
        kinds[slip.bet_type.value] = kinds.get(slip.bet_type.value, 0) + 1
        lines += price(slip).lines
        bankers += bool(slip.bankers)
        doubled += any(len(leg.choices) > 1 for leg in slip.legs)
    print(f"3. A book of {count:,} open slips over {fixture_count} fixtures "
          f"({sum(f.kind == '1x2' for f in fixtures)} 1X2, {sum(f.kind == 'ah' for f in fixtures)} Asian handicap, "
          f"{sum(f.kind == 'race' for f in fixtures)} races); median of {repeats}")
    print("   mix: " + ", ".join(f"{k} {v / count:.0%}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
          + f"; with bankers {bankers / count:.1%}, a leg with 2 prognoses {doubled / count:.1%}; "
          f"{lines:,} lines in all ({lines / count:.1f} a slip)")
    print(f"   built in {built_in:.2f} s ({count / built_in:,.0f} slips/s, Slip validation included)")

    store: list = [None] * count
    everything = range(count)
    touched = touched_by(book, batch)
    hwm_reset = reset_hwm()
    rss_settle_start = rss_mib()

    def the_batch() -> None:
        settle_slips(book, touched_by(book, batch), results, store)

    batch_times = timed(the_batch, repeats)
    all_times = timed(lambda: settle_slips(book, everything, results, store), repeats)
    hwm = status_kib("VmHWM") / 1024
    rss_after = rss_mib()

    sample = random.Random(seed).sample(touched, min(1000, len(touched)))
    for n in sample:  # the default path took the closed form, and agrees with the enumeration
        outcomes = outcomes_of(book.specs[n], results)
        same_figures(settle(book.slips[n], outcomes), settle(book.slips[n], outcomes, method=Method.ENUMERATION))
    settled = sum(not any(f not in results for f, _ in spec) for spec in book.specs)
    returns = sum(figures[0] for figures in store)
    maxima = sum(figures[1] for figures in store)
    b, a = per_second(len(touched), batch_times), per_second(count, all_times)
    print(f"   a batch of results for {resulted} fixtures touches {len(touched):,} slips "
          f"({len(touched) / count:.0%}); afterwards {settled:,} slips are fully settled, "
          f"{count - settled:,} still have open legs; closed form = enumeration on {len(sample):,} of them")
    print(f"   returns after the batch: {returns:,.2f} paid whatever comes, {maxima:,.2f} at most")
    print(f"   settle the touched slips     {statistics.median(batch_times):>6.2f} s  {b:>8,.0f} slips/s  "
          f"({spread(len(touched), batch_times)}; index lookup, outcomes, settle())")
    print(f"   settle all {count:>7,} slips   {statistics.median(all_times):>6.2f} s  {a:>8,.0f} slips/s  "
          f"({spread(count, all_times)})")

    # tracemalloc during settlement: one untimed run of the batch, tracing only what it allocates
    fresh: list = [None] * count
    gc.collect()
    tracing = time.perf_counter()
    tracemalloc.start()
    settle_slips(book, touched_by(book, batch), results, fresh)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced_settle = time.perf_counter() - tracing
    assert all(fresh[n] == store[n] for n in touched)
    del fresh
    # the book's size by tracemalloc: the same book built a second time under tracing (last:
    # tracing's own memory would otherwise inflate the RSS figures above)
    gc.collect()
    tracing = time.perf_counter()
    tracemalloc.start()
    twin = build_book(seed + 1, fixtures, count)
    book_bytes, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced_build = time.perf_counter() - tracing
    assert twin.slips == book.slips
    del twin

    grown = rss_built - rss_before
    print(f"   memory, building: RSS {rss_before:,.1f} MiB before, {rss_built:,.1f} MiB after "
          f"(+{grown:,.1f} MiB, {grown * MIB / count:,.0f} bytes a slip)")
    print(f"           tracemalloc: the book holds {book_bytes / MIB:,.1f} MiB ({book_bytes / count:,.0f} bytes a "
          f"slip: slips, legs, specs, index), peak while building {build_peak / MIB:,.1f} MiB "
          f"({traced_build:.0f} s under tracing)")
    hwm_text = f"high-water {hwm:,.1f} MiB" if hwm_reset else f"process high-water {hwm:,.1f} MiB (no VmHWM reset)"
    print(f"   memory, settling: RSS {rss_settle_start:,.1f} MiB before the timed runs, {hwm_text} during them, "
          f"{rss_after:,.1f} MiB after")
    print(f"           tracemalloc, settling the {len(touched):,} touched slips again (an untimed run): peak "
          f"{peak / MIB:,.2f} MiB above the book, {kept / MIB:,.2f} MiB kept (the stored figures, "
          f"{kept / len(touched):,.0f} bytes a slip); {traced_settle:.0f} s under tracing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smaller run: under 30 s")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed runs per figure of parts 1 and 2 (default 5, --quick 3)")
    parser.add_argument("--book-repeats", type=int, default=3, help="timed runs per figure of part 3")
    parser.add_argument("--slips", type=int, default=None, help="slips in the book (default 100,000, --quick 10,000)")
    parser.add_argument("--fixtures", type=int, default=500)
    parser.add_argument("--resulted", type=int, default=200, help="fixtures in the batch of results")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    quick = options.quick
    repeats = options.repeats or (3 if quick else 5)
    slips = options.slips or (10_000 if quick else 100_000)
    rng = random.Random(options.seed)  # the benchmark's inputs only: never game randomness

    print(f"bench/slip.py: games/betslip, Python {sys.version.split()[0]}, seed {options.seed}"
          f"{', --quick' if quick else ''}")
    began = started = time.perf_counter()

    def section_done() -> None:
        nonlocal started
        now = time.perf_counter()
        print(f"   (section: {now - started:.0f} s)")
        started = now

    bench_goliath(rng, count=200 if quick else 1000, enumerated=30 if quick else 200, repeats=repeats)
    section_done()
    bench_ten_of_twenty(rng, count=10 if quick else 20, repeats=repeats, enumerate_one=not quick)
    section_done()
    bench_book(options.seed + 3, slips, options.fixtures, options.resulted, options.book_repeats)
    section_done()
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()

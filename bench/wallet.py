"""Concurrent money movements on the wallet's double-entry ledger, SQLite and PostgreSQL.

    .venv/bin/python bench/wallet.py [--seconds 5] [--repeats 3] [--levels 1,4,16,64]
                                     [--players 1000] [--hot 10] [--hot-share 0.3]
                                     [--backends sqlite,postgresql] [--pg-url postgresql://...]
                                     [--no-paced]

A movement is one ``server.wallet.ledger.post`` in its own transaction, run the way the
server runs database work: ``server.db.pool.Database.transaction`` on its thread pool (1
thread for SQLite, 8 for PostgreSQL) with the engine from ``server.db.engine.make_engine``
on a schema built by ``server.db.migrate.upgrade``. The mix, over --players players of whom
--hot get --hot-share of the movements (contention on their rows):

    deposit credit          psp_clearing -> solde           15 %  (idempotency key, as payments.py)
    stake                   solde -> stakes_in_play         50 %
    win                     stakes_in_play -> solde         25 %
    withdrawal reservation  solde -> withdrawals_pending    10 %  (idempotency key, as payments.py)

Every player starts with a funded solde (accounts exist before measuring). A stake or a
withdrawal larger than the solde is refused by the ledger (InsufficientFunds): a legitimate
outcome, counted apart ("refused/s") and left out of movements/s and of the latencies. Any
other exception (lock timeout, deadlock, serialisation failure...) is counted as an error by
type; nothing is retried, as the server does not retry.

1. Closed loop: --levels concurrent clients on the reactor, each submitting its next movement
   when the previous one returns. Latency is from Database.transaction() (submission) to its
   Deferred firing (committed), so it includes the wait for a pool thread. movements/s and
   p50/p95/p99 are medians over --repeats runs of --seconds each.
2. Paced (open loop): Poisson arrivals at increasing rates (fractions of the closed-loop peak,
   then a bisection between the last rate that passed and the first that failed), one
   --seconds run per rate; latency counted from each movement's scheduled arrival time (no
   coordinated omission). The best passing rate is then re-run up to --repeats runs and kept
   if the median p95 still passes (else the next one down): the highest load whose p95 stays
   under the operators' target (wallet p95 < 150 ms).
Then ``ledger.check`` must find the books balanced. Figures only: nothing is asserted.
The SQLite file goes in a temporary directory (WAL, synchronous=FULL, BEGIN IMMEDIATE); the
PostgreSQL database is created for the run on --pg-url's server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from twisted.internet import defer, reactor, task

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy.engine import Connection, Engine  # noqa: E402

from server.db import migrate  # noqa: E402
from server.db.engine import make_engine, normalize_url  # noqa: E402
from server.db.pool import Database  # noqa: E402
from server.wallet import ledger  # noqa: E402
from server.wallet.ledger import InsufficientFunds, Posting, operator_account, player_account  # noqa: E402

TARGET_P95_MS = 150.0  # operators' published target: wallet p95 under 150 ms
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"

CLEARING = operator_account("psp_clearing")
STAKES = operator_account("stakes_in_play")
WITHDRAWALS_PENDING = operator_account("withdrawals_pending")

# kind, share of movements
MIX = (("deposit", 0.15), ("stake", 0.50), ("win", 0.25), ("withdrawal_reserved", 0.10))
PACED_FRACTIONS = (0.25, 0.5, 0.7, 0.85, 1.0, 1.15)
PACED_BISECTIONS = 2
TICK = 0.002  # paced arrivals are released by a 2 ms LoopingCall, timed from their schedule

# Cleanup that must happen even if the reactor is stopped under us (Ctrl-C).
CLEANUP: list[Callable[[], None]] = []


class Movements:
    """Draws movements of the mix; runs on the reactor thread only."""

    def __init__(self, players: int, hot: int, hot_share: float, seed: int) -> None:
        self.players = [f"B{i:05d}" for i in range(players)]
        self.hot = self.players[:hot]
        self.cold = self.players[hot:] or self.players
        self.hot_share = hot_share if hot else 0.0
        self.rng = random.Random(seed)
        self.kinds = [k for k, _ in MIX]
        self.weights = [w for _, w in MIX]
        self.serial = itertools.count(1)

    def player(self) -> str:
        pool = self.hot if self.rng.random() < self.hot_share else self.cold
        return self.rng.choice(pool)

    def next(self) -> Callable[[Connection], ledger.Transaction]:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        pid = self.player()
        solde = player_account(pid)
        n = next(self.serial)
        key = None
        if kind == "deposit":
            cents = self.rng.randrange(1_000, 10_001, 100)
            postings = [Posting(solde, cents), Posting(CLEARING, -cents)]
            key = f"payment:{n}:settle"
        elif kind == "stake":
            cents = self.rng.randrange(10, 501, 10)
            postings = [Posting(solde, -cents), Posting(STAKES, cents)]
        elif kind == "win":
            cents = self.rng.randrange(20, 1_001, 10)
            postings = [Posting(solde, cents), Posting(STAKES, -cents)]
        else:
            cents = self.rng.randrange(1_000, 30_001, 100)
            postings = [Posting(solde, -cents), Posting(WITHDRAWALS_PENDING, cents)]
            key = f"payment:{n}:reserve"
        memo = {"bench": n, "player": pid}

        def work(c: Connection) -> ledger.Transaction:
            return ledger.post(c, kind, postings, idempotency_key=key, memo=memo)

        return work


def seed_accounts(engine: Engine, movements: Movements) -> None:
    """Operator accounts first (low ids, as in production), then every player with money:
    ledger.post creates the accounts; 100 players a transaction keeps the set-up short."""
    rng = random.Random(1)
    with engine.begin() as c:
        ledger.post(c, "seed", [Posting(STAKES, 1), Posting(WITHDRAWALS_PENDING, 1), Posting(CLEARING, -2)])
    for start in range(0, len(movements.players), 100):
        postings = [Posting(player_account(pid), rng.randrange(5_000, 20_001, 100) * (5 if pid in movements.hot else 1))
                    for pid in movements.players[start:start + 100]]
        with engine.begin() as c:
            ledger.post(c, "deposit", [*postings, Posting(CLEARING, -sum(p.amount_cents for p in postings))],
                        memo={"seed": start})


@dataclass
class Run:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # committed movements only, seconds
    refused: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    cpu: float = 0.0  # this process's CPU seconds (every thread) during the run
    aborted: bool = False

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def submit(db: Database, movements: Movements, run: Run, t0: float) -> "defer.Deferred[None]":
    """One movement submitted now, timed from ``t0``; its outcome lands in ``run``."""
    d = db.transaction(movements.next())

    def done(_: Any) -> None:
        run.latencies.append(time.perf_counter() - t0)

    def failed(f: Any) -> None:
        if f.check(InsufficientFunds):
            run.refused += 1
        else:
            exc = f.value
            orig = getattr(exc, "orig", None)
            run.errors[type(orig).__name__ if orig is not None else type(exc).__name__] += 1

    d.addCallbacks(done, failed)
    return d


async def closed_loop(db: Database, movements: Movements, clients: int, seconds: float) -> Run:
    run = Run()
    cpu0 = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            await submit(db, movements, run, time.perf_counter())

    await defer.gatherResults([defer.Deferred.fromCoroutine(client()) for _ in range(clients)])
    run.seconds = time.perf_counter() - start
    run.cpu = time.process_time() - cpu0
    return run


async def paced(db: Database, movements: Movements, rate: float, seconds: float) -> Run:
    """Poisson arrivals at ``rate``; stop early if a second of work is queued (hopeless)."""
    run = Run()
    rng = random.Random(int(rate * 1000))
    pending: set[defer.Deferred[None]] = set()
    cpu0 = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    next_at = start + rng.expovariate(rate)
    backlog_limit = max(50, int(rate))
    finished: defer.Deferred[None] = defer.Deferred()

    def tick() -> None:
        nonlocal next_at
        now = time.perf_counter()
        while next_at <= now and next_at < deadline:
            d = submit(db, movements, run, next_at)
            pending.add(d)
            d.addBoth(lambda _, d=d: pending.discard(d))
            next_at += rng.expovariate(rate)
        if len(pending) > backlog_limit:
            run.aborted = True
        if now >= deadline or run.aborted:
            loop.stop()

    loop = task.LoopingCall(tick)
    loop.start(TICK).addCallback(finished.callback)
    await finished
    run.seconds = time.perf_counter() - start
    await defer.DeferredList(list(pending))  # stragglers still count, with their full latency
    run.cpu = time.process_time() - cpu0
    return run


def fmt_errors(errors: Counter[str]) -> str:
    return ", ".join(f"{name} x{n}" for name, n in errors.most_common()) if errors else "0"


def filesystem(path: Path) -> str:
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _, mount, fs, *_ = line.split()
            if str(path).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fs
    except OSError:
        pass
    return kind


def fresh_pg_database(base: str) -> tuple[str, Callable[[], None]]:
    """Create a database for this run on ``base``'s server; return its URL and its dropper."""
    import sqlalchemy as sa

    name = "croupier_bench_" + secrets.token_hex(6)
    admin = sa.create_engine(normalize_url(base), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
    dropped = False

    def drop() -> None:
        nonlocal dropped
        if dropped:
            return
        dropped = True
        with admin.connect() as c:
            c.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()

    return url, drop


def pg_deadlocks(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.exec_driver_sql("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").scalar() or 0)


async def bench_backend(args: argparse.Namespace, name: str, url: str, describe: str) -> dict[str, Any]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    movements = Movements(args.players, args.hot, args.hot_share, seed=42)
    seed_accounts(engine, movements)
    db = Database(engine, reactor)  # type: ignore[arg-type]
    threads = db._pool.max
    db.start()
    CLEANUP.append(db.stop)
    print(f"\n{name}: {describe}; {threads} DB thread(s) (server.db.pool.Database default)", flush=True)
    summary: dict[str, Any] = {"name": name, "closed": {}, "paced": None}
    try:
        await closed_loop(db, movements, 4, 1.0)  # warm-up: connections, statement caches
        print(f"  closed loop ({args.repeats} x {args.seconds:g} s per level, medians; target p95 < {TARGET_P95_MS:g} ms)")
        print(f"  {'clients':>7} {'mvt/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'refused/s':>9} "
              f"{'cpu %':>6}  {'p95<150':7}  errors / runs mvt/s")
        for level in args.levels:
            runs = [await closed_loop(db, movements, level, args.seconds) for _ in range(args.repeats)]
            row = {
                "rate": statistics.median(r.rate for r in runs),
                "p50": statistics.median(r.pct(0.50) for r in runs),
                "p95": statistics.median(r.pct(0.95) for r in runs),
                "p99": statistics.median(r.pct(0.99) for r in runs),
                "refused": statistics.median(r.refused / r.seconds for r in runs),
                "cpu": statistics.median(100 * r.cpu / r.seconds for r in runs),
                "errors": sum((r.errors for r in runs), Counter()),
            }
            summary["closed"][level] = row
            ok = "yes" if row["p95"] < TARGET_P95_MS else "NO"
            print(f"  {level:7d} {row['rate']:8.0f} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} "
                  f"{row['refused']:9.1f} {row['cpu']:6.0f}  {ok:7}  {fmt_errors(row['errors'])} / "
                  f"{[round(r.rate) for r in runs]}", flush=True)
        within = [(row["rate"], level) for level, row in summary["closed"].items() if row["p95"] < TARGET_P95_MS]
        peak = max(row["rate"] for row in summary["closed"].values())
        if within:
            best, level = max(within)
            summary["closed_best"] = best
            print(f"  closed loop: highest movements/s with p95 < {TARGET_P95_MS:g} ms: {best:.0f} (at {level} clients)")
        else:
            summary["closed_best"] = None
            print(f"  closed loop: no level keeps p95 < {TARGET_P95_MS:g} ms")
        if not args.no_paced:
            await paced_search(args, db, movements, peak, summary)
        with engine.begin() as c:
            report = ledger.check(c)
        summary["check"] = report
        extra = f"; pg_stat_database deadlocks {pg_deadlocks(engine)}" if engine.dialect.name == "postgresql" else ""
        print(f"  books: {'balance' if report.ok else 'PROBLEMS ' + '; '.join(report.problems[:5])} "
              f"({report.accounts} accounts, {report.transactions} transactions, {report.entries} entries){extra}")
    finally:
        CLEANUP.remove(db.stop)
        db.stop()
    return summary


async def paced_search(args: argparse.Namespace, db: Database, movements: Movements, peak: float,
                       summary: dict[str, Any]) -> None:
    print(f"  paced, Poisson arrivals (one {args.seconds:g} s run per rate; latency from scheduled arrival)")
    print(f"  {'offered/s':>9} {'done/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'refused/s':>9} "
          f"{'cpu %':>6}  {'p95<150':7}  errors")
    results: list[tuple[float, Run]] = []

    async def measure(rate: float) -> bool:
        run = await paced(db, movements, rate, args.seconds)
        results.append((rate, run))
        ok = run.pct(0.95) < TARGET_P95_MS and not run.aborted
        note = "  (stopped: over 1 s of work queued)" if run.aborted else ""
        print(f"  {rate:9.0f} {run.rate:8.0f} {run.pct(0.5):8.1f} {run.pct(0.95):8.1f} {run.pct(0.99):8.1f} "
              f"{run.refused / run.seconds:9.1f} {100 * run.cpu / run.seconds:6.0f}  {'yes' if ok else 'NO':7}  "
              f"{fmt_errors(run.errors)}{note}", flush=True)
        return ok

    good, bad = 0.0, None
    for fraction in PACED_FRACTIONS:
        rate = max(1.0, peak * fraction)
        if await measure(rate):
            good = rate
        else:
            bad = rate
            break
    rate = good
    while bad is None and rate < peak * 4:  # every rung passed: keep climbing until one fails
        rate *= 1.25
        if await measure(rate):
            good = rate
        else:
            bad = rate
    if bad is not None and good > 0:
        for _ in range(PACED_BISECTIONS):
            middle = (good + bad) / 2
            if await measure(middle):
                good = middle
            else:
                bad = middle
    # One run per rate is noisy: re-run the best passing rate until --repeats runs, and keep
    # it only if the median p95 passes too; otherwise try the next passing rate down.
    confirmed = None
    for rate in sorted((r for r, run in results if run.pct(0.95) < TARGET_P95_MS and not run.aborted), reverse=True):
        runs = [run for r, run in results if r == rate]
        while len(runs) < args.repeats:
            runs.append(await paced(db, movements, rate, args.seconds))
        p95 = statistics.median(r.pct(0.95) if not r.aborted else float("inf") for r in runs)
        print(f"  confirm {rate:.0f}/s: p95 {', '.join(f'{r.pct(0.95):.1f}' for r in runs)} ms "
              f"(median {p95:.1f}) -> {'holds' if p95 < TARGET_P95_MS else 'does not hold'}", flush=True)
        if p95 < TARGET_P95_MS:
            confirmed = rate
            break
    summary["paced"] = confirmed
    if confirmed:
        top = "" if bad is not None else " (no rate tried failed)"
        print(f"  paced: highest load with p95 < {TARGET_P95_MS:g} ms (median of {args.repeats}): "
              f"{confirmed:.0f} movements/s{top}")
    else:
        print(f"  paced: no rate tried keeps p95 < {TARGET_P95_MS:g} ms (lowest tried {min(r for r, _ in results):.0f}/s)")


async def main_async(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="croupier-wallet-bench-"))
    CLEANUP.append(lambda: shutil.rmtree(work, ignore_errors=True))
    share = " / ".join(f"{k} {int(w * 100)}%" for k, w in MIX)
    print(f"wallet ledger: {args.players} players ({args.hot} hot ones take {args.hot_share:.0%} of movements); "
          f"mix {share}")
    print(f"seconds={args.seconds:g} repeats={args.repeats} levels={','.join(map(str, args.levels))}; "
          f"target (operators' published): wallet p95 < {TARGET_P95_MS:g} ms")
    print(f"machine: {os.cpu_count()} cores, load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"bench process pid {os.getpid()} (cpu % = this process, all threads; 100 = one core)")
    summaries = []
    if "sqlite" in args.backends:
        url = f"sqlite:///{work}/w.sqlite3"
        summaries.append(await bench_backend(
            args, "sqlite", url, f"{work}/w.sqlite3 on {filesystem(work)}, WAL, synchronous=FULL, BEGIN IMMEDIATE"))
    if "postgresql" in args.backends:
        try:
            url, drop = fresh_pg_database(args.pg_url)
        except Exception as exc:  # noqa: BLE001 - unreachable server: report and go on
            print(f"\npostgresql: unreachable at {args.pg_url} ({type(exc).__name__}: {str(exc).strip().splitlines()[0]}); "
                  "SQLite only")
        else:
            CLEANUP.append(drop)
            from sqlalchemy.engine import make_url

            engine = make_engine(url)
            with engine.connect() as c:
                version = c.exec_driver_sql("SHOW server_version").scalar()
                sync = c.exec_driver_sql("SHOW synchronous_commit").scalar()
            engine.dispose()
            shown = make_url(url).set(password=None).render_as_string()
            summaries.append(await bench_backend(
                args, "postgresql", url, f"{version} at {shown} (fresh database, dropped after), synchronous_commit={sync}"))
            CLEANUP.remove(drop)
            drop()
    print(f"\nsummary (target: wallet p95 < {TARGET_P95_MS:g} ms)")
    print(f"  {'backend':10} {'peak mvt/s':>10} {'closed-loop, p95<150':>21} {'paced, p95<150':>15}")
    for s in summaries:
        peak = max(row["rate"] for row in s["closed"].values())
        closed = f"{s['closed_best']:.0f}" if s.get("closed_best") else "none"
        paced_ = "not run" if args.no_paced else (f"{s['paced']:.0f}" if s["paced"] else "none")
        print(f"  {s['name']:10} {peak:10.0f} {closed:>21} {paced_:>15}")
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16, 64],
                        help="closed-loop concurrent clients, comma-separated")
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--hot", type=int, default=10, help="players drawing --hot-share of the movements")
    parser.add_argument("--hot-share", type=float, default=0.3)
    parser.add_argument("--backends", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=os.environ.get("CROUPIER_TEST_PG") or DEFAULT_PG,
                        help="server on which a fresh database is created (default $CROUPIER_TEST_PG or %(default)s)")
    parser.add_argument("--no-paced", action="store_true", help="closed loop only")
    args = parser.parse_args()
    outcome: list[BaseException] = []

    def run() -> defer.Deferred[None]:
        d = defer.Deferred.fromCoroutine(main_async(args))
        d.addErrback(lambda f: outcome.append(f.value) or f.printTraceback())
        d.addBoth(lambda _: reactor.stop())  # type: ignore[attr-defined]
        return d

    reactor.callWhenRunning(run)  # type: ignore[attr-defined]
    try:
        reactor.run()  # type: ignore[attr-defined]
    finally:
        for cleanup in reversed(CLEANUP):
            try:
                cleanup()
            except Exception as exc:  # noqa: BLE001
                print(f"cleanup: {type(exc).__name__}: {exc}", file=sys.stderr)
    if outcome:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Child process of bench/vault.py: one phase of the vault pipeline on one pinned core.

    .venv/bin/python bench/_vault_pipeline.py {throughput,latency,memory,profile,stages} --pki DIR --db-url URL [...]

The process pins itself (os.sched_setaffinity) before anything starts a thread, so the
reactor, the VaultWriter's thread and the SealerThread all share that core (and the GIL).
Results are JSON lines on stdout: ``RESULT {...}`` at the end, ``CHECKPOINT {...}`` as the
memory phase goes; the profile phase prints pstats text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import sysconfig
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
MAX_EVENTS = 100  # LotPolicy(max_events=100): the annex's maximum lot size


def pin(core: int) -> None:
    if core >= 0:
        os.sched_setaffinity(0, {core})


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


THREAD_ROLES = {"MainThread": "reactor", "writer": "writer", "sealer": "sealer"}


def thread_cpu() -> dict[str, float]:
    """CPU seconds (user + system) so far of each thread of this process, by role: the
    reactor (builds and deposits events, fires confirmations), the VaultWriter's thread
    (copy, XSD, C14N, journal, commit) and the SealerThread; ``other`` for the rest."""
    import threading

    import psutil

    names = {t.native_id: t.name for t in threading.enumerate()}
    cpu: dict[str, float] = {}
    for t in psutil.Process().threads():
        name = names.get(t.id, "")
        role = next((r for key, r in THREAD_ROLES.items() if name == key or name.endswith("-" + key)), "other")
        cpu[role] = cpu.get(role, 0.0) + t.user_time + t.system_time
    return cpu


# --- events --------------------------------------------------------------------------------

class EventSource:
    """Sports-betting traces from frontal.builders.pasp: three bets (PASPMISE) to one win
    (PASPGAIN), over a small catalogue of matches. Event ``i`` is the same every time it is
    built except for DateEvt (the build time: the vault refuses future dates)."""

    def __init__(self) -> None:
        from frontal.builders import pasp
        from frontal.builders.header import Header

        self._pasp = pasp
        self._header = Header
        kickoff = datetime(2030, 6, 1, 19, 45, tzinfo=timezone.utc)
        teams = [("CHELSEA", "VALENCE CF"), ("PSG", "OM"), ("LYON", "LILLE"), ("NANTES", "RENNES"),
                 ("MONACO", "NICE"), ("LENS", "BREST"), ("REIMS", "TOULOUSE"), ("METZ", "LORIENT")]
        self._lines = []
        for n, (home, away) in enumerate(teams):
            for choice, odds in (("E4VGB", "3.40"), ("E4VGA", "1.85")):
                self._lines.append(pasp.BetLine(
                    renc=f"UEFA CHAMPIONS LEAGUE - {home} - {away}", tech=f"1234:565:{n}:99", sport="FOO",
                    evnt="NT95S", genre="H", date=kickoff, part=(home, away),
                    prognostics=(pasp.Prognostic(parts=(pasp.ElementaryPrognostic(choice),), cote=Decimal(odds)),)))

    def header(self, i: int) -> Any:
        return self._header(id_oper="0000", date_evt=datetime.now(timezone.utc), id_evt=0,
                            id_joueur=f"J{i % 5000:06d}", hash_joueur="9853E488E24120BC18F9A650AED9CEE0FF72B09E",
                            id_session=f"S{i:010d}", ip_joueur=f"192.0.2.{i % 250 + 1}", id_coffre=1)

    def build(self, i: int) -> Any:
        pasp = self._pasp
        cents = 100 + i % 5000
        before = Decimal(10_000_00 + i % 99_991) / 100
        if i % 4 == 3:
            gain = Decimal(cents * 3) / 100
            return pasp.build_paspgain(self.header(i), pasp.BetWin(
                tech=f"B{i:09d}", result_at=datetime.now(timezone.utc), solde_avant=before, gain=gain,
                solde_apres=before + gain))
        stake = Decimal(cents) / 100
        line = self._lines[i % len(self._lines)]
        return pasp.build_paspmise(self.header(i), pasp.SportsBet(
            tech=f"B{i:09d}",
            combinations=(pasp.Combination(combi="S", lines=(line,), mise_base=stake),),
            solde=pasp.BalanceMove(before, stake, before - stake)))


# --- the pipeline ----------------------------------------------------------------------------

class Pipeline:
    def __init__(self, db_url: str, pki: Path) -> None:
        from sqlalchemy import select
        from twisted.internet import reactor

        from frontal.vault.journal import VaultWriter, ensure_vault
        from frontal.vault.keys import load_vault_keys
        from frontal.vault.sealer import SealerThread
        from frontal.vault.sealing import LotPolicy, LotSealer
        from frontal.vault.tables import vault_counters
        from server.db import migrate
        from server.db.engine import make_engine

        self.engine = make_engine(db_url)
        migrate.upgrade(self.engine)
        with self.engine.begin() as connection:
            ensure_vault(connection, 1)
        keys = load_vault_keys(pki)
        self.sealer = LotSealer(self.engine, signer=keys.signer, recipient=keys.recipient,
                                policy=LotPolicy(MAX_EVENTS, 300.0))
        self.thread = SealerThread(self.sealer).start()
        self.writer = VaultWriter(self.engine, reactor, on_commit=self.thread.journaled)
        self._sealed_query = select(vault_counters.c.sealed_through).where(vault_counters.c.id_coffre == 1)

    def sealed_through(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(self._sealed_query).scalar_one())

    def stop(self) -> None:
        self.writer.stop()
        self.thread.stop()
        self.engine.dispose()


class Driver:
    """Deposits ``total`` events as fast as the pipeline takes them, ``window`` unconfirmed at
    most (a frontal holds its players' requests until their trace is durable), building and
    depositing ``chunk`` events per reactor turn so that confirmations get their turn too."""

    def __init__(self, pipeline: Pipeline, source: EventSource, total: int, window: int, chunk: int = 100,
                 on_confirmed: Callable[[int], None] | None = None) -> None:
        from twisted.internet import defer, reactor

        self._reactor = reactor
        self._pipeline = pipeline
        self._source = source
        self.total = total
        self._window = window
        self._chunk = chunk
        self._on_confirmed = on_confirmed
        self.sent = 0
        self.confirmed = 0
        self._scheduled = False
        self.journaled: "defer.Deferred[None]" = defer.Deferred()
        self.first_deposit = 0.0
        self.last_confirmed = 0.0

    def start(self) -> None:
        self.first_deposit = time.perf_counter()
        self._pump()

    def _pump(self) -> None:
        self._scheduled = False
        deposit, build = self._pipeline.writer.deposit, self._source.build
        for _ in range(self._chunk):
            if self.sent >= self.total or self.sent - self.confirmed >= self._window:
                return
            deposit(build(self.sent)).addCallbacks(self._confirmed, self._failed)
            self.sent += 1
        self._schedule()

    def _schedule(self) -> None:
        if not self._scheduled and self.sent < self.total:
            self._scheduled = True
            self._reactor.callLater(0, self._pump)

    def _confirmed(self, _id_evt: int) -> None:
        self.confirmed += 1
        if self._on_confirmed is not None:
            self._on_confirmed(self.confirmed)
        if self.confirmed == self.total:
            self.last_confirmed = time.perf_counter()
            self.journaled.callback(None)
        elif self.sent - self.confirmed <= self._window // 2:
            self._schedule()

    def _failed(self, failure: Any) -> None:
        if not self.journaled.called:
            self.journaled.errback(failure)


async def wait_sealed(pipeline: Pipeline, count: int, poll: float = 0.005) -> float:
    """Poll vault_counters.sealed_through until it reaches ``count``; return when it did."""
    from twisted.internet import reactor, task

    while pipeline.sealed_through() < count:
        await task.deferLater(reactor, poll, lambda: None)
    return time.perf_counter()


def round_to_lots(events: int) -> int:
    return max(MAX_EVENTS, -(-events // MAX_EVENTS) * MAX_EVENTS)


# --- phases ----------------------------------------------------------------------------------

async def throughput(args: argparse.Namespace) -> dict[str, Any]:
    total = round_to_lots(args.events)
    source = EventSource()
    pipeline = Pipeline(args.db_url, args.pki)
    try:
        # Warm-up outside the measure: schema compilation, first lot, SQL statement caches.
        warm = Driver(pipeline, source, MAX_EVENTS, args.window)
        warm.start()
        await warm.journaled
        await wait_sealed(pipeline, MAX_EVENTS)
        base = MAX_EVENTS
        driver = Driver(pipeline, _Offset(source, base), total, args.window)
        groups0 = pipeline.writer.committed_groups
        threads0 = thread_cpu()
        cpu0 = cpu_seconds()
        driver.start()
        await driver.journaled
        sealed_at = await wait_sealed(pipeline, base + total)
        cpu_used = cpu_seconds() - cpu0
        threads1 = thread_cpu()
        groups = pipeline.writer.committed_groups - groups0
    finally:
        pipeline.stop()
    elapsed = sealed_at - driver.first_deposit
    journal_elapsed = driver.last_confirmed - driver.first_deposit
    validation = validation_alone(source, base, total)
    return {"events": total, "seconds": elapsed, "events_per_second": total / elapsed,
            "journaled_per_second": total / journal_elapsed, "seal_tail_seconds": sealed_at - driver.last_confirmed,
            "cpu_per_wall": cpu_used / elapsed, "cpu_us_per_event": cpu_used * 1e6 / total,
            "thread_us_per_event": {role: (threads1[role] - threads0.get(role, 0.0)) * 1e6 / total
                                    for role in threads1},
            "events_per_commit": total / max(groups, 1), "validation_per_second": validation}


class _Offset:
    """The same events, numbered after the warm-up's."""

    def __init__(self, source: EventSource, offset: int) -> None:
        self._source = source
        self._offset = offset

    def build(self, i: int) -> Any:
        return self._source.build(self._offset + i)


def validation_alone(source: EventSource, base: int, total: int, batch: int = 5000) -> float:
    """frontal.xsd.validate_event over the same events, pre-built (in batches, to keep memory
    small); only the validate_event calls are timed."""
    from frontal.xsd import validate_event

    spent = 0.0
    for start in range(base, base + total, batch):
        elements = [source.build(i) for i in range(start, min(start + batch, base + total))]
        t0 = time.perf_counter()
        for element in elements:
            validate_event(element)
        spent += time.perf_counter() - t0
    return total / spent


async def latency(args: argparse.Namespace) -> dict[str, Any]:
    """Deposits paced by a LoopingCall at ``rate`` events/s: every tick deposits the events
    due by then (LoopingCall's ticks are ~1 ms apart, not exact). Latency from the deposit()
    call to its Deferred firing, and also from the event's slot on the schedule (which adds
    the reactor's lateness: what a request arriving on time would see)."""
    from twisted.internet import defer, task

    source = EventSource()
    pipeline = Pipeline(args.db_url, args.pki)
    rate, warmup, seconds = args.rate, args.warmup, args.seconds
    total = int(rate * (warmup + seconds))
    from_call: list[float] = []
    from_slot: list[float] = []
    state = {"sent": 0, "confirmed": 0}
    done: defer.Deferred[None] = defer.Deferred()
    start = time.perf_counter()

    def confirmed(_id: int, index: int, slot: float, called: float) -> None:
        now = time.perf_counter()
        if index >= rate * warmup:
            from_call.append(now - called)
            from_slot.append(now - slot)
        state["confirmed"] += 1
        if state["confirmed"] == total:
            done.callback(None)

    def tick(_count: int) -> None:
        due = min(total, int((time.perf_counter() - start) * rate) + 1)
        while state["sent"] < due:
            index = state["sent"]
            event = source.build(index)
            called = time.perf_counter()
            pipeline.writer.deposit(event).addCallback(confirmed, index, start + index / rate, called)
            state["sent"] += 1
        if state["sent"] >= total:
            loop.stop()

    loop = task.LoopingCall.withCount(tick)
    cpu0 = cpu_seconds()
    try:
        loop.start(1.0 / rate, now=True)
        await done
        end = time.perf_counter()
        sealed = pipeline.sealed_through()
        cpu_used = cpu_seconds() - cpu0
    finally:
        pipeline.stop()
    return {"events": len(from_call), "rate": rate, "seconds": seconds, "achieved_rate": total / (end - start),
            "call_ms": percentiles(from_call), "slot_ms": percentiles(from_slot),
            "sealed_lag_events": total - sealed, "sealed_events": sealed, "journaled_events": total,
            "run_seconds": end - start, "cpu_per_wall": cpu_used / (end - start)}


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50": at(0.50), "p99": at(0.99), "p999": at(0.999), "max": ordered[-1] * 1000}


async def memory(args: argparse.Namespace) -> dict[str, Any]:
    import psutil

    process = psutil.Process()
    total = round_to_lots(args.events)
    source = EventSource()
    pipeline = Pipeline(args.db_url, args.pki)
    start = time.perf_counter()
    rss0 = process.memory_info().rss

    def emit(kind: str, confirmed: int) -> None:
        print(kind, json.dumps({"events": confirmed, "seconds": time.perf_counter() - start,
                                "rss": process.memory_info().rss, "sealed_through": pipeline.sealed_through()}),
              flush=True)

    def checkpoint(confirmed: int) -> None:
        if confirmed % args.checkpoint == 0 and confirmed != total:
            emit("CHECKPOINT", confirmed)

    driver = Driver(pipeline, source, total, args.window, on_confirmed=checkpoint)
    try:
        driver.start()
        await driver.journaled
        sealed_at = await wait_sealed(pipeline, total)
        emit("CHECKPOINT", total)
    finally:
        pipeline.stop()
    db_bytes = 0
    if args.db_url.startswith("sqlite:///"):
        path = Path(args.db_url[len("sqlite:///"):])
        db_bytes = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {"events": total, "seconds": sealed_at - start, "rss_before": rss0, "db_bytes": db_bytes,
            "sealer_failures": pipeline.thread.failures}


async def profile(args: argparse.Namespace) -> dict[str, Any]:
    """The throughput phase under cProfile, one profiler per thread (reactor, writer, sealer)."""
    import cProfile
    import io
    import pstats
    import threading

    profiles: dict[str, cProfile.Profile] = {}
    # CPU time of the calling thread by default: on one shared core, wall-clock profiles charge
    # every function with the time its thread waited for the GIL or a lock.
    timer = time.thread_time if args.clock == "cpu" else time.perf_counter
    original_run = threading.Thread.run

    def profiled_run(self: threading.Thread) -> None:
        profiler = profiles.setdefault(self.name, cProfile.Profile(timer))
        profiler.enable()
        try:
            original_run(self)
        finally:
            profiler.disable()

    threading.Thread.run = profiled_run  # type: ignore[method-assign]
    total = round_to_lots(args.events)
    source = EventSource()
    pipeline = Pipeline(args.db_url, args.pki)
    main = profiles.setdefault("reactor (main)", cProfile.Profile(timer))
    try:
        warm = Driver(pipeline, source, MAX_EVENTS, args.window)
        warm.start()
        await warm.journaled
        await wait_sealed(pipeline, MAX_EVENTS)
        driver = Driver(pipeline, _Offset(source, MAX_EVENTS), total, args.window)
        cpu0 = cpu_seconds()
        main.enable()
        driver.start()
        await driver.journaled
        sealed_at = await wait_sealed(pipeline, MAX_EVENTS + total)
        main.disable()
        cpu_used = cpu_seconds() - cpu0
    finally:
        pipeline.stop()
        threading.Thread.run = original_run  # type: ignore[method-assign]
    elapsed = sealed_at - driver.first_deposit
    print(f"profiled run: {total} events in {elapsed:.2f} s ({total / elapsed:.0f} events/s under cProfile), "
          f"CPU {cpu_used:.2f} s = {cpu_used * 1e6 / total:.0f} us/event")
    combined: pstats.Stats | None = None
    for name, profiler in profiles.items():
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        print(f"\n=== thread {name}: {stats.total_tt:.2f} s profiled ===")  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(args.top)
        print(_trim(out.getvalue()))
        if combined is None:
            combined = pstats.Stats(profiler, stream=out)
        else:
            combined.add(profiler)
    if combined is not None:
        out = io.StringIO()
        combined.stream = out  # type: ignore[attr-defined]
        print(f"\n=== all threads, by own time (tottime) ===")
        combined.sort_stats("tottime").print_stats(args.top)
        print(_trim(out.getvalue()))
    return {"events": total, "seconds": elapsed}


async def stages(args: argparse.Namespace) -> dict[str, Any]:
    """CPU per event of each stage run alone, on one thread, no reactor traffic: what the
    pipeline would cost with no thread hand-offs. Same events, same fresh-database setup."""
    from frontal.vault import journal
    from frontal.vault.journal import Deposit, prepare
    from frontal.xsd import validate_event

    total = round_to_lots(args.events)
    source = EventSource()
    pipeline = Pipeline(args.db_url, args.pki)
    pipeline.writer.stop()  # the stages below call the same functions directly
    pipeline.thread.stop(seal_everything=False)
    try:
        cost: dict[str, float] = {}
        t0 = time.thread_time()
        events = [source.build(i) for i in range(total)]
        cost["build (frontal.builders.pasp, includes 1 validate_event)"] = time.thread_time() - t0
        t0 = time.thread_time()
        for element in events:
            validate_event(element)
        cost["  of which validate_event"] = time.thread_time() - t0
        t0 = time.thread_time()
        for i, element in enumerate(events):
            prepare(Deposit(element), 1)
        cost["journal.prepare (copy, validate_event, C14N)"] = time.thread_time() - t0
        t0 = time.thread_time()
        for start in range(0, total, 500):  # VaultWriter's max_group
            with pipeline.engine.begin() as connection:
                journal.append(connection, 1, [Deposit(e) for e in events[start:start + 500]])
        cost["journal.append + commit, groups of 500 (includes prepare)"] = time.thread_time() - t0
        del events
        t0 = time.thread_time()
        pipeline.sealer.seal_ready()
        cost["LotSealer.seal_ready (lots of 100: sign, TSA, zlib, AES, RSA-OAEP, store)"] = time.thread_time() - t0
        if pipeline.sealed_through() != total:
            raise RuntimeError("stages: not everything sealed")
    finally:
        pipeline.engine.dispose()
    return {"events": total, "us_per_event": {name: seconds * 1e6 / total for name, seconds in cost.items()}}


def _trim(text: str) -> str:
    """pstats output without its preamble lines; file paths shortened to the repo or package."""
    keep = []
    started = False
    for line in text.splitlines():
        if line.lstrip().startswith("ncalls"):
            started = True
        if started and line.strip():
            for prefix in (sysconfig.get_paths()["purelib"] + "/", sysconfig.get_paths()["stdlib"] + "/", str(REPO) + "/"):
                line = line.replace(prefix, "")
            keep.append(line)
    return "\n".join(keep)


PHASES = {"throughput": throughput, "latency": latency, "memory": memory, "profile": profile, "stages": stages}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--pki", type=Path, required=True)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--core", type=int, default=-1)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--window", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--checkpoint", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    pin(args.core)  # before the reactor, the writer and the sealer start their threads
    sys.path.insert(0, str(REPO))

    from twisted.internet import defer, reactor

    outcome: list[Any] = []

    def run() -> None:
        d = defer.Deferred.fromCoroutine(PHASES[args.phase](args))
        d.addCallbacks(outcome.append, lambda f: outcome.append(f) or f.printTraceback(file=sys.stderr))
        d.addBoth(lambda _: reactor.stop())  # type: ignore[attr-defined]

    reactor.callWhenRunning(run)  # type: ignore[attr-defined]
    reactor.run()  # type: ignore[attr-defined]
    if not outcome or not isinstance(outcome[0], dict):
        sys.exit(1)
    print("RESULT " + json.dumps(outcome[0]), flush=True)


if __name__ == "__main__":
    main()

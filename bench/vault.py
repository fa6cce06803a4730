"""The frontal's vault pipeline on one core: build -> XSD -> journal (group commit) -> sealed lots.

    .venv/bin/python bench/vault.py [--events 1000000] [--throughput-events 50000] [--repeats 3]
                                    [--rate 1000] [--seconds 10] [--db-url postgresql://...] [--core N]
    .venv/bin/python bench/vault.py --profile 10000     # where the time goes, instead of the measures

Each measure runs in a child process (bench/_vault_pipeline.py) pinned to one core with
os.sched_setaffinity; the reactor, VaultWriter's writer thread and the SealerThread share
that core and the GIL. An event is built by frontal.builders.pasp (three PASPMISE to one
PASPGAIN; the builder validates it against the XSD), deposited with VaultWriter.deposit
(which, on its own thread, copies it, writes IDEvt and IDCoffre, validates it again, puts it
in canonical form and journals it in group commits, durable before the Deferred fires), and sealed by SealerThread(LotSealer, LotPolicy(100, 300 s)): XAdES-T signature
with the local RFC 3161 TSA, zlib, AES-256-GCM, RSA-OAEP. A fresh database per child:
SQLite (WAL, synchronous=FULL) in a temporary directory, or with --db-url a database created
on that PostgreSQL server and dropped afterwards.

Prints:
  1. pipeline events/s, first deposit -> vault_counters.sealed_through reaches the count,
     deposits kept at most --window unconfirmed (median of --repeats runs); the CPU of the
     pinned process per event, in all and by thread (psutil), and the events per journal
     commit. On a shared machine the wall-clock rate varies with the neighbours; compare
     the CPU per event;
  2. frontal.xsd.validate_event alone over the same events, pre-built, same core (median);
  3. both and their ratio;
  4. p50/p99 latency from the deposit() call to its Deferred firing (the event is durable),
     deposits paced at --rate by a LoopingCall for --seconds after a 1 s warm-up;
  5. RSS every --checkpoint events while --events go through the pipeline, and the time.
Targets (issue): >= 5,000 events/s on one core, p99 < 20 ms at 1,000 events/s, flat memory.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CHILD = REPO / "bench" / "_vault_pipeline.py"

TARGET_EVENTS_PER_SECOND = 5000
TARGET_P99_MS = 20.0
FLAT_MIB = 16.0
MAX_LOT = 100  # RSS growth after the first checkpoint below this counts as flat


@contextmanager
def fresh_database(args: argparse.Namespace, work: Path, name: str) -> Iterator[str]:
    """A new empty database for one child: a SQLite file, or a PostgreSQL database created
    for the run and dropped after it (as tests/support.py fresh_pg_database does)."""
    if not args.db_url:
        path = work / f"{name}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            for file in work.glob(f"{name}.sqlite3*"):
                file.unlink()
        return
    import sqlalchemy as sa

    from server.db.engine import normalize_url

    database = "croupier_bench_" + secrets.token_hex(6)
    admin = sa.create_engine(normalize_url(args.db_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{database}"')
    url = sa.engine.make_url(normalize_url(args.db_url)).set(database=database).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE datname = '{database}' AND pid <> pg_backend_pid()")
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}"')
        admin.dispose()


def child_command(args: argparse.Namespace, phase: str, pki: Path, db_url: str, **options: Any) -> list[str]:
    cmd = [sys.executable, str(CHILD), phase, "--pki", str(pki), "--db-url", db_url, "--core", str(args.core),
           "--window", str(args.window)]
    for key, value in options.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    return cmd


def run_child(cmd: list[str], echo: Any = None) -> dict[str, Any]:
    """Run one child; ``echo`` sees each CHECKPOINT line as it arrives; return its RESULT."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    result: dict[str, Any] | None = None
    passthrough: list[str] = []
    for line in proc.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
        elif line.startswith("CHECKPOINT ") and echo is not None:
            echo(json.loads(line[len("CHECKPOINT "):]))
        else:
            passthrough.append(line)
    errors = proc.stderr.read()
    proc.wait()
    if passthrough:
        print("".join(passthrough), end="", flush=True)
    if proc.returncode != 0 or result is None:
        raise RuntimeError(f"{' '.join(cmd[2:4])} failed (exit {proc.returncode}):\n{errors}")
    return result


def verdict(ok: bool) -> str:
    return "OK" if ok else "BELOW TARGET"


def describe(args: argparse.Namespace, work: Path) -> str:
    if args.db_url:
        from sqlalchemy.engine import make_url

        return f"PostgreSQL {make_url(args.db_url).set(password=None).render_as_string()} (fresh database a run; the server's processes are not pinned)"
    fs = "?"
    try:
        best = ""
        for line in Path("/proc/mounts").read_text().splitlines():
            _, mount, kind, *_ = line.split()
            if str(work).startswith(mount) and len(mount) > len(best):
                best, fs = mount, kind
    except OSError:
        pass
    return f"SQLite WAL synchronous=FULL in {work} ({fs}), fresh file a run"


def throughput(args: argparse.Namespace, pki: Path, work: Path) -> None:
    runs = []
    for n in range(args.repeats):
        with fresh_database(args, work, f"throughput{n}") as url:
            runs.append(run_child(child_command(args, "throughput", pki, url, events=args.throughput_events)))
    pipeline = statistics.median(r["events_per_second"] for r in runs)
    journaled = statistics.median(r["journaled_per_second"] for r in runs)
    validation = statistics.median(r["validation_per_second"] for r in runs)
    tail = statistics.median(r["seal_tail_seconds"] for r in runs)
    cpu_us = statistics.median(r["cpu_us_per_event"] for r in runs)
    busy = statistics.median(r["cpu_per_wall"] for r in runs)
    events = runs[0]["events"]
    print(f"\nthroughput: {events:,} events a run, median of {args.repeats} runs "
          f"(after 100 warm-up events; at most {args.window} deposits unconfirmed)")
    print(f"  {'':48s} {'events/s':>10s}   runs")
    print(f"  {'1. pipeline: first deposit -> all sealed':48s} {pipeline:10,.0f}   "
          f"{[round(r['events_per_second']) for r in runs]}   target >= {TARGET_EVENTS_PER_SECOND:,} "
          f"{verdict(pipeline >= TARGET_EVENTS_PER_SECOND)}")
    print(f"  {'   (journal only: first deposit -> all confirmed)':48s} {journaled:10,.0f}   "
          f"{[round(r['journaled_per_second']) for r in runs]}   sealing finished {tail:.2f} s after the last confirmation")
    print(f"  {'   (CPU of the pinned process per event)':48s} {cpu_us:10.0f} us  "
          f"core busy {busy:.0%} of the wall time")
    by_thread = "  ".join(
        f"{role} {statistics.median(r['thread_us_per_event'].get(role, 0.0) for r in runs):.0f}"
        for role in ("reactor", "writer", "sealer", "other") if any(role in r["thread_us_per_event"] for r in runs))
    print(f"  {'   (the same by thread, us per event)':48s} {by_thread}   (reactor: build, deposit, confirm; "
          f"writer: copy, XSD, C14N, journal, commit; sealer: sign, TSA, zlib, AES, RSA-OAEP, store)")
    print(f"  {'   (events per journal commit, median)':48s} "
          f"{statistics.median(r['events_per_commit'] for r in runs):10.1f}")
    print(f"  {'2. XSD validation alone (validate_event)':48s} {validation:10,.0f}   "
          f"{[round(r['validation_per_second']) for r in runs]}")
    print(f"  {'3. ratio pipeline / validation alone':48s} {pipeline / validation:10.3f}   "
          f"(validation alone is {validation / pipeline:.0f}x the pipeline)")


def latency(args: argparse.Namespace, pki: Path, work: Path) -> None:
    with fresh_database(args, work, "latency") as url:
        r = run_child(child_command(args, "latency", pki, url, rate=args.rate, seconds=args.seconds))
    call, slot = r["call_ms"], r["slot_ms"]
    print(f"\n4. latency at {args.rate:,} events/s for {args.seconds:g} s (LoopingCall pacing, 1 s warm-up not counted; "
          f"{r['events']:,} events, achieved {r['achieved_rate']:,.0f} events/s, core busy {r['cpu_per_wall']:.0%})")
    print(f"  {'':48s} {'p50':>8s} {'p99':>8s} {'p99.9':>8s} {'max':>8s}")
    print(f"  {'deposit() called -> Deferred fired (ms)':48s} {call['p50']:8.2f} {call['p99']:8.2f} "
          f"{call['p999']:8.2f} {call['max']:8.2f}   target p99 < {TARGET_P99_MS:g} ms "
          f"{verdict(call['p99'] < TARGET_P99_MS)}")
    print(f"  {'   from the paced slot, incl. reactor lag (ms)':48s} {slot['p50']:8.2f} {slot['p99']:8.2f} "
          f"{slot['p999']:8.2f} {slot['max']:8.2f}")
    print(f"  sealing meanwhile: {r['sealed_events']:,} of {r['journaled_events']:,} events sealed when the last "
          f"deposit was confirmed ({r['sealed_events'] / r['run_seconds']:,.0f} events/s; a backlog over "
          f"{MAX_LOT} means the sealer did not keep up)")


def memory(args: argparse.Namespace, pki: Path, work: Path) -> None:
    print(f"\n5. memory: {args.events:,} events through the pipeline, RSS of the pinned process every "
          f"{args.checkpoint:,} confirmed events")
    print(f"  {'events':>10s} {'elapsed s':>10s} {'events/s':>9s} {'RSS MiB':>9s} {'sealed_through':>15s}", flush=True)
    points: list[dict[str, Any]] = []

    def show(point: dict[str, Any]) -> None:
        points.append(point)
        print(f"  {point['events']:10,d} {point['seconds']:10.1f} {point['events'] / point['seconds']:9,.0f} "
              f"{point['rss'] / 2**20:9.1f} {point['sealed_through']:15,d}", flush=True)

    with fresh_database(args, work, "memory") as url:
        r = run_child(child_command(args, "memory", pki, url, events=args.events, checkpoint=args.checkpoint),
                      echo=show)
    first, last = points[0], points[-1]
    growth = (last["rss"] - first["rss"]) / 2**20
    spread = (max(p["rss"] for p in points) - min(p["rss"] for p in points)) / 2**20
    print(f"  RSS {r['rss_before'] / 2**20:.1f} MiB after setup; {first['rss'] / 2**20:.1f} MiB at "
          f"{first['events']:,} -> {last['rss'] / 2**20:.1f} MiB at {last['events']:,}: {growth:+.1f} MiB "
          f"(range {spread:.1f} MiB)   target flat (< {FLAT_MIB:g} MiB growth) {'OK' if growth < FLAT_MIB else 'NOT FLAT'}")
    size = f"; database files {r['db_bytes'] / 2**20:,.0f} MiB" if r["db_bytes"] else ""
    print(f"  elapsed {r['seconds']:.1f} s for {r['events']:,} events ({r['events'] / r['seconds']:,.0f} events/s, "
          f"first deposit -> all sealed){size}; sealer failures {r['sealer_failures']}")


def profile(args: argparse.Namespace, pki: Path, work: Path) -> None:
    with fresh_database(args, work, "stages") as url:
        r = run_child(child_command(args, "stages", pki, url, events=args.profile))
    print(f"stages run alone, one thread, CPU us per event ({r['events']:,} events):")
    for name, us in r["us_per_event"].items():
        print(f"  {us:8.1f}  {name}")
    print()
    with fresh_database(args, work, "profile") as url:
        run_child(child_command(args, "profile", pki, url, events=args.profile, top=args.top, clock=args.clock))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events for the memory run (0: skip it)")
    parser.add_argument("--checkpoint", type=int, default=100_000, help="RSS every this many events")
    parser.add_argument("--throughput-events", type=int, default=50_000, help="events a throughput run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--window", type=int, default=1000, help="unconfirmed deposits at most (throughput, memory)")
    parser.add_argument("--rate", type=int, default=1000, help="paced events/s for the latency run")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the latency run")
    parser.add_argument("--db-url", default="", help="PostgreSQL server to create throw-away databases on "
                        "(default: SQLite files in a temporary directory)")
    parser.add_argument("--tmpdir", default=None, help="where the temporary directory goes (SQLite files, PKI)")
    parser.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)), help="CPU the children are pinned to")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="instead of the measures: per-stage costs and a cProfile of a pipeline run of N events")
    parser.add_argument("--top", type=int, default=10, help="functions shown per thread with --profile")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="cProfile timer with --profile: thread CPU time (default) or wall clock")
    args = parser.parse_args()
    if args.db_url and not args.db_url.startswith(("postgresql", "postgres")):
        parser.error("--db-url takes a PostgreSQL URL (SQLite is the default, one fresh file a run)")

    from frontal.pki import init_pki

    work = Path(tempfile.mkdtemp(prefix="vault-bench-", dir=args.tmpdir))
    started = time.perf_counter()
    try:
        pki = init_pki(work / "pki").directory
        print(f"vault pipeline, one core: child processes pinned to CPU {args.core} (os.sched_setaffinity) of "
              f"{os.cpu_count()}; reactor, writer thread and sealer thread share it and the GIL")
        print(f"  events: frontal.builders.pasp, 3 PASPMISE : 1 PASPGAIN; lots: LotPolicy(max_events=100, 300 s), "
              f"XAdES-T + local RFC 3161 TSA, zlib + AES-256-GCM + RSA-OAEP")
        print(f"  store: {describe(args, work)}; load average {os.getloadavg()[0]:.2f} at start", flush=True)
        if args.profile:
            profile(args, pki, work)
            return
        throughput(args, pki, work)
        latency(args, pki, work)
        if args.events:
            memory(args, pki, work)
        print(f"\ntotal bench time {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.2f} at the end")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

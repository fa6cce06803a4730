"""Cash tables under load: bots over real WebSockets on loopback, the whole frontal on.

    .venv/bin/python bench/room.py [--tables 10,100,1000] [--players 3] [--think 1] [--seconds 30]
                                   [--windows 3] [--warmup 5] [--between 0.2] [--clock 15] [--procs 2]
                                   [--db-url postgresql://...] [--no-db-timing] [--profile] [--stacks N]

For each table count: a fresh ``croupier serve`` child (bench/_room_server.py runs the real
command, its threads named for the kernel), SQLite in a temporary directory (WAL,
synchronous=FULL) or with --db-url a database created on that PostgreSQL server and dropped
afterwards; the vault journal and the sealer on as in production (lots of 100 events,
XAdES-T with the local staging TSA, encrypted); a staging banned-players DNS server
(``croupier interdits serve``) for the account openings. The operator API creates the
tables (6 seats, blinds 5/10 cents, buy-in 4 to 10 euros, rake 5 % capped at 50 cents,
--clock seconds to decide); --procs client processes (bench/_room_client.py) hold the bots,
a table's players all in one process, one WebSocket per player. Server settings for a load
run: cardroom.between_hands_seconds = --between, ws.rate_per_second 1000 (burst 1000),
accounts.scrypt_n 1024; everything else is the production default.

Set-up, not measured: every player opens a regulated account over the protocol like a
person (open_account with the banned-players lookup and scrypt, accept_terms, set_limits,
deposit, ack of CPTEALIM: OUVINFOPERSO, OKCONDGENE, PREFCPTE, CPTEALIM in the vault),
--concurrency at a time per client process, then sits down at a given seat (table_join:
POINSCRIT, POCAVE). scrypt_n=1024 as the tests do: the production cost (16384) only slows
the set-up, no password is checked while playing. --players per table (3 by default: 3,000
accounts for 1,000 tables) keeps the largest set-up within a few minutes on two cores; the
printed set-up rate (accounts opened per second with the frontal on) is a figure too.

Measured, after --warmup seconds of play: --windows windows of --seconds/--windows each.
The bots act on ``your_turn`` after a think time uniform from 0 to 2 x --think seconds
(default 1 s: about one decision a second at a 3-player table, two to three times the pace
of six people at an online 6-max table; --think 0 acts at once, a closed loop whose
throughput is the server's capacity whatever the number of tables), acknowledge every
notice (POPARTIE per seat per hand: its trace goes to the vault on acknowledgement) and top
up when they bust (POCAVE). Columns, per window:

  hands/s        hand_result events, counted once per table
  decisions/s    the bots' actions the server accepted (acted broadcasts for their seats)
  p50/p99/max    ms, in the bot's process (time.monotonic), from handing table_act to the
                 transport to the arrival of the ``acted`` broadcast for its seat, same hand
  ack p99        ms, ack sent -> its result: the POPARTIE trace is durable in the vault then
  timeouts       the bots' seats folded by the clock (the server did not keep up)
  server         % of one core, the server process (/proc/PID/stat); then by thread
                 (/proc/PID/task/TID/schedstat): reactor (the main thread), db (the pool),
                 writer and sealer (the vault's), other
  r.wait         % of the time the reactor thread was runnable but waiting for a core
  clients        % of one core, the busiest client process (each is single-threaded)
  others         % of one core used by every other process (neighbours on a shared machine;
                 with --db-url, PostgreSQL's own processes too)
  machine        % of all cores busy (/proc/stat)

Then the median of the windows and ``all`` (the windows pooled: percentiles over every
sample), and, unless --no-db-timing, the server's database and vault-journal transactions
over the measured windows, timed by wrappers the server child installs around
``Database.transaction`` and ``VaultWriter._transaction`` (the server's code is unchanged;
a few microseconds per transaction): transactions/s, the pool's busy share split into CPU,
waiting for a core and blocked (the GIL, SQLite's lock, fsync), and p50/p99 of the wait for
a pool thread, the body, the COMMIT and the wait for the reactor to take the result; for
the vault, commits/s, events per commit, and the wait for the write lock and BEGIN.
After each table count the server is stopped cleanly (last lot sealed) and the vault's
journal is counted by event type.

The summary: medians per table count, decisions per table as a ratio of the smallest
count's, the target (p99 < 100 ms at 100 tables, no clock time-outs) and where it breaks:
the first table count with p99 >= 100 ms, time-outs, or less than half the per-table pace,
and what was saturated (the database pool, the reactor thread, a client process, the
machine's cores). The machine is shared: quote medians, and read ``others``.

--switch-interval S sets the server's sys.setswitchinterval (an experiment on the GIL, not a
server setting). --profile runs the reactor thread under cProfile (slower: compare with a run without it)
and prints its top functions. --stacks N sends SIGUSR1 N times across the measured windows
(the server's faulthandler dump of every thread) and prints, per thread, how often it was
busy and where. The dump is taken on the reactor thread holding the GIL (server/app.py,
install_stack_dump: faulthandler's own signal handler read the frames of a thread running
meanwhile, and the server died of it): the reactor is seen where it came back to the
interpreter, the other threads where they wait (the GIL, a lock, C code). If the server
dies anyway, the run is cut short and says so. Players join at explicit seats, so the
set-up is the same from run to run.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, IO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET_P99_MS = 100.0
TARGET_TABLES = 100
SECRET = "bench-room-interdits-secret"
CLK_TCK = os.sysconf("SC_CLK_TCK")
BUY_IN_CENTS = 1000
DEPOSIT_CENTS = 100_000
TABLE = {"small_blind_cents": 5, "big_blind_cents": 10, "seats": 6, "buy_in_min_cents": 400,
         "buy_in_max_cents": BUY_IN_CENTS, "rake_percent": "5", "rake_cap_cents": 50}
SERVER_SCRIPT = REPO / "bench" / "_room_server.py"
SATURATED = 85.0  # % of one core: a single-threaded part that busy is the bottleneck


# -- /proc ------------------------------------------------------------------------------------------

def _stat_cpu(path: str) -> float:
    with open(path) as handle:
        fields = handle.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def process_cpu(pid: int) -> float:
    """CPU seconds of a process, all its threads."""
    return _stat_cpu(f"/proc/{pid}/stat")


def thread_cpu(pid: int) -> dict[int, tuple[str, float, float]]:
    """tid -> (role, CPU seconds, seconds spent runnable but waiting for a core) for each live
    thread (/proc/PID/task/TID/schedstat); the main thread is the reactor."""
    result = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as handle:
                name = handle.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as handle:
                cpu_ns, wait_ns, _ = (int(x) for x in handle.read().split())
        except OSError:
            continue
        role = "reactor" if int(tid) == pid else name if name in ("db", "vault-writer", "vault-sealer") else "other"
        result[int(tid)] = (role, cpu_ns / 1e9, wait_ns / 1e9)
    return result


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all cores."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return total - idle, total


# -- child processes --------------------------------------------------------------------------------

def start_dns(directory: Path) -> tuple[subprocess.Popen[str], str]:
    listing = directory / "interdits.csv"
    listing.write_text("Jean;Dupont;19700228;TROUVILLE-SUR-MER;SEINE-MARITIME;FRANCE;\n")
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "interdits", "serve", "--list", str(listing),
                                "--secret", SECRET, "--port", "0"], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"on (127\.0\.0\.1:\d+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"interdits server did not start: {line!r}")
    return process, match.group(1)


@dataclass
class Server:
    data_dir: Path
    db_url: str
    settings: dict[str, Any]
    profile: Path | None = None
    switch_interval: float = 0.0
    db_timing: Path | None = None
    process: subprocess.Popen[str] | None = None
    ready: dict[str, Any] = field(default_factory=dict)
    stderr: IO[str] | None = None

    def start(self) -> "Server":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(SERVER_SCRIPT)]
        if self.profile is not None:
            cmd += ["--profile", str(self.profile)]
        if self.switch_interval:
            cmd += ["--switch-interval", str(self.switch_interval)]
        if self.db_timing is not None:
            cmd += ["--db-timing", str(self.db_timing)]
        cmd += ["serve", "--data-dir", str(self.data_dir), "--db-url", self.db_url, "--ws-port", "0",
                "--api-port", "0"]
        for key, value in self.settings.items():
            cmd += ["--set", f"{key}={value}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("CROUPIER_")}
        self.stderr = open(self.data_dir / "server.stderr", "w")
        self.process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=self.stderr,
                                        text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("CROUPIER READY "):
                self.ready = json.loads(line[len("CROUPIER READY "):])
                threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()  # type: ignore
                return self
        self.process.wait(10)
        raise RuntimeError("the server did not start:\n" + self.stderr_text()[-3000:])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stderr_text(self) -> str:
        return (self.data_dir / "server.stderr").read_text(errors="replace")

    def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        token = (self.data_dir / "operator-token").read_text().strip()
        request = urllib.request.Request(self.ready["api"] + path, data=json.dumps(body).encode(), method=method,
                                         headers={"content-type": "application/json",
                                                  "authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())

    def check_alive(self) -> None:
        assert self.process is not None
        code = self.process.poll()
        if code is not None:
            raise RuntimeError(f"the server died (exit code {code}):\n" + self.stderr_text()[-1500:])

    def stop(self) -> float:
        """SIGTERM (clean stop: the last lot is sealed); the seconds it took."""
        if self.process is None or self.process.poll() is not None:
            if self.process is not None:
                print(f"  the server had ended by itself (exit code {self.process.returncode})", flush=True)
            return 0.0
        t0 = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(180)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        if self.stderr is not None:
            self.stderr.close()
        return time.monotonic() - t0


class Client:
    """One bench/_room_client.py process and its line protocol."""

    def __init__(self, config: dict[str, Any], directory: Path, number: int) -> None:
        path = directory / f"client{number}.json"
        path.write_text(json.dumps(config))
        self.log_path = directory / f"client{number}.stderr"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, str(REPO / "bench" / "_room_client.py"), str(path)],
                                        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                        text=True, bufsize=1)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def receive(self, word: str) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"client process ended:\n{self.log_path.read_text()[-3000:]}")
        got, _, data = line.partition(" ")
        if got != word:
            raise RuntimeError(f"client: expected {word}, got {line[:3000]}")
        return json.loads(data)

    def cpu(self) -> float:
        return process_cpu(self.process.pid)

    def stop(self) -> None:
        try:
            self.send("quit")
            self.process.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(10)
        self.log.close()


def all_of(clients: list[Client], command: str, word: str) -> list[dict[str, Any]]:
    for client in clients:
        client.send(command)
    return [client.receive(word) for client in clients]


def fresh_pg_database(base: str) -> tuple[str, Callable[[], None]]:
    """Create a database for this run on ``base``'s server; return its URL and its dropper."""
    import sqlalchemy as sa

    from server.db.engine import normalize_url

    name = "croupier_bench_" + secrets.token_hex(6)
    admin = sa.create_engine(normalize_url(base), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as c:
            c.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()

    return url, drop


def vault_counts(db_url: str) -> tuple[dict[str, int], int | None]:
    from sqlalchemy import func, select

    from frontal.vault.tables import vault_counters, vault_events
    from server.db.engine import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as c:
            kinds = {name: int(n) for name, n in c.execute(select(vault_events.c.event_name, func.count())
                                                           .group_by(vault_events.c.event_name))}
            sealed = c.execute(select(vault_counters.c.sealed_through)).scalar()
    finally:
        engine.dispose()
    return kinds, sealed


# -- measures ---------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Window:
    seconds: float
    hands: int
    latencies: list[float]
    acks: list[float]
    timeouts: int
    retries: int
    top_ups: int
    errors: dict[str, int]
    server_cpu: float  # % of one core
    threads: dict[str, float]  # role -> % of one core
    reactor_wait: float  # % of the time the reactor thread was runnable, waiting for a core
    client_cpu: float  # % of one core, the busiest client
    others: float  # % of one core used by everything but the server and the clients
    machine: float  # % of all cores

    @property
    def hands_per_second(self) -> float:
        return self.hands / self.seconds

    @property
    def decisions_per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def row(self) -> dict[str, float]:
        return {"hands/s": self.hands_per_second, "decisions/s": self.decisions_per_second,
                "p50": pct(self.latencies, 0.5), "p99": pct(self.latencies, 0.99),
                "max": max(self.latencies, default=float("nan")), "ack p99": pct(self.acks, 0.99),
                "timeouts": float(self.timeouts), "server": self.server_cpu,
                **{role: self.threads.get(role, 0.0) for role in ("reactor", "db", "vault-writer", "vault-sealer",
                                                                  "other")},
                "r.wait": self.reactor_wait, "clients": self.client_cpu, "others": self.others,
                "machine": self.machine}


def pooled(windows: list[Window]) -> Window:
    """All the windows as one: percentiles over every sample."""
    seconds = sum(w.seconds for w in windows)

    def mean(get: Callable[[Window], float]) -> float:
        return sum(get(w) * w.seconds for w in windows) / seconds

    roles = {role for w in windows for role in w.threads}
    return Window(seconds, sum(w.hands for w in windows), [x for w in windows for x in w.latencies],
                  [x for w in windows for x in w.acks], sum(w.timeouts for w in windows),
                  sum(w.retries for w in windows), sum(w.top_ups for w in windows), {},
                  mean(lambda w: w.server_cpu), {r: mean(lambda w: w.threads.get(r, 0.0)) for r in roles},
                  mean(lambda w: w.reactor_wait), mean(lambda w: w.client_cpu), mean(lambda w: w.others),
                  mean(lambda w: w.machine))


class Marks:
    """CPU counters at the start of a window."""

    def __init__(self, server: Server, clients: list[Client]) -> None:
        self.at = time.monotonic()
        self.server = process_cpu(server.pid)
        self.threads = thread_cpu(server.pid)
        self.clients = [c.cpu() for c in clients]
        self.machine = machine_cpu()

    def window(self, server: Server, clients: list[Client], reports: list[dict[str, Any]]) -> tuple[Window, "Marks"]:
        now = Marks(server, clients)
        elapsed = now.at - self.at
        threads: dict[str, float] = collections.defaultdict(float)
        reactor_wait = 0.0
        for tid, (role, cpu, wait) in now.threads.items():
            _, cpu_before, wait_before = self.threads.get(tid, (role, 0.0, 0.0))
            threads[role] += (cpu - cpu_before) * 100 / elapsed
            if role == "reactor":
                reactor_wait = (wait - wait_before) * 100 / elapsed
        busy = (now.machine[0] - self.machine[0]) / max(1, now.machine[1] - self.machine[1]) * 100
        server_cpu = (now.server - self.server) * 100 / elapsed
        clients_cpu = [(b - a) * 100 / elapsed for a, b in zip(self.clients, now.clients)]
        errors: collections.Counter[str] = collections.Counter()
        for report in reports:
            errors.update(report["errors"])
        window = Window(
            seconds=elapsed, hands=sum(r["hands"] for r in reports),
            latencies=[x for r in reports for x in r["lat"]], acks=[x for r in reports for x in r["acks"]],
            timeouts=sum(r["timeouts"] for r in reports), retries=sum(r["retries"] for r in reports),
            top_ups=sum(r["top_ups"] for r in reports), errors=dict(errors),
            server_cpu=server_cpu, threads=dict(threads), reactor_wait=reactor_wait, client_cpu=max(clients_cpu),
            others=max(0.0, busy * (os.cpu_count() or 1) - server_cpu - sum(clients_cpu)), machine=busy)
        return window, now


@dataclass
class Outcome:
    tables: int
    windows: list[Window] = field(default_factory=list)
    setup: str = ""
    failure: str = ""
    vault: str = ""
    db: dict[str, float] = field(default_factory=dict)

    def median(self, key: str) -> float:
        values = [w.row()[key] for w in self.windows]
        return statistics.median(values) if values else float("nan")


COLUMNS = (("hands/s", "{:8.1f}"), ("decisions/s", "{:11.0f}"), ("p50", "{:7.1f}"), ("p99", "{:7.1f}"),
           ("max", "{:7.0f}"), ("ack p99", "{:7.1f}"), ("timeouts", "{:8.0f}"), ("server", "{:6.0f}"),
           ("reactor", "{:7.0f}"), ("db", "{:4.0f}"), ("vault-writer", "{:5.0f}"), ("vault-sealer", "{:6.0f}"),
           ("other", "{:5.0f}"), ("r.wait", "{:6.0f}"), ("clients", "{:7.0f}"), ("others", "{:6.0f}"),
           ("machine", "{:7.0f}"))
HEADER = ("  window    hands/s decisions/s  p50 ms  p99 ms  max ms ack p99 timeouts  "
          "server reactor   db writer sealer other r.wait clients others machine")


def print_row(label: str, row: dict[str, float]) -> None:
    cells = " ".join(fmt.format(row[key]) for key, fmt in COLUMNS)
    print(f"  {label:7s} {cells}", flush=True)


# -- stack samples ----------------------------------------------------------------------------------

def sample_stacks(pid: int, count: int, seconds: float, stop: threading.Event) -> threading.Thread:
    def run() -> None:
        for _ in range(count):
            if stop.wait(seconds / count):
                return
            try:
                os.kill(pid, signal.SIGUSR1)
            except ProcessLookupError:
                return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


FRAME = re.compile(r'^\s+File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<func>\S+)')
WAITING = {("threading.py", "wait"), ("threading.py", "_wait_for_tstate_lock"), ("queue.py", "get"),
           ("epollreactor.py", "doPoll"), ("selectors.py", "select"), ("_team.py", "_coordinateThisTask")}


def _short(match: re.Match[str]) -> str:
    path = match["file"]
    path = path[len(str(REPO)) + 1:] if path.startswith(str(REPO) + "/") else "/".join(path.split("/")[-2:])
    return f"{match['func']} ({path.replace('.venv/lib/python3.11/site-packages/', '')}:{match['line']})"


def thread_samples(text: str) -> dict[str, dict[str, Any]]:
    """From faulthandler dumps, per thread role: samples, busy samples (not in a wait), and the
    busy samples' innermost frames and innermost frames in the repository's own code.

    A thread blocked in C (SQLite, a lock, the GIL) shows the Python frame that called it: the
    busy share of a thread is time running *or waiting for the GIL*; its CPU share (from /proc)
    is the running part."""
    roles: dict[str, dict[str, Any]] = {}
    blocks = re.split(r"^(?:Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):\n", text, flags=re.M)
    for block in blocks[1:]:
        frames = [m for m in (FRAME.match(line) for line in block.splitlines()) if m]
        if frames and frames[0]["func"] == "_dump_stacks":  # the signal handler itself, on the reactor
            frames = frames[1:]
        if not frames:
            continue
        files = [m["file"] for m in frames]
        if files[-1].endswith("_room_server.py"):
            role = "reactor"
        elif any(f.endswith("frontal/vault/sealer.py") for f in files):
            role = "vault-sealer"
        elif any(f.endswith("frontal/vault/journal.py") for f in files):
            role = "vault-writer"
        elif any(f.endswith("server/db/pool.py") for f in files):
            role = "db"
        elif any(f.endswith("twisted/python/threadpool.py") or f.endswith("_threads/_team.py") for f in files):
            role = "pool threads (idle)"
        else:
            role = "other"
        entry = roles.setdefault(role, {"samples": 0, "busy": 0, "inner": collections.Counter(),
                                        "ours": collections.Counter()})
        entry["samples"] += 1
        top = frames[0]
        if (top["file"].rsplit("/", 1)[-1], top["func"]) in WAITING:
            continue
        entry["busy"] += 1
        entry["inner"][_short(top)] += 1
        mine = next((m for m in frames if m["file"].startswith(str(REPO) + "/") and "/.venv/" not in m["file"]
                     and not m["file"].endswith(("_room_server.py", "server/cli.py", "server/app.py"))), None)
        entry["ours"][_short(mine) if mine else "(twisted, autobahn, the standard library)"] += 1
    return roles


# -- one table count --------------------------------------------------------------------------------

def run_tables(args: argparse.Namespace, tables: int, work: Path, dns: str, pki: Path) -> Outcome:
    outcome = Outcome(tables)
    directory = work / f"tables-{tables}"
    directory.mkdir()
    drop: Callable[[], None] | None = None
    if args.db_url:
        db_url, drop = fresh_pg_database(args.db_url)
    else:
        db_url = f"sqlite:///{directory / 'data' / 'croupier.sqlite3'}"
    settings = {"accounts.scrypt_n": 1024, "interdits.servers": dns, "interdits.secret": SECRET,
                "vault.pki_dir": str(pki), "cardroom.between_hands_seconds": args.between,
                "ws.rate_per_second": 1000.0, "ws.rate_burst": 1000, "log.level": args.log_level}
    profile = directory / "reactor.prof" if args.profile else None
    timing = directory / "db-timing.json" if args.db_timing else None
    server = Server(directory / "data", db_url, settings, profile, args.switch_interval, timing)
    measured = (0.0, 0.0)
    first: Marks | None = None
    clients: list[Client] = []
    try:
        server.start()
        t0 = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            created = list(pool.map(lambda i: server.api("POST", "/api/poker/tables", {
                "name": f"Bench {i}", **TABLE, "decision_seconds": args.clock}), range(tables)))
        table_ids = [body["table_id"] for status, body in created]
        created_s = time.monotonic() - t0
        procs = max(1, min(args.procs, tables))
        policy = {"fold": 0.1, "raise": 0.25, "all_in": 0.01, "think": args.think, "buy_in": BUY_IN_CENTS}
        run_tag = secrets.token_hex(2)
        assignments: list[list[dict[str, Any]]] = [[] for _ in range(procs)]
        for t, table_id in enumerate(table_ids):
            for s in range(args.players):
                index = t * args.players + s
                assignments[t % procs].append({"login": f"b{run_tag}x{index}", "index": index, "table": table_id,
                                               "seat": s + 1})
        for number, players in enumerate(assignments):
            clients.append(Client({"url": server.ready["ws"], "players": players, "policy": policy,
                                   "concurrency": args.concurrency, "deposit_cents": DEPOSIT_CENTS},
                                  directory, number))
        t0 = time.monotonic()
        all_of(clients, "open", "OPENED")
        opened_s = time.monotonic() - t0
        t0 = time.monotonic()
        all_of(clients, "join", "JOINED")
        joined_s = time.monotonic() - t0
        players = tables * args.players
        outcome.setup = (f"{tables} tables created in {created_s:.1f} s; {players} accounts opened over the protocol "
                         f"in {opened_s:.1f} s ({players / opened_s:.0f}/s); seated in {joined_s:.1f} s")
        print(f"  set-up: {outcome.setup}", flush=True)
        time.sleep(args.warmup)
        all_of(clients, "window", "WINDOW")
        marks = Marks(server, clients)
        measured = (marks.at, marks.at)
        first = marks
        stop = threading.Event()
        sampler = sample_stacks(server.pid, args.stacks, args.seconds, stop) if args.stacks else None
        print(HEADER, flush=True)
        for n in range(args.windows):
            time.sleep(args.seconds / args.windows)
            server.check_alive()
            reports = all_of(clients, "window", "WINDOW")
            window, marks = marks.window(server, clients, reports)
            outcome.windows.append(window)
            print_row(f"{n + 1}/{args.windows}", window.row())
        measured = (measured[0], marks.at)
        stop.set()
        if sampler is not None:
            sampler.join()
        print_row("median", {key: outcome.median(key) for key, _ in COLUMNS})
        print_row("all", pooled(outcome.windows).row())
        errors: collections.Counter[str] = collections.Counter()
        for w in outcome.windows:
            errors.update(w.errors)
        retries = sum(w.retries for w in outcome.windows)
        top_ups = sum(w.top_ups for w in outcome.windows)
        print(f"  over the windows: {sum(len(w.latencies) for w in outcome.windows)} decisions, "
              f"{sum(w.hands for w in outcome.windows)} hands, {top_ups} top-ups, {retries} re-sent after "
              f"notices_pending, errors {dict(errors) or 'none'}", flush=True)
    except Exception as exc:
        outcome.failure = f"{type(exc).__name__}: {str(exc).strip()[:2000]}"
        print(f"  FAILED: {outcome.failure}", flush=True)
    finally:
        for client in clients:
            client.stop()
        stopped = server.stop()
        if server.process is not None:
            try:
                kinds, sealed = vault_counts(db_url)
                total = sum(kinds.values())
                outcome.vault = (f"vault: {total} events journaled ({kinds.get('POPARTIE', 0)} POPARTIE, "
                                 f"{kinds.get('POCAVE', 0)} POCAVE, {kinds.get('OUVINFOPERSO', 0)} OUVINFOPERSO), "
                                 f"sealed through IDEvt {sealed}; clean stop in {stopped:.1f} s")
                print(f"  {outcome.vault}", flush=True)
            except Exception as exc:  # the figures above stand without it
                print(f"  vault: not read ({type(exc).__name__}: {exc})", flush=True)
            if args.stacks:
                print_stacks(server.stderr_text())
            if profile is not None and profile.exists():
                print_profile(profile)
            if timing is not None and timing.exists() and measured[1] > measured[0]:
                assert first is not None
                outcome.db = print_db_timing(json.loads(timing.read_text()), measured, args.db_url,
                                             pool_thread_use(first, marks))
        if drop is not None:
            drop()
    return outcome


def print_stacks(text: str) -> None:
    roles = thread_samples(text)
    dumps = roles.get("reactor", {}).get("samples", 0)
    print(f"  stack samples (SIGUSR1, faulthandler): {dumps} dumps", flush=True)
    for role in ("reactor", "db", "vault-writer", "vault-sealer", "pool threads (idle)", "other"):
        entry = roles.get(role)
        if entry is None:
            continue
        busy = entry["busy"]
        print(f"    {role}: busy in {busy * 100 / max(1, dumps):.0f} % of the dumps "
              f"({busy} of {entry['samples']} thread samples)")
        if busy and role in ("reactor", "db", "vault-writer"):
            for title, counter in (("innermost frame", entry["inner"]), ("innermost repository frame", entry["ours"])):
                print(f"      {title}:")
                for name, n in counter.most_common(10 if role == "reactor" else 5):
                    print(f"        {n * 100 / busy:5.1f} %  {name}")


def pool_thread_use(first: Marks, last: Marks) -> tuple[float, float]:
    """(CPU, runnable waiting for a core) of the database pool's threads over the measured
    windows, in % of one thread's time."""
    cpu = wait = 0.0
    threads = 0
    for tid, (role, c, w) in last.threads.items():
        if role == "db":
            _, c0, w0 = first.threads.get(tid, (role, 0.0, 0.0))
            cpu, wait, threads = cpu + c - c0, wait + w - w0, threads + 1
    seconds = (last.at - first.at) * max(1, threads)
    return cpu * 100 / seconds, wait * 100 / seconds


def print_db_timing(records: dict[str, list[list[float]]], measured: tuple[float, float],
                    pg: str, use: tuple[float, float]) -> dict[str, float]:
    start, end = measured
    seconds = end - start
    rows = [r for r in records.get("db", []) if start <= r[0] < end]
    groups = [g for g in records.get("vault", []) if start <= g[0] < end]

    def ms(values: list[float]) -> str:
        return f"{pct(values, 0.5) * 1000:.1f}/{pct(values, 0.99) * 1000:.1f}"

    threads = 8 if pg else 1
    found: dict[str, float] = {}
    if rows:
        busy = sum(r[2] + r[3] for r in rows) / (seconds * threads) * 100
        found.update(busy=busy, wait_p50=pct([r[1] for r in rows], 0.5) * 1000,
                     wait_p99=pct([r[1] for r in rows], 0.99) * 1000)
        print(f"  database (instrumented, measured windows): {len(rows) / seconds:.0f} transactions/s on {threads} "
              f"pool thread(s), in a transaction {busy:.0f} % of the time: on a core {use[0]:.0f} %, runnable "
              f"waiting for one {use[1]:.0f} %, blocked {max(0.0, busy - use[0] - use[1]):.0f} % (the GIL, "
              f"SQLite's lock, fsync; idle threads count as blocked with PostgreSQL's 8); ms p50/p99: waiting for a "
              f"pool thread {ms([r[1] for r in rows])}, "
              f"body {ms([r[2] for r in rows])}, COMMIT {ms([r[3] for r in rows])}, back on the reactor "
              f"{ms([r[4] for r in rows])}", flush=True)
    if groups:
        events = sum(g[1] for g in groups)
        busy = sum(g[2] + g[3] + g[4] for g in groups) / seconds * 100
        found.update(begin_p99=pct([g[2] for g in groups], 0.99) * 1000)
        print(f"  vault journal (instrumented): {len(groups) / seconds:.0f} commits/s of {events / len(groups):.1f} "
              f"events, its thread in a transaction {busy:.0f} % of the time; ms p50/p99: write lock + BEGIN "
              f"{ms([g[2] for g in groups])}, inserts {ms([g[3] for g in groups])}, COMMIT {ms([g[4] for g in groups])}",
              flush=True)
    return found


def print_profile(path: Path) -> None:
    import io
    import pstats

    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).strip_dirs().sort_stats(order).print_stats(25)
        text = out.getvalue()
        start = text.find("   ncalls")
        print(f"  reactor thread under cProfile, by {order}:")
        print("\n".join("    " + line for line in text[start:].rstrip().splitlines()), flush=True)


# -- summary ----------------------------------------------------------------------------------------

def bottleneck(o: Outcome) -> str:
    reactor = o.median("reactor")
    clients = o.median("clients")
    machine = o.median("machine")
    found = []
    if o.db.get("busy", 0.0) >= SATURATED:
        found.append(f"the server's database pool ({o.db['busy']:.0f} % busy, {o.median('db'):.0f} % CPU: "
                     f"a transaction waits {o.db['wait_p50']:.0f} ms p50, {o.db['wait_p99']:.0f} ms p99 for it)")
    if reactor >= SATURATED:
        found.append(f"the server's reactor thread ({reactor:.0f} % of a core)")
    if clients >= SATURATED:
        found.append(f"a client process ({clients:.0f} % of a core: the bots, not the server)")
    if machine >= 90:
        found.append(f"the machine's cores ({machine:.0f} % busy, {o.median('others'):.0f} % of a core by other "
                     f"processes)")
    return "; ".join(found) or (f"no CPU (reactor {reactor:.0f} %, machine {machine:.0f} %): waiting on the "
                                f"database/fsync or the vault")


def summary(args: argparse.Namespace, outcomes: list[Outcome]) -> None:
    done = [o for o in outcomes if o.windows]
    print(f"\nsummary (medians over {args.windows} windows of {args.seconds / args.windows:g} s; "
          f"{args.players} players/table, think {args.think:g} s, between hands {args.between:g} s, "
          f"clock {args.clock:g} s, {'PostgreSQL' if args.db_url else 'SQLite'})")
    print("  tables  hands/s decisions/s  per table  ratio  p50 ms  p99 ms  timeouts  server %  reactor %  "
          "clients %  machine %")
    base = done[0].median("decisions/s") / done[0].tables if done else float("nan")
    base = base or float("nan")
    for o in outcomes:
        if not o.windows:
            print(f"  {o.tables:6d}  did not run: {(o.failure or 'no window').splitlines()[0]}")
            continue
        per_table = o.median("decisions/s") / o.tables
        print(f"  {o.tables:6d} {o.median('hands/s'):8.1f} {o.median('decisions/s'):11.0f} {per_table:10.2f} "
              f"{per_table / base:6.2f} {o.median('p50'):7.1f} {o.median('p99'):7.1f} {o.median('timeouts'):9.0f} "
              f"{o.median('server'):9.0f} {o.median('reactor'):10.0f} {o.median('clients'):10.0f} "
              f"{o.median('machine'):10.0f}")
    target = next((o for o in done if o.tables == TARGET_TABLES), None)
    if target is not None:
        p99 = target.median("p99")
        verdict = "MET" if p99 < TARGET_P99_MS and target.median("timeouts") == 0 else "NOT MET"
        print(f"  target p99 < {TARGET_P99_MS:.0f} ms at {TARGET_TABLES} tables: {p99:.1f} ms -> {verdict}")
    broken = None
    for o in outcomes:
        reasons = []
        if not o.windows:
            reasons.append(f"could not run ({(o.failure or 'no window').splitlines()[0]})")
        else:
            if o.median("p99") >= TARGET_P99_MS:
                reasons.append(f"p99 {o.median('p99'):.0f} ms")
            if o.median("timeouts") > 0:
                reasons.append(f"{o.median('timeouts'):.0f} clock time-outs a window")
            per_table = o.median("decisions/s") / o.tables
            if per_table < base / 2:
                reasons.append(f"pace per table {per_table / base:.2f} of the {done[0].tables}-table run's")
        if reasons:
            broken = o
            where = bottleneck(o) if o.windows else "see above"
            print(f"  breaks at {o.tables} tables: {', '.join(reasons)}; saturated: {where}")
            break
    if broken is None and done:
        print(f"  holds up to {done[-1].tables} tables (p99 < {TARGET_P99_MS:.0f} ms, no time-outs, pace kept); "
              f"busiest: {bottleneck(done[-1])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", default="10,100,1000", help="table counts, comma-separated")
    parser.add_argument("--players", type=int, default=3, help="players per table (2 to 6)")
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds per table count")
    parser.add_argument("--windows", type=int, default=3, help="the measured seconds in this many windows")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--think", type=float, default=1.0,
                        help="bots' mean thinking time, seconds (uniform from 0 to twice that; 0: at once)")
    parser.add_argument("--between", type=float, default=0.2, help="cardroom.between_hands_seconds")
    parser.add_argument("--clock", type=int, default=15, help="the tables' decision_seconds")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--concurrency", type=int, default=32, help="account openings in flight per client process")
    parser.add_argument("--db-url", default="", help="PostgreSQL server on which a fresh database is created")
    parser.add_argument("--log-level", default="info", help="the server's log.level")
    parser.add_argument("--stacks", type=int, default=0, help="SIGUSR1 stack samples of the server per table count")
    parser.add_argument("--profile", action="store_true", help="the reactor thread under cProfile")
    parser.add_argument("--switch-interval", type=float, default=0.0,
                        help="the server's sys.setswitchinterval (experiment; default: CPython's 0.005 s)")
    parser.add_argument("--no-db-timing", dest="db_timing", action="store_false",
                        help="do not time the server's database and vault transactions")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (data, logs)")
    args = parser.parse_args()
    if not 2 <= args.players <= TABLE["seats"]:
        parser.error("--players: 2 to 6")
    counts = [int(x) for x in args.tables.split(",") if x.strip()]
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    work = Path(tempfile.mkdtemp(prefix="croupier-bench-room-"))
    dns = None
    outcomes: list[Outcome] = []
    try:
        from frontal.pki import init_pki

        pki = init_pki(work / "pki").directory
        dns, dns_address = start_dns(work)
        print(f"bench/room.py: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start", flush=True)
        for tables in counts:
            print(f"\n{tables} tables x {args.players} players (think {args.think:g} s, between hands "
                  f"{args.between:g} s, clock {args.clock} s, {args.procs} client processes)", flush=True)
            outcomes.append(run_tables(args, tables, work, dns_address, pki))
        summary(args, outcomes)
    finally:
        if dns is not None:
            dns.terminate()
            dns.wait(10)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

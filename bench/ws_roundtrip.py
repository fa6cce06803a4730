"""Request/response through the full player protocol stack vs. a bare autobahn echo server.

    .venv/bin/python bench/ws_roundtrip.py [--clients 50] [--seconds 10] [--repeats 3] [--idle 10000]

Both servers run as child processes (one core each at most, like production); the same
client code in this process drives both, one request in flight per client. The full stack
answers `ping` after JSON parsing, schema validation, rate limiting and dispatch on a
logged-in session; the echo server sends the frame back. Prints messages/s and p50/p99
latency (medians over repeats) and the ratio. Then opens --idle player connections (each
greeted and logged in) and prints the server's RSS growth per connection.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from twisted.internet import defer, reactor, task

from client import bot

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password"


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def start_croupier(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "server.cli", "serve", "--data-dir", str(data_dir), "--ws-port", "0",
           "--api-port", "0", "--set", "accounts.scrypt_n=1024", "--set", "log.level=warn",
           "--set", "ws.rate_per_second=100000", "--set", "ws.rate_burst=100000",
           "--set", "accounts.max_sessions_per_player=100000"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("CROUPIER READY "):
            return proc, json.loads(line[len("CROUPIER READY "):])["ws"]
    raise RuntimeError("croupier did not start")


def start_echo() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, str(REPO / "bench" / "_echo_server.py")], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split()[-1]


async def croupier_client(url: str, index: int) -> bot.BotProtocol:
    protocol = await bot.connect(url)
    await bot.greet(protocol)
    login = f"bench{index}"
    reply = await protocol.request("register", login=login, pseudo=login, password=PASSWORD)
    if reply["type"] == "error" and reply["code"] != "login_taken":
        raise RuntimeError(reply)
    await protocol.call("login", login=login, password=PASSWORD)
    return protocol


async def run_load(protocols: list[Any], seconds: float, send_one: Any) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    count = 0

    async def loop(p: Any) -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            await send_one(p)
            latencies.append(time.perf_counter() - t0)
            count += 1

    start = time.perf_counter()
    await defer.gatherResults([defer.Deferred.fromCoroutine(loop(p)) for p in protocols])
    return count / (time.perf_counter() - start), latencies


class EchoClient:
    """Same autobahn client class; one echo in flight, matched by arrival order."""

    def __init__(self, protocol: bot.BotProtocol) -> None:
        self.protocol = protocol
        self.waiter: defer.Deferred[None] | None = None
        protocol.factory.on_message = self._on_message

    def _on_message(self, message: dict[str, Any]) -> None:
        waiter, self.waiter = self.waiter, None
        protocol_list = self.protocol.unsolicited
        protocol_list.clear()
        if waiter is not None:
            waiter.callback(None)

    def ping(self) -> "defer.Deferred[None]":
        self.waiter = defer.Deferred()
        self.protocol.send_raw(json.dumps({"type": "ping", "id": 1}))
        return self.waiter


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def throughput(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    croupier, croupier_url = start_croupier(data_dir / "full")
    echo, echo_url = start_echo()
    results: dict[str, list[tuple[float, float, float, float]]] = {"croupier": [], "echo": []}
    cpu = {"croupier": psutil.Process(croupier.pid), "echo": psutil.Process(echo.pid)}

    async def measure(name: str, clients: list[Any], send_one: Any) -> None:
        before = cpu[name].cpu_times()
        t0 = time.perf_counter()
        rate, lat = await run_load(clients, args.seconds, send_one)
        elapsed = time.perf_counter() - t0
        after = cpu[name].cpu_times()
        used = (after.user + after.system) - (before.user + before.system)
        # Server CPU microseconds per request: independent of whether the client saturates.
        results[name].append((rate, pct(lat, 0.5), pct(lat, 0.99), used * 1e6 / max(1.0, rate * elapsed)))

    try:
        full = [await croupier_client(croupier_url, i) for i in range(args.clients)]
        bare = [EchoClient(await bot.connect(echo_url)) for _ in range(args.clients)]
        for _ in range(args.repeats):
            await measure("croupier", full, lambda p: p.call("ping"))
            await measure("echo", bare, lambda c: c.ping())
    finally:
        croupier.terminate()
        echo.terminate()
        croupier.wait(30)
        echo.wait(30)
    summary = {}
    for name, runs in results.items():
        summary[name] = {
            "messages_per_second": statistics.median(r[0] for r in runs),
            "p50_ms": statistics.median(r[1] for r in runs),
            "p99_ms": statistics.median(r[2] for r in runs),
            "server_cpu_us": statistics.median(r[3] for r in runs),
            "runs": [round(r[0]) for r in runs],
        }
    return summary


async def idle_memory(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    server, url = start_croupier(data_dir / "idle")
    try:
        process = psutil.Process(server.pid)
        # One player, many sessions: the cost measured is the connection's, not scrypt's.
        first = await croupier_client(url, 0)
        await first.call("logout")
        before = process.memory_info().rss
        connections: list[bot.BotProtocol] = []
        t0 = time.perf_counter()
        batch = 250
        for start in range(0, args.idle, batch):
            opened = await defer.gatherResults(
                [bot.connect(url) for _ in range(min(batch, args.idle - start))]
            )
            await defer.gatherResults([defer.Deferred.fromCoroutine(bot.greet(p)) for p in opened])
            await defer.gatherResults([p.call("login", login="bench0", password=PASSWORD) for p in opened])
            connections.extend(opened)
        elapsed = time.perf_counter() - t0
        await task.deferLater(reactor, 2, lambda: None)
        after = process.memory_info().rss
        alive = sum(1 for p in connections if p.state == p.STATE_OPEN)
        check = await connections[-1].call("ping")
        assert check == {"pong": True}
        return {
            "connections": alive,
            "rss_before_mib": before / 2**20,
            "rss_after_mib": after / 2**20,
            "bytes_per_connection": (after - before) / max(1, alive),
            "open_seconds": elapsed,
        }
    finally:
        server.terminate()
        server.wait(60)


async def main_async(args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="croupier-bench-"))
    try:
        summary = await throughput(args, data_dir)
        full, echo = summary["croupier"], summary["echo"]
        print(f"clients={args.clients} seconds={args.seconds} repeats={args.repeats} (medians)")
        for name, row in summary.items():
            print(f"  {name:9s} {row['messages_per_second']:9.0f} msg/s   p50 {row['p50_ms']:6.2f} ms   "
                  f"p99 {row['p99_ms']:6.2f} ms   server CPU {row['server_cpu_us']:6.1f} us/msg   runs {row['runs']}")
        ratio = full["messages_per_second"] / echo["messages_per_second"]
        print(f"  ratio croupier/echo throughput: {ratio:.2f} (target >= 0.50) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
        capacity = echo["server_cpu_us"] / full["server_cpu_us"]
        print(f"  ratio by server CPU per message (capacity when the server is the bottleneck): {capacity:.2f}")
        if args.idle:
            idle = await idle_memory(args, data_dir)
            total = idle["rss_after_mib"]
            print(f"idle: {idle['connections']} logged-in connections opened in {idle['open_seconds']:.1f} s; "
                  f"RSS {idle['rss_before_mib']:.0f} -> {total:.0f} MiB; "
                  f"{idle['bytes_per_connection']:.0f} bytes/connection "
                  f"(target < 1 GiB total) {'OK' if total < 1024 else 'ABOVE TARGET'}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--idle", type=int, default=10000, help="idle connections to hold (0: skip)")
    args = parser.parse_args()
    raise_fd_limit()
    outcome: list[BaseException] = []

    def run() -> defer.Deferred[None]:
        d = defer.Deferred.fromCoroutine(main_async(args))
        d.addErrback(lambda f: outcome.append(f.value) or f.printTraceback())
        d.addBoth(lambda _: reactor.stop())  # type: ignore[attr-defined]
        return d

    reactor.callWhenRunning(run)  # type: ignore[attr-defined]
    reactor.run()  # type: ignore[attr-defined]
    if outcome:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Shared test machinery: real server processes and throw-away PostgreSQL databases."""

from __future__ import annotations

import functools
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
PG_ENV = "CROUPIER_TEST_PG"


def pg_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test module, dropped afterwards."""
    import sqlalchemy as sa

    from server.db.engine import normalize_url

    base = pg_url()
    assert base, f"{PG_ENV} is not set"
    name = "croupier_t_" + secrets.token_hex(6)
    admin = sa.create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


@functools.lru_cache(maxsize=1)
def shared_pki_dir() -> Path:
    """One staging PKI for every server a test run starts (creating one costs ~0.6 s);
    the first-start creation itself is tested with a server given its own directory."""
    from frontal.pki import init_pki

    return init_pki(Path(tempfile.mkdtemp(prefix="croupier-test-pki-")) / "pki").directory


@dataclass
class ServerProcess:
    """``croupier serve`` in a child process, on ephemeral ports."""

    data_dir: Path
    db_url: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None
    ready: dict[str, Any] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "server.cli", "serve", "--data-dir", str(self.data_dir),
               "--ws-port", "0", "--api-port", "0"]
        if self.db_url:
            cmd += ["--db-url", self.db_url]
        settings = {"accounts.scrypt_n": 1024, "log.level": "info", "vault.pki_dir": str(shared_pki_dir()),
                    **self.settings}
        for key, value in settings.items():
            if isinstance(value, list):
                value = ",".join(value)
            cmd += ["--set", f"{key}={value}"]
        return cmd

    def start(self, timeout: float = 30) -> "ServerProcess":
        ready_file = self.data_dir / "ready.json"
        if ready_file.exists():
            ready_file.unlink()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CROUPIER_")}
        self.process = subprocess.Popen(
            self.command(), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith("CROUPIER READY "):
                self.ready = json.loads(line[len("CROUPIER READY "):])
                _drain_in_background(self.process, self.output)
                return self
        self.kill()
        raise RuntimeError("server did not start:\n" + "".join(self.output))

    @property
    def ws_url(self) -> str:
        return str(self.ready["ws"])

    @property
    def api_url(self) -> str:
        return str(self.ready["api"])

    @property
    def token(self) -> str:
        return (self.data_dir / "operator-token").read_text().strip()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self) -> "ServerProcess":
        self.stop()
        return self.start()

    def api(self, method: str, path: str, body: Any = None, token: str | None = "default") -> tuple[int, Any]:
        headers = {"content-type": "application/json"}
        if token == "default":
            token = self.token
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


def _drain_in_background(process: subprocess.Popen[str], sink: list[str]) -> None:
    import threading

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            sink.append(line)

    threading.Thread(target=pump, daemon=True).start()

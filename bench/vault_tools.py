"""The regulator's tools as a function of the number of events (annex 3.1.3: time and memory).

    .venv/bin/python bench/vault_tools.py [--sizes 1000,10000,100000] [--lot 100] [--repeats 3]

For each size, a fresh SQLite vault is filled through the journal and sealed in lots of
--lot events; then `croupier vault export` and `croupier vault verify` run as child
processes, as an auditor would run them. Prints wall time (median of --repeats), peak RSS
of each tool (from wait4), the export's size, and per-event costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' event factory

from frontal.pki import init_pki
from frontal.vault import journal
from frontal.vault.journal import Deposit
from frontal.vault.keys import load_vault_keys
from frontal.vault.sealing import LotPolicy, LotSealer
from server.db import migrate
from server.db.engine import make_engine
from tests.frontal_vault.events import okcondgene

REPO = Path(__file__).resolve().parent.parent


def run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "server.cli", *args], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[:2]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss


def fill(folder: Path, events: int, lot: int) -> str:
    url = f"sqlite:///{folder / 'croupier.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        journal.ensure_vault(connection, 1)
    for start in range(0, events, 1000):
        with engine.begin() as connection:
            journal.append(connection, 1, [Deposit(okcondgene(f"b{i}")) for i in range(start, min(events, start + 1000))])
    keys = load_vault_keys(folder / "pki")
    LotSealer(engine, signer=keys.signer, recipient=keys.recipient, policy=LotPolicy(lot, 300.0)).seal_ready(force=True)
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--lot", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    print(f"{'events':>8} {'lots':>6} {'export s':>9} {'export MiB':>10} {'verify s':>9} {'verify MiB':>10} "
          f"{'file MiB':>9} {'verify us/event':>16}")
    for size in (int(x) for x in options.sizes.split(",")):
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            pki = init_pki(folder / "pki")
            url = fill(folder, size, options.lot)
            export_file, lot_file = folder / "export.jsonl", folder / "lot.xml"
            exports, verifies = [], []
            for _ in range(options.repeats):
                exports.append(run(["vault", "export", "--data-dir", str(folder), "--db-url", url,
                                    "--from-id", "0", "--out", str(export_file)]))
                verifies.append(run(["vault", "verify", "--in", str(export_file), "--key",
                                     str(pki.key("regulator-encryption")), "--passphrase-file",
                                     str(pki.regulator_passphrase), "--ca", str(pki.cert("ca")),
                                     "--out", str(lot_file)]))
            export_s = statistics.median(t for t, _ in exports)
            verify_s = statistics.median(t for t, _ in verifies)
            print(f"{size:>8} {-(-size // options.lot):>6} {export_s:>9.2f} {max(r for _, r in exports) / 1024:>10.1f} "
                  f"{verify_s:>9.2f} {max(r for _, r in verifies) / 1024:>10.1f} "
                  f"{export_file.stat().st_size / 2**20:>9.2f} {verify_s / size * 1e6:>16.0f}")


if __name__ == "__main__":
    main()

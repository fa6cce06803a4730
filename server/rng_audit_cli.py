"""``croupier rng-audit selftest|run``: the RNG audit battery on a shuffler (annex 4.3.2.c).

``croupier rng-audit run --shuffler MODULE:FUNCTION --deals N --json OUT [--alpha A]``
    calls ``FUNCTION(list(range(52)))`` N times (the same ordered deck every call; cards
    in the ``games.cards`` encoding), checks every result is a permutation of 0..51 and
    runs the deck-order battery of ``frontal.rng_audit.battery`` with Holm at ``alpha``.
    The NIST bit-stream tests are not run (a deck order is not a bit stream). Writes the
    JSON report (top-level ``"passed"``, every test's statistic, p-value, Holm p-value and
    verdict). Exit 0 passed, 1 failed, 2 bad input (unimportable shuffler, a result that
    is not a permutation, the shuffler raising, N < 2).

``croupier rng-audit selftest --deals N [--alpha A] [--json OUT]``
    the same battery on the production shuffler ``games.dealer.fisher_yates`` (plus the
    NIST tests on 2**20 bits of ``secrets.token_bytes``) and on the deliberately broken
    shufflers of ``tests.rng_audit.broken_shufflers``, each with the deals a 99 %-power
    calculation predicts it needs. Exit 0 iff production passes and every broken one is
    flagged, 1 otherwise, 2 if the fixtures cannot be imported.

``croupier rng-audit report --month YYYY-MM --out DIR [--db-url URL | --data-dir D | --config F] [--alpha A]``
    reads the month's stored decks (``server.rng_audit.store.month_decks``) and writes
    ``DIR/rng-audit-YYYY-MM.json`` and ``DIR/rng-audit-YYYY-MM.html``
    (``frontal.rng_audit.report``): the regulator's dealt-card table, the full-deck
    battery, the power table and, using the earlier months' JSON reports found in DIR,
    the uniformity of p-values across months. Exit 0 every verdict passes, 1 some test
    fails, 2 bad input (month string, empty month, unreadable database, unwritable DIR).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import secrets
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

if TYPE_CHECKING:
    from frontal.rng_audit.battery import BatteryResult

DECK = 52
NIST_BYTES = 1 << 17  # 2**20 bits: enough for serial m = 16 and approximate entropy m = 10
PROGRESS_FROM = 50_000  # deals; shorter runs print no progress
POWER = 0.99


class ShufflerError(Exception):
    """The shuffler cannot be loaded or does not return permutations of the deck."""


def _bat() -> Any:
    """The battery (scipy), imported when a command needs it: every ``croupier`` command,
    ``serve`` included, builds this module's parser, and scipy costs seconds to import."""
    from frontal.rng_audit import battery

    return battery


def load_shuffler(spec: str) -> Callable[[list], list]:
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ShufflerError(f"--shuffler must be MODULE:FUNCTION, got {spec!r}")
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is the user's input
        raise ShufflerError(f"cannot import module {module_name!r}: {type(exc).__name__}: {exc}") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ShufflerError(f"module {module_name!r} has no attribute {attr!r}") from None
    if not callable(obj):
        raise ShufflerError(f"{spec} is not callable")
    return obj


def collect_decks(shuffler: Callable[[list], list], n_deals: int, label: str = "shuffler",
                  progress: bool | None = None) -> np.ndarray:
    """N results of ``shuffler(list(range(52)))`` as a (N, 52) uint8 array, each checked."""
    if progress is None:
        progress = n_deals >= PROGRESS_FROM
    decks = np.empty((n_deals, DECK), dtype=np.uint8)
    full = list(range(DECK))
    step = max(1, n_deals // 10)
    start = time.monotonic()
    for d in range(n_deals):
        try:
            out = shuffler(list(full))
        except Exception as exc:  # noqa: BLE001
            raise ShufflerError(f"{label} raised on deal {d}: {type(exc).__name__}: {exc}") from exc
        try:
            row = list(out)
        except TypeError:
            raise ShufflerError(f"{label} returned {type(out).__name__} on deal {d}, not a list of cards") from None
        if len(row) != DECK or sorted(row) != full:
            raise ShufflerError(f"{label} returned a non-permutation of 0..51 on deal {d}: "
                                f"{_describe_bad(row)}")
        decks[d] = row
        if progress and (d + 1) % step == 0:
            print(f"  {label}: {d + 1}/{n_deals} deals ({time.monotonic() - start:.1f} s)", file=sys.stderr)
    return decks


def _describe_bad(row: list) -> str:
    if len(row) != DECK:
        return f"{len(row)} cards instead of {DECK}"
    try:
        seen = sorted(set(row))
        missing = sorted(set(range(DECK)) - set(row))
        dup = sorted({c for c in row if row.count(c) > 1})
    except TypeError:
        return "cards are not integers"
    bad = [c for c in seen if not isinstance(c, int) or not 0 <= c < DECK]
    parts = []
    if bad:
        parts.append(f"cards out of 0..51: {bad[:5]}")
    if dup:
        parts.append(f"repeated {dup[:5]}")
    if missing:
        parts.append(f"missing {missing[:5]}")
    return "; ".join(parts) or "not the cards 0..51"


def _write_json(path: Path | None, report: dict[str, Any]) -> None:
    if path is None:
        return
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _summary(result: BatteryResult) -> str:
    verdict = "PASS" if result.passed else "FAIL"
    low = min(zip(result.holm_p, (t.name for t in result.tests)))
    flagged = f" flagged by {', '.join(result.rejected)}" if result.rejected else ""
    return f"{verdict}{flagged} (smallest Holm p = {low[0]:.3g}, {low[1]})"


# ---------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------


def cmd_from_vault(args: argparse.Namespace) -> int:
    from frontal.rng_audit.from_vault import main_from_vault

    return main_from_vault(["--in", args.lot] + (["--json", args.json_out] if args.json_out else []))


def cmd_run(args: argparse.Namespace) -> int:
    if args.deals < 2:
        print("croupier: rng-audit run: --deals must be at least 2", file=sys.stderr)
        return 2
    try:
        shuffler = load_shuffler(args.shuffler)
        t0 = time.monotonic()
        decks = collect_decks(shuffler, args.deals, args.shuffler)
        t1 = time.monotonic()
    except ShufflerError as exc:
        print(f"croupier: rng-audit run: {exc}", file=sys.stderr)
        return 2
    result = _bat().run_battery(decks, args.alpha)
    report = {"shuffler": args.shuffler, **result.to_json(),
              "timing_s": {"collect": round(t1 - t0, 3), "battery": round(time.monotonic() - t1, 3)}}
    try:
        _write_json(args.json, report)
    except OSError as exc:
        print(f"croupier: rng-audit run: cannot write {args.json}: {exc}", file=sys.stderr)
        return 2
    print(f"{args.shuffler}: {args.deals} deals, alpha {args.alpha}: {_summary(result)}")
    return 0 if result.passed else 1


# ---------------------------------------------------------------------------------------
# selftest
# ---------------------------------------------------------------------------------------


def _broken_fixtures() -> Any:
    try:
        return importlib.import_module("tests.rng_audit.broken_shufflers")
    except ImportError:
        root = Path(__file__).resolve().parents[1]
        if (root / "tests" / "rng_audit" / "broken_shufflers.py").is_file() and str(root) not in sys.path:
            sys.path.insert(0, str(root))
            return importlib.import_module("tests.rng_audit.broken_shufflers")
        raise


def predicted_deals(fixtures: Any, name: str, alpha: float) -> tuple[int | None, str]:
    """Deals at which the battery flags ``name`` with 99 % power, and how that was obtained."""
    steps = fixtures.swap_steps(name)
    if steps is not None:
        from frontal.rng_audit.deck_tests import DECK_BATTERY_SIZE

        bat = _bat()
        n = bat.card_position_deals(bat.swap_shuffle_matrix(steps), alpha, POWER, DECK_BATTERY_SIZE)
        return n, (f"card x position test, exact table of the fault, noncentral chi2(2601), "
                   f"{POWER:.0%} power at alpha/{DECK_BATTERY_SIZE}")
    if name in fixtures.DISTINCT_DECKS:
        s = fixtures.DISTINCT_DECKS[name]
        return _bat().repeat_deals(s, alpha, POWER), f"duplicates test, birthday bound over {s} distinct decks, {POWER:.0%}"
    if name in fixtures.MEASURED_DEALS:
        return fixtures.MEASURED_DEALS[name], "measured (no closed form): serial test, 20/20 flagged at alpha 0.01"
    return None, "no prediction"


def cmd_selftest(args: argparse.Namespace) -> int:
    if args.deals < 2:
        print("croupier: rng-audit selftest: --deals must be at least 2", file=sys.stderr)
        return 2
    try:
        fixtures = _broken_fixtures()
    except ImportError as exc:
        print(f"croupier: rng-audit selftest: the broken shufflers (tests/rng_audit/broken_shufflers.py) "
              f"cannot be imported: {exc}; run from a source checkout", file=sys.stderr)
        return 2
    from games.dealer import fisher_yates

    entries: list[dict[str, Any]] = []
    all_ok = True
    t0 = time.monotonic()
    decks = collect_decks(fisher_yates, args.deals, "production fisher_yates")
    bits = np.unpackbits(np.frombuffer(secrets.token_bytes(NIST_BYTES), dtype=np.uint8))
    result = _bat().run_battery(decks, args.alpha, nist_bits=bits)
    seconds = time.monotonic() - t0
    ok = result.passed
    all_ok &= ok
    print(f"production games.dealer.fisher_yates: {_summary(result)} -- expected PASS: "
          f"{'ok' if ok else 'UNEXPECTED'} ({seconds:.1f} s)")
    entries.append({"name": "games.dealer.fisher_yates", "expected": "pass", "ok": ok,
                    "seconds": round(seconds, 3), "battery": result.to_json()})
    for name, shuffler in fixtures.BROKEN.items():
        need, basis = predicted_deals(fixtures, name, args.alpha)
        t0 = time.monotonic()
        result = _bat().run_battery(collect_decks(shuffler, args.deals, name), args.alpha)
        seconds = time.monotonic() - t0
        ok = not result.passed
        all_ok &= ok
        under = need is not None and args.deals < need
        note = f"; N = {args.deals} is below the predicted {need}, a miss is possible" if under else ""
        print(f"broken {name}: {_summary(result)} -- expected FAIL: {'ok' if ok else 'UNEXPECTED'} "
              f"(predicted deals for {POWER:.0%} power: {need}, {basis}{note}; {seconds:.1f} s)")
        entries.append({"name": name, "expected": "fail", "ok": ok, "predicted_deals": need,
                        "prediction_basis": basis, "below_prediction": under, "seconds": round(seconds, 3),
                        "battery": result.to_json()})
    report = {"passed": all_ok, "alpha": args.alpha, "n_deals": args.deals,
              "meaning": "passed = the production shuffler passes and every broken one is flagged",
              "shufflers": entries}
    try:
        _write_json(args.json, report)
    except OSError as exc:
        print(f"croupier: rng-audit selftest: cannot write {args.json}: {exc}", file=sys.stderr)
        return 2
    print("selftest: " + ("every verdict as expected" if all_ok else "UNEXPECTED verdict(s)"))
    return 0 if all_ok else 1


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
REPORT_NAME = re.compile(r"^rng-audit-(\d{4}-\d{2})\.json$")


def previous_reports(directory: Path, month: str) -> dict[str, dict[str, float]]:
    """Earlier months' p-values from the JSON reports already in ``directory``."""
    from frontal.rng_audit.report import FORMAT, month_p_values

    found: dict[str, dict[str, float]] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.iterdir()):
        m = REPORT_NAME.match(path.name)
        if not m or m.group(1) >= month:
            continue
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("format") == FORMAT:
                found[m.group(1)] = month_p_values(document)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"croupier: rng-audit report: ignoring {path}: {exc}", file=sys.stderr)
    return found


def cmd_report(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from frontal.rng_audit.report import month_report
    from server.cli import _load
    from server.config import ConfigError
    from server.db.engine import make_engine
    from server.rng_audit.store import month_decks

    def fail(message: str) -> int:
        print(f"croupier: rng-audit report: {message}", file=sys.stderr)
        return 2

    if not MONTH.match(args.month):
        return fail(f"--month must be YYYY-MM (UTC month, 01..12), got {args.month!r}")
    start = time.monotonic()

    def progress(message: str) -> None:
        print(f"  {args.month}: {message} ({time.monotonic() - start:.1f} s)", file=sys.stderr)

    try:
        config = _load(args)
        engine = make_engine(config.database_url())
        try:
            with engine.connect() as connection:
                stored = month_decks(connection, args.month)
        finally:
            engine.dispose()
    except ConfigError as exc:
        return fail(str(exc))
    except SQLAlchemyError as exc:
        return fail(f"cannot read the stored decks ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
                    f"is --db-url right and the database upgraded (`croupier db upgrade`)?")
    n = len(stored.decks)
    if n < 2:
        return fail(f"no deals stored for {args.month}" if n == 0 else f"only {n} deal stored for {args.month}")
    show = progress if n >= PROGRESS_FROM else None
    if show:
        show(f"{n} deals read")
    previous = previous_reports(args.out, args.month)
    try:
        report = month_report(stored.decks, args.month, stored.variants, args.alpha, previous, stored.layouts(),
                              progress=show)
    except ValueError as exc:  # frontal.rng_audit.deck_counts.DeckArrayError included
        return fail(f"the stored decks of {args.month} cannot be audited: {exc}")
    json_path = args.out / f"rng-audit-{args.month}.json"
    html_path = args.out / f"rng-audit-{args.month}.html"
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        _write_json(json_path, report.json)
        html_path.write_text(report.html, encoding="utf-8")
    except OSError as exc:
        return fail(f"cannot write the report in {args.out}: {exc}")
    s = report.json["summary"]
    verdict = lambda ok: "pass" if ok else "FAIL"  # noqa: E731
    print(f"{args.month}: {n} deals; regulator table {verdict(s['regulator_table_passed'])}, full-deck battery "
          f"{verdict(s['deck_battery_passed'])}, across {len(previous)} earlier month(s) "
          f"{verdict(s['across_months_passed'])}; wrote {json_path} and {html_path}")
    return 0 if s["passed"] and s["across_months_passed"] else 1


def _alpha(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"alpha must be in (0, 1), got {text}")
    return value


def add_arguments(commands: Any) -> None:
    audit = commands.add_parser("rng-audit", help="statistical audit of shufflers (annex 4.3.2.c)")
    sub = audit.add_subparsers(dest="rng_audit_command", required=True)
    selftest = sub.add_parser("selftest", help="the battery on the production shuffler and on broken ones")
    selftest.add_argument("--deals", type=int, required=True, metavar="N")
    selftest.add_argument("--alpha", type=_alpha, default=0.01, help="family-wise level (Holm), default 0.01")
    selftest.add_argument("--json", type=Path, metavar="OUT", help="write the full report as JSON")
    selftest.set_defaults(func=cmd_selftest)
    run = sub.add_parser("run", help="the battery on any shuffler f(cards: list) -> list")
    run.add_argument("--shuffler", required=True, metavar="MODULE:FUNCTION")
    run.add_argument("--deals", type=int, required=True, metavar="N")
    run.add_argument("--json", type=Path, required=True, metavar="OUT")
    run.add_argument("--alpha", type=_alpha, default=0.01, help="family-wise level (Holm), default 0.01")
    run.set_defaults(func=cmd_run)
    vault = sub.add_parser("from-vault", help="dealt-card statistics recomputed from a verified vault lot")
    vault.add_argument("--in", dest="lot", required=True, metavar="LOT.xml",
                       help="the lot written by `croupier vault verify --out`")
    vault.add_argument("--json", dest="json_out", metavar="OUT", help="write the counts and the tests as JSON")
    vault.set_defaults(func=cmd_from_vault)
    from server.cli import _config_arguments

    report = sub.add_parser("report", help="a stored month's report for the auditor: JSON + HTML with plots")
    _config_arguments(report)  # --config, --data-dir, --db-url, --set: as `croupier vault export`
    report.add_argument("--month", required=True, metavar="YYYY-MM", help="UTC month of the stored deals")
    report.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="writes DIR/rng-audit-YYYY-MM.json and .html; earlier months' JSON in DIR feed the "
                             "across-months test")
    report.add_argument("--alpha", type=_alpha, default=0.01, help="family-wise level (Holm), default 0.01")
    report.set_defaults(func=cmd_report)

"""``croupier slip calc``: the operators' and support's bet-slip calculator.

Reads one JSON slip on standard input (format in docs/betslip.md) and prints one JSON
object: ``{"lines": 11, "total_stake": "16.50", "total_return": "0.00", "max_return":
"60.21"}``. Exit status 0; 2 when the input is not a slip (not JSON, a field missing or
wrong, a slip the rules refuse): the reason, naming the field, on standard error and
nothing on standard output.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from typing import Any, Sequence, TextIO

from games.betslip import SlipError, SlipRefused, calculate

PROG = "croupier slip calc"


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO | None = None) -> int:
    stderr = sys.stderr if stderr is None else stderr
    parser = argparse.ArgumentParser(prog=PROG, description="price and settle a JSON bet slip read on stdin")
    parser.parse_args(list(argv))
    try:
        # numbers as Decimal: a float would already have lost the odds' exact value
        document = json.loads(stdin.read(), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"{PROG}: input is not JSON: {exc}", file=stderr)
        return 2
    try:
        result = calculate(document)
    except SlipError as exc:
        print(f"{PROG}: {exc.field}: {exc.message}", file=stderr)
        return 2
    except SlipRefused as exc:
        print(f"{PROG}: refused ({exc.code}): {exc.message}", file=stderr)
        return 2
    print(json.dumps(result), file=stdout)
    return 0


def cmd_slip_calc(args: argparse.Namespace) -> int:
    return main([], sys.stdin, sys.stdout, sys.stderr)


def add_arguments(commands: Any) -> None:
    slip = commands.add_parser("slip", help="sports bet slips").add_subparsers(dest="slip_command", required=True)
    calc = slip.add_parser("calc", help="price and settle a JSON slip read on stdin: lines, total stake, "
                                        "current and maximum return")
    calc.set_defaults(func=cmd_slip_calc)

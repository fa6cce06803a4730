"""``croupier hand replay FILE.phh|FILE.phhs``: replay PHH hand histories on the engine.

One JSON object per hand on standard output, in the file's order:

- ``{"hand": N, "final_stacks": ["12.50", ...], "ok": true}``: the final stacks, p1 first,
  as decimal strings in the file's unit;
- ``{"hand": N, "ok": false, "error": "..."}``: the first action the engine refused and its
  reason, or why the history cannot be replayed (inconsistent, or a game the engine does
  not deal);
- ``{"hand": N, "ok": false, "undetermined": "..."}``: the result depends on cards the
  history does not show (``??``), so none is given.

``N`` is the hand's table number in a .phhs (``[3]``), 1 for a .phh. Exit status: 0 every
hand replayed, 1 at least one did not, 2 unreadable input (nothing is printed on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from games.phh import Outcome, PhhError, Replay, parse_phh, replay


def report(result: Replay) -> dict[str, Any]:
    """The JSON object for one replayed hand."""
    line: dict[str, Any] = {"hand": result.phh.number}
    if result.ok:
        line["final_stacks"] = result.final_stacks_text()
        line["ok"] = True
    elif result.outcome is Outcome.UNDETERMINED:
        line["ok"] = False
        line["undetermined"] = result.message
    else:
        line["ok"] = False
        line["error"] = result.message
    return line


def cmd_hand_replay(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"croupier: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    try:
        hands = parse_phh(text)
    except PhhError as exc:
        print(f"croupier: {path} is not a readable PHH history: {exc}", file=sys.stderr)
        return 2
    every_one = True
    for phh in hands:
        result = replay(phh)
        every_one = every_one and result.ok
        print(json.dumps(report(result), ensure_ascii=False))
    return 0 if every_one else 1


def add_arguments(commands: Any) -> None:
    hand = commands.add_parser("hand", help="hand histories").add_subparsers(dest="hand_command", required=True)
    replay_cmd = hand.add_parser("replay", help="replay PHH histories (.phh, .phhs) on the engine: "
                                                "one JSON line per hand")
    replay_cmd.add_argument("file", type=Path, metavar="FILE", help="a .phh (one hand) or .phhs (several) file")
    replay_cmd.set_defaults(func=cmd_hand_replay)

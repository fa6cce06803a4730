"""``croupier hand replay``, run as a user runs it: JSON lines on stdout, exit codes 0, 1, 2."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from games.phh import phh_order, to_phh, to_phhs
from tests.games.random_hands import random_hand
from tests.support import REPO

FIXTURES = Path(__file__).parent / "fixtures"


def croupier(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_every_hand_replayed_exits_0_with_one_line_per_hand() -> None:
    run = croupier("hand", "replay", str(FIXTURES / "wsop-2023-43-5.phhs"))
    assert (run.returncode, run.stderr) == (0, "")
    assert json_lines(run.stdout) == [
        {"hand": 1, "final_stacks": ["7340000", "3775000", "5110000", "8935000", "4545000"], "ok": True},
        {"hand": 30, "final_stacks": ["10125000", "7700000", "4050000", "4300000", "3525000"], "ok": True},
        {"hand": 34, "final_stacks": ["3075000", "11925000", "7750000", "3150000", "3800000"], "ok": True},
    ]


def test_stacks_are_decimal_strings_in_the_files_unit() -> None:
    run = croupier("hand", "replay", str(FIXTURES / "antonius-blom-2009.phh"))
    assert run.returncode == 0
    assert json_lines(run.stdout) == [{"hand": 1, "final_stacks": ["1937923.75", "0.00"], "ok": True}]


def test_a_refused_or_undetermined_hand_exits_1_and_names_why() -> None:
    run = croupier("hand", "replay", str(FIXTURES / "croupier-rules.phhs"))
    assert run.returncode == 1
    lines = json_lines(run.stdout)
    assert [line["hand"] for line in lines] == [1, 2, 3, 4, 5]
    assert lines[0] == {"hand": 1, "final_stacks": ["414", "198", "188", "0", "200"], "ok": True}
    assert lines[1] == {"hand": 2, "ok": False,
                        "error": 'action 6 "p4 cbr 6" refused: raise to 6 is below the minimum 8'}
    assert lines[2]["ok"] is False and lines[2]["error"].startswith('action 8 "p2 cbr 10" refused: raising is not')
    assert lines[3]["ok"] is True
    assert lines[4] == {"hand": 5, "ok": False, "undetermined": "p2 reaches the showdown with unknown hole cards: "
                                                                "the result depends on cards the history does not show"}


def test_real_online_hands_with_unknown_cards() -> None:
    run = croupier("hand", "replay", str(FIXTURES / "handhq-abs-100nl.phhs"))
    assert run.returncode == 1
    lines = {line["hand"]: line for line in json_lines(run.stdout)}
    assert sorted(lines) == [1, 2, 6, 9, 11, 21]
    assert lines[1] == {"hand": 1, "final_stacks": ["201.30", "80.60", "197.00"], "ok": True}
    assert "undetermined" in lines[2] and "error" not in lines[2]
    assert all(lines[n]["ok"] for n in (1, 6, 9, 11, 21))


def test_our_exports_replay_through_the_command(tmp_path: Path) -> None:
    rng = random.Random("cli")
    hands = [random_hand(rng, game, button_last=False) for game in ("THNL", "THL", "OHPL") * 4]
    path = tmp_path / "exports.phhs"
    path.write_text(to_phhs(to_phh(hand, public=True) for hand in hands),
                    encoding="utf-8")
    run = croupier("hand", "replay", str(path))
    assert (run.returncode, run.stderr) == (0, "")
    expected = [[str(hand.result.final_stacks[seat]) for seat in phh_order(hand)] for hand in hands if hand.result]
    assert [line["final_stacks"] for line in json_lines(run.stdout)] == expected


@pytest.mark.parametrize(("content", "message"), [
    (None, "not a readable PHH history: not TOML: Illegal character"),  # the corrupted fixture
    (b"\xff\xfe not text", "cannot read"),
    (b"author = 'nobody'\n", "not a readable PHH history: no hand"),
    (b'variant = "NT"\nantes = [0, 0]\nstarting_stacks = [1, 1]\nactions = []\n', "missing required field"),
])
def test_unreadable_input_exits_2_with_a_clear_message(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = FIXTURES / "corrupted.phh"
    if content is not None:
        path = tmp_path / "input.phh"
        path.write_bytes(content)
    run = croupier("hand", "replay", str(path))
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("croupier: ") and message in run.stderr, run.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    run = croupier("hand", "replay", str(tmp_path / "absent.phh"))
    assert (run.returncode, run.stdout) == (2, "")
    assert "cannot read" in run.stderr and "absent.phh" in run.stderr

"""``croupier rng-audit selftest|run``: the production shuffler passes, the broken ones fail.

p-values are random, so "production passes" can fail by chance: the checks on the
production shuffler use Holm across the whole battery at alpha = 0.001, so the family-wise
false-failure probability of each such check is at most 0.001. The broken shufflers are run
at 10,000 deals, about twice the largest predicted 99 %-power sample size (5,399 for the
modulo bias at alpha = 0.001 / 8), where the observed Holm p-values are below 1e-20.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from frontal.rng_audit import battery as bat
from server.cli import main
from tests.rng_audit import broken_shufflers as fx

FAST_DEALS = 10_000
SLOW_DEALS = 200_000
ALPHA_PROD = 0.001

#: The test that must see each fault.
EXPECTED_FLAG = {
    "modulo_biased_byte": "card_position_52",
    "swap_with_any": "card_position_52",
    "sort_by_small_key": "serial_adjacent_pairs",
    "never_last_slot": "card_position_52",
    "reseed_16bit": "duplicate_decks",
}


def _selftest(tmp_path, deals: int) -> dict:
    out = tmp_path / "selftest.json"
    assert main(["rng-audit", "selftest", "--deals", str(deals), "--alpha", str(ALPHA_PROD), "--json", str(out)]) == 0
    return json.loads(out.read_text())


def _check_selftest(report: dict) -> None:
    assert report["passed"] is True
    by_name = {e["name"]: e for e in report["shufflers"]}
    prod = by_name.pop("games.dealer.fisher_yates")
    assert prod["battery"]["passed"] is True and prod["ok"]
    assert any(t["name"].startswith("nist_") for t in prod["battery"]["tests"])
    assert set(by_name) == set(fx.BROKEN)
    for name, entry in by_name.items():
        assert entry["battery"]["passed"] is False, name
        assert EXPECTED_FLAG[name] in entry["battery"]["rejected"], (name, entry["battery"]["rejected"])
        assert entry["predicted_deals"] <= report["n_deals"], name


def test_selftest_fast(tmp_path, capsys):
    _check_selftest(_selftest(tmp_path, FAST_DEALS))
    assert "every verdict as expected" in capsys.readouterr().out


@pytest.mark.slow
def test_selftest_long(tmp_path):
    _check_selftest(_selftest(tmp_path, SLOW_DEALS))


# --- power predictions -------------------------------------------------------------------


def test_swap_matrix_exact():
    n = 52
    fy = [(i, np.r_[np.full(i + 1, 1.0 / (i + 1)), np.zeros(n - i - 1)]) for i in range(n - 1, 0, -1)]
    assert np.allclose(bat.swap_shuffle_matrix(fy), 1.0 / n)
    assert bat.card_position_deals(bat.swap_shuffle_matrix(fy), 0.01) is None
    sattolo = bat.swap_shuffle_matrix(fx.swap_steps("never_last_slot"))
    assert np.allclose(np.diag(sattolo), 0.0)  # no card ever stays at its place
    for name in ("modulo_biased_byte", "swap_with_any", "never_last_slot"):
        m = bat.swap_shuffle_matrix(fx.swap_steps(name))
        assert np.allclose(m.sum(axis=0), 1.0) and np.allclose(m.sum(axis=1), 1.0)


def test_swap_matrix_matches_simulation():
    deals = 20_000
    decks = np.array([fx.modulo_biased_byte(list(range(52))) for _ in range(deals)], dtype=np.uint8)
    counts = np.zeros((52, 52))
    for p in range(52):
        counts[:, p] = np.bincount(decks[:, p], minlength=52)
    expected = bat.swap_shuffle_matrix(fx.swap_steps("modulo_biased_byte")) * deals
    x2 = float(((counts - expected) ** 2 / expected).sum())
    assert x2 < 2601 + 6 * math.sqrt(2 * 2601)  # vs the uniform table it is ~ 2601 + 400


def test_predictions():
    assert 4500 < bat.card_position_deals(bat.swap_shuffle_matrix(fx.swap_steps("modulo_biased_byte")), 0.01, 0.99, 9) < 5100  # 4,830
    # birthday: 1 - exp(-N^2 / (2 S)) = 0.99 -> N ~ sqrt(2 S ln 100) = 777 for S = 2**16
    assert abs(bat.repeat_deals(1 << 16, 0.01) - math.sqrt(2 * 65536 * math.log(100))) < 3


# --- run -----------------------------------------------------------------------------------


def test_run_good_shuffler(tmp_path, capsys):
    out = tmp_path / "good.json"
    rc = main(["rng-audit", "run", "--shuffler", "games.dealer:fisher_yates", "--deals", "3000",
               "--alpha", str(ALPHA_PROD), "--json", str(out)])
    report = json.loads(out.read_text())
    assert rc == 0 and report["passed"] is True
    assert "PASS" in capsys.readouterr().out
    assert "not run" in report["nist"]
    assert {t["name"] for t in report["tests"]} >= set(EXPECTED_FLAG.values())
    for t in report["tests"]:
        assert isinstance(t["statistic"], float) and 0.0 <= t["p_value"] <= 1.0 and t["verdict"] == "pass"


def test_run_broken_shuffler(tmp_path, capsys):
    out = tmp_path / "bad.json"
    rc = main(["rng-audit", "run", "--shuffler", "tests.rng_audit.broken_shufflers:never_last_slot",
               "--deals", "3000", "--json", str(out)])
    report = json.loads(out.read_text())
    assert rc == 1 and report["passed"] is False
    assert "FAIL" in capsys.readouterr().out
    verdicts = {t["name"]: t["verdict"] for t in report["tests"]}
    assert verdicts["card_position_52"] == "fail"
    assert all(set(t) >= {"statistic", "p_value", "holm_p_value", "verdict"} for t in report["tests"])


@pytest.mark.parametrize("spec, message", [
    ("no_such_module_xyz:shuffle", "cannot import module"),
    ("games.dealer:no_such_function", "has no attribute"),
    ("games.dealer", "MODULE:FUNCTION"),
    ("tests.rng_audit.broken_shufflers:not_a_permutation", "non-permutation of 0..51 on deal 0"),
])
def test_run_bad_input_exits_2(tmp_path, capsys, spec, message):
    out = tmp_path / "x.json"
    assert main(["rng-audit", "run", "--shuffler", spec, "--deals", "100", "--json", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()

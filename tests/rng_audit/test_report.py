"""The monthly report: JSON sections and rows, a well-formed self-contained HTML page with its
three plots, and ``croupier rng-audit report`` on a real database filled by the collector.

Synthetic decks come from numpy (statistics only; dealing stays in games.dealer)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import lxml.html
import numpy as np
import pytest
from sqlalchemy.engine import Engine
from twisted.internet.task import Clock

from frontal.rng_audit.from_vault import dealt_counts_from_decks, equal
from frontal.rng_audit.report import (FORMAT, DealLayouts, holdem_counts, month_report, render_html, starting_class_labels,
                                      month_p_values)
from server.cli import main
from server.db import migrate
from server.db.engine import make_engine
from games.dealer import DealEnd
from server.rng_audit.collector import AuditCollector
from server.rng_audit.store import month_decks
from tests.rng_audit_collection.support import SyncDb

ROW_KEYS = {"name", "null_hypothesis", "statistic", "df", "p_value", "holm_p_value", "verdict"}
REGULATOR_TESTS = {"starting_hand_classes", "hole_combinations", "flop_cards", "flop_ranks", "flop_suits",
                   "turn_cards", "river_cards", "flop_pairing", "flop_suitedness", "flop_connectedness",
                   "board_five_card_categories"}


def random_decks(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(52, dtype=np.uint8), (n, 1)), axis=1)


@pytest.fixture(scope="module")
def decks() -> np.ndarray:
    return random_decks(6000, 7)


def test_vectorised_counts_equal_from_vault(decks: np.ndarray) -> None:
    rng = np.random.default_rng(3)
    seats, streets = rng.integers(2, 11, len(decks)), rng.integers(0, 4, len(decks))
    assert equal(holdem_counts(decks, seats, streets), dealt_counts_from_decks(decks, seats, streets))
    sample = rng.integers(0, seats)
    assert equal(holdem_counts(decks, seats, streets, sample), dealt_counts_from_decks(decks, seats, streets, sample))
    assert not equal(holdem_counts(decks, seats, streets, sample), dealt_counts_from_decks(decks, seats, streets))


def test_regulator_counts_in_chunks_with_given_seats(decks: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    import frontal.rng_audit.report as report_module

    monkeypatch.setattr(report_module, "CHUNK", 1000)
    rng = np.random.default_rng(4)
    seats, streets = rng.integers(2, 11, len(decks)), rng.integers(0, 4, len(decks))
    sample = rng.integers(0, seats)
    seats[::11] = 0  # hands without a recorded end
    variants = np.ones(len(decks), np.uint8)
    variants[::7] = 2
    doc = month_report(decks, "2026-03", variants, layouts=DealLayouts(seats, sample, streets)).json
    used = (variants == 1) & (seats > 0)
    reference = dealt_counts_from_decks(decks[used], seats[used], streets[used], sample[used])
    table = doc["regulator_table"]
    assert table["counts"] == reference.as_dict()
    assert table["deals_used"] == used.sum() and table["deals_without_end"] == ((variants == 1) & (seats == 0)).sum()
    assert "ASSUMED" not in table["seats"] + table["streets"]
    with pytest.raises(ValueError, match="one hand end"):
        month_report(decks, "2026-03", variants, layouts=DealLayouts(seats[1:], sample[1:], streets[1:]))


def test_json_has_every_section_and_row(decks: np.ndarray) -> None:
    variants = np.ones(len(decks), np.uint8)
    variants[:500] = 2  # Omaha: in the battery, not in the regulator's (Hold'em) table
    messages: list[str] = []
    report = month_report(decks, "2026-03", variants, alpha=0.01, progress=messages.append)
    doc = json.loads(json.dumps(report.json, allow_nan=False))  # plain JSON
    assert doc["format"] == FORMAT
    assert {"summary", "regulator_table", "deck_battery", "card_position", "power", "across_months"} <= doc.keys()
    s = doc["summary"]
    assert (s["month"], s["deals"], s["per_variant"]) == ("2026-03", 6000, {"HOLDEM": 5500, "OMAHA": 500})
    reg = doc["regulator_table"]
    assert reg["deals_used"] == 5500 and "ASSUMED" in reg["seats"] and "ASSUMED" in reg["streets"]
    assert {r["name"] for r in reg["tests"]} == REGULATOR_TESTS
    assert sum(reg["counts"]["sample_classes"]) == 5500
    battery = {r["name"] for r in doc["deck_battery"]["tests"]}
    assert {"card_position_52", "serial_adjacent_pairs", "duplicate_decks", "rising_sequences"} <= battery
    assert len(battery) == 9
    for row in reg["tests"] + doc["deck_battery"]["tests"]:
        assert ROW_KEYS <= row.keys(), row["name"]
        assert 0.0 <= row["p_value"] <= row["holm_p_value"] <= 1.0
        assert row["verdict"] in ("pass", "fail")
    # fair decks: at alpha 0.001 with Holm each table fails with probability <= 0.001
    strict = month_report(decks, "2026-03", variants, alpha=0.001)
    assert strict.json["summary"]["regulator_table_passed"] and strict.json["summary"]["deck_battery_passed"]
    cp = doc["card_position"]
    assert np.array(cp["counts"]).sum() == 6000 * 52 and np.array(cp["residuals"]).shape == (52, 52)
    assert len(doc["power"]["deals_for_99_percent_power"]) == 3
    assert doc["across_months"]["tests"] == [] and "note" in doc["across_months"]
    assert messages  # progress reported through the callback


def test_across_months_ks(decks: np.ndarray) -> None:
    previous = {m: month_p_values(month_report(random_decks(3000, seed), m).json)
                for seed, m in enumerate(["2026-01", "2026-02"], start=11)}
    previous["2026-05"] = previous["2026-01"]  # a later month is not "previous"
    doc = month_report(decks, "2026-03", previous=previous).json
    across = doc["across_months"]
    assert across["months"] == ["2026-01", "2026-02", "2026-03"]
    names = {r["name"] for r in across["tests"]}
    assert "battery/card_position_52" in names and "regulator/starting_hand_classes" in names
    assert "battery/duplicate_decks" not in names  # discrete p-values
    for row in across["tests"]:
        assert ROW_KEYS <= row.keys() and len(row["detail"]["p_values"]) == 3


def test_a_biased_dealer_shows(decks: np.ndarray) -> None:
    biased = decks.copy()
    rows = np.flatnonzero(biased[:, 0] != 51)[:1500]  # force the ace of spades to position 0 often
    for r in rows:
        j = int(np.flatnonzero(biased[r] == 51)[0])
        biased[r, [0, j]] = biased[r, [j, 0]]
    doc = month_report(biased, "2026-03").json
    assert not doc["summary"]["deck_battery_passed"]
    assert doc["card_position"]["residuals"][51][0] > 20


def test_html_is_self_contained_with_three_plots(decks: np.ndarray) -> None:
    report = month_report(decks, "2026-03", np.ones(len(decks), np.uint8))
    assert render_html(report.json) == report.html  # the page needs only the JSON
    tree = lxml.html.document_fromstring(report.html)
    assert tree.findtext(".//title") == "RNG audit 2026-03"
    svgs = {svg.get("id"): svg for svg in tree.iter("svg")}
    assert set(svgs) == {"heatmap", "pvalue-histogram", "starting-hands"}
    assert len(svgs["heatmap"].findall(".//rect")) >= 52 * 52
    assert len(svgs["starting-hands"].findall(".//rect")) == 169
    assert not tree.findall(".//script") and not tree.findall(".//link") and not tree.findall(".//img")
    assert "http://" not in report.html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in report.html
    text = tree.text_content()
    for heading in ("Monthly table for the regulator", "Full-deck battery", "Power", "across months"):
        assert heading in text
    for name in ("starting_hand_classes", "card_position_52", "rising_sequences"):
        assert name in text
    assert len(starting_class_labels()) == 169 and starting_class_labels()[12] == "AA"
    assert starting_class_labels()[13 + 78 - 1] == "AKs"


# ------------------------------------------------------------------ the CLI on a real database

MONTH_START = datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp()


def deal_id(i: int) -> str:
    return f"{'t1' if i % 10 else 't2'}-{i:012x}"


def end_of(i: int) -> DealEnd:
    seats = 2 + i % 9
    return DealEnd(seats, i % seats, i % 4)


@pytest.fixture
def filled_db(tmp_path: Path) -> Iterator[str]:
    """A SQLite database with 3000 deals of March 2026 written by the collector."""
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    engine: Engine = make_engine(url)
    migrate.upgrade(engine)
    clock = Clock()
    clock.advance(MONTH_START + 3600)
    collector = AuditCollector(SyncDb(engine), clock, {"t1": "HOLDEM", "t2": "OMAHA"}.get,  # type: ignore[arg-type]
                               flush_deals=10_000, flush_seconds=0)
    rng = random.Random(5)
    for i in range(3000):
        deck = list(range(52))
        rng.shuffle(deck)
        collector.deck_dealt(deal_id(i), tuple(deck))
        if i and (i - 1) % 13:  # each hand ends during the next one; every 13th never ends
            collector.deal_closed(deal_id(i - 1), end_of(i - 1))
        clock.advance(1)
        if i % 1000 == 999:
            collector.flush()
    collector.flush()
    assert collector.deals_written == 3000
    engine.dispose()
    yield url


def test_cli_writes_json_and_html(filled_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    rc = main(["rng-audit", "report", "--db-url", filled_db, "--month", "2026-03", "--out", str(out),
               "--alpha", "0.001"])
    assert rc == 0, capsys.readouterr()
    doc = json.loads((out / "rng-audit-2026-03.json").read_text(encoding="utf-8"))
    assert doc["summary"]["deals"] == 3000 and doc["summary"]["per_variant"] == {"HOLDEM": 2700, "OMAHA": 300}
    ended = [i % 13 != 0 and i != 2999 for i in range(3000)]
    holdem = [i for i in range(3000) if i % 10 and ended[i]]
    assert doc["regulator_table"]["deals_used"] == len(holdem)
    assert doc["regulator_table"]["deals_without_end"] == 2700 - len(holdem)
    engine = make_engine(filled_db)
    with engine.connect() as c:
        stored = month_decks(c, "2026-03")
    engine.dispose()
    assert stored.deal_ids() == [deal_id(i) for i in range(3000)]
    assert [DealEnd(*map(int, x)) for x in zip(stored.seats, stored.sample_index, stored.streets)] == [
        end_of(i) if ended[i] else DealEnd(0, 0, 0) for i in range(3000)]
    reference = dealt_counts_from_decks(stored.decks[holdem], [end_of(i).seats for i in holdem],
                                        [end_of(i).street for i in holdem], [end_of(i).sample_index for i in holdem])
    assert doc["regulator_table"]["counts"] == reference.as_dict()
    page = lxml.html.parse(str(out / "rng-audit-2026-03.html")).getroot()
    assert {svg.get("id") for svg in page.iter("svg")} == {"heatmap", "pvalue-histogram", "starting-hands"}
    assert "2026-03: 3000 deals" in capsys.readouterr().out
    # a later month's report picks the earlier JSON up for the across-months test
    (out / "rng-audit-2026-02.json").write_text(json.dumps(doc), encoding="utf-8")
    assert main(["rng-audit", "report", "--db-url", filled_db, "--month", "2026-03", "--out", str(out),
                 "--alpha", "0.001"]) in (0, 1)
    doc2 = json.loads((out / "rng-audit-2026-03.json").read_text(encoding="utf-8"))
    assert doc2["across_months"]["months"] == ["2026-02", "2026-03"] and doc2["across_months"]["tests"]


@pytest.mark.parametrize("month,message", [("2026-13", "YYYY-MM"), ("26-03", "YYYY-MM"), ("2026-3", "YYYY-MM"),
                                           ("2026-04", "no deals stored for 2026-04")])
def test_cli_bad_or_empty_month_exits_2(filled_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        month: str, message: str) -> None:
    out = tmp_path / "reports"
    assert main(["rng-audit", "report", "--db-url", filled_db, "--month", month, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()

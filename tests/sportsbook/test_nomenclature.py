"""The nomenclature: the annex's codes are shipped, the operator's file adds to them, bad files are refused by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import ConfigError, load_config
from server.sportsbook.catalogue import load_configured
from server.sportsbook.nomenclature import (
    Code, Nomenclature, NomenclatureError, build, load, parse_lines, shipped_lines,
)

# Every code the annex's sports examples show (1.3.4.a.1 and 1.4.1.a), with its kind.
ANNEX_CODES = {
    ("sport", "FOO"), ("event", "NT95S"), ("event", "KYYIC"), ("event", "7CDZS"),
    ("result_type", "HGY5U"), ("result_type", "E4VGB"), ("result_type", "6H9OE"), ("result_type", "KLS8Q"),
    ("result_type", "EDO59"), ("gender", "H"), ("gender", "F"), ("gender", "M"),
}


def entry(codes: Nomenclature, kind: str, code: str) -> Code:
    found = codes.get(kind, code)
    assert found is not None, (kind, code)
    return found


def test_the_shipped_list_has_the_annex_codes() -> None:
    shipped = load()
    assert set(shipped.entries) == ANNEX_CODES
    assert entry(shipped, "result_type", "E4VGB").no_choice  # "Choix ... présente, mais vide"
    assert not entry(shipped, "result_type", "HGY5U").no_choice
    assert all(entry(shipped, k, c).sport == "FOO" for k, c in ANNEX_CODES if k in ("event", "result_type"))
    # The annex's typos are not codes (SPEC-NOTES 3): 6H90E with a zero, E4VBG.
    assert shipped.get("result_type", "6H90E") is None and shipped.get("result_type", "E4VBG") is None
    assert not shipped.sport_has("category", "FOO") and not shipped.sport_has("discipline", "FOO")


def test_an_operator_file_adds_and_replaces_codes(tmp_path: Path) -> None:
    extra = tmp_path / "codes.csv"
    extra.write_text(
        "\ufeff# the regulator's tennis codes\r\n"
        "sport;TEN;Tennis\r\n"
        "\r\n"
        "event;RG-01;Roland-Garros;TEN;\r\n"
        "category;SIMP;Simple;TEN\r\n"
        "discipline;#D1;Double;TEN;;\r\n"
        "result_type;HGY5U;Victoire (libellé de l'opérateur);FOO\r\n"
        "participant;#PSG;Paris Saint-Germain;FOO\r\n",
        encoding="utf-8")
    codes = load(extra)
    assert entry(codes, "event", "RG-01").sport == "TEN"
    assert entry(codes, "result_type", "HGY5U").label == "Victoire (libellé de l'opérateur)"
    assert entry(codes, "result_type", "HGY5U").origin == f"{extra} line 7"
    assert codes.sport_has("category", "TEN") and codes.sport_has("discipline", "TEN")
    assert codes.participant_code("FOO", "PARIS SAINT-GERMAIN") == "#PSG"
    assert codes.participant_code("TEN", "PARIS SAINT-GERMAIN") is None


@pytest.mark.parametrize(("text", "message"), [
    ("sport;TEN\n", "line 1: expected kind;code;label;sport;options"),
    ("sport;TEN;Tennis;;;extra\n", "line 1: expected kind;code;label;sport;options"),
    ("# fine\nteam;TEN;Tennis\n", "line 2: kind 'team' is not one of"),
    ("sport;ten;Tennis\n", "line 1: code 'ten' does not match"),
    ("sport;TEN NIS;Tennis\n", "line 1: code 'TEN NIS' does not match"),
    ("gender;X;Autre\n", "line 1: gender 'X' is not H, F or M"),
    ("sport;TEN;\n", "line 1: label must have 1 to 128 characters"),
    ("sport;TEN;Tennis;FOO\n", "line 1: sport 'FOO' is not allowed here"),
    ("event;E1;Open;foo\n", "line 1: sport 'foo' is not a code"),
    ("sport;TEN;Tennis;;nochoice\n", "line 1: option 'nochoice' is not allowed for kind sport"),
    ("result_type;R1;Résultat;FOO;sometimes\n", "line 1: option 'sometimes' is not allowed"),
    ("sport;TEN;Tennis\n\nsport;TEN;Tennis again\n", "line 3: sport TEN is already declared on line 1"),
])
def test_bad_lines_are_refused_with_their_number(text: str, message: str) -> None:
    with pytest.raises(NomenclatureError) as refused:
        build([shipped_lines(), parse_lines(text, "codes.csv")])
    assert f"codes.csv {message}" in str(refused.value)


def test_whole_file_problems_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(NomenclatureError, match=r"codes.csv line 2: sport BAS is not declared"):
        build([shipped_lines(), parse_lines("sport;TEN;Tennis\nevent;E1;Open;BAS\n", "codes.csv")])
    with pytest.raises(NomenclatureError, match=r"codes.csv line 2: participant 'Paris  SG' already has code #PSG"):
        build([shipped_lines(), parse_lines("participant;#PSG;Paris SG;FOO\nparticipant;#PSG2;Paris  SG;FOO\n",
                                            "codes.csv")])
    with pytest.raises(NomenclatureError, match=r"codes.csv line 1: the label has no character"):
        build([shipped_lines(), parse_lines("participant;#X;???\n", "codes.csv")])
    binary = tmp_path / "codes.bin"
    binary.write_bytes(b"sport;TEN;\xff\xfe\n")
    with pytest.raises(NomenclatureError, match="cannot read"):
        load(binary)


def test_the_setting_names_itself_when_the_file_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "codes.csv"
    bad.write_text("sport;TEN;Tennis\nsport;tennis;Tennis\n", encoding="utf-8")
    config = load_config(overrides={"sportsbook.nomenclature_file": str(bad), "server.data_dir": str(tmp_path)})
    with pytest.raises(ConfigError, match=r"sportsbook.nomenclature_file: .*codes.csv line 2: code 'tennis'"):
        load_configured(config)
    missing = load_config(overrides={"sportsbook.nomenclature_file": str(tmp_path / "none.csv")})
    with pytest.raises(ConfigError, match="cannot read"):
        load_configured(missing)
    assert load_configured(load_config()).get("sport", "FOO") is not None

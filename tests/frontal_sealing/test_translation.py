"""Tag translation (annex 1.5): the table's format and defects, and round trips through the vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy.engine import Engine

from frontal.pki import PkiPaths
from frontal.translation import TagTable, TranslationTableError, schema_element_names
from frontal.vault import envelope
from tests.frontal_sealing.support import (ExportFile, export_text, journal_events, make_sealer, regulator_key,
                                           verify_text)
from tests.frontal_vault.events import okcondgene, ref_of

NAMES = frozenset({"Lot", "IDOper", "DateEvt", "IDEvt", "TypAg", "Nom"})


def test_the_annex_example() -> None:
    table = TagTable.parse("IDOper;a\n", NAMES)
    event = etree.fromstring("<OKCONDGENE><IDOper>4921</IDOper></OKCONDGENE>")
    encoded = table.encode(event)
    assert etree.tostring(encoded) == b"<OKCONDGENE><a>4921</a></OKCONDGENE>"
    assert etree.tostring(table.decode(encoded)) == etree.tostring(event)


def test_format_tolerances() -> None:
    table = TagTable.parse("\ufeffIDOper;a;\r\n\r\nDateEvt;b\r\nIDOper;a\r\n", NAMES)
    assert table.encode_map == {"IDOper": "a", "DateEvt": "b"} and not table.warnings


def test_a_name_with_two_codes_writes_the_first_and_reads_both() -> None:
    table = TagTable.parse("IDOper;a\nIDOper;z\n", NAMES)
    assert table.encode_map == {"IDOper": "a"} and table.decode_map == {"a": "IDOper", "z": "IDOper"}
    assert any("IDOper" in w for w in table.warnings)


def test_a_code_for_two_names_is_dropped() -> None:
    table = TagTable.parse("IDOper;a\nDateEvt;a\nDateEvt;d\nIDEvt;c\n", NAMES)
    assert table.encode_map == {"DateEvt": "d", "IDEvt": "c"}  # IDOper stays untranslated
    assert "a" not in table.decode_map
    assert any("'a'" in w for w in table.warnings)


@pytest.mark.parametrize("content, message", [
    ("IDOper;Nom\n", "equal element names stored untranslated"),  # <Nom> could be either
    ("IDOper;Lot\n", "equal element names stored untranslated"),
    ("IDOper\n", "line 1: expected 'Name;code'"),
    ("IDOper;a\nDateEvt;1b\n", "line 2: code '1b' is not an XML element name"),
    ("ID Oper;a\n", "line 1: name 'ID Oper'"),
    ("IDOper;a;b;c\n", "line 1"),
])
def test_tables_that_would_be_ambiguous_or_malformed_are_rejected(content: str, message: str) -> None:
    with pytest.raises(TranslationTableError, match=message):
        TagTable.parse(content, NAMES)


def test_every_schema_name_is_known() -> None:
    names = schema_element_names()
    assert {"OKCONDGENE", "IDOper", "PASPMISE", "POPARTIE", "Validation", "Lot"} <= names


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'vault.sqlite3'}"


def test_translated_lots_are_stored_short_and_read_back_in_full(engine: Engine, pki: PkiPaths) -> None:
    table = TagTable.parse("IDOper;a\nDateEvt;b\nIDEvt;c\nIDJoueur;d\nHashJoueur;e\nIDSession;f\n"
                           "IPJoueur;g\nIDCoffre;h\nTypAg;i\nOKCONDGENE;j\n")
    journal_events(engine, ["r1", "r2"])
    make_sealer(engine, pki, max_events=2, translation=table).seal_ready()
    text = export_text(engine)
    lot = ExportFile.parse(text).lots[0]
    import base64
    plaintext = envelope.open_envelope(
        envelope.Envelope(*(base64.b64decode(str(lot[k])) for k in ("wrapped_key", "nonce", "ciphertext"))),
        regulator_key(pki), envelope.associated_data(1, 0, 1))
    assert plaintext.startswith(b"<Lot>\n<j><a>0000</a><b>") and b"IDOper" not in plaintext
    report = verify_text(text, pki)
    assert [ref_of(line) for line in report.requested] == ["r1", "r2"]
    restored = etree.fromstring(report.requested[0])
    expected = okcondgene("r1")
    assert [node.tag for node in restored.iter()] == [node.tag for node in expected.iter()]


def test_the_server_refuses_a_bad_table_at_start(tmp_path: Path) -> None:
    from server.config import ConfigError, load_config
    from server.frontal_link import load_translation

    bad = tmp_path / "traduction.csv"
    bad.write_text("IDOper;Nom\n")
    config = load_config(None, overrides={"vault.translation_table": str(bad)})
    with pytest.raises(ConfigError, match="vault.translation_table: .*ambiguous"):
        load_translation(config)
    bad.write_text("IDOper;a\n")
    assert load_translation(config).encode_map == {"IDOper": "a"}

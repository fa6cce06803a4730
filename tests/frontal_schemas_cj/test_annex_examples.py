"""Every player-account example of the annex (1.3, 1.3.2.a, 1.3.3) validates against CJ.xsd."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tests.frontal_schemas_cj.schema_support import (
    ANNEX_FIXTURES,
    CJ_EVENTS,
    LOT_FIXTURES,
    SCHEMA_DIR,
    SYNTHETIC_FIXTURES,
    errors,
    load,
)

ANNEX_FILES = sorted(ANNEX_FIXTURES.glob("*.xml"))
LOT_FILES = sorted(LOT_FIXTURES.glob("*.xml"))
SYNTHETIC_FILES = sorted(SYNTHETIC_FIXTURES.glob("*.xml"))

# 1.3.3 prints no example for CPTEAJUSTOPE and LOTNATURE (fixtures/synthetic/ stands in).
EXPECTED_PER_EVENT = {
    "OUVINFOPERSO": 3, "CPTEREF": 2, "PREFCPTE": 1, "OKCONDGENE": 3, "OUVOKCONFIRME": 3, "ACCESREFUSE": 1,
    "MODIFINFOPERSO": 1, "AUTOINTERDICTION": 5, "CLOTUREDEM": 1, "CPTEALIM": 1, "CPTERETRAIT": 1,
    "CPTEABOND": 1, "CPTEALIMOPE": 1,
}


def test_every_annex_example_is_present() -> None:
    roots = Counter(load(path).tag for path in ANNEX_FILES)
    assert dict(roots) == EXPECTED_PER_EVENT
    assert sum(roots.values()) == 24
    assert Counter(load(path).tag for path in SYNTHETIC_FILES) == {"CPTEAJUSTOPE": 2, "LOTNATURE": 1}
    assert len(LOT_FILES) == 4


def test_file_names_give_the_root() -> None:
    for path in ANNEX_FILES + SYNTHETIC_FILES:
        assert load(path).tag in path.stem and load(path).tag in CJ_EVENTS


@pytest.mark.parametrize("path", ANNEX_FILES + SYNTHETIC_FILES, ids=lambda p: p.stem)
def test_example_validates(path: Path) -> None:
    assert errors(load(path)) == []


@pytest.mark.parametrize("path", LOT_FILES, ids=lambda p: p.stem)
def test_lot_examples_hold_valid_cj_events(path: Path) -> None:
    lot = load(path)
    assert lot.tag == "Lot" and len(lot) >= 1
    for event in lot:
        assert event.tag in CJ_EVENTS
        assert errors(event) == []


def lot_schema_with_cj(tmp_path: Path) -> etree.XMLSchema:
    """schemas/Lot.xsd with the lines CJ needs (see the hand-over report), compiled from a copy:
    proves CJ.xsd's global names do not clash with PASP, PAHI and PO."""
    text = (SCHEMA_DIR / "Lot.xsd").read_text(encoding="utf-8")
    include = '<xs:include schemaLocation="PO.xsd"/>'
    refs = "".join(f'\n        <xs:element ref="{name}"/>' for name in CJ_EVENTS)
    anchor = '<xs:element ref="POANNUL"/>'
    assert include in text and anchor in text
    if 'schemaLocation="CJ.xsd"' not in text:
        text = text.replace(include, include + '\n  <xs:include schemaLocation="CJ.xsd"/>')
        text = text.replace(anchor, anchor + refs)
    for xsd in SCHEMA_DIR.glob("*.xsd"):
        (tmp_path / xsd.name).write_bytes(xsd.read_bytes())
    (tmp_path / "Lot.xsd").write_text(text, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(tmp_path / "Lot.xsd")))


def test_lots_mixing_cj_and_other_families_validate(tmp_path: Path) -> None:
    xsd = lot_schema_with_cj(tmp_path)
    for path in LOT_FILES:
        assert xsd.validate(load(path)), (path.name, xsd.error_log)
    everything = etree.Element("Lot")
    pa_po = sorted((SCHEMA_DIR.parent / "tests" / "frontal_schemas_pa_po" / "fixtures" / "annex").glob("*.xml"))
    for path in ANNEX_FILES + SYNTHETIC_FILES + pa_po:
        everything.append(load(path))
    assert xsd.validate(everything), xsd.error_log
    broken = etree.Element("Lot")
    broken.append(load(ANNEX_FILES[0]))
    broken[0].find("CP").text = "13 012"
    assert not xsd.validate(broken)
    assert any("'CP'" in entry.message for entry in xsd.error_log)


def test_annex_typo_cp_with_a_space_is_refused() -> None:
    # 1.3.3.a example 1 prints "13 012"; the fixture carries 13012 (fixtures/README.md).
    record = load(ANNEX_FILES[0])
    assert record.findtext("CP") == "13012"
    record.find("CP").text = "13 012"
    assert any("'CP'" in message for message in errors(record))

"""Every worked example of the annex (1.4.1, 1.4.2, 1.2) validates against Croupier's schemas."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.frontal_schemas_pa_po.schema_support import (
    ANNEX_FIXTURES,
    FIXTURES,
    annex,
    errors,
    load,
)

ANNEX_FILES = sorted(ANNEX_FIXTURES.glob("*.xml"))
VALIDATION_FILES = sorted((FIXTURES / "validation").glob("*.xml"))


def test_every_annex_example_is_present() -> None:
    # 11 PASPMISE, 6 PASPGAIN, 4 PAHIMISE, 2 POINSCRIT, 2 POCAVE, POGAIN, POANNUL, POREVERS,
    # 3 POPARTIE (see fixtures/README.md).
    roots = [load(path).tag for path in ANNEX_FILES]
    assert len(roots) == 31
    assert roots.count("PASPMISE") == 11
    assert roots.count("PASPGAIN") == 6
    assert roots.count("PAHIMISE") == 4
    assert roots.count("POPARTIE") == 3


@pytest.mark.parametrize("path", ANNEX_FILES, ids=lambda p: p.stem)
def test_annex_example_validates(path: Path) -> None:
    assert errors(load(path)) == []


@pytest.mark.parametrize("path", ANNEX_FILES, ids=lambda p: p.stem)
def test_annex_example_validates_inside_a_lot(path: Path) -> None:
    lot = etree.Element("Lot")
    lot.append(load(path))
    assert errors(lot) == []


@pytest.mark.parametrize("path", VALIDATION_FILES, ids=lambda p: p.stem)
def test_annex_validation_example_validates(path: Path) -> None:
    assert errors(load(path)) == []


def test_handicap_pronosp_snippet_validates() -> None:
    # 1.4.1.a.1, Remarque: two elementary prognostics in one PronoSp (code printed 6H90E).
    record = annex("L4205")
    prono = record.find("PaSp/LigSp/PronoSp")
    for child in list(prono):
        prono.remove(child)
    for type_res, choix in (("HGY5U", "CHELSEA"), ("6H90E", "1")):
        etree.SubElement(prono, "TypeRes").text = type_res
        etree.SubElement(prono, "Choix").text = choix
    assert errors(record) == []


def test_lot_mixing_every_family_validates() -> None:
    lot = etree.Element("Lot")
    for path in ANNEX_FILES:
        lot.append(load(path))
    assert errors(lot) == []
    assert errors(etree.Element("Lot")) == []
